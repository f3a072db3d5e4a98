"""Reminders of the peer review, run by `manage.py tick`.

Each reminder carries a dedupe_key, so running tick twice (or every hour) sends it once.
Before the due date: once, when it is DUE_SOON away. After: once, the day after it passed
(the coordinator hears of it too, to re-assign).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from kb.notifications import notify
from kb.periodic import periodic

from . import notices
from .models import DUE_SOON, AssignmentState, ReviewAssignment


def send_reminders(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    outstanding = ReviewAssignment.objects.open_reviews().select_related("round", "reviewer")
    for assignment in outstanding:
        if assignment.state == AssignmentState.INVITED:
            due, what = assignment.response_due, "reply to a peer review invitation"
        else:
            due, what = assignment.review_due, "submit your peer review"
        key = f"peer_review:{assignment.pk}:{assignment.state}:{due.isoformat()}"
        if today > due:
            sent += notify(
                assignment.reviewer,
                "review_overdue",
                f"Overdue: please {what} (it was due on {due:%d %B %Y}).",
                notices.workspace_url(),
                dedupe_key=f"{key}:after",
            )
            for coordinator in notices.coordinators(assignment.round):
                sent += notify(
                    coordinator,
                    "review_overdue",
                    f"A peer review assignment of {assignment.reviewer} is overdue "
                    f"(due {due:%d %B %Y}); you may re-assign it.",
                    notices.round_url(assignment.round),
                    dedupe_key=f"{key}:after:coordinator:{assignment.pk}",
                )
        elif due - DUE_SOON <= today:
            sent += notify(
                assignment.reviewer,
                "review_due_soon",
                f"Reminder: please {what} by {due:%d %B %Y}.",
                notices.workspace_url(),
                dedupe_key=f"{key}:before",
            )
    return sent


@periodic("peer_review_reminders")
def peer_review_reminders() -> str:
    return f"{send_reminders()} peer review reminder(s) sent"
