"""The reminder engine (kb.reminders): each recipient hears of a (reminder, item, threshold)
once, however often tick runs; a new threshold is a new reminder."""

import datetime
import importlib

import pytest
from django.apps import apps

from kb import reminders
from kb.models import Notification
from kb.reminders import Due, register_reminder, reminder_key, send_due
from tests.factories import make_city, make_member

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2030, 3, 1)
NOW = datetime.datetime(2030, 3, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def registry(monkeypatch):
    # The apps' own reminders stay registered outside this module's fresh registry.
    monkeypatch.setattr(reminders, "_reminders", {})


@pytest.fixture
def people():
    nice = make_city("Nice")
    return make_member("nice-owner", nice, "owner"), make_member(
        "nice-committee", nice, "committee"
    )


def test_a_reminder_goes_once_to_each_recipient_however_often_it_runs(people):
    owner, committee = people
    due = Due("thing:1", TODAY, [owner, committee, owner], "Thing due", "/things/1/")
    register_reminder("thing_due", lambda today, now: [due], group="things")
    assert send_due("things", TODAY, NOW) == {"thing_due": 2}
    assert send_due("things", TODAY, NOW) == {"thing_due": 0}
    notification = Notification.objects.get(recipient=owner)
    assert (notification.kind, notification.message, notification.url) == (
        "thing_due",
        "Thing due",
        "/things/1/",
    )
    assert notification.dedupe_key == "thing_due:thing:1:2030-03-01"


def test_a_new_threshold_is_reminded_again(people):
    owner, _ = people
    threshold = {"day": TODAY}

    def find(today, now):
        return [Due("thing:1", threshold["day"], [owner], "Thing due", "")]

    register_reminder("thing_due", find, group="things")
    send_due("things", TODAY, NOW)
    threshold["day"] = TODAY + datetime.timedelta(days=30)  # the due date moved
    assert send_due("things", TODAY, NOW) == {"thing_due": 1}


def test_each_recipient_may_be_told_in_their_own_words(people):
    owner, committee = people
    due = Due("thing:1", TODAY, [owner, committee], lambda user: f"For {user.username}", "")
    register_reminder("thing_due", lambda today, now: [due], group="things", kind="thing")
    send_due("things", TODAY, NOW)
    assert set(Notification.objects.filter(kind="thing").values_list("message", flat=True)) == {
        "For nice-owner",
        "For nice-committee",
    }


def test_two_reminders_on_the_same_item_are_two_keys(people):
    owner, _ = people
    due = Due("thing:1", TODAY, [owner], "Thing", "")
    register_reminder("thing_due", lambda today, now: [due], group="things", kind="thing")
    register_reminder("thing_late", lambda today, now: [due], group="things", kind="thing")
    assert send_due("things", TODAY, NOW) == {"thing_due": 1, "thing_late": 1}


def test_a_name_registered_by_another_group_is_refused():
    register_reminder("thing_due", lambda today, now: [], group="things")
    register_reminder("thing_due", lambda today, now: [], group="things")  # a re-import
    with pytest.raises(ValueError):
        register_reminder("thing_due", lambda today, now: [], group="other things")


def test_reminders_sent_under_the_old_keys_count_as_sent(people):
    owner, committee = people
    old_keys = {
        "action:7:due-soon:2030-03-10": reminder_key(
            "action_due_soon", "action:7", datetime.date(2030, 3, 10)
        ),
        "action:7:stale:2029-12-01": reminder_key(
            "action_stale", "action:7", datetime.date(2029, 12, 1)
        ),
        "peer_review:5:invited:2030-03-10:before": reminder_key(
            "review_due_soon", "assignment:5:invited", datetime.date(2030, 3, 10)
        ),
        "peer_review:5:accepted:2030-03-10:after": reminder_key(
            "review_overdue", "assignment:5:accepted", datetime.date(2030, 3, 10)
        ),
        "peer_review:5:invited:2030-03-10:after:coordinator:5": reminder_key(
            "review_overdue_coordinator", "assignment:5:invited", datetime.date(2030, 3, 10)
        ),
    }
    for old in old_keys:
        Notification.objects.create(recipient=owner, kind="k", message="m", dedupe_key=old)
    Notification.objects.create(recipient=committee, kind="k", message="m", dedupe_key="r:1")
    migration = importlib.import_module("kb.migrations.0006_one_reminder_key")
    migration.one_reminder_key(apps, None)
    keys = set(Notification.objects.values_list("dedupe_key", flat=True))
    assert keys == set(old_keys.values()) | {"r:1"}
