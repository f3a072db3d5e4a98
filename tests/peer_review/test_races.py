"""Two people acting on the same review at once lose nothing: every transition re-reads the
assignment or round under a row lock, so a stale copy in memory is refused by its rule and
overwrites nothing (stale objects stand in for the second request; no threads needed)."""

from __future__ import annotations

import pytest

from kb.choices import Marking
from peer_review import logic
from peer_review.models import AssignmentState, ReviewAssignment, ReviewRound, RoundState
from tests.factories import make_accepted_review, make_debrief, make_lesson, make_review_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(cast):
    lesson = make_lesson(make_debrief(cast.nice, marking=Marking.GREEN), live=False)
    return make_review_round(lesson, cast.editor)


def test_a_withdrawn_reviewer_cannot_submit_with_a_stale_assignment(round, cast):
    stale = make_accepted_review(round, cast.bcn, cast.coordinator)
    logic.withdraw(ReviewAssignment.objects.get(pk=stale.pk), by=cast.coordinator)
    assert stale.state == AssignmentState.ACCEPTED  # the reviewer's page was loaded before

    with pytest.raises(logic.Refused) as refused:
        logic.submit_recommendation(
            stale, by=cast.bcn, recommendation="endorse", summary="Looks right."
        )

    assert refused.value.rule == "accepted_first"
    stored = ReviewAssignment.objects.get(pk=stale.pk)
    assert stored.state == AssignmentState.WITHDRAWN
    assert stored.summary == "" and stored.submitted_at is None


def test_a_submitted_recommendation_cannot_be_withdrawn_with_a_stale_assignment(round, cast):
    stale = make_accepted_review(round, cast.bcn, cast.coordinator)
    logic.submit_recommendation(
        ReviewAssignment.objects.get(pk=stale.pk),
        by=cast.bcn,
        recommendation="endorse",
        summary="Looks right.",
    )

    with pytest.raises(logic.Refused) as refused:
        logic.withdraw(stale, by=cast.coordinator)

    assert refused.value.rule == "assignment_outstanding"
    assert ReviewAssignment.objects.get(pk=stale.pk).state == AssignmentState.SUBMITTED


def test_an_invitation_answered_elsewhere_cannot_be_answered_again(round, cast):
    stale = logic.invite(round, cast.rtm, by=cast.coordinator, confirm_widening=True)
    logic.decline(ReviewAssignment.objects.get(pk=stale.pk), by=cast.rtm, reason="On leave.")

    with pytest.raises(logic.Refused) as refused:
        logic.accept(stale, by=cast.rtm)

    assert refused.value.rule == "invitation_pending"
    assert ReviewAssignment.objects.get(pk=stale.pk).state == AssignmentState.DECLINED


def test_a_round_is_decided_once_even_from_a_stale_round(round, cast):
    make_accepted_review(round, cast.bcn, cast.coordinator)
    logic.submit_recommendation(
        round.assignments.get(reviewer=cast.bcn),
        by=cast.bcn,
        recommendation="endorse",
        summary="Looks right.",
    )
    stale = ReviewRound.objects.get(pk=round.pk)
    logic.decide(round, by=cast.coordinator, decision="endorse", rationale="Sound lesson.")
    assert stale.is_open

    with pytest.raises(logic.Refused) as refused:
        logic.decide(stale, by=cast.coordinator, decision="revise", rationale="Second opinion.")

    assert refused.value.rule == "round_open"
    stored = ReviewRound.objects.get(pk=round.pk)
    assert stored.state == RoundState.CLOSED
    assert stored.decision == "endorse" and stored.rationale == "Sound lesson."


def test_no_comment_lands_in_a_round_decided_meanwhile(round, cast):
    make_accepted_review(round, cast.bcn, cast.coordinator)
    stale = ReviewRound.objects.get(pk=round.pk)
    ReviewRound.objects.filter(pk=round.pk).update(state=RoundState.CLOSED)

    with pytest.raises(logic.Refused) as refused:
        logic.add_comment(stale, by=cast.bcn, body="Late remark")

    assert refused.value.rule == "round_open"
    assert not stale.comments.exists()
