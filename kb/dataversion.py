"""A version of the data, for exact caches.

Every save or delete of a tracked model, every change to one of its many-to-many lists,
and every bulk write that calls bump() adds a DataChange; current() names the newest. A
cache keyed by current() is therefore never read after the data it was computed from
changed: the committee dashboard's figures use it. Bulk writes (QuerySet.update,
bulk_create, raw SQL) send no signal, so the code doing them calls bump() itself.

The apps name the models their cached figures read with track(), in their
AppConfig.ready(). Nothing else gets a receiver: bookkeeping written often (sessions, the
search outbox, log entries, revisions, review comments) adds no DataChange and keeps
Django's fast delete, which any post_delete receiver on a model turns off.

A write that can only change one city's figures (an action, a lesson, its themes) names
that city (`track(..., city_of=...)`, `bump(city_id)`), so a cache holding figures per city
keeps the other cities' (`history()`); a write that can change several names each
(a vocabulary term: the cities of the lessons tagged with it; a page moved: the cities it
leaves and joins); a write to the directory (a person, a membership, an organisation)
changes no city's (NO_CITY); any other write (a bulk write) names none and changes every
city's.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from kb.models import DataChange

KEEP = 1000  # rows kept when pruning: only the newest one is ever read

NO_CITY = 0  # a write that changes no city's figures (names, people: read afresh)
MANY_CITIES = 50  # a write naming more cities than this is recorded as naming none
_tracked: set[type[Model]] = set()
# For a tracked model whose rows belong to one city: that city's id (None: unknown).
_city_of: dict[type[Model], Callable[[Model], int | None]] = {}


def current() -> str:
    newest = DataChange.objects.order_by("-pk").values_list("pk", "token").first()
    return f"{newest[0]}-{newest[1]}" if newest else "0"


def bump(city_id: int | None = None) -> None:
    """A write happened; `city_id`: the only city whose figures it may change (None: any
    city's; NO_CITY: none)."""
    change = DataChange.objects.create(token=secrets.token_hex(8), city_id=city_id)
    if change.pk % KEEP == 0:
        DataChange.objects.filter(pk__lte=change.pk - KEEP).delete()


Version = tuple[int, str]  # a DataChange's pk and token; (0, "") before the first


@dataclass(frozen=True)
class History:
    """The writes since a version: which versions are still exact for which city."""

    newest: Version
    tokens: dict[int, str]  # the rows from the oldest version asked about
    latest_any: int  # the newest write that named no city
    latest_by_city: dict[int, int]

    def untouched(self, version: Version, city_id: int | None) -> bool:
        """No write since `version` may have changed `city_id`'s figures (a version whose
        row was pruned or rolled back is never vouched for)."""
        pk, token = version
        if version != self.newest and self.tokens.get(pk) != token:
            return False
        latest = max(self.latest_any, self.latest_by_city.get(city_id, 0) if city_id else 0)
        return pk >= latest


def history(since: Version | None = None) -> History:
    """The writes after `since` (None: only the newest version), in one query."""
    rows = DataChange.objects.order_by("pk").values_list("pk", "token", "city_id")
    after = list(rows.filter(pk__gte=since[0])) if since else []
    rows = after or list(rows.reverse()[:1])
    newest = (rows[-1][0], rows[-1][1]) if rows else (0, "")
    latest_any, latest_by_city = 0, {}
    for pk, _token, city_id in rows:
        if city_id is None:
            latest_any = pk
        elif city_id != NO_CITY:
            latest_by_city[city_id] = pk
    tokens = {pk: token for pk, token, _city in rows}
    return History(newest, tokens, latest_any, latest_by_city)


def _city_of_row(model: type[Model], instance: Model) -> int | None | Collection:
    locate = _city_of.get(model)
    if locate is None:
        return None
    try:
        return locate(instance)
    except ObjectDoesNotExist:  # e.g. deleted with its lesson: every city, to be safe
        return None


def bump_cities(city_ids: int | None | Collection) -> None:
    """bump() for one city, or for each of several (none: NO_CITY); past MANY_CITIES, once
    for every city."""
    if city_ids is None or isinstance(city_ids, int):
        bump(city_ids)
        return
    city_ids = set(city_ids)
    if None in city_ids or len(city_ids) > MANY_CITIES:
        bump()
        return
    for city_id in sorted(city_ids) or [NO_CITY]:
        bump(city_id)


def _on_write(sender, instance=None, raw=False, update_fields=None, **kwargs) -> None:
    if raw:
        return  # loaddata; migrate bumps once at the end
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login
    bump_cities(_city_of_row(sender, instance))


def _on_m2m(sender, action: str, instance=None, reverse=False, **kwargs) -> None:
    if action.startswith("post_"):
        # A lesson's list changed (not a city's or a person's list of lessons).
        bump_cities(None if reverse else _city_of_row(type(instance), instance))


def _after_migrate(sender, **kwargs) -> None:
    if sender.name == "kb":
        bump()


def track(
    *models: type[Model], city_of: Callable[[Model], int | None | Collection] | None = None
) -> None:
    """A write to any of these models (or to their many-to-many lists) changes the data
    version; `city_of(row)`: the city (or the cities) whose figures a write to the row may
    change. Call from AppConfig.ready(); a later call names the cities of models an earlier
    app tracked."""
    for model in models:
        if city_of is not None:
            _city_of[model] = city_of
        uid = f"kb.dataversion.{model._meta.label_lower}"
        post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}.delete")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _on_m2m, sender=through, dispatch_uid=f"{uid}.{through._meta.label_lower}"
            )
        _tracked.add(model)


def tracked() -> frozenset[type[Model]]:
    return frozenset(_tracked)


def connect() -> None:
    post_migrate.connect(_after_migrate, dispatch_uid="kb.dataversion.migrate")
