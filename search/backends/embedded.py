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

from search.backends.base import Audience, Hit, SearchBackend, SearchQuery, SearchResults
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
from search.documents import TEXT_FIELDS, LessonDocument, document_from_stored
from search.facets import FACETS

FTS = "kb_search_fts"
DOC = "kb_search_doc"
META = "kb_search_meta"
STATE = "kb_search_state"
VOCAB = "kb_search_vocab"
COLUMNS = list(TEXT_FIELDS)
WEIGHTS = ", ".join([*(str(TEXT_FIELDS[c]) for c in COLUMNS), "0"])
# Access tokens and facet values are packed into short strings of the narrow META table,
# each entry between two separators, so that trimming and filtering are a few instr() calls
# on the row the full-text match already points to (no subquery per matching lesson).
SEP, EQ = "\x1f", "\x1e"
PROBE = 8  # similar cases: candidates ranked by text alone, per candidate wanted
FACET_CHUNK = 2000  # rows whose packed facets are split at once (bounded memory)
_USED: dict[str, tuple[int, frozenset[str]]] = {}  # by database: (generation, analyses used)

SCHEMA = [
    # The text arrives stemmed and folded (search.languages); the tokenizer only splits it.
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5({', '.join(COLUMNS)}, {LANG}, "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB} USING fts5vocab({FTS}, 'row')",
    f"CREATE TABLE IF NOT EXISTS {DOC} (lesson_id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {META} (lesson_id INTEGER PRIMARY KEY, date TEXT NOT NULL, "
    "lesson_tokens TEXT NOT NULL, debrief_tokens TEXT NOT NULL, facets TEXT NOT NULL)",
    # A random number drawn anew at every write to the index: an answer cached under it is
    # exact for as long as it is current (and a restored database brings back its own).
    f"CREATE TABLE IF NOT EXISTS {STATE} (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "generation INTEGER NOT NULL)",
    f"INSERT OR IGNORE INTO {STATE}(id, generation) VALUES (1, random())",
]
OLD_TABLES = ("kb_search_access", "kb_search_facet")
DROP = [f"DROP TABLE IF EXISTS {name}" for name in (VOCAB, FTS, DOC, META, *OLD_TABLES)]


def create_schema(conn=connection) -> None:
    with conn.cursor() as cursor:
        for statement in SCHEMA:
            cursor.execute(statement)


def _placeholders(values) -> str:
    return ", ".join("?" for _ in values) if values else "NULL"


def _packed(entries: Iterable[str]) -> str:
    return SEP + SEP.join(entries) + SEP


def _entry(value: str) -> str:
    return SEP + value + SEP


def _facet_entry(facet: str, value: str) -> str:
    return f"{facet}{EQ}{value}"


