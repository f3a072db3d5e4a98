"""The committee dashboard's figures, cached exactly.

Computing them reads every action of the scope (about 2 s at 200,000 actions); reading
them back takes milliseconds. An entry is keyed by everything the figures depend on:

- the data version (kb.dataversion: any write to actions, lessons, tags, cities ...);
- who is asking, as the access policy sees them (kb.access.viewer_for), and their scope;
- the filters and the date.

The stale and ageing figures also move with the clock. Each entry therefore records the
earliest instant at which an open action crosses one of their thresholds, and is not read
at or after it, nor before the instant it was computed for.
"""

from __future__ import annotations

import datetime
import hashlib

from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone, translation

from kb import access, dataversion

from . import dashboard as figures
from .models import OPEN_STATUSES, Action

TIMEOUT = 600  # seconds; exactness comes from the key, this only frees memory
# Ages (in days) at which an open action moves to another ageing bucket.
AGE_THRESHOLDS = sorted(
    {low for low, _h, _l in figures.AGE_BUCKETS}
    | {high + 1 for _l, high, _b in figures.AGE_BUCKETS if high is not None}
)


def _key(user, scope: figures.Scope, filters: dict, today: datetime.date) -> str:
    parts = (
        dataversion.current(),
        *access.viewer_key(user),
        scope.network_wide,
        sorted(city.pk for city in scope.cities),
        scope.city.pk if scope.city else None,
        sorted(filters.items()),
        today.isoformat(),
        translation.get_language(),  # the figures carry labels in the reader's language
    )
    return "kb:dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def valid_until(now: datetime.datetime) -> datetime.datetime:
    """The first instant after `now` at which time alone changes a stale or ageing figure
    (over every open action: an earlier end than the scope needs is only a cache miss)."""
    open_actions = Action.objects.filter(status__in=OPEN_STATUSES).order_by()
    stale_age = datetime.timedelta(days=figures.STALE_DAYS)
    ends = [now + datetime.timedelta(days=1)]
    soonest = open_actions.filter(last_update_at__gte=now - stale_age).aggregate(
        at=Min("last_update_at")
    )["at"]
    if soonest is not None:
        ends.append(soonest + stale_age)
    for days in AGE_THRESHOLDS:  # 0: an action dated in the future
        age = datetime.timedelta(days=days)
        soonest = open_actions.filter(created_at__gt=now - age).aggregate(at=Min("created_at"))
        if soonest["at"] is not None:
            ends.append(soonest["at"] + age)
    return min(ends)


def dashboard(user, scope: figures.Scope, filters: dict, today=None, now=None) -> dict:
    """figures.dashboard(), from the cache when an exact entry is there."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    key = _key(user, scope, filters, today)
    entry = cache.get(key)
    if entry is not None and entry["computed_at"] <= now < entry["valid_until"]:
        return entry["figures"]
    result = figures.dashboard(user, scope, filters, today=today, now=now)
    entry = {"figures": result, "computed_at": now, "valid_until": valid_until(now)}
    cache.set(key, entry, TIMEOUT)
    return result
