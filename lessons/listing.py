"""`/lessons/` at network scale: the count of visible lessons is computed once per data
version, viewer and filters (not on every page), and a page reached by its "next" link
starts after the last lesson of the page before (keyset) instead of skipping rows with
OFFSET. URLs keep `?page=N`: a page whose predecessor's end is not known yet (a link
typed by hand, a jump) falls back to OFFSET and records its own end for the next one.

Entries are keyed by the viewer as the access policy sees them (kb.access.viewer_key) and
the filters; the count also by the data version (kb.dataversion), so a write gives a fresh
count. The end of a page is a position in the order, not a row, and stays right after a
write: a lesson published or deleted while a member pages through neither repeats nor
hides another. Entries hold no title, only counts and (date, id) pairs.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.functional import cached_property

from kb import access, dataversion

TIMEOUT = 600


def newest_first():
    """The listing's order: newest publication first, undated lessons last. SQLite sorts a
    null as the smallest value, so a plain descending order (which the index on
    first_published_at serves) already puts them last; PostgreSQL sorts it as the largest
    and needs NULLS LAST."""
    if connection.features.nulls_order_largest:
        return F("first_published_at").desc(nulls_last=True)
    return F("first_published_at").desc()


def listing_key(user, filters: dict) -> str:
    parts = (*access.viewer_key(user), sorted((k, str(v)) for k, v in filters.items()))
    return "kb:lessons:" + hashlib.sha256(repr(parts).encode()).hexdigest()


class KeysetPaginator(Paginator):
    """A Paginator over lessons ordered by (-first_published_at, -pk)."""

    def __init__(self, lessons: QuerySet, per_page: int, key: str) -> None:
        super().__init__(lessons, per_page)
        self.key = key

    @cached_property
    def count(self) -> int:
        return cache.get_or_set(
            f"{self.key}:count:{dataversion.current()}", self.object_list.count, TIMEOUT
        )

    def page(self, number):
        number = self.validate_number(number)
        after = cache.get(f"{self.key}:end:{number - 1}") if number > 1 else None
        if after is not None:
            published, pk = after
            # The first condition alone is a range of the index on first_published_at.
            later = Q(first_published_at__lte=published) & (
                Q(first_published_at__lt=published) | Q(pk__lt=pk)
            )
            items = list(self.object_list.filter(later)[: self.per_page])
            if len(items) < self.per_page:
                # Undated lessons come last; asked apart, not OR-ed into the range.
                undated = self.object_list.filter(first_published_at__isnull=True)
                items += undated[: self.per_page - len(items)]
        else:
            bottom = (number - 1) * self.per_page
            items = list(self.object_list[bottom : bottom + self.per_page])
        if items and items[-1].first_published_at is not None:
            end = (items[-1].first_published_at, items[-1].pk)
            cache.set(f"{self.key}:end:{number}", end, TIMEOUT)
        return self._get_page(items, number, self)
