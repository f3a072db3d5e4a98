"""Reminders of the peer review (sent by kb.reminders from `manage.py tick`).

Before the due date: once, when it is DUE_SOON away. After: once, the day after it passed
(the coordinator hears of it too, to re-assign). The invitation's reply and the review
itself are two items owed, each with its own due date, so each is reminded on its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

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
            due, what = assignment.response_due, "reply to a peer review invitation"
        else:
            due, what = assignment.review_due, "submit your peer review"
        yield assignment, due, f"assignment:{assignment.pk}:{assignment.state}", what


def due_soon(today: datetime.date, now: datetime.datetime) -> Iterator[Due]:
    for assignment, due, item, what in _outstanding():
        if today <= due and due - DUE_SOON <= today:
            text = f"Reminder: please {what} by {due:%d %B %Y}."
            yield Due(item, due, [assignment.reviewer], text, notices.workspace_url())


def overdue(today: datetime.date, now: datetime.datetime) -> Iterator[Due]:
    for assignment, due, item, what in _outstanding():
        if today > due:
            text = f"Overdue: please {what} (it was due on {due:%d %B %Y})."
            yield Due(item, due, [assignment.reviewer], text, notices.workspace_url())


def overdue_to_coordinator(today: datetime.date, now: datetime.datetime) -> Iterator[Due]:
    for assignment, due, item, _ in _outstanding():
        if today > due:
            text = (
                f"A peer review assignment of {assignment.reviewer} is overdue "
                f"(due {due:%d %B %Y}); you may re-assign it."
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
