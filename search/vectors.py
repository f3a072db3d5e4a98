"""The lessons' vectors: kept in the database (search.models.LessonVector), searched in
process, trimmed by the access rule before anything is ranked.

Writing: `store(docs)` runs where the index is updated (search.engine.index_lessons, so the
outbox drain and a rebuild). A vector is recomputed only when the lesson's embedded text
changed; the access tokens and shown fields are written every time, so a marking change
reaches the vector search with the same drain that brings it to the backend. When the model
fails the row is kept without a vector (pending) and `embed_pending()`, run by every drain,
tries again: the lesson stays findable lexically meanwhile and its save is never lost.

Reading: each process holds the vectors as int8 rows with their token lists
(search.vector_index), and checks one aggregate (row count, latest write) before a search
to pick up changes, reading only the rows written since. A search masks the rows the viewer
may not read, ranks the rest by the int8 cosine, then rereads the exact (float16) vectors of
the best few from the database and ranks those exactly. What an answer shows of a lesson
(title, city, language...) is read from the database for those few only (`shown_many`), so a
worker holds 512 bytes and a number per lesson."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence

import numpy as np
from django.db.models import Max
from django.utils import timezone

from lessons.models import LessonPage
from search import semantic
from search.backends.base import Audience
from search.bulk import documents
from search.models import LessonVector
from search.vector_index import VectorIndex

log = logging.getLogger(__name__)
SHOWN = ["language", "title", "external_id", "url", "city_id", "city", "attack_types", "themes"]
META_FIELDS = ["lesson_tokens", "debrief_tokens", *SHOWN, "updated"]


def _blob(vector: np.ndarray) -> bytes:
    return vector.astype(np.float16).tobytes()


def _row(doc, language: str, now) -> LessonVector:
    return LessonVector(
        lesson_id=doc.id,
        lesson_tokens=list(doc.lesson_tokens),
        debrief_tokens=list(doc.debrief_tokens),
        language=language or "",
        title=doc.title[:255],
        external_id=doc.external_id,
        url=doc.url,
        city_id=doc.city_id,
        city=doc.city,
        attack_types=list(doc.attack_types),
        themes=list(doc.themes),
        updated=now,
    )


def store(docs: Sequence) -> int:
    """Bring the vector store in line with these lesson documents. Returns how many are left
    pending (no vector: the model failed or is missing). Never raises for the model."""
    if not docs:
        return 0
    ids = [doc.id for doc in docs]
    known = dict(
        LessonVector.objects.filter(lesson_id__in=ids).values_list("lesson_id", "text_hash")
    )
    languages = dict(LessonPage.objects.filter(pk__in=ids).values_list("pk", "language"))
    hashes = {doc.id: semantic.text_hash(doc) for doc in docs}
    changed = [doc for doc in docs if known.get(doc.id) != hashes[doc.id]]
    vectors: list = [None] * len(changed)
    if changed:
        try:
            vectors = semantic.lesson_vectors(changed)
        except semantic.SemanticUnavailable as error:
            log.info("embedding postponed for %d lessons: %s", len(changed), error)
    now = timezone.now()
    fresh, pending = [], 0
    for doc, vector in zip(changed, vectors, strict=True):
        row = _row(doc, languages.get(doc.id, ""), now)
        if vector is None and semantic.field_texts(doc):
            pending += 1  # no hash: the next drain sees a change and embeds it
        else:
            row.text_hash, row.model = hashes[doc.id], semantic.MODEL_NAME
            row.vector = None if vector is None else _blob(vector)
        fresh.append(row)
    if fresh:
        LessonVector.objects.bulk_create(
            fresh,
            update_conflicts=True,
            unique_fields=["lesson_id"],
            update_fields=["model", "text_hash", "vector", *META_FIELDS],
        )
    changed_ids = {doc.id for doc in changed}
    same = [_row(doc, languages.get(doc.id, ""), now) for doc in docs if doc.id not in changed_ids]
    if same:
        LessonVector.objects.bulk_create(
            same, update_conflicts=True, unique_fields=["lesson_id"], update_fields=META_FIELDS
        )
    return pending


def remove(ids: Iterable[int]) -> None:
    LessonVector.objects.filter(lesson_id__in=list(ids)).delete()


def stored_ids() -> list[int]:
    return list(LessonVector.objects.values_list("lesson_id", flat=True))


def pending_ids(limit: int | None = None) -> list[int]:
    qs = LessonVector.objects.filter(text_hash="").order_by("lesson_id")
    return list(qs.values_list("lesson_id", flat=True)[:limit])


def embed_pending(limit: int = 500) -> int:
    """Embed lessons a failed model left without a vector. Returns how many got one."""
    if not semantic.available():
        return 0
    ids = pending_ids(limit)
    if not ids:
        return 0
    docs = list(documents(ids))
    left = store(docs)
    return len(docs) - left


def generation() -> str:
    """Changes whenever a vector row is written or deleted."""
    # Two queries: together, the count and the maximum make SQLite read every row (~15 ms
    # at 100,000 lessons); apart, the count scans the narrow index and the maximum is a seek.
    last = LessonVector.objects.aggregate(last=Max("updated"))["last"]
    count = LessonVector.objects.count()
    return f"{count}:{last.isoformat() if last else '-'}"


def status() -> dict:
    rows = LessonVector.objects.count()
    pending = LessonVector.objects.filter(text_hash="").count()
    on = semantic.available()
    return {
        "semantic similar cases": "on" if on else f"off ({semantic.unavailable_reason()})",
        "lesson vectors": rows,
        "vectors pending": pending,
    }


# --- reading ------------------------------------------------------------------------------

OVERSAMPLE = 2  # int8 ranks near the exact cosine: twice the rows asked are reread exactly
EXTRA = 8


def _exact_vectors(lesson_ids: Iterable[int]) -> dict[int, np.ndarray]:
    rows = LessonVector.objects.filter(lesson_id__in=list(lesson_ids)).exclude(vector=None)
    return {
        pk: np.frombuffer(bytes(blob), dtype=np.float16).astype(np.float32)
        for pk, blob in rows.values_list("lesson_id", "vector")
    }


def shown_many(lesson_ids: Iterable[int]) -> dict[int, dict]:
    """What an answer shows of these lessons (SHOWN), read in one query. Only for lessons the
    vector search already trimmed, or the backend already returned."""
    ids = list(dict.fromkeys(lesson_ids))
    if not ids:
        return {}
    rows = LessonVector.objects.filter(lesson_id__in=ids).values("lesson_id", *SHOWN)
    return {row.pop("lesson_id"): row for row in rows}


class StoredVectors(VectorIndex):
    """The in-process index (search.vector_index) with the exact vectors and shown fields
    read from the database for the few lessons an answer needs. Given a `language` (the
    asking lesson's), the cosines are those of the vectors centred on their language's mean
    (VectorIndex.centred): similar cases compare lessons so, a typed query is not centred."""

    def nearest(
        self,
        query: np.ndarray,
        audience: Audience,
        limit: int,
        exclude: int | None = None,
        language: str | None = None,
    ) -> list[tuple[int, float]]:
        """The `limit` visible lessons nearest to `query`, as (lesson id, cosine), best first."""
        if limit <= 0:
            return []
        centred = language is not None
        scanned = self.centred(query, language) if centred else query
        ids = self.nearest_rows(scanned, audience, limit * OVERSAMPLE + EXTRA, exclude, centred)
        exact = self.similarities(query, ids, language)
        ranked = sorted(exact.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:limit]

    def vectors(self, lesson_ids: Iterable[int], centred: bool = False) -> dict[int, np.ndarray]:
        """The exact vectors of those lessons that have one, read in one query; with
        `centred`, each less its language's mean, unit length."""
        found = _exact_vectors(lesson_ids)
        if not centred or not found:
            return found
        ids = list(found)
        rows = self.centred_rows(ids, np.stack([found[pk] for pk in ids]))
        return dict(zip(ids, rows, strict=True))

    def similarities(
        self, query: np.ndarray, lesson_ids: Iterable[int], language: str | None = None
    ) -> dict[int, float]:
        """Exact cosine to `query` of those lessons that have a vector (centred, given the
        query's language)."""
        found = self.vectors(lesson_ids, centred=language is not None)
        if not found:
            return {}
        if language is not None:
            query = self.centred(query, language)
        ids = list(found)
        scores = np.stack([found[pk] for pk in ids]) @ query.astype(np.float32)
        return {pk: float(score) for pk, score in zip(ids, scores, strict=True)}

    def neighbours(
        self, lesson_ids: Sequence[int], audience: Audience, limit: int
    ) -> dict[int, list[tuple[int, float]]]:
        """For each of these lessons that has a vector, the `limit` visible lessons nearest
        to it by the centred cosine (as similar cases compare lessons), as (lesson id,
        cosine), best first; none of `lesson_ids` among them. One scan of the index for all
        of them, and two reads of exact vectors."""
        found = self.vectors(lesson_ids, centred=True)
        if not found or limit <= 0:
            return {}
        ids = list(found)
        rows = self.nearest_rows_many(
            np.stack([found[pk] for pk in ids]),
            audience,
            limit * OVERSAMPLE + EXTRA,
            exclude=lesson_ids,
            centred=True,
        )
        near = self.vectors({pk for row in rows for pk in row}, centred=True)
        answer = {}
        for pk, row in zip(ids, rows, strict=True):
            exact = [(other, float(near[other] @ found[pk])) for other in row if other in near]
            answer[pk] = sorted(exact, key=lambda item: (-item[1], item[0]))[:limit]
        return answer

    def vector(self, lesson_id: int) -> np.ndarray | None:
        return _exact_vectors([lesson_id]).get(lesson_id) if self.has(lesson_id) else None

    def shown(self, lesson_id: int) -> dict | None:
        return shown_many([lesson_id]).get(lesson_id)


_lock = threading.Lock()
_index = StoredVectors(semantic.DIMENSIONS)
ROW_FIELDS = ["lesson_id", "vector", "lesson_tokens", "debrief_tokens", "updated", "language"]


def current(known_generation: str | None = None) -> StoredVectors:
    """This process's index, brought up to date with the store first."""
    global _index
    now = known_generation or generation()
    with _lock:
        index = _index
        if index.generation == now:
            return index
        if index.last is not None:
            index.load(LessonVector.objects.filter(updated__gte=index.last).values(*ROW_FIELDS))
        if index.last is None or len(index) != int(now.split(":")[0]):
            index = StoredVectors(semantic.DIMENSIONS)  # a deletion or a first read: all again
            rows = LessonVector.objects.order_by("lesson_id").values(*ROW_FIELDS)
            index.load(rows.iterator(chunk_size=2000))
        index.generation = now
        _index = index
        return index


def vector_for(doc) -> np.ndarray | None:
    """The vector of this lesson's text: the stored one while the text is unchanged,
    else computed now (a draft in the editor). None when the model is unavailable."""
    stored = LessonVector.objects.filter(lesson_id=doc.id).values_list("text_hash", "vector")
    stored = stored.first() if doc.id is not None else None
    if stored and stored[1] is not None and stored[0] == semantic.text_hash(doc):
        return np.frombuffer(bytes(stored[1]), dtype=np.float16).astype(np.float32)
    try:
        return semantic.lesson_vector(doc)
    except semantic.SemanticUnavailable:
        return None
