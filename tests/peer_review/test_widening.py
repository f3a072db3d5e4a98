"""Inviting a reviewer whom the material's marking leaves out: said before sending, with the
marking named; confirmed, logged and told to the author city; TLP:RED never opened."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.log_actions import registry
from wagtail.models import PageLogEntry

from kb.choices import Marking
from kb.directory import set_preferred_language
from kb.models.notifications import Notification
from peer_review import logic
from peer_review.models import ReviewAssignment
from tests.factories import (
    make_accepted_review,
    make_city,
    make_debrief,
    make_lesson,
    make_member,
    make_review_round,
)

pytestmark = pytest.mark.django_db

FUTURE = {"response_due": "2099-01-10", "review_due": "2099-02-10"}


@pytest.fixture
def brussels_reviewer(cast):
    return make_member("brussels-reviewer", make_city("Brussels"), "reviewer")


@pytest.fixture
def amber_round(cast):
    """A TLP:AMBER lesson of Nice shared only with Barcelona, under review."""
    debrief = make_debrief(cast.nice, marking=Marking.AMBER, shared_with=[cast.barcelona])
    lesson = make_lesson(
        debrief, title="Shared cordon lesson", shared_with=[cast.barcelona], observation="Detail"
    )
    return make_review_round(lesson, cast.editor)


@pytest.fixture
def strict_round(cast):
    debrief = make_debrief(cast.nice, marking=Marking.AMBER_STRICT)
    lesson = make_lesson(debrief, title="Strict cordon lesson", observation="Strict detail")
    return make_review_round(lesson, cast.editor)


def _row(page: str, reviewer: str) -> str:
    """The candidate table's row of this reviewer."""
    rows = page.split("<tr>")
    return next(row for row in rows if f">{reviewer}<" in row.split("</td>")[0] + "<")


def _post_invite(client, round, reviewer, **extra):
    data = {
        "reviewer": reviewer.memberships.get().pk,
        **FUTURE,
        "next": f"/reviews/rounds/{round.pk}/",
    }
    return client.post(f"/reviews/rounds/{round.pk}/invite/", {**data, **extra}, follow=True)


def test_the_invite_form_says_before_sending_who_the_marking_leaves_out(
    amber_round, cast, brussels_reviewer, as_user
):
    page = as_user(cast.coordinator).get(f"/reviews/rounds/{amber_round.pk}/").content.decode()
    row = _row(page, "brussels-reviewer")
    assert "Cannot read it under TLP:AMBER, shared with Barcelona only" in row
    bcn_row = _row(page, "bcn-reviewer")
    assert "Reads it under its marking" in bcn_row
    assert 'name="confirm_widening"' in page
    assert "I confirm: open this TLP:AMBER, shared with Barcelona only material" in page


def test_an_unconfirmed_widening_invitation_is_refused_with_the_field_named(
    amber_round, cast, brussels_reviewer, as_user
):
    coordinator = as_user(cast.coordinator)
    page = _post_invite(coordinator, amber_round, brussels_reviewer).content.decode()
    assert "Open the material to a reviewer its marking leaves out:" in page
    assert "(TLP:AMBER, shared with Barcelona only)" in page
    assert not ReviewAssignment.objects.filter(reviewer=brussels_reviewer).exists()
    assert not PageLogEntry.objects.filter(action="peer_review.access_widened").exists()
    assert as_user(brussels_reviewer).get(amber_round.material.url).status_code == 404


@pytest.mark.parametrize("which", ["amber", "strict"])
def test_a_confirmed_widening_is_logged_and_told_to_the_author_city_editors(
    which, amber_round, strict_round, cast, brussels_reviewer, as_user
):
    round, reviewer, marking = {
        "amber": (amber_round, brussels_reviewer, "TLP:AMBER, shared with Barcelona only"),
        "strict": (strict_round, cast.bcn, "TLP:AMBER+STRICT, Nice only"),
    }[which]
    coordinator = as_user(cast.coordinator)
    page = _post_invite(coordinator, round, reviewer, confirm_widening="on").content.decode()
    assert f"{reviewer} is invited." in page
    entry = PageLogEntry.objects.get(action="peer_review.access_widened", page=round.material)
    assert entry.user == cast.coordinator
    assert entry.data["reviewer"] == reviewer.username and entry.data["marking"] == marking
    notice = Notification.objects.get(recipient=cast.editor, kind="review_access_widened")
    assert marking in notice.message and reviewer.username in notice.message
    reader = as_user(reviewer)
    assert reader.get(round.material.url).status_code == 404  # invited is not enough
    logic.accept(ReviewAssignment.objects.get(reviewer=reviewer), by=reviewer)
    assert reader.get(round.material.url).status_code == 200


