"""The embedded backend's tables, and how access tokens and facet values are packed in them.

Access tokens and facet values are packed into short strings of the narrow META table, each
entry between two separators, so that trimming and filtering are a few instr() calls on the
row the full-text match already points to (no subquery per matching lesson)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from search.backends.embedded_text import LANG
from search.documents import TEXT_FIELDS

FTS = "kb_search_fts"
DOC = "kb_search_doc"
META = "kb_search_meta"
TERMS = "kb_search_terms"
STATE = "kb_search_state"
VOCAB = "kb_search_vocab"
COLUMNS = list(TEXT_FIELDS)
SEP, EQ = "\x1f", "\x1e"

SCHEMA = [
    # The text arrives stemmed and folded (search.languages); the tokenizer only splits it.
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5({', '.join(COLUMNS)}, {LANG}, "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB} USING fts5vocab({FTS}, 'row')",
    f"CREATE TABLE IF NOT EXISTS {DOC} (lesson_id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {META} (lesson_id INTEGER PRIMARY KEY, date TEXT NOT NULL, "
    "lesson_tokens TEXT NOT NULL, debrief_tokens TEXT NOT NULL, facets TEXT NOT NULL)",
    # Each lesson's key-term counts (search.similar_terms), read by similar cases for the
    # few candidates they rank; kept apart from the wide stored bodies and the narrow META
    # rows every search scans. A lesson indexed before the table existed has no row: its
    # counts are then computed from its stored text.
    f"CREATE TABLE IF NOT EXISTS {TERMS} (lesson_id INTEGER PRIMARY KEY, counts TEXT NOT NULL)",
    # A random number drawn anew at every write to the index: an answer cached under it is
    # exact for as long as it is current (and a restored database brings back its own).
    f"CREATE TABLE IF NOT EXISTS {STATE} (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "generation INTEGER NOT NULL)",
    f"INSERT OR IGNORE INTO {STATE}(id, generation) VALUES (1, random())",
]
OLD_TABLES = ("kb_search_access", "kb_search_facet")
DROP = [f"DROP TABLE IF EXISTS {name}" for name in (VOCAB, FTS, DOC, META, TERMS, *OLD_TABLES)]


def create_schema(conn=connection) -> None:
    with conn.cursor() as cursor:
        for statement in SCHEMA:
            cursor.execute(statement)


def placeholders(values) -> str:
    return ", ".join("?" for _ in values) if values else "NULL"


def packed(entries: Iterable[str]) -> str:
    return SEP + SEP.join(entries) + SEP


def delimited(value: str) -> str:
    return SEP + value + SEP


def facet_entry(facet: str, value: str) -> str:
    return f"{facet}{EQ}{value}"