def _mark(fragment: str) -> str:
    return escape(fragment).replace(SNIPPET_START, "<mark>").replace(SNIPPET_END, "</mark>")


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
        generation = self.generation()
        if generation is None:
            return None
        known = _USED.get(connection.alias)
        if known and known[0] == generation:
            return known[1]
        prefix = lang_token("")
        rows = self._execute(
            f"SELECT term FROM {VOCAB} WHERE term >= ? AND term < ?", [prefix, prefix + "\uffff"]
        )
        used = frozenset(term[len(prefix) :] for (term,) in rows)
        _USED[connection.alias] = (generation, used)
        return used

    def _remove(self, ids: list[int]) -> None:
        self._bump()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = _placeholders(chunk)
            self._execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", chunk)
            for table in (DOC, META):
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
            f"VALUES (?, {_placeholders(COLUMNS)}, ?)",
            [fts_row(d) for d in docs],
        )
        self._executemany(
            f"INSERT INTO {DOC}(lesson_id, body) VALUES (?, ?)",
            [(d.id, json.dumps(_stored(d))) for d in docs],
        )
        self._executemany(
            f"INSERT INTO {META}(lesson_id, date, lesson_tokens, debrief_tokens, facets) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (
                    d.id,
                    d.date,
                    _packed(d.lesson_tokens),
                    _packed(d.debrief_tokens),
                    _packed(_facet_entry(f, v) for f in FACETS for v in d.facets.get(f, [])),
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
        entries = [_entry(t) for t in audience.tokens]

        def holds(column: str) -> str:
            return " OR ".join(f"instr(m.{column}, ?) > 0" for _ in entries) or "0"

        clause = f"(({holds('lesson_tokens')}) AND ({holds('debrief_tokens')}))"
        params = entries + entries
        if audience.granted_ids:
            grants = sorted(audience.granted_ids)
            clause += f" OR m.lesson_id IN ({_placeholders(grants)})"
            params += grants
        return f"({clause})", params

    def _filters(self, filters: dict[str, list[str]]) -> tuple[str, list]:
        clauses, params = [], []
        for facet in FACETS:
            values = [v for v in filters.get(facet, []) if v]
            if values:
                clauses.append("(" + " OR ".join("instr(m.facets, ?) > 0" for _ in values) + ")")
                params += [_entry(_facet_entry(facet, v)) for v in values]
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
        marks = _placeholders(ids)
        bodies = dict(
            self._execute(f"SELECT lesson_id, body FROM {DOC} WHERE lesson_id IN ({marks})", ids)
        )
        forms = query_forms(text, used) if text else None
        hits = []
        for pk in ids:
            stored = json.loads(bodies[pk])
            hits.append(_hit(stored, snippet(stored, forms) if forms else None))
        return hits

    def doc_freq(self, stems: list[str], language: str | None = None) -> dict[str, int]:
        # The vocabulary counts across languages: one lookup per stem, whatever the language.
        if not stems:
            return {}
        rows = self._execute(
            f"SELECT term, doc FROM {VOCAB} WHERE term IN ({_placeholders(stems)})", stems
        )
        return dict(rows)

    def total(self) -> int:
        # The narrow table: counting DOC would read every stored body.
        return self._execute(f"SELECT count(*) FROM {META}")[0][0]

    def similar_candidates(self, doc, terms, audience, limit):
        if not terms:
            return []
        visible, visible_params = self._visible(audience)
        match = match_expression(" ".join(terms), self._analyses_used())
        if match is None:
            return []
        exclude = doc.id if doc.id is not None else -1
        ranked = self._similar_ranked(match, exclude, visible, visible_params, limit)
        if not ranked:
            return []
        ids = [pk for pk, _ in ranked]
        rows = self._execute(
            f"SELECT lesson_id, body FROM {DOC} WHERE lesson_id IN ({_placeholders(ids)})", ids
        )
        stored_by_id = {lesson_id: json.loads(body) for lesson_id, body in rows}
        return [(pk, -rank, stored_by_id[pk]) for pk, rank in ranked if pk in stored_by_id]

    def _similar_ranked(self, match, exclude, visible, visible_params, limit) -> list:
        """The `limit` best visible matches as (id, bm25), best first.

        First the best PROBE * limit matches by text alone, then the access rule on those
        few rows: when enough of them are visible they are exactly the best visible ones
        (every other visible match ranks below them). Otherwise the rule is applied to
        every match."""
        best = self._execute(
            f"SELECT rowid, bm25({FTS}, {WEIGHTS}) AS score FROM {FTS} "
            f"WHERE {FTS} MATCH ? ORDER BY score LIMIT ?",
            [match, PROBE * limit + 1],
        )
        score = {pk: value for pk, value in best if pk != exclude}
        if score:
            shown = self._execute(
                f"SELECT m.lesson_id FROM {META} m "
                f"WHERE m.lesson_id IN ({_placeholders(score)}) AND {visible}",
                [*score, *visible_params],
            )
            ranked = sorted(((pk, score[pk]) for (pk,) in shown), key=lambda r: (r[1], r[0]))
            if len(ranked) >= limit or len(best) <= PROBE * limit:
                return ranked[:limit]
        return self._execute(
            f"SELECT m.lesson_id, bm25({FTS}, {WEIGHTS}) AS score FROM {FTS} "
            f"JOIN {META} m ON m.lesson_id = {FTS}.rowid "
            f"WHERE {FTS} MATCH ? AND m.lesson_id != ? AND {visible} "
            "ORDER BY score, m.lesson_id LIMIT ?",
            [match, exclude, *visible_params, limit],
        )

    def get(self, lesson_id: int) -> LessonDocument | None:
        rows = self._execute(f"SELECT body FROM {DOC} WHERE lesson_id = ?", [lesson_id])
        return document_from_stored(json.loads(rows[0][0])) if rows else None

    def get_many(self, lesson_ids: Iterable[int]) -> dict[int, LessonDocument]:
        ids = list(dict.fromkeys(lesson_ids))
        if not ids:
            return {}
        rows = self._execute(
            f"SELECT lesson_id, body FROM {DOC} WHERE lesson_id IN ({_placeholders(ids)})", ids
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
