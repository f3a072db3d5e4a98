"""The lessons' vectors: kept in the database (search.models.LessonVector), searched in
process, trimmed by the access rule before anything is ranked.

Writing: `store(docs)` runs where the index is updated (search.engine.index_lessons, so the
outbox drain and a rebuild). A vector is recomputed only when the lesson's embedded text
changed; the access tokens and shown fields are written every time, so a marking change
reaches the vector search with the same drain that brings it to the backend. When the model
fails the row is kept without a vector (pending) and `embed_pending()`, run by every drain,
tries again: the lesson stays findable lexically meanwhile and its save is never lost.

Reading: each process holds the vectors as one float16 matrix with the rows' tokens, and
checks one aggregate (row count, latest write) before a search to pick up changes, reading
only the rows written since. A search first masks the rows the viewer may not read (both
the lesson's and its debrief's tokens must meet the viewer's, or the lesson is granted:
the rule of search/backends/embedded.py `_visible`), then ranks what is left."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence

import numpy as np
from django.db.models import Count, Max
from django.utils import timezone

from lessons.models import LessonPage
from search import semantic
from search.backends.base import Audience
from search.bulk import documents
from search.models import LessonVector

log = logging.getLogger(__name__)
SHOWN = ["language", "title", "external_id", "url", "city_id", "city", "attack_types", "themes"]
META_FIELDS = ["lesson_tokens", "debrief_tokens", *SHOWN, "updated"]
CHUNK = 8192  # rows scored at a time: bounds the float32 copy of the float16 matrix


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
    figures = LessonVector.objects.aggregate(n=Count("lesson_id"), last=Max("updated"))
    last = figures["last"].isoformat() if figures["last"] else "-"
    return f"{figures['n']}:{last}"


def status() -> dict:
    rows = LessonVector.objects.count()
    pending = LessonVector.objects.filter(text_hash="").count()
    on = semantic.available()
    return {
        "semantic similar cases": "on" if on else f"off ({semantic.unavailable_reason()})",
        "lesson vectors": rows,
        "vectors pending": pending,
    }


# --- the in-process index -------------------------------------------------------------------


class VectorIndex:
    """Every stored vector of this process as one float16 matrix, with per-token postings."""

    def __init__(self) -> None:
        self.generation = ""
        self.last = None  # the latest `updated` read
        self.pos: dict[int, int] = {}
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, semantic.DIMENSIONS), dtype=np.float16)
        self.has_vector = np.zeros(0, dtype=bool)
        self.meta: list[dict] = []
        self.tokens: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        self._postings: tuple[dict, dict] | None = None

    def __len__(self) -> int:
        return len(self.pos)

    def load(self, rows: Iterable[dict]) -> None:
        for row in rows:
            at = self.pos.get(row["lesson_id"])
            if at is None:
                at = self._append(row["lesson_id"])
            blob = row["vector"]
            self.has_vector[at] = blob is not None
            if blob is not None:
                self.matrix[at] = np.frombuffer(bytes(blob), dtype=np.float16)
            self.meta[at] = {key: row[key] for key in SHOWN}
            self.tokens[at] = (tuple(row["lesson_tokens"]), tuple(row["debrief_tokens"]))
            if self.last is None or row["updated"] > self.last:
                self.last = row["updated"]
        self._postings = None

    def _append(self, lesson_id: int) -> int:
        at = len(self.pos)
        if at >= len(self.matrix):  # grow by doubling: loading row by row stays linear
            size = max(64, 2 * len(self.matrix))
            self.matrix = _grown(self.matrix, (size, semantic.DIMENSIONS))
            self.has_vector = _grown(self.has_vector, (size,))
            self.ids = _grown(self.ids, (size,))
        self.pos[lesson_id] = at
        self.ids[at] = lesson_id
        self.meta.append({})
        self.tokens.append(((), ()))
        return at

    def postings(self) -> tuple[dict, dict]:
        """token -> row positions, for lesson tokens and for debrief tokens."""
        if self._postings is None:
            lesson: dict[str, list[int]] = {}
            debrief: dict[str, list[int]] = {}
            for at, (own, parent) in enumerate(self.tokens):
                for token in own:
                    lesson.setdefault(token, []).append(at)
                for token in parent:
                    debrief.setdefault(token, []).append(at)
            self._postings = (
                {t: np.asarray(rows, dtype=np.int64) for t, rows in lesson.items()},
                {t: np.asarray(rows, dtype=np.int64) for t, rows in debrief.items()},
            )
        return self._postings

    def visible(self, audience: Audience) -> np.ndarray:
        """Rows with a vector that this audience may read: the mask applied before ranking."""
        n = len(self)
        mask = self.has_vector[:n].copy()
        if audience.tokens is None:
            return mask
        lesson, debrief = self.postings()
        own, parent = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        for token in audience.tokens:
            if token in lesson:
                own[lesson[token]] = True
            if token in debrief:
                parent[debrief[token]] = True
        allowed = own & parent
        for lesson_id in audience.granted_ids:
            at = self.pos.get(lesson_id)
            if at is not None:
                allowed[at] = True
        return mask & allowed

    def vector(self, lesson_id: int) -> np.ndarray | None:
        at = self.pos.get(lesson_id)
        if at is None or not self.has_vector[at]:
            return None
        return self.matrix[at].astype(np.float32)

    def scores(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        out = np.empty(len(rows), dtype=np.float32)
        query = query.astype(np.float32)
        for start in range(0, len(rows), CHUNK):
            part = rows[start : start + CHUNK]
            out[start : start + len(part)] = self.matrix[part].astype(np.float32) @ query
        return out

    def nearest(
        self, query: np.ndarray, audience: Audience, limit: int, exclude: int | None = None
    ) -> list[tuple[int, float]]:
        """The `limit` visible lessons nearest to `query`, as (lesson id, cosine), best first."""
        mask = self.visible(audience)
        if exclude is not None and exclude in self.pos:
            mask[self.pos[exclude]] = False
        rows = np.flatnonzero(mask)
        if not len(rows) or limit <= 0:
            return []
        scores = self.scores(query, rows)
        if len(rows) > limit:
            top = np.argpartition(-scores, limit - 1)[:limit]
        else:
            top = np.arange(len(rows))
        top = top[np.lexsort((self.ids[rows[top]], -scores[top]))]
        return [(int(self.ids[rows[i]]), float(scores[i])) for i in top]

    def similarities(self, query: np.ndarray, lesson_ids: Iterable[int]) -> dict[int, float]:
        """Cosine to `query` of those lessons that have a vector."""
        known = [(pk, self.pos[pk]) for pk in lesson_ids if pk in self.pos]
        known = [(pk, at) for pk, at in known if self.has_vector[at]]
        if not known:
            return {}
        scores = self.scores(query, np.asarray([at for _, at in known], dtype=np.int64))
        return {pk: float(score) for (pk, _), score in zip(known, scores, strict=True)}

    def shown(self, lesson_id: int) -> dict | None:
        at = self.pos.get(lesson_id)
        return None if at is None else self.meta[at]


def _grown(array: np.ndarray, shape: tuple) -> np.ndarray:
    out = np.zeros(shape, dtype=array.dtype)
    out[: len(array)] = array
    return out


_lock = threading.Lock()
_index = VectorIndex()
ROW_FIELDS = ["lesson_id", "vector", *META_FIELDS]


def current(known_generation: str | None = None) -> VectorIndex:
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
            index = VectorIndex()  # a deletion (or a first read): read everything again
            index.load(LessonVector.objects.order_by("lesson_id").values(*ROW_FIELDS).iterator())
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