def test_the_audit_log_action_is_registered_with_wagtail():
    assert "access widened" in str(registry.get_action_label("peer_review.access_widened"))


def test_inviting_someone_the_marking_admits_asks_for_no_confirmation(amber_round, cast, as_user):
    page = _post_invite(as_user(cast.coordinator), amber_round, cast.bcn).content.decode()
    assert "bcn-reviewer is invited." in page
    assert not PageLogEntry.objects.filter(action="peer_review.access_widened").exists()
    assert not Notification.objects.filter(kind="review_access_widened").exists()


def test_red_material_is_never_opened_to_a_reviewer_it_does_not_name(cast, as_user):
    debrief = make_debrief(cast.nice, marking=Marking.RED, recipients=[cast.editor, cast.rtm])
    lesson = make_lesson(debrief, recipients=[cast.editor, cast.rtm], title="Red cordon lesson")
    round = make_review_round(lesson, cast.editor)
    coordinator = as_user(cast.coordinator)
    form = coordinator.get(f"/reviews/rounds/{round.pk}/").content.decode()
    bcn_row = _row(form, "bcn-reviewer")
    assert "Not named on this TLP:RED material: cannot be invited" in bcn_row
    assert 'name="reviewer"' not in bcn_row
    assert 'name="reviewer"' in _row(form, "rtm-reviewer")
    page = _post_invite(coordinator, round, cast.bcn, confirm_widening="on").content.decode()
    assert "Reviewer: bcn-reviewer is not named on this material" in page
    assert not ReviewAssignment.objects.filter(reviewer=cast.bcn).exists()
    make_accepted_review(round, cast.rtm, cast.coordinator)  # a named recipient may review


def test_the_logic_refuses_an_unconfirmed_widening_whatever_the_channel(strict_round, cast):
    with pytest.raises(ValidationError) as refused:
        logic.invite(strict_round, cast.bcn, by=cast.coordinator)
    assert "confirm_widening" in refused.value.message_dict
    with pytest.raises(ValidationError):
        make_accepted_review(strict_round, cast.bcn, cast.coordinator, confirm_widening=False)


def test_a_reply_by_date_in_the_past_is_refused_with_the_field_named(amber_round, cast, as_user):
    page = _post_invite(
        as_user(cast.coordinator), amber_round, cast.bcn, response_due="2020-01-01"
    ).content.decode()
    assert "Reply to the invitation by: The reply-by date is in the past" in page
    assert not ReviewAssignment.objects.exists()
    with pytest.raises(ValidationError) as refused:
        logic.invite(
            amber_round,
            cast.bcn,
            by=cast.coordinator,
            response_due=datetime.date.today() - datetime.timedelta(days=1),
        )
    assert "response_due" in refused.value.message_dict


def test_the_widening_notice_is_worded_in_each_editors_language_not_the_coordinators(
    strict_round, cast, as_user
):
    """Found walking the demo: Nice's editors read this notice in English on a French page."""
    set_preferred_language(cast.editor, "fr")
    set_preferred_language(cast.coordinator, "en")
    _post_invite(as_user(cast.coordinator), strict_round, cast.bcn, confirm_widening="on")
    notice = Notification.objects.get(recipient=cast.editor, kind="review_access_widened")
    assert "a invité bcn-reviewer à évaluer « Strict cordon lesson »" in notice.message
    assert "TLP:AMBER+STRICT, Nice uniquement" in notice.message
    page = as_user(cast.editor).get("/notifications/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "a invité bcn-reviewer" in page and "which they could not read" not in page
