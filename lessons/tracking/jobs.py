"""The tracker's reminders (sent by kb.reminders): remind owners before the due date, then
escalate to the city's committee when an action is overdue or stale. Each is sent once per
action and due date (or last update) it is about."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kb.notifications import safe_title
from kb.periodic import periodic
from kb.reminders import Due, register_reminder, send_due

from . import rules
from .models import Action

GROUP = "action_reminders"
# Actions read at a time: at network scale tens of thousands are due at once (a first run
# after an outage), and a queryset would hold them all, with their lessons, in memory.
CHUNK = 500


def _due(action: Action, threshold: datetime.date, recipients, text, date) -> Due:
    """`text` a lazy sentence with %(date)s; worded for each recipient in their language
    (kb.reminders calls `message` within in_language_of)."""

    def message(recipient) -> str:
        title = safe_title(recipient, action.lesson, neutral=_("a lesson you follow"))
        return _("%(text)s (%(organisation)s, on %(title)s).") % {
            "text": str(text) % {"date": date_format(date, "SHORT_DATE_FORMAT")},
            "organisation": action.responsible_organisation.name,
            "title": title,
        }

    return Due(
        item=f"action:{action.pk}",
        threshold=threshold,
        recipients=recipients,
        message=message,
        url=f"/tracker/actions/{action.pk}/",
    )


def due_soon(today: datetime.date, now: datetime.datetime) -> Iterator[Due]:
    for action in Action.objects.with_context().due_soon(today).iterator(chunk_size=CHUNK):
        text = gettext_lazy("Action due on %(date)s")
        yield _due(action, action.due_date, rules.owners_of(action), text, action.due_date)


def overdue(today: datetime.date, now: datetime.datetime) -> Iterator[Due]:
    for action in Action.objects.with_context().overdue(today).iterator(chunk_size=CHUNK):
        text = gettext_lazy("Action overdue since %(date)s")
        recipients = [*rules.committee_members(action.city_id), *rules.owners_of(action)]
        yield _due(action, action.due_date, recipients, text, action.due_date)


def stale(today: datetime.date, now: datetime.datetime) -> Iterator[Due]:
    for action in Action.objects.with_context().stale(now).iterator(chunk_size=CHUNK):
        text = gettext_lazy("Action not updated since %(date)s")
        committee = rules.committee_members(action.city_id)
        last = action.last_update_at.date()
        yield _due(action, last, committee, text, last)


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
