"""The committee dashboard's cached figures checked against a computation from scratch:
`manage.py dashboard_check`, and `tick` once a day.

The cache keeps each city's figures until a write names that city (kb.dataversion); a
write path that changed a city's figures without naming it would leave them wrong. The
check finds it: for every committee member whose figures are cached, it compares what
the dashboard would show with figures computed from scratch, reports each difference and
drops that member's cached figures.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from kb.models import Membership
from kb.periodic import periodic

from .dashboard import scope_for
from .dashboard_cache import drift, is_cached, shared


def check_all(today=None, now=None) -> list[tuple[str, list[str]]]:
    """(username, the figures that drifted) for each committee member whose cached
    figures differ from a computation from scratch."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    members = Membership.objects.active().filter(is_committee=True).values("user_id")
    users = get_user_model().objects.filter(pk__in=members).order_by("pk")
    found = []
    for user in users:
        scope = scope_for(user)
        if scope is None or not is_cached(user, {}, today):
            continue
        wrong = drift(user, scope, {}, today=today, now=now)
        if wrong:
            found.append((user.get_username(), wrong))
    return found


@periodic("dashboard_check")
def daily_check() -> str:
    """Once a day (tick runs every minute): the first run of the day checks."""
    today = timezone.localdate()
    if not shared.add(f"kb:dashboard-check:{today.isoformat()}", True, 2 * 24 * 3600):
        return "checked today"
    found = check_all(today=today)
    if not found:
        return "no drift"
    return "drift for " + "; ".join(f"{name}: {', '.join(wrong)}" for name, wrong in found)
