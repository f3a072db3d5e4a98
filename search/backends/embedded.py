"""The embedded backend: SQLite FTS5 tables in the project's own database.

Writes go through Django's connection, so they commit or roll back with the content
change that caused them. Security trimming is a clause of every SQL query.

Each lesson's text is analysed in its own language (search.languages) before it is
written: the FTS columns hold the stems, with a token naming the analysis in the `lang`
column, and the original text is kept with the stored fields for highlights. A query's
language is unknown, so each word is analysed in every language and each variant
matches only the lessons of its language.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection, transaction
from django.utils.html import escape

from search import similar_terms
from search.backends.base import Audience, Hit, SearchBackend, SearchQuery, SearchResults
from search.backends.embedded_schema import (
    COLUMNS,
    DOC,
    DROP,
    EQ,
    FTS,
    META,
    SEP,
    STATE,
    TERMS,
    VOCAB,
    create_schema,
    delimited,
    facet_entry,
    packed,
    placeholders,
)
from search.backends.embedded_similar import WEIGHTS, EmbeddedSimilar
from search.backends.embedded_text import (
    LANG,
    SNIPPET_END,
    SNIPPET_START,
    fts_row,
    lang_token,
    match_expression,
    query_forms,
    snippet,
)
from search.documents import LessonDocument, document_from_stored
from search.facets import FACETS

FACET_CHUNK = 2000  # rows whose packed facets are split at once (bounded memory)


def _mark(fragment: str) -> str:
    return escape(fragment).replace(SNIPPET_START, "<mark>").replace(SNIPPET_END, "</mark>")


class EmbeddedBackend(EmbeddedSimilar, SearchBackend):
    name = "embedded"

    def __init__(self):
        if connection.vendor != "sqlite":
            raise ImproperlyConfigured(
                "The embedded search backend needs SQLite; on PostgreSQL set "
                "KB_SEARCH_BACKEND=elasticsearch and KB_ELASTICSEARCH_URL."
            )

    # --- writing -------------------------------------------------------------------------
    def _execute(self, sql: str, params=()) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []

    def _executemany(self, sql: str, rows: list) -> None:
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(sql.replace("?", "%s"), rows)

    def _bump(self) -> None:
        try:
            self._execute(f"UPDATE {STATE} SET generation = random()")
        except OperationalError:  # an index made before the table existed
            create_schema()
            self._execute(f"UPDATE {STATE} SET generation = random()")

    def generation(self) -> int | None:
        try:
            return self._execute(f"SELECT generation FROM {STATE}")[0][0]
        except (OperationalError, IndexError):
            return None

    def _analyses_used(self) -> frozenset[str] | None:
        """The keys of the analyses some indexed lesson uses (their tokens in the vocabulary),
        read again whenever the index changes. None: not known, so every analysis."""
        if self.generation() is None:
            return None
        prefix = lang_token("")

        def read() -> frozenset[str]:
            rows = self._execute(
                f"SELECT term FROM {VOCAB} WHERE term >= ? AND term < ?",
                [prefix, prefix + "\uffff"],
            )
            return frozenset(term[len(prefix) :] for (term,) in rows)

        return self._cached("analyses", read)

    def _remove(self, ids: list[int]) -> None:
        self._bump()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = placeholders(chunk)
            self._execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", chunk)
            for table in (DOC, META, TERMS):
                self._execute(f"DELETE FROM {table} WHERE lesson_id IN ({marks})", chunk)

    def upsert(self, docs: Iterable[LessonDocument]) -> int:
        docs = list(docs)
        if not docs:
            return 0
        with transaction.atomic():
            self._remove([d.id for d in docs])
            self._insert(docs)
        return len(docs)

    def _insert(self, docs: list[LessonDocument]) -> None:
        self._bump()
        self._executemany(
            f"INSERT INTO {FTS}(rowid, {', '.join(COLUMNS)}, {LANG}) "
            f"VALUES (?, {placeholders(COLUMNS)}, ?)",
            [fts_row(d) for d in docs],
        )
        self._executemany(
            f"INSERT INTO {DOC}(lesson_id, body) VALUES (?, ?)",
            [(d.id, json.dumps(_stored(d))) for d in docs],
        )
        self._executemany(
            f"INSERT INTO {TERMS}(lesson_id, counts) VALUES (?, ?)",
            [(d.id, similar_terms.encoded(similar_terms.term_counts(d))) for d in docs],
        )
        self._executemany(
            f"INSERT INTO {META}(lesson_id, date, lesson_tokens, debrief_tokens, facets) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (
                    d.id,
                    d.date,
                    packed(d.lesson_tokens),
                    packed(d.debrief_tokens),
                    packed(facet_entry(f, v) for f in FACETS for v in d.facets.get(f, [])),
                )
                for d in docs
            ],
        )

    def delete(self, ids: Iterable[int]) -> None:
        with transaction.atomic():
            self._remove(list(ids))

    def rebuild(self, docs, progress=None) -> int:
        count = 0
        with transaction.atomic():
            with connection.cursor() as cursor:
                for statement in DROP:
                    cursor.execute(statement)
            create_schema()
            batch: list[LessonDocument] = []
            for doc in docs:
                batch.append(doc)
                if len(batch) >= 1000:
                    self._insert(batch)
                    count += len(batch)
                    batch = []
                    if progress:
                        progress(count)
            self._insert(batch)
            count += len(batch)
            if progress:
                progress(count)
        return count

    # --- reading -------------------------------------------------------------------------
    def _visible(self, audience: Audience) -> tuple[str, list]:
        """The access rule as a clause on META row m: both token lists share a token with
        the viewer, or the lesson is one of the viewer's grants."""
        if audience.tokens is None:
            return "1", []
        entries = [delimited(t) for t in audience.tokens]

        def holds(column: str) -> str:
            return " OR ".join(f"instr(m.{column}, ?) > 0" for _ in entries) or "0"

        clause = f"(({holds('lesson_tokens')}) AND ({holds('debrief_tokens')}))"
        params = entries + entries
        if audience.granted_ids:
            grants = sorted(audience.granted_ids)
            clause += f" OR m.lesson_id IN ({placeholders(grants)})"
            params += grants
        return f"({clause})", params

    def _filters(self, filters: dict[str, list[str]]) -> tuple[str, list]:
        clauses, params = [], []
        for facet in FACETS:
            values = [v for v in filters.get(facet, []) if v]
            if values:
                clauses.append("(" + " OR ".join("instr(m.facets, ?) > 0" for _ in values) + ")")
                params += [delimited(facet_entry(facet, v)) for v in values]
        return (" AND ".join(clauses) or "1"), params

    def search(self, query: SearchQuery, audience: Audience) -> SearchResults:
        """One pass over the visible matches gives the count, the facet counts and the
        ranking; the page's stored fields and snippets are read for its rows only."""
        used = self._analyses_used()
        match = match_expression(query.text, used)
        visible, visible_params = self._visible(audience)
        filters, filter_params = self._filters(query.filters)
        by_date = query.sort == "date" or not match
        if match:
            rows = self._execute(
                f"SELECT m.lesson_id, bm25({FTS}, {WEIGHTS}), m.date, m.facets FROM {FTS} "
                f"JOIN {META} m ON m.lesson_id = {FTS}.rowid "
                f"WHERE {FTS} MATCH ? AND {visible} AND {filters}",
                [match, *visible_params, *filter_params],
            )
        else:
            rows = self._execute(
                f"SELECT m.lesson_id, 0, m.date, m.facets FROM {META} m "
                f"WHERE {visible} AND {filters}",
                [*visible_params, *filter_params],
            )
        offset = (max(query.page, 1) - 1) * query.per_page
        if by_date:
            key = lambda row: (row[2], row[0])  # noqa: E731
            top = heapq.nlargest(offset + query.per_page, rows, key=key)
        else:
            top = heapq.nsmallest(offset + query.per_page, rows, key=lambda row: (row[1], row[0]))
        page_ids = [row[0] for row in top[offset:]]
        return SearchResults(
            count=len(rows),
            hits=self._hits(page_ids, query.text if match else "", used),
            facets=_facet_counts(rows),
        )

    def _hits(self, ids: list[int], text: str, used=None) -> list[Hit]:
        if not ids:
            return []
        marks = placeholders(ids)
        bodies = dict(
            self._execute(f"SELECT lesson_id, body FROM {DOC} WHERE lesson_id IN ({marks})", ids)
        )
        forms = query_forms(text, used) if text else None
        hits = []
        for pk in ids:
            stored = json.loads(bodies[pk])
            hits.append(_hit(stored, snippet(stored, forms) if forms else None))
        return hits

    def get(self, lesson_id: int) -> LessonDocument | None:
        rows = self._execute(f"SELECT body FROM {DOC} WHERE lesson_id = ?", [lesson_id])
        return document_from_stored(json.loads(rows[0][0])) if rows else None

    def get_many(self, lesson_ids: Iterable[int]) -> dict[int, LessonDocument]:
        ids = list(dict.fromkeys(lesson_ids))
        if not ids:
            return {}
        rows = self._execute(
            f"SELECT lesson_id, body FROM {DOC} WHERE lesson_id IN ({placeholders(ids)})", ids
        )
        return {pk: document_from_stored(json.loads(body)) for pk, body in rows}

    def indexed_ids(self) -> set[int]:
        return {row[0] for row in self._execute(f"SELECT lesson_id FROM {DOC}")}

    def status(self) -> dict:
        return {"backend": self.name, "documents": self.total(), "reachable": True}


