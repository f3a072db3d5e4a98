"""Reading Elasticsearch's answers: a hit's stored source in the shape the embedded backend
stores, and its best highlighted fragment, marked and escaped as the embedded backend does."""

from __future__ import annotations

import dataclasses

from django.utils.html import escape

from search.backends.base import Hit
from search.documents import TEXT_FIELDS, LessonDocument

START, END = "\x02", "\x03"  # highlight tags: never in text, escaped apart from it
DOC_FIELDS = {f.name for f in dataclasses.fields(LessonDocument)}
_HIT_FIELDS = [f.name for f in dataclasses.fields(Hit) if f.name != "highlight"]


def _mark(fragment: str) -> str:
    return escape(fragment).replace(START, "<mark>").replace(END, "</mark>")


def stored_of(source: dict) -> dict:
    """The same keys the embedded backend stores, with the text by field."""
    stored = {key: source.get(key) for key in DOC_FIELDS}
    stored["text"] = source.get("text") or {}
    stored["preview"] = (stored["text"].get("lesson_identified") or "")[:240]
    return stored


def _best_fragment(highlight) -> tuple[str, str] | None:
    """The fragment with the most matches (ties: the field weighted first)."""
    if not highlight:
        return None
    by_name: dict[str, str] = {}
    for field, fragments in highlight.items():  # text.<name> or by_language.<key>.<name>
        name = field.rpartition(".")[2]
        if fragments and fragments[0].count(START) > by_name.get(name, "").count(START):
            by_name[name] = fragments[0]
    found = [(name, by_name[name]) for name in TEXT_FIELDS if name in by_name]
    if not found:
        return None
    return max(found, key=lambda item: item[1].count(START))


def hit_of(source: dict, highlight) -> Hit:
    stored = stored_of(source)
    best = _best_fragment(highlight)
    if best:
        name, fragment = best
        whole = stored["text"].get(name) or ""
        plain = fragment.replace(START, "").replace(END, "")
        # Mark cut edges as the embedded backend's snippets do.
        fragment = ("" if whole.startswith(plain) else "…") + fragment
        fragment += "" if whole.endswith(plain) else "…"
        highlighted = _mark(fragment)
    else:
        highlighted = escape(stored["preview"])
    return Hit(highlight=highlighted, **{name: stored[name] for name in _HIT_FIELDS})
