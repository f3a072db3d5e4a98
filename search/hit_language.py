"""The language each search or similar-cases hit is written in, for its badge and the API.

The index's hits do not carry it; the lessons they name are read in one query. Only the
language of lessons already in the answer is read, so nothing the reader may not see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from lessons.models import LessonPage

H = TypeVar("H")


def with_languages(hits: Iterable[H]) -> list[H]:
    """The hits, each with `language` set to its lesson's code ("" if it has gone since)."""
    hits = list(hits)
    codes = dict(
        LessonPage.objects.filter(pk__in=[hit.id for hit in hits]).values_list("pk", "language")
    )
    for hit in hits:
        hit.language = codes.get(hit.id, "")
    return hits
