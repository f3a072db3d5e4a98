"""The world the browser tests share, on top of the demo data: one lesson endorsed by
peer review (its page shows the badge and similar cases) and one round still open, with an
accepted reviewer who has commented (the reviewer's workspace and round page).

Built through peer_review.logic, as the member site would; only the journeys themselves
go through the browser.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth import get_user_model

from lessons.models import LessonPage

ENDORSED = "Federal and local police units could not talk to each other on the radio"
UNDER_REVIEW = "The decision to close the whole metro network took 40 minutes"


def user(username: str):
    return get_user_model().objects.get(username=username)


def lesson(title_start: str) -> LessonPage:
    return LessonPage.objects.get(title__startswith=title_start)


def build_world() -> SimpleNamespace:
    from peer_review import logic

    editor, coordinator = user("brussels-editor"), user("nice-coordinator")
    berlin, rotterdam = user("berlin-reviewer"), user("rotterdam-reviewer")

    endorsed = lesson(ENDORSED)
    round = logic.submit_for_review(endorsed, by=editor)
    for reviewer in (berlin, rotterdam):
        logic.accept(
            logic.invite(round, reviewer, by=coordinator, confirm_widening=True), by=reviewer
        )
    logic.add_comment(
        round, by=berlin, section="observation", body="Which radio systems were involved?"
    )
    for reviewer in (berlin, rotterdam):
        logic.submit_recommendation(
            round.assignments.get(reviewer=reviewer),
            by=reviewer,
            recommendation="endorse",
            summary="A clear lesson that other capitals can apply.",
        )
    logic.decide(
        round,
        by=coordinator,
        decision="endorse",
        rationale="Both reviewers endorse; the lesson is well evidenced.",
    )

    open_lesson = lesson(UNDER_REVIEW)
    open_round = logic.submit_for_review(open_lesson, by=editor)
    logic.accept(logic.invite(open_round, berlin, by=coordinator, confirm_widening=True), by=berlin)
    logic.invite(open_round, user("barcelona-reviewer"), by=coordinator, confirm_widening=True)
    logic.add_comment(
        open_round,
        by=berlin,
        section="observation",
        body="Who had the authority to close the network, and who was consulted?",
    )
    return SimpleNamespace(
        endorsed=LessonPage.objects.get(pk=endorsed.pk), round=round, open_round=open_round
    )
