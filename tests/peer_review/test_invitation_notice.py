"""The invitation notice names the material on the site to a reader who may see its title."""

import datetime

import pytest
from django.core import mail

from kb.choices import Marking
from kb.models import Notification
from peer_review import logic
from tests.factories import make_debrief, make_lesson, make_review_round

pytestmark = pytest.mark.django_db
DATES = {"response_due": datetime.date(2099, 5, 1), "review_due": datetime.date(2099, 6, 1)}


def _invite(cast, marking):
    lesson = make_lesson(make_debrief(cast.nice, marking=marking), title="Radio talk groups")
    round = make_review_round(lesson, cast.editor)
    return logic.invite(round, cast.bcn, by=cast.coordinator, confirm_widening=True, **DATES)


def test_a_green_invitation_names_the_lesson_on_the_site_but_not_in_the_email(
    cast, as_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = _invite(cast, Marking.GREEN)
    page = as_user(cast.bcn).get("/notifications/").content.decode()
    assert "You are invited to peer-review “Radio talk groups”; please reply by 1 May 2099." in page
    notice = Notification.objects.get(recipient=cast.bcn, kind="review_invitation")
    assert notice.url == f"/reviews/#assignment-{assignment.pk}"
    to_reviewer = [m for m in mail.outbox if m.to == [cast.bcn.email]]
    assert to_reviewer and all("Radio talk groups" not in m.body for m in to_reviewer)


def test_a_strict_invitation_keeps_the_title_from_a_reviewer_who_may_not_see_it(cast, as_user):
    _invite(cast, Marking.AMBER_STRICT)
    page = as_user(cast.bcn).get("/notifications/").content.decode()
    assert "Radio talk groups" not in page
    assert "You are invited to peer-review “A TLP:AMBER+STRICT lesson of Nice”" in page
