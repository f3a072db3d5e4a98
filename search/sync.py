"""Keeps the index equal to the published content, through the outbox.

Every content change writes outbox rows in its own transaction. The embedded backend
drains them at once, inside that transaction; Elasticsearch drains after commit, and
`search_index sync` (run by the periodic job) retries whatever an outage left behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F

from lessons.models import LessonPage
from search import vectors
from search.engine import index_lessons
from search.models import OutboxEntry

log = logging.getLogger(__name__)
BATCH = 500


def enqueue(ids: Iterable[int], *, now: bool = False) -> None:
    ids = sorted(set(ids))
    if not ids:
        return
    OutboxEntry.objects.bulk_create([OutboxEntry(lesson_id=pk) for pk in ids])
    if now and settings.KB_SEARCH_BACKEND == "embedded":
        drain()
    transaction.on_commit(drain)


def lesson_ids_under(page) -> list[int]:
    """The lessons a change to this page affects (itself, or a debrief's lessons)."""
    return [page.pk, *LessonPage.objects.descendant_of(page).values_list("pk", flat=True)]


def drain(limit: int | None = None) -> tuple[int, int]:
    """Index what the outbox holds. Returns (lessons synced, entries left). Never raises:
    an outage leaves the entries for the next attempt."""
    synced = 0
    while True:
        entries = list(OutboxEntry.objects.order_by("pk").values_list("pk", "lesson_id")[:BATCH])
        if not entries:
            break
        ids = {lesson_id for _, lesson_id in entries}
        try:
            with transaction.atomic():
                index_lessons(ids)
                OutboxEntry.objects.filter(pk__lte=entries[-1][0], lesson_id__in=ids).delete()
        except Exception as error:  # the engine is down: keep the entries, report
            log.warning("search sync failed, %d entries kept: %s", len(entries), error)
            OutboxEntry.objects.filter(pk__in=[pk for pk, _ in entries]).update(
                attempts=F("attempts") + 1, last_error=str(error)[:500]
            )
            break
        synced += len(ids)
        if limit is not None and synced >= limit:
            break
    _retry_embeddings()
    return synced, OutboxEntry.objects.count()


def _retry_embeddings() -> None:
    """Give a vector to the lessons a failed model left without one (they are found by
    their terms meanwhile). Never raises: the outbox has done its work already."""
    try:
        done = vectors.embed_pending()
    except Exception as error:
        log.warning("embedding retry failed: %s", error)
        return
    if done:
        log.info("embedded %d lessons that were waiting for the model", done)
