"""Demo peer review for `make run`: rounds in every state, driven through peer_review.logic
(so the workflow, the audit log and the notifications are real), on the demo lessons and
debriefs of project/demo. The demo logins of the README land on populated workspaces:
nice-coordinator and berlin-coordinator coordinate, barcelona-, rotterdam-, nice- and
berlin-reviewer review, nice-editor answers the reviewers.

Idempotent: when any round exists, nothing is loaded.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from lessons.models import DebriefPage, LessonPage

from . import logic
from .models import Comment, ReviewAssignment, ReviewRound

DAY = datetime.timedelta(days=1)


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _page(external_id: str) -> Page:
    found = LessonPage.objects.filter(external_id=external_id).first()
    return found or DebriefPage.objects.get(external_id=external_id)


def _invite(round, reviewer: str, coordinator, respond_in: int = 7, review_in: int = 28):
    today = timezone.localdate()
    return logic.invite(
        round,
        _user(reviewer),
        by=coordinator,
        response_due=today + respond_in * DAY,
        review_due=today + review_in * DAY,
        confirm_widening=True,
    )


def _review(round, reviewer: str, coordinator, **dates) -> ReviewAssignment:
    assignment = _invite(round, reviewer, coordinator, **dates)
    return logic.accept(assignment, by=assignment.reviewer)


def _recommend(assignment: ReviewAssignment, recommendation: str, summary: str) -> None:
    logic.submit_recommendation(
        assignment, by=assignment.reviewer, recommendation=recommendation, summary=summary
    )


def _section(round, prefix: str) -> str:
    return next(key for key, _ in logic.sections_of(round.page) if key.startswith(prefix))


def _age(round: ReviewRound, days: int) -> None:
    """Spread the demo over the past weeks (display only: the rules ran at load time)."""
    now = timezone.now()
    ReviewRound.objects.filter(pk=round.pk).update(opened_at=now - days * DAY)
    if round.closed_at:
        ReviewRound.objects.filter(pk=round.pk).update(closed_at=now - (days - 10) * DAY)
    round.assignments.update(invited_at=now - (days - 1) * DAY)
    round.comments.update(created_at=now - (days - 3) * DAY)


def _endorsed_lesson(coordinator, editor) -> ReviewRound:
    round = logic.submit_for_review(_page("demo-nice-2017-baie-lumiere-l1"), by=editor)
    bcn = _review(round, "barcelona-reviewer", coordinator)
    rtm = _review(round, "rotterdam-reviewer", coordinator)
    question = logic.add_comment(
        round,
        by=bcn.reviewer,
        section="observation",
        body="Which handsets failed first: the police or the fire service ones?",
    )
    logic.add_comment(
        round, by=editor, parent=question, body="The fire service's older analogue sets."
    )
    logic.set_resolved(question, by=editor, resolved=True)
    _recommend(bcn, "endorse", "A clear, well evidenced lesson; we saw the same in 2016.")
    _recommend(
        rtm,
        "endorse_with_changes",
        "Endorse; the recommendation should name who owns the shared talk group.",
    )
    return logic.decide(
        round,
        by=coordinator,
        decision="endorse",
        rationale="Both reviewers endorse. The lesson is shared with the network as marked.",
    )


def _endorsed_debrief(coordinator, editor) -> ReviewRound:
    round = logic.submit_for_review(_page("demo-berlin-2018-winterlicht"), by=editor)
    rtm = _review(round, "rotterdam-reviewer", coordinator)
    nice = _review(round, "nice-reviewer", coordinator)
    logic.add_comment(
        round,
        by=rtm.reviewer,
        section="summary",
        body="The summary could say how many agencies took part in the debrief.",
    )
    _recommend(rtm, "endorse", "A model joint debrief of an exercise.")
    _recommend(nice, "endorse", "Useful for every city with a Christmas market.")
    return logic.decide(
        round,
        by=coordinator,
        decision="endorse",
        rationale="Endorsed: a complete multi-agency debrief, with its lessons.",
    )


def _revised_then_round_2(coordinator, editor) -> ReviewRound:
    page = _page("demo-nice-2017-baie-lumiere-l2")
    round1 = logic.submit_for_review(page, by=editor)
    bcn = _review(round1, "barcelona-reviewer", coordinator)
    logic.add_comment(
        round1,
        by=bcn.reviewer,
        section="discussion",
        body="Where should the station have been? The lesson does not say.",
    )
    _recommend(bcn, "revise", "Say where the casualty clearing station belongs, and why.")
    logic.decide(
        round1,
        by=coordinator,
        decision="revise",
        rationale="Add where the station should stand; then resubmit.",
    )
    _age(round1, 30)
    round2 = logic.resubmit(page, by=editor)
    rtm = _review(round2, "rotterdam-reviewer", coordinator, respond_in=0, review_in=1)
    logic.add_comment(
        round2,
        by=rtm.reviewer,
        section="lesson_identified",
        body="Round 2 answers round 1: the upwind placement is <b>much</b> clearer.",
    )
    _invite(round2, "berlin-reviewer", coordinator, respond_in=3)
    return round2


def _discussion(coordinator, editor) -> ReviewRound:
    round = logic.submit_for_review(_page("demo-nice-2019-tramway-azur-l2"), by=editor)
    bcn = _review(round, "barcelona-reviewer", coordinator)
    rtm = _review(round, "rotterdam-reviewer", coordinator)
    ReviewAssignment.objects.filter(pk=rtm.pk).update(review_due=timezone.localdate() - 2 * DAY)
    question = logic.add_comment(
        round,
        by=bcn.reviewer,
        section="observation",
        body="How long after the attack did the first rumour appear on social media?",
    )
    logic.add_comment(
        round,
        by=editor,
        parent=question,
        body="Eleven minutes; the first official post came at 40.",
    )
    logic.add_comment(
        round,
        by=bcn.reviewer,
        parent=question,
        body="Then the recommendation should set a target time. "
        'See <a href="https://www.first.org/tlp/">the TLP page</a> for sharing it.',
    )
    logic.add_comment(
        round,
        by=rtm.reviewer,
        section=_section(round, "recommendation:"),
        body="Who signs off the first message at night? Name the role.",
    )
    logic.add_comment(round, by=rtm.reviewer, body="A useful lesson for every network city.")
    return round


def _awaiting_decision(coordinator, editor) -> ReviewRound:
    round = logic.submit_for_review(_page("demo-nice-2019-tramway-azur-l1"), by=editor)
    bcn = _review(round, "barcelona-reviewer", coordinator)
    rtm = _review(round, "rotterdam-reviewer", coordinator)
    _recommend(bcn, "endorse", "Endorse: the four-hour delay is well documented.")
    _recommend(rtm, "endorse_with_changes", "Endorse, but add the staffing numbers.")
    return round


def _invitations(coordinator, editor) -> ReviewRound:
    round = logic.submit_for_review(_page("demo-nice-2017-baie-lumiere-l4"), by=editor)
    _invite(round, "barcelona-reviewer", coordinator, respond_in=5)
    overdue = _invite(round, "rotterdam-reviewer", coordinator, respond_in=1)
    ReviewAssignment.objects.filter(pk=overdue.pk).update(
        response_due=timezone.localdate() - 3 * DAY
    )
    return round


def _other_cities() -> list[ReviewRound]:
    """A Rotterdam round coordinated in Rotterdam, and a Barcelona one nobody took yet."""
    coordinator = _user("rotterdam-coordinator")
    round = logic.submit_for_review(
        _page("demo-rotterdam-2016-maas-beacon-l1"), by=_user("rotterdam-editor")
    )
    nice = _review(round, "nice-reviewer", coordinator)
    logic.add_comment(
        round,
        by=nice.reviewer,
        section="observation",
        body="Nice had the same gap with the port's cameras; see our debriefs.",
    )
    _invite(round, "berlin-reviewer", coordinator)
    unclaimed = logic.submit_for_review(
        _page("demo-barcelona-2022-festival-callcentre-l2"), by=_user("barcelona-editor")
    )
    return [round, unclaimed]


@transaction.atomic
def load_demo_reviews() -> str:
    if ReviewRound.objects.exists():
        return "Peer review: demo rounds already present."
    coordinator, editor = _user("nice-coordinator"), _user("nice-editor")
    ages = [
        (_endorsed_lesson(coordinator, editor), 40),
        (_endorsed_debrief(_user("berlin-coordinator"), _user("berlin-editor")), 35),
        (_revised_then_round_2(coordinator, editor), 12),
        (_discussion(coordinator, editor), 9),
        (_awaiting_decision(coordinator, editor), 20),
        (_invitations(coordinator, editor), 4),
    ]
    ages += [(round, 6) for round in _other_cities()]
    for round, days in ages:
        round.refresh_from_db()
        _age(round, days)
    Comment.objects.filter(edited_at__isnull=False).update(edited_at=None)
    return f"Peer review: {ReviewRound.objects.count()} demo rounds."
