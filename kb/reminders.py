"""The reminder engine: for each item due, notify its people once per (reminder, item,
threshold).

A part registers each reminder it sends (`register_reminder`) with a function that lists
what is due on a day; its periodic job (kb.periodic) calls `send_due` for its group. The one
de-duplication rule: a recipient hears of a key "<reminder>:<item>:<threshold>" at most
once, the threshold being the date the reminder is about (a due date, the last update).
The key is stored with the notification (kb.notifications), so `manage.py tick` run twice,
or every hour, sends nothing twice, and a new due date or a fresh update is a new threshold,
reminded again when it comes due.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from kb.notifications import in_language_of, notify


@dataclass(frozen=True)
class Due:
    """One item a reminder is due about, and what its recipients are told."""

    item: str  # a stable name of what it is about, e.g. "action:12"
    threshold: datetime.date
    recipients: Iterable
    # The same words for all, or words for one recipient (naming only what they may see).
    message: str | Callable[[object], str]
    url: str


Finder = Callable[[datetime.date, datetime.datetime], Iterable[Due]]


@dataclass(frozen=True)
class Reminder:
    name: str  # unique: the first part of the key
    group: str  # the periodic job that sends it
    kind: str  # the notification's kind, which several reminders may share
    find: Finder


_reminders: dict[str, Reminder] = {}


def register_reminder(name: str, find: Finder, *, group: str, kind: str = "") -> Reminder:
    """Register a reminder; `find(today, now)` lists the items due. Registering the same
    name again replaces it (a module imported twice), from another group is an error: two
    reminders sharing a name would silence each other."""
    known = _reminders.get(name)
    if known is not None and known.group != group:
        raise ValueError(f"reminder {name!r} is already registered by {known.group!r}")
    _reminders[name] = Reminder(name=name, group=group, kind=kind or name, find=find)
    return _reminders[name]


def reminders(group: str) -> list[Reminder]:
    return [reminder for reminder in _reminders.values() if reminder.group == group]


def reminder_key(name: str, item: str, threshold: datetime.date) -> str:
    return f"{name}:{item}:{threshold:%Y-%m-%d}"


def send_due(
    group: str, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Send what the group's reminders find due; how many notifications each sent."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    counts = {}
    for reminder in reminders(group):
        sent = 0
        for due in reminder.find(today, now):
            key = reminder_key(reminder.name, due.item, due.threshold)
            seen = set()
            for recipient in due.recipients:
                if recipient.pk in seen:
                    continue
                seen.add(recipient.pk)
                with in_language_of(recipient):  # a message function words it for them
                    message = (
                        due.message if isinstance(due.message, str) else due.message(recipient)
                    )
                sent += notify(recipient, reminder.kind, message, due.url, dedupe_key=key)
        counts[reminder.name] = sent
    return counts
