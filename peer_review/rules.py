"""What every transition of the peer review shares: who may make it, the refusal that names
its rule, and the audit-log entry written against the page under review (so it shows in the
page's history)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from wagtail.log_actions import log

from . import access
from .models import ReviewAssignment, ReviewRound


def log_step(round: ReviewRound, action: str, user, **data) -> None:
    log(instance=round.material, action=action, user=user, data={"round": round.number, **data})


class Refused(PermissionDenied):
    """A rule of the peer review refused the change; `rule` names it (the API returns it)."""

    def __init__(self, message: str, rule: str):
        super().__init__(message)
        self.rule = rule


def require(condition: bool, message: str, rule: str) -> None:
    if not condition:
        raise Refused(message, rule)


def is_coordinator(user, _item=None) -> bool:
    """A review coordinator (any: rounds are coordinated network-wide)."""
    return access.is_coordinator(user)


def is_the_reviewer(user, assignment: ReviewAssignment) -> bool:
    """The reviewer the assignment names, and only them."""
    return user.pk == assignment.reviewer_id
