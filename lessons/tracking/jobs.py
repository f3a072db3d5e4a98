"""The tracker's periodic job: remind owners before the due date, then escalate to the
city's committee when an action is overdue or stale. Each message is sent exactly once
(its dedupe key names the action, the kind and the due date or last update it is about)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kb.notifications import notify, safe_title
from kb.periodic import periodic

from . import rules
from .models import Action


def _send(recipients, action: Action, kind: str, text: str, key: str) -> int:
    sent = 0
    for recipient in recipients:
        title = safe_title(recipient, action.lesson, neutral="a lesson you follow")
        message = f"{text} ({action.responsible_organisation.name}, on {title})."
        url = f"/tracker/actions/{action.pk}/"
        sent += notify(recipient, kind, message, url=url, dedupe_key=key)
    return sent


def run_reminders(
    today: datetime.date | None = None, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Send what is due today; returns how many notifications of each kind were sent."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    counts = {"due_soon": 0, "overdue": 0, "stale": 0}
    actions = Action.objects.with_context()
    for action in actions.due_soon(today):
        key = f"action:{action.pk}:due-soon:{action.due_date:%Y-%m-%d}"
        text = f"Action due on {action.due_date:%d %b %Y}"
        counts["due_soon"] += _send(rules.owners_of(action), action, "action_due_soon", text, key)
    for action in actions.overdue(today):
        key = f"action:{action.pk}:overdue:{action.due_date:%Y-%m-%d}"
        text = f"Action overdue since {action.due_date:%d %b %Y}"
        recipients = rules.committee_members(action.city_id)
        counts["overdue"] += _send(recipients, action, "action_overdue", text, key)
        counts["overdue"] += _send(rules.owners_of(action), action, "action_overdue", text, key)
    for action in actions.stale(now):
        key = f"action:{action.pk}:stale:{action.last_update_at:%Y-%m-%d}"
        text = f"Action not updated since {action.last_update_at:%d %b %Y}"
        recipients = rules.committee_members(action.city_id)
        counts["stale"] += _send(recipients, action, "action_stale", text, key)
    return counts


@periodic("action_reminders")
def action_reminders() -> str:
    counts = run_reminders()
    return ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items())
