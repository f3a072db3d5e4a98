"""What the benchmarks ask: 50 varied searches (half with facet filters), the lessons whose
similar cases are measured, and the two anchors every search figure is set beside:
Wagtail's own database search backend and the bare FTS5 statements in sqlite3 (the floor)."""

from __future__ import annotations

import random
import sqlite3
import time
from dataclasses import dataclass, field

from project.corpus.vocabulary import TOPICS, VENUES

EXTRA_QUERIES = [
    "casualty clearing station",
    "interoperability talk group",
    "rumours on social media",
    "crash-rated bollards",
    "family liaison officers",
    "private security briefing",
    "self-presenting casualties",
    "counter-drone authority",
    "control room outage",
    "psychosocial support for witnesses",
]
FILTERS = [
    {"attack_type": ["vehicle-ramming"]},
    {"theme": ["victim-support"]},
    {"phase": ["respond"]},
    {"year": ["2019"]},
    {"attack_type": ["ied"], "phase": ["respond"]},
    {"theme": ["crowded-places"], "incident_type": ["exercise"]},
    {"action_status": ["in_progress"]},
    {"city": ["Berlin"]},
]


@dataclass
class Query:
    text: str
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def params(self) -> dict:
        return {"q": self.text, **self.filters}


def queries(count: int = 50, seed: int = 7) -> list[Query]:
    """Topic names, keywords, phrases and venues; every other one with facet filters."""
    rng = random.Random(seed)
    words = [t.name for t in TOPICS] + [k for t in TOPICS for k in t.keywords] + EXTRA_QUERIES
    words += [f"{v} evacuation" for v in VENUES[:4]]
    chosen = rng.sample(words, count)
    return [
        Query(text, dict(FILTERS[i // 2 % len(FILTERS)]) if i % 2 else {})
        for i, text in enumerate(chosen)
    ]


def timed(call) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"p50": 0.0, "p95": 0.0, "max": 0.0, "n": 0}
    ordered = sorted(samples)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return {"p50": at(0.5), "p95": at(0.95), "max": ordered[-1], "n": len(ordered)}


# --- the anchors ----------------------------------------------------------------------------


class TooSlow(Exception):
    pass


def wagtail_search(text: str, limit_s: float = 30.0) -> None:
    """The same words through Wagtail's database backend: a page of results and the count.

    On large corpora one of its queries can take minutes: SQLite interrupts it after
    `limit_s` (TooSlow), and the benchmark reports the limit as a lower bound."""
    from django.db import connection

    from lessons.models import LessonPage

    deadline = time.perf_counter() + limit_s
    connection.ensure_connection()
    raw = connection.connection
    raw.set_progress_handler(lambda: int(time.perf_counter() > deadline), 100_000)
    try:
        results = LessonPage.objects.live().search(text)
        list(results[:20])
        results.count()
    except Exception as error:
        if time.perf_counter() > deadline:
            raise TooSlow(text) from error
        raise
    finally:
        raw.set_progress_handler(None, 0)


def build_wagtail_index(batch: int = 2000) -> float:
    """Index every lesson in Wagtail's database backend if not done; returns lessons/s."""
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    from lessons.models import LessonPage

    total = LessonPage.objects.live().count()
    if IndexEntry.objects.filter(content_type__model="lessonpage").count() >= total:
        return 0.0
    index = get_search_backend().get_index_for_model(LessonPage)
    started = time.perf_counter()
    ids = list(LessonPage.objects.live().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        index.add_items(
            LessonPage, list(LessonPage.objects.filter(pk__in=ids[start : start + batch]))
        )
    return total / (time.perf_counter() - started)


class Floor:
    """The bare FTS5 statements in sqlite3 for the same match expression: the ranked page
    of 20 with snippets and the match count, with no access trimming, facets or Python."""

    def __init__(self, database: str):
        self.connection = sqlite3.connect(database)

    def search(self, match: str | None) -> None:
        if not match:
            self.connection.execute("SELECT count(*) FROM kb_search_doc").fetchall()
            return
        self.connection.execute(
            "SELECT rowid, snippet(kb_search_fts, -1, char(2), char(3), '…', 24) "
            "FROM kb_search_fts WHERE kb_search_fts MATCH ? ORDER BY rank LIMIT 20",
            [match],
        ).fetchall()
        self.connection.execute(
            "SELECT count(*) FROM kb_search_fts WHERE kb_search_fts MATCH ?", [match]
        ).fetchall()

    def similar(self, match: str) -> None:
        self.connection.execute(
            "SELECT rowid FROM kb_search_fts WHERE kb_search_fts MATCH ? ORDER BY rank LIMIT 50",
            [match],
        ).fetchall()
