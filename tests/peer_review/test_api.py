"""Reviewers answer invitations through the API, under the same rules as on the site; a
refusal names the rule that refused."""

import pytest

from kb.choices import Marking
from peer_review import logic
from peer_review.models import AssignmentState
from tests.factories import make_debrief, make_lesson, make_review_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(cast):
    lesson = make_lesson(make_debrief(cast.nice, marking=Marking.AMBER_STRICT), title="Cordon")
    round = make_review_round(lesson, cast.editor)
    return logic.invite(round, cast.bcn, by=cast.coordinator, confirm_widening=True)


def _post(client, url, payload=None):
    return client.post(url, payload or {}, content_type="application/json")


def test_a_reviewer_accepts_through_the_api_and_may_then_read_the_material(
    invitation, cast, as_user
):
    client = as_user(cast.bcn)
    lesson_url = invitation.round.page.url
    assert client.get(lesson_url).status_code == 404
    response = _post(client, f"/api/v1/reviews/assignments/{invitation.pk}/accept")
    assert response.status_code == 200 and response.json()["state"] == "accepted"
    assert client.get(lesson_url).status_code == 200
    again = _post(client, f"/api/v1/reviews/assignments/{invitation.pk}/accept")
    assert again.status_code == 403
    assert again.json() == {"detail": "This invitation was answered.", "rule": "invitation_pending"}


def test_declining_through_the_api_needs_a_reason(invitation, cast, as_user):
    client = as_user(cast.bcn)
    url = f"/api/v1/reviews/assignments/{invitation.pk}/decline"
    blank = _post(client, url, {"reason": "   "})
    assert blank.status_code == 422 and blank.json()["rule"] == "decline_reason_required"
    invitation.refresh_from_db()
    assert invitation.state == AssignmentState.INVITED
    assert _post(client, url).status_code == 422  # no reason at all: the schema refuses
    declined = _post(client, url, {"reason": "On leave until June."})
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    invitation.refresh_from_db()
    assert invitation.decline_reason == "On leave until June."
    accept = _post(client, f"/api/v1/reviews/assignments/{invitation.pk}/accept")
    assert accept.status_code == 403 and accept.json()["rule"] == "invitation_pending"


def test_nobody_answers_someone_elses_invitation(invitation, cast, as_user):
    for user in (cast.rtm, cast.coordinator, cast.editor):
        client = as_user(user)
        for action in ("accept", "decline"):
            url = f"/api/v1/reviews/assignments/{invitation.pk}/{action}"
            assert _post(client, url, {"reason": "x"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == AssignmentState.INVITED


def test_an_invitation_to_a_decided_round_cannot_be_accepted(invitation, cast, as_user):
    round = invitation.round
    other = logic.accept(
        logic.invite(round, cast.rtm, by=cast.coordinator, confirm_widening=True), by=cast.rtm
    )
    logic.submit_recommendation(other, by=cast.rtm, recommendation="endorse", summary="Good")
    logic.decide(round, by=cast.coordinator, decision="endorse", rationale="Good")
    response = _post(as_user(cast.bcn), f"/api/v1/reviews/assignments/{invitation.pk}/accept")
    assert response.status_code == 403
    assert response.json() == {"detail": "This round is closed.", "rule": "round_open"}


def test_recommendation_refusals_name_their_rule(invitation, cast, as_user):
    client = as_user(cast.bcn)
    url = f"/api/v1/reviews/assignments/{invitation.pk}/recommendation"
    early = _post(client, url, {"recommendation": "endorse", "summary": "Fine"})
    assert early.status_code == 403 and early.json()["rule"] == "accepted_first"
    logic.accept(invitation, by=cast.bcn)
    unknown = _post(client, url, {"recommendation": "maybe", "summary": "Fine"})
    assert unknown.status_code == 422 and unknown.json()["rule"] == "known_recommendation"
