"""A comment that fails validation comes back with the text kept and a human reason."""

import datetime

import pytest

from kb.choices import Marking
from peer_review import logic
from tests.factories import make_accepted_review, make_debrief, make_lesson, make_review_round

pytestmark = pytest.mark.django_db
DATES = {"response_due": datetime.date(2099, 5, 1), "review_due": datetime.date(2099, 6, 1)}


@pytest.fixture
def round(cast):
    lesson = make_lesson(make_debrief(cast.nice), title="Radio talk groups")
    round = make_review_round(lesson, cast.editor)
    make_accepted_review(round, cast.bcn, cast.coordinator, **DATES)
    return round


def test_an_over_long_comment_is_refused_beside_its_box_with_the_text_kept(round, cast, as_user):
    typed = "Important remark." + " Important remark." * 1199  # 21,599 characters
    response = as_user(cast.bcn).post(
        f"/reviews/rounds/{round.pk}/comments/", {"section": "observation", "body": typed}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Your comment is 21599 characters long; the limit is 20000." in page
    assert "body:" not in page and "Ensure this value" not in page
    assert typed in page  # what the user typed is in the box, not lost
    box = page[page.index('id="c-observation"') :]
    assert box.index('aria-invalid="true"') < box.index(">")
    assert 'role="alert" id="comment-error"' in page


def test_an_empty_reply_comes_back_open_under_its_comment(round, cast, as_user):
    first = logic.add_comment(round, by=cast.bcn, body="First remark")
    response = as_user(cast.bcn).post(
        f"/reviews/rounds/{round.pk}/comments/", {"parent": first.pk, "body": "  "}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Write your comment before sending it." in page
    assert "<details open><summary>Reply</summary>" in page


def test_an_over_long_edit_keeps_the_new_text_and_the_old_comment(round, cast, as_user):
    first = logic.add_comment(round, by=cast.bcn, body="First remark")
    typed = "y" * 20_001
    response = as_user(cast.bcn).post(f"/reviews/comments/{first.pk}/edit/", {"body": typed})
    page = response.content.decode()
    assert response.status_code == 422
    assert "the limit is 20000" in page and typed in page
    first.refresh_from_db()
    assert first.body == "First remark"


def test_a_refusal_message_is_an_alert_and_a_confirmation_a_status(round, cast, as_user):
    client = as_user(cast.coordinator)
    client.post(f"/reviews/rounds/{round.pk}/decide/", {"decision": "", "rationale": ""})
    page = client.get(f"/reviews/rounds/{round.pk}/").content.decode()
    assert 'class="message message--error" role="alert"' in page
    assert "Choose a decision and give its rationale." in page


def test_a_recommendation_is_shown_once_more_and_sent_only_when_confirmed(round, cast, as_user):
    client = as_user(cast.bcn)
    assignment = round.assignments.get(reviewer=cast.bcn)
    url = f"/reviews/assignments/{assignment.pk}/recommend/"
    sent = {"recommendation": "revise", "summary": "Name the radio systems."}
    page = client.post(url, sent).content.decode()
    assignment.refresh_from_db()
    assert assignment.recommendation == "" or assignment.recommendation is None
    assert "Check your recommendation" in page and "Name the radio systems." in page
    assert 'name="confirm" value="yes"' in page
    client.post(url, {**sent, "confirm": "yes"})
    assignment.refresh_from_db()
    assert assignment.recommendation == "revise"


def test_the_round_page_and_the_invitation_give_the_due_dates_and_scope(round, cast, as_user):
    page = as_user(cast.bcn).get(f"/reviews/rounds/{round.pk}/").content.decode()
    assert "Your review is due" in page and "1 June 2099" in page
    logic.invite(round, cast.rtm, by=cast.coordinator, confirm_widening=True, **DATES)
    workspace = as_user(cast.rtm).get("/reviews/").content.decode()
    assert "Scope:" in workspace and "Observation, Discussion, Lesson identified" in workspace
    assert "Reply by 1 May 2099" in workspace


def test_an_invitation_shows_the_summary_only_where_the_marking_allows(cast, as_user):
    green = make_lesson(make_debrief(cast.nice), title="Open lesson")
    green.lesson_identified = "Share the talk group plan beforehand."
    green.save()
    strict = make_lesson(
        make_debrief(cast.nice, marking=Marking.AMBER_STRICT),
        title="Strict lesson",
        public_summary="A public abstract of the strict lesson.",
    )
    for lesson in (green, strict):
        logic.invite(
            make_review_round(lesson, cast.editor),
            cast.bcn,
            by=cast.coordinator,
            confirm_widening=True,
            **DATES,
        )
    workspace = as_user(cast.bcn).get("/reviews/").content.decode()
    assert "Share the talk group plan beforehand." in workspace
    assert "Public summary (TLP:CLEAR)" in workspace
    assert "A public abstract of the strict lesson." in workspace
