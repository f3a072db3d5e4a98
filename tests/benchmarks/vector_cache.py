"""The benchmark corpus's lesson vectors, cached beside it: var/bench/vectors-<hash>.npz.

Embedding 100,000 lessons takes most of an hour on this machine; the cache is keyed by the
model and every lesson's embedded text (search.semantic.text_hash), so a rebuilt corpus with
the same text takes its vectors from the file, and a changed text or model embeds anew."""

from __future__ import annotations

import hashlib
import time

import numpy as np

from tests.benchmarks.corpora import BENCH_DIR

CHUNK = 64


def _key(hashes: dict[int, str]) -> str:
    from search import semantic

    digest = hashlib.sha256(semantic.MODEL_NAME.encode())
    for pk in sorted(hashes):
        digest.update(f"{pk}:{hashes[pk]};".encode())
    return digest.hexdigest()[:16]


def _text_hashes() -> dict[int, str]:
    from search import semantic
    from search.bulk import documents

    return {doc.id: semantic.text_hash(doc) for doc in documents()}


def _stored_hashes() -> dict[int, str]:
    from search.models import LessonVector

    rows = LessonVector.objects.exclude(vector=None).values_list("lesson_id", "text_hash")
    return dict(rows.iterator(chunk_size=5000))


def _fill_from(path, hashes: dict[int, str]) -> int:
    """Vector rows from the cache file for the lessons whose text it holds."""
    from django.utils import timezone

    from lessons.models import LessonPage
    from search import semantic, vectors
    from search.bulk import documents

    cached = np.load(path)
    by_id = {int(pk): at for at, pk in enumerate(cached["ids"])}
    matrix, text_hashes = cached["vectors"], cached["hashes"]
    written, batch = 0, []
    languages = dict(LessonPage.objects.values_list("pk", "language").iterator(chunk_size=5000))
    now = timezone.now()
    for doc in documents():
        at = by_id.get(doc.id)
        if at is None or str(text_hashes[at]) != hashes.get(doc.id):
            continue
        row = vectors._row(doc, languages.get(doc.id, ""), now)
        row.text_hash, row.model = hashes[doc.id], semantic.MODEL_NAME
        row.vector = matrix[at].astype(np.float16).tobytes()
        batch.append(row)
        if len(batch) >= 2000:
            written += _write(batch)
            batch = []
    written += _write(batch)
    return written


def _write(rows) -> int:
    from search import vectors
    from search.models import LessonVector

    if rows:
        LessonVector.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["lesson_id"],
            update_fields=["model", "text_hash", "vector", *vectors.META_FIELDS],
        )
    return len(rows)


def _save(path) -> None:
    from search.models import LessonVector

    rows = list(
        LessonVector.objects.exclude(vector=None)
        .order_by("lesson_id")
        .values_list("lesson_id", "text_hash", "vector")
        .iterator(chunk_size=5000)
    )
    ids = np.array([pk for pk, _, _ in rows], dtype=np.int64)
    hashes = np.array([h for _, h, _ in rows])
    matrix = np.stack([np.frombuffer(bytes(blob), dtype=np.float16) for _, _, blob in rows])
    partial = path.with_suffix(".partial.npz")
    np.savez(partial, ids=ids, hashes=hashes, vectors=matrix)
    partial.rename(path)


def ensure(result: dict) -> None:
    """Every lesson of the corpus has its vector: from the store, the cache file, or the model
    (then timed: result["embedded_per_s"]); the search index is rebuilt if it is missing."""
    from search import engine, vectors
    from search.backends import get_backend
    from search.bulk import documents

    hashes = _text_hashes()
    path = BENCH_DIR / f"vectors-{_key(hashes)}.npz"
    result["vector_cache"] = path.name
    stored = _stored_hashes()
    missing = [pk for pk, h in hashes.items() if stored.get(pk) != h]
    if missing and path.exists():
        result["vectors_from_cache"] = _fill_from(path, hashes)
        stored = _stored_hashes()
        missing = [pk for pk, h in hashes.items() if stored.get(pk) != h]
    if missing:
        started, chunk = time.perf_counter(), []
        for doc in documents(missing):
            chunk.append(doc)
            if len(chunk) == CHUNK:
                vectors.store(chunk)
                chunk = []
        vectors.store(chunk)
        result["embedded"] = len(missing)
        result["embedded_per_s"] = len(missing) / (time.perf_counter() - started)
    if not path.exists():
        _save(path)
    backend = get_backend()
    if backend.total() != len(hashes):
        started = time.perf_counter()
        engine.rebuild()
        result["rebuild_s"] = time.perf_counter() - started


def embedding_rate(sample: int = 256) -> float:
    """Lessons embedded per second, on a sample of the corpus (what the worker sustains)."""
    from search import semantic
    from search.bulk import documents

    docs = [doc for doc, _ in zip(documents(), range(sample), strict=False)]
    started = time.perf_counter()
    for start in range(0, len(docs), CHUNK):
        semantic.lesson_vectors(docs[start : start + CHUNK])
    return len(docs) / (time.perf_counter() - started)
