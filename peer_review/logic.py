"""The rules of the peer review: one function per state transition.

Each function makes a move of the table in peer_review.transitions: it checks the rule,
writes the change and a Wagtail audit-log entry (against the page under review, so it shows
in the page's history), and queues the notifications. Views, the API, the workflow task and
the periodic job all call these.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.models import WorkflowState

from kb import access as kb_access
from kb.directory import current_membership
from kb.sanitise import plain_text

from . import access, notices, widening

# The discussion's transitions live in peer_review.discussion; callers find them here too.
from .discussion import (
    GENERAL,
    add_comment,
    edit_comment,
    sections_of,
    set_resolved,
    withdraw_comment,
)
from .models import (
    WORKFLOW_NAME,
    AssignmentState,
    ReviewAssignment,
    ReviewRound,
    RoundState,
    ensure_peer_review_workflow,
)
from .rules import Refused, log_step, require
from .transitions import (
    ACCEPT,
    DECIDE,
    DECISIONS,
    DECLINE,
    INVITE,
    OPEN,
    RECOMMEND,
    ROUND_CLOSED,
    WITHDRAW,
    Move,
)

__all__ = [
    "GENERAL",
    "Refused",
    "accept",
    "add_comment",
    "decide",
    "decline",
    "edit_comment",
    "invite",
    "open_round",
    "resubmit",
    "sections_of",
    "set_resolved",
    "submit_for_review",
    "submit_recommendation",
    "withdraw",
    "withdraw_comment",
]


# --- Rounds ------------------------------------------------------------------------------


def submit_for_review(page, *, by) -> ReviewRound:
    """A city editor sends a debrief or lesson to peer review (starts the workflow)."""
    page = page.specific
    require(current_membership(by) is not None, _("Only members submit material."), "members_only")
    m = current_membership(by)
    require(
        by.is_superuser or (m.is_editor and m.city_id == page.owner_city_id),
        _("Only an editor of the owning city submits its material for peer review."),
        "owning_city_editor",
    )
    # TLP:RED material stays with its recipients, editors of the owning city included.
    require(
        kb_access.can_view_any_state(by, page),
        _("Only an editor of the owning city submits its material for peer review."),
        "owning_city_editor",
    )
    require(
        by.is_superuser or access.reviewer_page_grant_allowed(by, page),
        _("TLP:RED material is submitted by one of its named recipients."),
        "red_recipients_only",
    )
    state = WorkflowState.objects.active().for_instance(page).first()
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return resubmit(page, by=by)
    require(state is None, _("This material is already under review."), "one_open_round")
    if page.get_latest_revision() is None:
        page.save_revision(user=by)
    workflow = page.get_workflow()
    if workflow is None or workflow.name != WORKFLOW_NAME:
        workflow = ensure_peer_review_workflow()
    workflow.start(page, by)
    return ReviewRound.objects.filter(page_id=page.pk).order_by("-number").first()


def open_round(page, *, by=None, task_state=None) -> ReviewRound:
    """Called when the workflow task starts: round 1, or the next round on resubmission."""
    page = page.specific
    with transaction.atomic():
        require(
            not ReviewRound.objects.filter(page_id=page.pk, state=RoundState.OPEN).exists(),
            _("A round is already open for this material."),
            "one_open_round",
        )
        last = ReviewRound.objects.filter(page_id=page.pk).aggregate(n=Max("number"))["n"] or 0
        previous = ReviewRound.objects.filter(page_id=page.pk, number=last).first()
        round = ReviewRound.objects.create(
            page_id=page.pk,
            state=OPEN.target,
            number=last + 1,
            submitted_by=by,
            task_state=task_state,
            coordinator=previous.coordinator if previous else None,
        )
        log_step(round, OPEN.log_action, by)
    notices.round_opened(round)
    return round


def resubmit(page, *, by) -> ReviewRound:
    """After "revise": the author sends the revised material back; round N+1 opens."""
    page = page.specific
    state = WorkflowState.objects.active().for_instance(page).first()
    require(
        state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES,
        _("Only material sent back for revision is resubmitted."),
        "resubmit_after_revise",
    )
    m = current_membership(by)
    require(
        by.is_superuser or bool(m and m.is_editor and m.city_id == page.owner_city_id),
        _("Only an editor of the owning city resubmits its material."),
        "owning_city_editor",
    )
    state.resume(user=by)
    return ReviewRound.objects.filter(page_id=page.pk).order_by("-number").first()


_PAST_REPLY_BY = gettext_lazy("The reply-by date is in the past: choose today or a later day.")

# --- Assignments -------------------------------------------------------------------------


def _lock(assignment: ReviewAssignment) -> ReviewAssignment:
    """The assignment as stored now, its round and its row locked until the commit. Rules are
    checked against this copy, never the caller's (possibly stale) one, so two people acting
    at once cannot both pass: the round is locked first, in the same order as decide()."""
    round = ReviewRound.objects.select_for_update().get(pk=assignment.round_id)
    fresh = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    fresh.round = round
    return fresh


def _move(
    assignment: ReviewAssignment,
    move: Move,
    by,
    fields: dict,
    notice: Callable[[ReviewAssignment], None] | None = None,
    **log_data,
) -> ReviewAssignment:
    """Make an assignment's move: under the lock, re-check the round and the state on the
    stored copy, write the new state with `fields`, log it and queue the notice. The caller
    has checked who may, and its input, before."""
    with transaction.atomic():
        fresh = _lock(assignment)
        if move.needs_open_round:
            require(fresh.round.is_open, *ROUND_CLOSED)
        move.check_state(fresh.state)
        for name, value in fields.items():
            setattr(fresh, name, value)
        fresh.state = move.target
        fresh.save(update_fields=["state", *fields])
        log_step(fresh.round, move.log_action, by, **log_data)
        if notice is not None:
            notice(fresh)
    # Bring the caller's copy up to date with what was written.
    assignment.refresh_from_db()
    return fresh


def invite(
    round: ReviewRound,
    reviewer,
    *,
    by,
    response_due: datetime.date | None = None,
    review_due: datetime.date | None = None,
    override_reason: str = "",
    confirm_widening: bool = False,
) -> ReviewAssignment:
    """The coordinator invites a reviewer. The conflict rule: never someone from the author
    city, unless a written reason is given (and logged). A reviewer who could not read the
    material under its marking is invited only with `confirm_widening` (peer_review.widening);
    TLP:RED material only to its named recipients."""
    INVITE.check_who(by, round)
    require(round.is_open, *ROUND_CLOSED)
    m = current_membership(reviewer)
    if m is None or not m.is_reviewer:
        raise ValidationError(
            _("This person is not a current peer reviewer."), code="current_reviewer"
        )
    if round.assignments.active().filter(reviewer=reviewer).exists():
        raise ValidationError(
            _("This reviewer is already assigned to the round."), code="one_assignment_per_reviewer"
        )
    override_reason = override_reason.strip()
    conflict = m.city_id == round.material.owner_city_id
    if conflict and not override_reason:
        raise ValidationError(
            f"{reviewer} belongs to {m.city}, the author city: give a reason to override.",
            code="conflict_rule",
        )
    today = timezone.localdate()
    response_due = response_due or today + datetime.timedelta(days=7)
    review_due = review_due or today + datetime.timedelta(days=28)
    if response_due < today:
        raise ValidationError(
            {"response_due": ValidationError(_PAST_REPLY_BY, code="response_due_not_past")}
        )
    if review_due < response_due:
        raise ValidationError(
            _("The review cannot be due before the reply to the invitation."),
            code="due_dates_order",
        )
    widened = widening.check_invitation(round.material, reviewer, confirm_widening)
    with transaction.atomic():
        assignment = ReviewAssignment.objects.create(
            round=round,
            reviewer=reviewer,
            state=INVITE.target,
            invited_by=by,
            response_due=response_due,
            review_due=review_due,
            conflict_override_reason=override_reason if conflict else "",
        )
        if round.coordinator_id is None:
            # The first coordinator to invite takes charge (and may read the material).
            round.coordinator = by
            round.save(update_fields=["coordinator"])
        log_step(round, INVITE.log_action, by, reviewer=reviewer.get_username(), city=m.city.name)
        if widened:
            widening.record(round, reviewer, by=by)
        if conflict:
            log_step(
                round,
                "peer_review.conflict_override",
                by,
                reviewer=reviewer.get_username(),
                reason=override_reason,
            )
    notices.invitation(assignment)
    return assignment


def accept(assignment: ReviewAssignment, *, by) -> ReviewAssignment:
    ACCEPT.check_who(by, assignment)
    fields = {"responded_at": timezone.now()}
    fresh = _move(assignment, ACCEPT, by, fields, notices.accepted, reviewer=by.get_username())
    return fresh


def decline(assignment: ReviewAssignment, *, by, reason: str) -> ReviewAssignment:
    DECLINE.check_who(by, assignment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Say why you decline, so the coordinator can find someone else."),
            code="decline_reason_required",
        )
    fields = {"responded_at": timezone.now(), "decline_reason": reason}
    return _move(assignment, DECLINE, by, fields, notices.declined, reviewer=by.get_username())


def withdraw(assignment: ReviewAssignment, *, by) -> ReviewAssignment:
    """The coordinator takes an assignment back (to re-assign an overdue review)."""
    WITHDRAW.check_who(by, assignment)
    return _move(assignment, WITHDRAW, by, {}, reviewer=assignment.reviewer.get_username())


def submit_recommendation(
    assignment: ReviewAssignment, *, by, recommendation: str, summary: str
) -> ReviewAssignment:
    RECOMMEND.check_who(by, assignment)
    if recommendation not in DECISIONS:
        raise ValidationError(_("Choose one of the recommendations."), code="known_recommendation")
    summary = plain_text(summary).strip()
    if not summary:
        raise ValidationError(_("Summarise your review."), code="summary_required")
    fields = {"recommendation": recommendation, "summary": summary, "submitted_at": timezone.now()}
    return _move(
        assignment,
        RECOMMEND,
        by,
        fields,
        notices.recommendation_submitted,
        reviewer=by.get_username(),
        recommendation=recommendation,
    )


# --- Decision ----------------------------------------------------------------------------


def decide(round: ReviewRound, *, by, decision: str, rationale: str) -> ReviewRound:
    """The coordinator closes the round. Endorsement lets the workflow publish the material;
    revise or not endorsed sends it back to the author (resubmission opens the next round)."""
    DECIDE.check_who(by, round)
    DECIDE.check_state(round.state)
    if decision not in DECISIONS:
        raise ValidationError(_("Choose one of the decisions."), code="known_recommendation")
    rationale = plain_text(rationale).strip()
    if not rationale:
        raise ValidationError(_("Give the rationale of the decision."), code="rationale_required")
    with transaction.atomic():
        # Re-read under the lock: two coordinators deciding at once must not both pass, and
        # the caller's copy may be stale (another coordinator decided meanwhile).
        locked = ReviewRound.objects.select_for_update().get(pk=round.pk)
        DECIDE.check_state(locked.state)
        if not locked.assignments.filter(state=AssignmentState.SUBMITTED).exists():
            raise ValidationError(
                _("No reviewer has submitted a recommendation yet."),
                code="recommendation_submitted",
            )
        round.coordinator_id = locked.coordinator_id
        round.state = DECIDE.target
        round.decision = decision
        round.rationale = rationale
        round.closed_at = timezone.now()
        round.coordinator = round.coordinator or by
        round.save()
        log_step(round, DECIDE.log_action, by, decision=decision)
        task_state = round.task_state.specific if round.task_state else None
        if task_state is not None and task_state.status == task_state.STATUS_IN_PROGRESS:
            comment = f"{round.get_decision_display()}: {rationale}"[:1000]
            if DECISIONS[decision].endorses:
                # The coordinator approves; publication is the workflow's own act (the
                # coordinator holds no publish permission on the author city's pages).
                task_state.approve(user=by, comment=comment, update=False)
                task_state.workflow_state.update(user=None)
            else:
                task_state.reject(user=by, comment=comment)
    notices.decided(round)
    return round
