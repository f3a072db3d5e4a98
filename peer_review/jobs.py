"""Reminders of the peer review (sent by kb.reminders from `manage.py tick`).

Before the due date: once, when it is DUE_SOON away. After: once, the day after it passed
(the coordinator hears of it too, to re-assign). The invitation's reply and the review
itself are two items owed, each with its own due date, so each is reminded on its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kb.periodic import periodic
from kb.reminders import Due, register_reminder, send_due

from . import notices
from .models import DUE_SOON, AssignmentState, ReviewAssignment

GROUP = "peer_review_reminders"


def _outstanding() -> Iterator[tuple[ReviewAssignment, datetime.date, str, str]]:
    """Each open assignment with its due date, a name of what is owed, and the ask."""
    open_reviews = ReviewAssignment.objects.open_reviews().select_related("round", "reviewer")
    for assignment in open_reviews:
        if assignment.state == AssignmentState.INVITED:
            due, what = assignment.response_due, _("reply to a peer review invitation")
        else:
            due, what = assignment.review_due, _("submit your peer review")
        yield assignment, due, f"assignment:{assignment.pk}:{assignment.state}", what


def _worded(template, **values) -> Callable[[object], str]:
    """The message, worded for each recipient in their language (kb.reminders calls it
    within in_language_of); a date is written in that language's format."""

    def word(recipient) -> str:
        shown = {
            key: date_format(value, "DATE_FORMAT") if isinstance(value, datetime.date) else value
            for key, value in values.items()
        }
        return str(template) % {key: str(value) for key, value in shown.items()}

    return word


def due_soon(today: datetime.date, now: datetime.datetime) -> Iterator[Due]:
    for assignment, due, item, what in _outstanding():
        if today <= due and due - DUE_SOON <= today:
            text = _worded(_("Reminder: please %(what)s by %(date)s."), what=what, date=due)
            yield Due(item, due, [assignment.reviewer], text, notices.workspace_url())


def overdue(today: datetime.date, now: datetime.datetime) -> Iterator[Due]:
    for assignment, due, item, what in _outstanding():
        if today > due:
            text = _worded(
                _("Overdue: please %(what)s (it was due on %(date)s)."), what=what, date=due
            )
            yield Due(item, due, [assignment.reviewer], text, notices.workspace_url())


def overdue_to_coordinator(today: datetime.date, now: datetime.datetime) -> Iterator[Due]:
    for assignment, due, item, _what in _outstanding():
        if today > due:
            text = _worded(
                _(
                    "A peer review assignment of %(reviewer)s is overdue (due %(date)s); "
                    "you may re-assign it."
                ),
                reviewer=str(assignment.reviewer),
                date=due,
            )
            coordinators = notices.coordinators(assignment.round)
            url = notices.round_url(assignment.round)
            yield Due(item, due, coordinators, text, url)


register_reminder("review_due_soon", due_soon, group=GROUP)
register_reminder("review_overdue", overdue, group=GROUP)
# Its own reminder, not a recipient of the one above: a coordinator who also reviews in the
# round hears both (the reviewer's ask and the coordinator's).
register_reminder(
    "review_overdue_coordinator", overdue_to_coordinator, group=GROUP, kind="review_overdue"
)


def send_reminders(today: datetime.date | None = None) -> int:
    return sum(send_due(GROUP, today).values())


@periodic(GROUP)
def peer_review_reminders() -> str:
    return f"{send_reminders()} peer review reminder(s) sent"
