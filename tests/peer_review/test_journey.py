"""The whole peer review journey through the member site, as its users live it."""

import pytest
from wagtail.models import PageLogEntry, WorkflowState

from kb.choices import Marking
from kb.models import Notification
from peer_review.models import AssignmentState, Comment, ReviewAssignment, ReviewRound
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db


def _round_url(round):
    return f"/reviews/rounds/{round.pk}/"


def _submit_through_ui(as_user, cast, lesson):
    response = as_user(cast.editor).post(f"/reviews/submit/{lesson.pk}/")
    round = ReviewRound.objects.get(page_id=lesson.pk, state="open")
    assert response.status_code == 302 and response["Location"] == _round_url(round)
    return round


def _invite(client, round, reviewer, reason=""):
    membership = reviewer.memberships.get()
    return client.post(
        f"/reviews/rounds/{round.pk}/invite/",
        {
            "reviewer": membership.pk,
            "response_due": "2099-01-10",
            "review_due": "2099-02-10",
            "override_reason": reason,
            "next": _round_url(round),
        },
        follow=True,
    )


def _review_and_recommend(as_user, round, reviewer, section, text, recommendation):
    client = as_user(reviewer)
    assignment = ReviewAssignment.objects.get(round=round, reviewer=reviewer)
    assert "Bollards" in client.get("/reviews/").content.decode()  # the invitation
    client.post(f"/reviews/assignments/{assignment.pk}/accept/")
    page = client.get(_round_url(round)).content.decode()
    assert "Radios failed." in page  # the material under review, now open to the reviewer
    client.post(f"/reviews/rounds/{round.pk}/comments/", {"section": section, "body": text})
    client.post(
        f"/reviews/assignments/{assignment.pk}/recommend/",
        {"recommendation": recommendation, "summary": f"{reviewer} recommends.", "confirm": "yes"},
    )
    return client


def _draft_lesson(cast, marking=Marking.GREEN):
    debrief = make_debrief(cast.nice, title="Promenade attack", marking=marking)
    return make_lesson(debrief, title="Bollards on the promenade", live=False)


def test_nice_lesson_is_endorsed_by_barcelona_and_rotterdam_and_shared_with_its_badge(
    cast, as_user
):
    lesson = _draft_lesson(cast)
    round = _submit_through_ui(as_user, cast, lesson)
    assert WorkflowState.objects.for_instance(lesson).get().status == "in_progress"

    coordinator = as_user(cast.coordinator)
    candidates = coordinator.get(_round_url(round)).content.decode()
    assert "Barcelona" in candidates and "(author city)" in candidates
    refused = _invite(coordinator, round, cast.nice_reviewer).content.decode()
    assert "author city" in refused
    assert not ReviewAssignment.objects.filter(reviewer=cast.nice_reviewer).exists()
    _invite(coordinator, round, cast.bcn)
    _invite(coordinator, round, cast.rtm)
    assert round.assignments.count() == 2

    recommendation_anchor = f"recommendation:{lesson.recommendations.get().pk}"
    _review_and_recommend(as_user, round, cast.bcn, "observation", "Which radios?", "endorse")
    _review_and_recommend(
        as_user, round, cast.rtm, recommendation_anchor, "Add budget.", "endorse_with_changes"
    )
    question = Comment.objects.get(body__contains="Which radios?")
    author = as_user(cast.editor)
    author.post(
        f"/reviews/rounds/{round.pk}/comments/",
        {"parent": question.pk, "body": "TETRA handsets."},
    )
    round_page = author.get(_round_url(round)).content.decode()
    assert "TETRA handsets." in round_page and "Add budget." in round_page
    assert question.replies.get().section == "observation"

    coordinator.post(
        f"/reviews/rounds/{round.pk}/decide/",
        {"decision": "endorse", "rationale": "Sound lesson, well evidenced."},
    )
    lesson.refresh_from_db()
    assert lesson.live  # the workflow published the reviewed revision
    reader = as_user(make_member("oslo-reader", make_city("Oslo")))
    page = reader.get(lesson.url).content.decode()
    assert "Endorsed by peer review (Barcelona, Rotterdam)" in page
    assert "Sound lesson, well evidenced." in page
    kinds = set(Notification.objects.values_list("recipient__username", "kind"))
    assert {
        ("bcn-reviewer", "review_invitation"),
        ("coordinator", "review_accepted"),
        ("bcn-reviewer", "review_reply"),
        ("nice-editor", "review_recommendation"),
        ("nice-editor", "review_decision"),
        ("rtm-reviewer", "review_decision"),
    } <= kinds
    history = set(PageLogEntry.objects.filter(page=lesson).values_list("action", flat=True))
    assert {"peer_review.invited", "peer_review.decided", "wagtail.workflow.approve"} <= history


def test_revise_sends_the_lesson_back_and_resubmission_opens_round_2(cast, as_user):
    lesson = _draft_lesson(cast)
    round1 = _submit_through_ui(as_user, cast, lesson)
    coordinator = as_user(cast.coordinator)
    _invite(coordinator, round1, cast.bcn)
    _review_and_recommend(as_user, round1, cast.bcn, "general", "Too thin.", "revise")
    coordinator.post(
        f"/reviews/rounds/{round1.pk}/decide/",
        {"decision": "revise", "rationale": "Add the evidence."},
    )
    lesson.refresh_from_db()
    assert not lesson.live
    assert WorkflowState.objects.for_instance(lesson).get().status == "needs_changes"

    author = as_user(cast.editor)
    assert "Resubmit for peer review" in author.get(_round_url(round1)).content.decode()
    author.post(f"/reviews/rounds/{round1.pk}/resubmit/")
    round2 = ReviewRound.objects.get(page_id=lesson.pk, number=2)
    assert round2.is_open and round2.coordinator == cast.coordinator

    _invite(coordinator, round2, cast.rtm)
    rtm = as_user(cast.rtm)
    assignment = ReviewAssignment.objects.get(round=round2, reviewer=cast.rtm)
    rtm.post(f"/reviews/assignments/{assignment.pk}/accept/")
    assert assignment.__class__.objects.get(pk=assignment.pk).state == AssignmentState.ACCEPTED
    earlier = rtm.get(_round_url(round1))  # earlier rounds are visible to round 2 reviewers
    assert earlier.status_code == 200 and "Too thin." in earlier.content.decode()
