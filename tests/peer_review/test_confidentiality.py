"""Nobody outside a round reads its comments or recommendations, through any channel;
an accepted reviewer reads restricted material for the life of the round only."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from kb.choices import Marking
from kb.models import Notification
from peer_review import logic
from tests.factories import (
    make_accepted_review,
    make_city,
    make_debrief,
    make_lesson,
    make_member,
    make_review_round,
)

pytestmark = pytest.mark.django_db

SECRET_COMMENT = "Radio channel 7 was jammed"
SECRET_SUMMARY = "The cordon plan has a gap"


@pytest.fixture
def busy_round(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        debrief = make_debrief(cast.nice, marking=Marking.AMBER_STRICT)
        lesson = make_lesson(debrief, title="Hidden cordon lesson")
        round = make_review_round(lesson, cast.editor)
        assignment = make_accepted_review(round, cast.bcn, cast.coordinator)
        logic.invite(
            round, cast.rtm, by=cast.coordinator, confirm_widening=True
        )  # invited, not yet accepted
        comment = logic.add_comment(round, by=cast.bcn, body=SECRET_COMMENT, section="observation")
        logic.add_comment(round, by=cast.editor, body="A reply", parent=comment)
        logic.submit_recommendation(
            assignment, by=cast.bcn, recommendation="revise", summary=SECRET_SUMMARY
        )
    return round


def outsiders(cast):
    return [
        make_member("berlin-reviewer", make_city("Berlin"), "reviewer"),
        make_member("nice-reader", make_city("Nice")),  # same city, but no editor
        cast.rtm,  # invited, has not accepted
        cast.nice_reviewer,
    ]


def test_outsiders_cannot_read_the_round_on_the_site_or_the_api(busy_round, cast, as_user):
    from django.test import Client

    url = f"/reviews/rounds/{busy_round.pk}/"
    assert Client().get(url).status_code == 302  # to the login page
    for user in outsiders(cast):
        client = as_user(user)
        assert client.get(url).status_code == 404
        assert client.get(f"/api/v1/reviews/rounds/{busy_round.pk}").status_code == 404
        assert client.get("/api/v1/reviews/rounds").json() == []
        body = client.get("/reviews/").content.decode()
        assert SECRET_COMMENT not in body and SECRET_SUMMARY not in body
        posted = client.post(
            f"/api/v1/reviews/rounds/{busy_round.pk}/comments",
            {"body": "hi"},
            content_type="application/json",
        )
        assert posted.status_code == 404
    assert Client().get("/api/v1/reviews/rounds").status_code == 401


def test_those_involved_read_the_round(busy_round, cast, as_user):
    for user in (cast.bcn, cast.editor, cast.coordinator):
        page = as_user(user).get(f"/reviews/rounds/{busy_round.pk}/").content.decode()
        assert SECRET_COMMENT in page and SECRET_SUMMARY in page
    api = as_user(cast.bcn).get(f"/api/v1/reviews/rounds/{busy_round.pk}").json()
    assert api["comments"][0]["body"] == SECRET_COMMENT


def test_no_notification_or_email_carries_review_content(busy_round, cast):
    texts = [n.message for n in Notification.objects.all()]
    texts += [m.subject + m.body for m in mail.outbox]
    assert texts, "the round should have notified people"
    for text in texts:
        assert SECRET_COMMENT not in text and SECRET_SUMMARY not in text
    # The title of AMBER+STRICT material reaches only those who may read it: the author
    # city, the accepted reviewer and the coordinator in charge of the round.
    for n in Notification.objects.filter(message__contains="Hidden cordon lesson"):
        assert n.recipient in (cast.editor, cast.bcn, cast.coordinator)
    assert not Notification.objects.filter(
        recipient=cast.rtm, message__contains="Hidden cordon lesson"
    ).exists()


def test_reviewers_hear_of_replies_in_their_threads(busy_round, cast):
    assert Notification.objects.filter(recipient=cast.bcn, kind="review_reply").exists()
    assert Notification.objects.filter(recipient=cast.editor, kind="review_comment").exists()


def test_reviewer_reads_amber_strict_lesson_of_another_city_only_while_the_round_is_open(
    cast, as_user
):
    lesson = make_lesson(make_debrief(cast.nice, marking=Marking.AMBER_STRICT))
    round = make_review_round(lesson, cast.editor)
    reviewer = as_user(cast.bcn)
    assert reviewer.get(lesson.url).status_code == 404
    assignment = logic.invite(round, cast.bcn, by=cast.coordinator, confirm_widening=True)
    assert reviewer.get(lesson.url).status_code == 404  # invited is not enough
    reviewer.post(f"/reviews/assignments/{assignment.pk}/accept/")
    assert reviewer.get(lesson.url).status_code == 200
    assignment.refresh_from_db()
    logic.submit_recommendation(assignment, by=cast.bcn, recommendation="endorse", summary="ok")
    logic.decide(round, by=cast.coordinator, decision="endorse", rationale="Good")
    assert as_user(cast.bcn).get(lesson.url).status_code == 404


def test_red_material_stays_with_its_named_recipients_even_for_reviewers(cast, as_user):
    debrief = make_debrief(cast.nice, marking=Marking.RED, recipients=[cast.editor])
    lesson = make_lesson(debrief, recipients=[cast.editor])
    round = make_review_round(lesson, cast.editor)
    with pytest.raises(ValidationError, match="not named on this material"):
        make_accepted_review(round, cast.bcn, cast.coordinator)
    client = as_user(cast.bcn)
    assert client.get(lesson.url).status_code == 404
    assert client.get(f"/reviews/rounds/{round.pk}/").status_code == 404


def test_the_conflict_rule_is_overridden_only_with_a_logged_reason(cast):
    from django.core.exceptions import ValidationError
    from wagtail.models import PageLogEntry

    lesson = make_lesson(make_debrief(cast.nice), live=False)
    round = make_review_round(lesson, cast.editor)
    with pytest.raises(ValidationError):
        logic.invite(round, cast.nice_reviewer, by=cast.coordinator, confirm_widening=True)
    logic.invite(
        round,
        cast.nice_reviewer,
        by=cast.coordinator,
        override_reason="Only fire-service expert available",
        confirm_widening=True,
    )
    entry = PageLogEntry.objects.get(page=lesson, action="peer_review.conflict_override")
    assert entry.data["reason"] == "Only fire-service expert available"


def test_an_editor_of_the_author_city_not_named_on_red_material_stays_outside_its_round(
    cast, as_user
):
    named = make_member("nice-named-editor", cast.nice, "editor")
    debrief = make_debrief(cast.nice, marking=Marking.RED, recipients=[named])
    lesson = make_lesson(debrief, title="Red cordon lesson", recipients=[named])
    round = make_review_round(lesson, named)
    logic.add_comment(round, by=named, body="Context for the reviewers")
    outsider = as_user(cast.editor)  # a Nice editor, not named on the lesson
    assert outsider.get(f"/reviews/rounds/{round.pk}/").status_code == 404
    assert outsider.get("/api/v1/reviews/rounds").json() == []
    assert "Red cordon lesson" not in outsider.get("/reviews/").content.decode()
    with pytest.raises(PermissionDenied):
        logic.submit_for_review(make_lesson(debrief, recipients=[named]), by=cast.editor)
    insider = as_user(named).get(f"/reviews/rounds/{round.pk}/").content.decode()
    assert "Red cordon lesson" in insider and "Context for the reviewers" in insider
