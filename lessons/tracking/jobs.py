"""The tracker's reminders (sent by kb.reminders): remind owners before the due date, then
escalate to the city's committee when an action is overdue or stale. Each is sent once per
action and due date (or last update) it is about."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kb.notifications import safe_title
from kb.periodic import periodic
from kb.reminders import Due, register_reminder, send_due

from . import rules
from .models import Action

GROUP = "action_reminders"


def _due(action: Action, threshold: datetime.date, recipients, text: str) -> Due:
    def message(recipient) -> str:
        title = safe_title(recipient, action.lesson, neutral="a lesson you follow")
        return f"{text} ({action.responsible_organisation.name}, on {title})."

    return Due(
        item=f"action:{action.pk}",
        threshold=threshold,
        recipients=recipients,
        message=message,
        url=f"/tracker/actions/{action.pk}/",
    )


def due_soon(today: datetime.date, now: datetime.datetime) -> Iterator[Due]:
    for action in Action.objects.with_context().due_soon(today):
        text = f"Action due on {action.due_date:%d %b %Y}"
        yield _due(action, action.due_date, rules.owners_of(action), text)


def overdue(today: datetime.date, now: datetime.datetime) -> Iterator[Due]:
    for action in Action.objects.with_context().overdue(today):
        text = f"Action overdue since {action.due_date:%d %b %Y}"
        recipients = [*rules.committee_members(action.city_id), *rules.owners_of(action)]
        yield _due(action, action.due_date, recipients, text)


def stale(today: datetime.date, now: datetime.datetime) -> Iterator[Due]:
    for action in Action.objects.with_context().stale(now):
        text = f"Action not updated since {action.last_update_at:%d %b %Y}"
        committee = rules.committee_members(action.city_id)
        yield _due(action, action.last_update_at.date(), committee, text)


register_reminder("action_due_soon", due_soon, group=GROUP)
register_reminder("action_overdue", overdue, group=GROUP)
register_reminder("action_stale", stale, group=GROUP)


def run_reminders(
    today: datetime.date | None = None, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Send what is due today; returns how many notifications of each kind were sent."""
    counts = send_due(GROUP, today, now)
    return {name.removeprefix("action_"): n for name, n in counts.items()}


@periodic(GROUP)
def action_reminders() -> str:
    counts = run_reminders()
    return ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items())
