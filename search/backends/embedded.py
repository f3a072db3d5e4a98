"""The embedded backend: SQLite FTS5 tables in the project's own database.

Writes go through Django's connection, so they commit or roll back with the content
change that caused them. Security trimming is a clause of every SQL query.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils.html import escape

from search.backends.base import (
    Audience,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResults,
)
from search.documents import FACETS, TEXT_FIELDS, LessonDocument, document_from_stored
from search.text import query_terms

FTS = "kb_search_fts"
DOC = "kb_search_doc"
ACCESS = "kb_search_access"
FACET = "kb_search_facet"
VOCAB = "kb_search_vocab"
COLUMNS = list(TEXT_FIELDS)
START, END = "\x02", "\x03"

SCHEMA = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5({', '.join(COLUMNS)}, "
    "tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB} USING fts5vocab({FTS}, 'row')",
    f"CREATE TABLE IF NOT EXISTS {DOC} (lesson_id INTEGER PRIMARY KEY, date TEXT NOT NULL, "
    "body TEXT NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {DOC}_date ON {DOC}(date)",
    f"CREATE TABLE IF NOT EXISTS {ACCESS} (token TEXT NOT NULL, scope TEXT NOT NULL, "
    "lesson_id INTEGER NOT NULL, PRIMARY KEY (token, scope, lesson_id)) WITHOUT ROWID",
    f"CREATE INDEX IF NOT EXISTS {ACCESS}_lesson ON {ACCESS}(lesson_id)",
    f"CREATE TABLE IF NOT EXISTS {FACET} (facet TEXT NOT NULL, value TEXT NOT NULL, "
    "lesson_id INTEGER NOT NULL, PRIMARY KEY (facet, value, lesson_id)) WITHOUT ROWID",
    f"CREATE INDEX IF NOT EXISTS {FACET}_lesson ON {FACET}(lesson_id)",
]
DROP = [f"DROP TABLE IF EXISTS {name}" for name in (VOCAB, FTS, DOC, ACCESS, FACET)]


def create_schema(conn=connection) -> None:
    with conn.cursor() as cursor:
        for statement in SCHEMA:
            cursor.execute(statement)


def _placeholders(values) -> str:
    return ", ".join("?" for _ in values) if values else "NULL"


def _match_expression(text: str) -> str | None:
    words, phrases = query_terms(text)
    parts = [f'"{w}"' for w in words] + ['"' + " ".join(p) + '"' for p in phrases]
    return " OR ".join(parts) or None


def _mark(fragment: str) -> str:
    return escape(fragment).replace(START, "<mark>").replace(END, "</mark>")


class EmbeddedBackend(SearchBackend):
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

    def _remove(self, ids: list[int]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = _placeholders(chunk)
            for table in (FTS,):
                self._execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", chunk)
            for table in (DOC, ACCESS, FACET):
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
        self._executemany(
            f"INSERT INTO {FTS}(rowid, {', '.join(COLUMNS)}) VALUES (?, {_placeholders(COLUMNS)})",
            [(d.id, *(d.text.get(c, "") for c in COLUMNS)) for d in docs],
        )
        self._executemany(
            f"INSERT INTO {DOC}(lesson_id, date, body) VALUES (?, ?, ?)",
            [(d.id, d.date, json.dumps(_stored(d))) for d in docs],
        )
        self._executemany(
            f"INSERT OR IGNORE INTO {ACCESS}(token, scope, lesson_id) VALUES (?, ?, ?)",
            [(t, "L", d.id) for d in docs for t in d.lesson_tokens]
            + [(t, "D", d.id) for d in docs for t in d.debrief_tokens],
        )
        self._executemany(
            f"INSERT OR IGNORE INTO {FACET}(facet, value, lesson_id) VALUES (?, ?, ?)",
            [(f, v, d.id) for d in docs for f, values in d.facets.items() for v in values],
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
        if audience.tokens is None:
            return "1", []
        tokens = list(audience.tokens)
        marks = _placeholders(tokens)

        def holds(scope: str) -> str:
            return (
                f"EXISTS (SELECT 1 FROM {ACCESS} a WHERE a.lesson_id = d.lesson_id "
                f"AND a.scope = '{scope}' AND a.token IN ({marks}))"
            )

        clause = f"({holds('L')} AND {holds('D')})"
        params = tokens + tokens
        if audience.granted_ids:
            grants = sorted(audience.granted_ids)
            clause += f" OR d.lesson_id IN ({_placeholders(grants)})"
            params += grants
        return f"({clause})", params

    def _filters(self, filters: dict[str, list[str]]) -> tuple[str, list]:
        clauses, params = [], []
        for facet in FACETS:
            values = [v for v in filters.get(facet, []) if v]
            if values:
                clauses.append(
                    f"EXISTS (SELECT 1 FROM {FACET} f WHERE f.lesson_id = d.lesson_id "
                    f"AND f.facet = ? AND f.value IN ({_placeholders(values)}))"
                )
                params += [facet, *values]
        return (" AND ".join(clauses) or "1"), params

    def search(self, query: SearchQuery, audience: Audience) -> SearchResults:
        match = _match_expression(query.text)
        visible, visible_params = self._visible(audience)
        filters, filter_params = self._filters(query.filters)
        if match:
            source = f"{FTS} JOIN {DOC} d ON d.lesson_id = {FTS}.rowid"
            where = f"{FTS} MATCH ? AND {visible} AND {filters}"
            params = [match, *visible_params, *filter_params]
        else:
            source = f"{DOC} d"
            where = f"{visible} AND {filters}"
            params = [*visible_params, *filter_params]

        count = self._execute(f"SELECT count(*) FROM {source} WHERE {where}", params)[0][0]
        facets: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
        rows = self._execute(
            f"SELECT f.facet, f.value, count(*) FROM {FACET} f WHERE f.lesson_id IN "
            f"(SELECT d.lesson_id FROM {source} WHERE {where}) GROUP BY f.facet, f.value",
            params,
        )
        for facet, value, n in rows:
            facets.setdefault(facet, {})[value] = n

        offset = (max(query.page, 1) - 1) * query.per_page
        if match:
            weights = ", ".join(str(TEXT_FIELDS[c]) for c in COLUMNS)
            order = "d.date DESC, d.lesson_id DESC" if query.sort == "date" else "rank"
            page_rows = self._execute(
                f"SELECT d.lesson_id, d.body, bm25({FTS}, {weights}) AS rank, "
                f"snippet({FTS}, -1, char(2), char(3), '…', 24) FROM {source} "
                f"WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                [*params, query.per_page, offset],
            )
        else:
            page_rows = self._execute(
                f"SELECT d.lesson_id, d.body, 0, NULL FROM {source} WHERE {where} "
                "ORDER BY d.date DESC, d.lesson_id DESC LIMIT ? OFFSET ?",
                [*params, query.per_page, offset],
            )
        hits = [_hit(json.loads(body), snippet) for _, body, _, snippet in page_rows]
        return SearchResults(count=count, hits=hits, facets=facets)

    def doc_freq(self, stems: list[str]) -> dict[str, int]:
        if not stems:
            return {}
        rows = self._execute(
            f"SELECT term, doc FROM {VOCAB} WHERE term IN ({_placeholders(stems)})", stems
        )
        return dict(rows)

    def total(self) -> int:
        return self._execute(f"SELECT count(*) FROM {DOC}")[0][0]

    def similar_candidates(self, doc, terms, audience, limit):
        if not terms:
            return []
        visible, visible_params = self._visible(audience)
        match = " OR ".join(f'"{t}"' for t in terms)
        weights = ", ".join(str(TEXT_FIELDS[c]) for c in COLUMNS)
        rows = self._execute(
            f"SELECT d.lesson_id, bm25({FTS}, {weights}) AS rank, d.body, "
            f"{', '.join(f'{FTS}.{c}' for c in COLUMNS)} "
            f"FROM {FTS} JOIN {DOC} d ON d.lesson_id = {FTS}.rowid "
            f"WHERE {FTS} MATCH ? AND d.lesson_id != ? AND {visible} ORDER BY rank LIMIT ?",
            [match, doc.id if doc.id is not None else -1, *visible_params, limit],
        )
        out = []
        for lesson_id, rank, body, *texts in rows:
            stored = json.loads(body)
            stored["text"] = dict(zip(COLUMNS, texts, strict=True))
            out.append((lesson_id, -rank, stored))
        return out

    def get(self, lesson_id: int) -> LessonDocument | None:
        rows = self._execute(
            f"SELECT d.body, {', '.join(f'{FTS}.{c}' for c in COLUMNS)} FROM {DOC} d "
            f"JOIN {FTS} ON {FTS}.rowid = d.lesson_id WHERE d.lesson_id = ?",
            [lesson_id],
        )
        if not rows:
            return None
        body, *texts = rows[0]
        return document_from_stored(json.loads(body), dict(zip(COLUMNS, texts, strict=True)))

    def indexed_ids(self) -> set[int]:
        return {row[0] for row in self._execute(f"SELECT lesson_id FROM {DOC}")}

    def status(self) -> dict:
        return {"backend": self.name, "documents": self.total(), "reachable": True}


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
        highlight=_mark(snippet) if snippet else escape(stored["preview"]),
    )
