"""The rules on an action's own fields, in one place: its dates and its point of contact.

Each answers {field name: message}, so every caller names the field at fault: the model's
clean() (the site's form and the admin's), and lessons.tracking.logic when it creates an
action or stamps a date on a move (the site, the API, the CSV import and the demo).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kb.access import can_view
from kb.directory import current_membership
from kb.models import Membership


def date_problems(
    start: datetime.date | None,
    due: datetime.date | None,
    completion: datetime.date | None,
    *,
    new: bool,
    today: datetime.date,
) -> dict[str, str]:
    """A due date in the past on creation, a start after the due date, a completion before
    the start. (An existing action may fall overdue; that is what the tracker follows.)"""
    problems = {}
    if new and due and due < today:
        problems["due_date"] = _("Due date: %(due)s is in the past; choose today or later.") % {
            "due": date_format(due)
        }
    if start and due and start > due:
        problems["start_date"] = _("Start date: %(start)s is after the due date (%(due)s).") % {
            "start": date_format(start),
            "due": date_format(due),
        }
    if start and completion and completion < start:
        problems["completion_date"] = _(
            "Completion date: %(completion)s is before the start date (%(start)s)."
        ) % {"completion": date_format(completion), "start": date_format(start)}
    return problems


def may_be_contact(user, lesson) -> bool:
    """A current member of the network who may see the lesson (so the link in the e-mail
    they get opens): not another city's member the marking leaves out, not a logged-in
    non-member, not the platform administrator as such."""
    return bool(
        user is not None
        and user.is_active
        and current_membership(user) is not None
        and can_view(user, lesson)
    )


def contact_candidates(lesson) -> QuerySet:
    """Everyone who may be the point of contact of an action on this lesson."""
    members = Membership.objects.active().select_related("user")
    allowed = [m.user_id for m in members if may_be_contact(m.user, lesson)]
    return get_user_model().objects.filter(pk__in=allowed).order_by("username")


def contact_problems(contact, lesson) -> dict[str, str]:
    if contact is None or may_be_contact(contact, lesson):
        return {}
    return {
        "point_of_contact": _(
            "Point of contact: %(user)s may not see this action; choose a member who may."
        )
        % {"user": contact}
    }


def problems_of(action, *, new: bool, today: datetime.date) -> dict[str, str]:
    """Every rule above, on an action's values."""
    problems = date_problems(
        action.start_date, action.due_date, action.completion_date, new=new, today=today
    )
    if action.recommendation_id:
        problems.update(contact_problems(action.point_of_contact, action.lesson))
    return problems
