"""The rules of the peer review: one function per state transition.

Each function checks the rule, writes the change and a Wagtail audit-log entry (against the
page under review, so it shows in the page's history), and queues the notifications.
Views, the API, the workflow task and the periodic job all call these.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import WorkflowState

from kb import access as kb_access

from . import access, notices
from .models import (
    READING_STATES,
    AssignmentState,
    Comment,
    Recommendation,
    ReviewAssignment,
    ReviewRound,
    RoundState,
)
from .sanitize import clean_comment, plain_text
from .workflow import WORKFLOW_NAME, ensure_peer_review_workflow

GENERAL = "general"


def _log(round: ReviewRound, action: str, user, **data) -> None:
    log(instance=round.material, action=action, user=user, data={"round": round.number, **data})


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


# --- Rounds ------------------------------------------------------------------------------


def submit_for_review(page, *, by) -> ReviewRound:
    """A city editor sends a debrief or lesson to peer review (starts the workflow)."""
    page = page.specific
    _require(access.membership(by) is not None, "Only members submit material.")
    m = access.membership(by)
    _require(
        by.is_superuser or (m.is_editor and m.city_id == page.owner_city_id),
        "Only an editor of the owning city submits its material for peer review.",
    )
    state = WorkflowState.objects.active().for_instance(page).first()
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return resubmit(page, by=by)
    _require(state is None, "This material is already under review.")
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
        _require(
            not ReviewRound.objects.filter(page_id=page.pk, state=RoundState.OPEN).exists(),
            "A round is already open for this material.",
        )
        last = ReviewRound.objects.filter(page_id=page.pk).aggregate(n=Max("number"))["n"] or 0
        previous = ReviewRound.objects.filter(page_id=page.pk, number=last).first()
        round = ReviewRound.objects.create(
            page_id=page.pk,
            number=last + 1,
            submitted_by=by,
            task_state=task_state,
            coordinator=previous.coordinator if previous else None,
        )
        _log(round, "peer_review.round_opened", by)
    notices.round_opened(round)
    return round


def resubmit(page, *, by) -> ReviewRound:
    """After "revise": the author sends the revised material back; round N+1 opens."""
    page = page.specific
    state = WorkflowState.objects.active().for_instance(page).first()
    _require(
        state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES,
        "Only material sent back for revision is resubmitted.",
    )
    m = access.membership(by)
    _require(
        by.is_superuser or bool(m and m.is_editor and m.city_id == page.owner_city_id),
        "Only an editor of the owning city resubmits its material.",
    )
    state.resume(user=by)
    return ReviewRound.objects.filter(page_id=page.pk).order_by("-number").first()


# --- Assignments -------------------------------------------------------------------------


def invite(
    round: ReviewRound,
    reviewer,
    *,
    by,
    response_due: datetime.date | None = None,
    review_due: datetime.date | None = None,
    override_reason: str = "",
) -> ReviewAssignment:
    """The coordinator invites a reviewer. The conflict rule: never someone from the author
    city, unless a written reason is given (and logged)."""
    _require(access.is_coordinator(by), "Only a review coordinator invites reviewers.")
    _require(round.is_open, "This round is closed.")
    m = access.membership(reviewer)
    if m is None or not m.is_reviewer:
        raise ValidationError("This person is not a current peer reviewer.")
    if round.assignments.active().filter(reviewer=reviewer).exists():
        raise ValidationError("This reviewer is already assigned to the round.")
    override_reason = override_reason.strip()
    conflict = m.city_id == round.material.owner_city_id
    if conflict and not override_reason:
        raise ValidationError(
            f"{reviewer} belongs to {m.city}, the author city: give a reason to override."
        )
    today = timezone.localdate()
    response_due = response_due or today + datetime.timedelta(days=7)
    review_due = review_due or today + datetime.timedelta(days=28)
    if review_due < response_due:
        raise ValidationError("The review cannot be due before the reply to the invitation.")
    with transaction.atomic():
        assignment = ReviewAssignment.objects.create(
            round=round,
            reviewer=reviewer,
            invited_by=by,
            response_due=response_due,
            review_due=review_due,
            conflict_override_reason=override_reason if conflict else "",
        )
        if round.coordinator_id is None:
            round.coordinator = by
            round.save(update_fields=["coordinator"])
        _log(round, "peer_review.invited", by, reviewer=reviewer.get_username(), city=m.city.name)
        if conflict:
            _log(
                round,
                "peer_review.conflict_override",
                by,
                reviewer=reviewer.get_username(),
                reason=override_reason,
            )
    notices.invitation(assignment)
    return assignment


def accept(assignment: ReviewAssignment, *, by) -> ReviewAssignment:
    _require(by.pk == assignment.reviewer_id, "Only the invited reviewer replies.")
    _require(assignment.round.is_open, "This round is closed.")
    _require(assignment.state == AssignmentState.INVITED, "This invitation was answered.")
    assignment.state = AssignmentState.ACCEPTED
    assignment.responded_at = timezone.now()
    assignment.save(update_fields=["state", "responded_at"])
    _log(assignment.round, "peer_review.accepted", by, reviewer=by.get_username())
    # The reviewer may now read the material: drop the cached access answer.
    kb_access.forget_viewer(by)
    notices.accepted(assignment)
    return assignment


def decline(assignment: ReviewAssignment, *, by, reason: str) -> ReviewAssignment:
    _require(by.pk == assignment.reviewer_id, "Only the invited reviewer replies.")
    _require(assignment.state == AssignmentState.INVITED, "This invitation was answered.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why you decline, so the coordinator can find someone else.")
    assignment.state = AssignmentState.DECLINED
    assignment.responded_at = timezone.now()
    assignment.decline_reason = reason
    assignment.save(update_fields=["state", "responded_at", "decline_reason"])
    _log(assignment.round, "peer_review.declined", by, reviewer=by.get_username())
    notices.declined(assignment)
    return assignment


def withdraw(assignment: ReviewAssignment, *, by) -> ReviewAssignment:
    """The coordinator takes an assignment back (to re-assign an overdue review)."""
    _require(access.is_coordinator(by), "Only a review coordinator withdraws assignments.")
    _require(
        assignment.state in (AssignmentState.INVITED, AssignmentState.ACCEPTED),
        "Only outstanding assignments are withdrawn.",
    )
    assignment.state = AssignmentState.WITHDRAWN
    assignment.save(update_fields=["state"])
    _log(assignment.round, "peer_review.withdrawn", by, reviewer=assignment.reviewer.get_username())
    kb_access.forget_viewer(assignment.reviewer)
    return assignment


def submit_recommendation(
    assignment: ReviewAssignment, *, by, recommendation: str, summary: str
) -> ReviewAssignment:
    _require(by.pk == assignment.reviewer_id, "Only the reviewer submits the recommendation.")
    _require(assignment.round.is_open, "This round is closed.")
    _require(assignment.state == AssignmentState.ACCEPTED, "Accept the invitation first.")
    if recommendation not in Recommendation.values:
        raise ValidationError("Choose one of the recommendations.")
    summary = plain_text(summary).strip()
    if not summary:
        raise ValidationError("Summarise your review.")
    assignment.recommendation = recommendation
    assignment.summary = summary
    assignment.state = AssignmentState.SUBMITTED
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["recommendation", "summary", "state", "submitted_at"])
    _log(
        assignment.round,
        "peer_review.recommendation",
        by,
        reviewer=by.get_username(),
        recommendation=recommendation,
    )
    notices.recommendation_submitted(assignment)
    return assignment


# --- Decision ----------------------------------------------------------------------------


def decide(round: ReviewRound, *, by, decision: str, rationale: str) -> ReviewRound:
    """The coordinator closes the round. Endorsement lets the workflow publish the material;
    revise or not endorsed sends it back to the author (resubmission opens the next round)."""
    _require(access.is_coordinator(by), "Only a review coordinator decides.")
    _require(round.is_open, "This round is already decided.")
    if decision not in Recommendation.values:
        raise ValidationError("Choose one of the decisions.")
    rationale = plain_text(rationale).strip()
    if not rationale:
        raise ValidationError("Give the rationale of the decision.")
    if not round.assignments.filter(state=AssignmentState.SUBMITTED).exists():
        raise ValidationError("No reviewer has submitted a recommendation yet.")
    with transaction.atomic():
        round.state = RoundState.CLOSED
        round.decision = decision
        round.rationale = rationale
        round.closed_at = timezone.now()
        round.coordinator = round.coordinator or by
        round.save()
        _log(round, "peer_review.decided", by, decision=decision)
        task_state = round.task_state.specific if round.task_state else None
        if task_state is not None and task_state.status == task_state.STATUS_IN_PROGRESS:
            comment = f"{round.get_decision_display()}: {rationale}"[:1000]
            if round.is_endorsed:
                # The coordinator approves; publication is the workflow's own act (the
                # coordinator holds no publish permission on the author city's pages).
                task_state.approve(user=by, comment=comment, update=False)
                task_state.workflow_state.update(user=None)
            else:
                task_state.reject(user=by, comment=comment)
    for assignment in round.assignments.filter(state__in=READING_STATES):
        kb_access.forget_viewer(assignment.reviewer)
    notices.decided(round)
    return round


# --- Comments ----------------------------------------------------------------------------


def sections_of(page) -> list[tuple[str, str]]:
    """The anchors a comment may point at, with their labels."""
    page = page.specific
    if page._meta.model_name == "lessonpage":
        sections = [
            ("observation", "Observation"),
            ("discussion", "Discussion"),
            ("lesson_identified", "Lesson identified"),
        ]
        for i, rec in enumerate(page.recommendations.all(), start=1):
            sections.append((f"recommendation:{rec.pk}", f"Recommendation {i}"))
    else:
        sections = [("summary", "Summary")]
    return [*sections, (GENERAL, "General")]


def _may_discuss(round: ReviewRound, user) -> bool:
    if access.is_coordinator(user) or access.is_author_side(user, round):
        return True
    return round.assignments.filter(reviewer_id=user.pk, state__in=READING_STATES).exists()


def add_comment(
    round: ReviewRound, *, by, body: str, section: str = GENERAL, parent: Comment | None = None
) -> Comment:
    _require(round.is_open, "The discussion of a closed round is read-only.")
    _require(_may_discuss(round, by), "Only those taking part in the round comment.")
    if parent is not None:
        _require(parent.round_id == round.pk, "Reply within the same round.")
        section = parent.section
    if section not in dict(sections_of(round.page)):
        raise ValidationError("Anchor the comment to a section of the material.")
    body = clean_comment(body)
    if not plain_text(body).strip():
        raise ValidationError("Write something.")
    comment = Comment.objects.create(
        round=round, author=by, parent=parent, section=section, body=body
    )
    _log(round, "peer_review.comment", by, comment=comment.pk, section=section)
    notices.new_comment(comment)
    return comment


def edit_comment(comment: Comment, *, by, body: str) -> Comment:
    _require(comment.round.is_open, "The discussion of a closed round is read-only.")
    _require(comment.editable_by(by), "A comment is editable by its author for 15 minutes.")
    body = clean_comment(body)
    if not plain_text(body).strip():
        raise ValidationError("Write something.")
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


def set_resolved(comment: Comment, *, by, resolved: bool) -> Comment:
    """Resolve or reopen a thread (its first comment)."""
    round = comment.round
    _require(round.is_open, "The discussion of a closed round is read-only.")
    _require(_may_discuss(round, by), "Only those taking part in the round resolve threads.")
    root = comment.thread_root
    root.resolved = resolved
    root.resolved_by = by if resolved else None
    root.save(update_fields=["resolved", "resolved_by"])
    _log(round, "peer_review.resolved" if resolved else "peer_review.reopened", by, comment=root.pk)
    return root


def withdraw_comment(comment: Comment, *, by) -> Comment:
    """Hide a comment's text; nothing is ever erased (the row and its replies stay)."""
    _require(
        by.pk == comment.author_id or access.is_coordinator(by),
        "Only the author or a coordinator withdraws a comment.",
    )
    comment.delete()
    return comment
