"""The committee dashboard's figures, cached exactly, city by city.

Computing the network's figures reads every action (about 3 s at 200,000 actions); a
city's, a few hundred. The cache keeps one part per city (dashboard_parts) under a key
naming everything a part depends on besides the data:

- who is asking, as the access policy sees them (kb.access.viewer_for);
- the filters and the date.

Each part records the data version it was computed at (kb.dataversion). It is used while
no write since then named its city or named no city (`History.untouched`), so a write to
one city's action has the next render compute that city's part only, whatever the scope.
The stale and ageing figures also move with the clock: a part is not read at or after the
first instant one of its city's open actions crosses one of their thresholds, nor before
the instant it was computed for.

The parts live in this process's memory and in the "shared" cache (settings.CACHES: the
database, or Redis), where the periodic job (dashboard_warm) leaves the figures of the
committee members seen lately, computed ahead of them after a write that named no city and
on a new day. The shared cache holds lesson titles: it is guarded like the database.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from collections import OrderedDict

from django.core.cache import caches
from django.utils import timezone, translation

from kb import access, dataversion

from . import dashboard as figures
from .dashboard_parts import city_parts

TIMEOUT = 3600  # seconds; exactness comes from the versions, this only frees memory
# Parts kept in this process's memory besides Django's cache (about four network-wide
# viewers): a write's next render then unpickles and re-merges nothing it can reuse.
LOCAL_PARTS = 1200
_local: OrderedDict[str, dict] = OrderedDict()
_local_lock = threading.Lock()  # gunicorn's threads share this process's memory
shared = caches["shared"]


def _key(user, filters: dict, today: datetime.date) -> str:
    """The parts' key: the scope's city is not part of it (it only picks parts)."""
    filters = {name: value for name, value in filters.items() if name != "city"}
    parts = (
        *access.viewer_key(user),
        sorted(filters.items()),
        today.isoformat(),
    )
    return "kb:dashboard-parts:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _exact(entry: dict, city_id, history: dataversion.History, now) -> bool:
    return entry["computed_at"] <= now < entry["part"]["valid_until"] and history.untouched(
        entry["version"], city_id
    )


def _newer(version, than) -> bool:
    return than is None or (version is not None and version[0] > than[0])


def _load(key: str) -> dict:
    """The parts kept here, or the shared cache's when another process (the periodic job)
    kept newer ones: a small stamp says which, so the parts are unpickled only then."""
    with _local_lock:
        kept = _local.get(key)
    stamp = shared.get(key + ":version")
    if kept is None or _newer(stamp, kept.get("version")):
        found = shared.get(key)
        if found is None:
            return kept or {"parts": {}, "merged": {}}
        if kept is not None:  # a city computed here since then stays
            for city, entry in kept["parts"].items():
                if _newer(entry["version"], found["parts"].get(city, {}).get("version")):
                    found["parts"][city] = entry
        kept = {**found, "merged": {}}
    return kept


def _keep(key: str, kept: dict, shared_too: bool) -> None:
    """Into this process's memory (the least recently used out) and, when `shared_too`,
    into the shared cache for the other processes."""
    with _local_lock:
        _local.pop(key, None)
        _local[key] = kept
        while len(_local) > 1 and sum(len(k["parts"]) for k in _local.values()) > LOCAL_PARTS:
            _local.popitem(last=False)
    if shared_too:
        shared.set_many({key: {**kept, "merged": {}}, key + ":version": kept["version"]}, TIMEOUT)


def dashboard(
    user, scope: figures.Scope, filters: dict, today=None, now=None, share: bool = False
) -> dict:
    """figures.dashboard(), from the cached parts still exact and the others computed;
    `share`: keep them in the shared cache even when one city was computed (the periodic
    job, whose process ends)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    key = _key(user, filters, today)
    kept = _load(key)
    versions = [entry["version"] for entry in kept["parts"].values()]
    # Read before computing anything: a write made meanwhile is newer than the parts.
    history = dataversion.history(min(versions, default=None))
    cities = figures.scope_cities(scope)
    merged_key = (tuple(cities), translation.get_language())
    merged = kept["merged"].get(merged_key)
    if merged and merged["version"] == history.newest and merged["computed_at"] <= now:
        if now < merged["valid_until"]:
            return merged["figures"]
    parts = {
        city: entry for city, entry in kept["parts"].items() if _exact(entry, city, history, now)
    }
    missing = [city for city in cities if city not in parts]
    for city, part in city_parts(user, missing, filters, today, now).items() if missing else ():
        parts[city] = {"version": history.newest, "computed_at": now, "part": part}
    # The parts still exact are exact at the newest version too: stamped so, the history
    # read next time stays short.
    parts = {city: {**entry, "version": history.newest} for city, entry in parts.items()}
    result = figures.merge([parts[city]["part"] for city in cities], today)
    valid_until = min((parts[city]["part"]["valid_until"] for city in cities), default=now)
    merged = {"version": history.newest, "computed_at": now, "valid_until": valid_until}
    kept = {
        "version": history.newest,
        "parts": parts,
        "merged": {merged_key: {**merged, "figures": result}},
    }
    # One city computed again after a write: the other processes do the same (cheaply)
    # rather than this one pickling every city's part.
    _keep(key, kept, shared_too=len(missing) > 1 or (share and bool(missing)))
    return result


def is_cached(user, filters: dict, today: datetime.date) -> bool:
    key = _key(user, filters, today)
    return key in _local or shared.get(key) is not None


def forget(user, filters: dict, today: datetime.date) -> None:
    key = _key(user, filters, today)
    with _local_lock:
        _local.pop(key, None)
    shared.delete_many([key, key + ":version"])


def drift(user, scope: figures.Scope, filters: dict | None = None, today=None, now=None):
    """The names of the figures the cache would show `user` that differ from figures
    computed from scratch (empty: none). When any does, the user's cached parts are
    dropped, so the next render computes them again."""
    filters = filters or {}
    today = today or timezone.localdate()
    now = now or timezone.now()
    served = dashboard(user, scope, filters, today=today, now=now)
    fresh = figures.dashboard(user, scope, filters, today=today, now=now)
    wrong = sorted(name for name, value in fresh.items() if served.get(name) != value)
    if wrong:
        forget(user, filters, today)
    return wrong