def _facet_counts(rows: list) -> dict[str, dict[str, int]]:
    counts = Counter()  # fed a chunk at a time, so that it counts in C
    for start in range(0, len(rows), FACET_CHUNK):
        chunk = rows[start : start + FACET_CHUNK]
        counts.update(SEP.join([row[3] for row in chunk]).split(SEP))
    facets: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
    for entry, n in counts.items():
        if entry:
            facet, _, value = entry.partition(EQ)
            facets.setdefault(facet, {})[value] = n
    return facets


def _stored(doc: LessonDocument) -> dict:
    return {
        "id": doc.id,
        "external_id": doc.external_id,
        "title": doc.title,
        "url": doc.url,
        "date": doc.date,
        "city_id": doc.city_id,
        "city": doc.city,
        "debrief_id": doc.debrief_id,
        "facets": doc.facets,
        "attack_types": doc.attack_types,
        "themes": doc.themes,
        "marking": doc.marking,
        "language": doc.language,
        "text": doc.text,
        "lesson_tokens": doc.lesson_tokens,
        "debrief_tokens": doc.debrief_tokens,
        "preview": (doc.text.get("lesson_identified") or "")[:240],
    }


def _hit(stored: dict, snippet: str | None) -> Hit:
    return Hit(
        id=stored["id"],
        external_id=stored["external_id"],
        title=stored["title"],
        city=stored["city"],
        url=stored["url"],
        date=stored["date"],
        attack_types=stored["attack_types"],
        themes=stored["themes"],
        marking=stored["marking"],
        language=stored.get("language") or "",
        highlight=_mark(snippet) if snippet else escape(stored["preview"]),
    )
