"""Reminders and escalations: each sent exactly once, with a frozen clock."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from kb.models import Notification
from lessons.tracking.jobs import run_reminders
from tests.factories import make_action
from tests.lessons.tracking_world import build_world

pytestmark = pytest.mark.django_db
# After the memberships start (they start on the real today).
TODAY = datetime.date(2030, 3, 1)
NOW = datetime.datetime(2030, 3, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world():
    return build_world()


def _freeze(monkeypatch, now):
    monkeypatch.setattr(timezone, "now", lambda: now)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: now.date())


def test_due_soon_reminds_owners_once(world):
    world.action.due_date = TODAY + datetime.timedelta(days=10)
    world.action.last_update_at = NOW
    world.action.save()
    assert run_reminders(TODAY, NOW)["due_soon"] == 1  # the owner (also point of contact)
    assert run_reminders(TODAY, NOW) == {"due_soon": 0, "overdue": 0, "stale": 0}
    assert Notification.objects.filter(recipient=world.owner, kind="action_due_soon").count() == 1


def test_overdue_escalates_to_the_city_committee_once(world):
    world.action.due_date = TODAY - datetime.timedelta(days=1)
    world.action.last_update_at = NOW
    world.action.save()
    run_reminders(TODAY, NOW)
    run_reminders(TODAY + datetime.timedelta(days=1), NOW)
    assert (
        Notification.objects.filter(recipient=world.committee, kind="action_overdue").count() == 1
    )
    assert not Notification.objects.filter(recipient=world.berlin_committee).exists()


def test_stale_escalates_once_and_never_for_finished_actions(world):
    old = NOW - datetime.timedelta(days=61)
    world.action.last_update_at = old
    world.action.save()
    make_action(world.lesson, world.fire, status="validated", last_update_at=old)
    assert run_reminders(TODAY, NOW)["stale"] == 1
    assert run_reminders(TODAY, NOW)["stale"] == 0
    assert Notification.objects.filter(kind="action_stale").count() == 1


def test_tick_command_with_frozen_clock_sends_exactly_once(world, monkeypatch):
    _freeze(monkeypatch, NOW)
    world.action.due_date = TODAY - datetime.timedelta(days=3)
    world.action.last_update_at = NOW - datetime.timedelta(days=90)
    world.action.save()
    call_command("tick", stdout=open("/dev/null", "w"))
    first = Notification.objects.count()
    call_command("tick", stdout=open("/dev/null", "w"))
    assert Notification.objects.count() == first
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"action_overdue", "action_stale"} <= kinds
    assert Notification.objects.filter(recipient=world.committee, kind="action_stale").count() == 1


def test_reminder_never_names_a_lesson_the_recipient_may_not_see(world):
    action = make_action(world.secret_lesson, world.fire, due_date=TODAY, last_update_at=NOW)
    action.point_of_contact = world.berlin_committee  # an odd contact from another city
    action.save()
    run_reminders(TODAY, NOW)
    message = Notification.objects.get(recipient=world.berlin_committee).message
    assert "Secret strict lesson title" not in message
