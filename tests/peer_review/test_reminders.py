"""Reminders go out once, at the right time, from `manage.py tick` (frozen clock)."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kb.models import Notification
from peer_review import logic
from tests.factories import make_debrief, make_lesson, make_review_round

pytestmark = pytest.mark.django_db

RESPONSE_DUE = datetime.date(2030, 3, 10)
REVIEW_DUE = datetime.date(2030, 4, 10)


def tick_on(day: datetime.date, capture) -> None:
    frozen = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
    with mock.patch.object(timezone, "now", return_value=frozen), capture(execute=True):
        call_command("tick", stdout=open("/dev/null", "w"))  # noqa: SIM115


def reminders(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind).count()


@pytest.fixture
def invitation(cast):
    lesson = make_lesson(make_debrief(cast.nice), live=False)
    round = make_review_round(lesson, cast.editor)
    return logic.invite(
        round,
        cast.bcn,
        by=cast.coordinator,
        response_due=RESPONSE_DUE,
        review_due=REVIEW_DUE,
        confirm_widening=True,
    )


def test_invitation_reminders_go_out_once_before_and_once_after_the_due_date(
    invitation, cast, django_capture_on_commit_callbacks
):
    day = datetime.timedelta(days=1)
    tick_on(RESPONSE_DUE - 3 * day, django_capture_on_commit_callbacks)
    assert reminders(cast.bcn, "review_due_soon") == 0
    mail.outbox.clear()
    tick_on(RESPONSE_DUE - 2 * day, django_capture_on_commit_callbacks)
    tick_on(RESPONSE_DUE - 2 * day, django_capture_on_commit_callbacks)
    tick_on(RESPONSE_DUE, django_capture_on_commit_callbacks)
    assert reminders(cast.bcn, "review_due_soon") == 1
    assert [m.to for m in mail.outbox] == [[cast.bcn.email]]
    assert reminders(cast.bcn, "review_overdue") == 0
    tick_on(RESPONSE_DUE + day, django_capture_on_commit_callbacks)
    tick_on(RESPONSE_DUE + 5 * day, django_capture_on_commit_callbacks)
    assert reminders(cast.bcn, "review_overdue") == 1
    assert reminders(cast.coordinator, "review_overdue") == 1
    invitation.refresh_from_db()
    assert invitation.status_on(RESPONSE_DUE + day) == "overdue"


def test_after_acceptance_the_review_due_date_is_reminded_and_answered_ones_are_quiet(
    invitation, cast, django_capture_on_commit_callbacks
):
    logic.accept(invitation, by=cast.bcn)
    tick_on(RESPONSE_DUE + datetime.timedelta(days=3), django_capture_on_commit_callbacks)
    assert reminders(cast.bcn, "review_overdue") == 0  # the invitation was answered
    tick_on(REVIEW_DUE - datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert reminders(cast.bcn, "review_due_soon") == 1
    invitation.refresh_from_db()
    logic.submit_recommendation(invitation, by=cast.bcn, recommendation="endorse", summary="ok")
    tick_on(REVIEW_DUE + datetime.timedelta(days=2), django_capture_on_commit_callbacks)
    assert reminders(cast.bcn, "review_overdue") == 0
