"""Each lesson's key-term counts for similar cases: the stems of its content words (in its
language, search.text) with how often each occurs, in the text similar cases compare.

The embedded backend stores them beside each lesson when it indexes it, so that similar
cases read a candidate's counts instead of analysing its whole text again at every request
(50 candidates a request, ~1 ms of stemming each). Any backend that does not store them
computes them from the indexed document (SearchBackend.term_counts)."""

from __future__ import annotations

import json
from collections import Counter

from search.text import content_words, stem

# The fields whose words make a lesson's key terms and the terms it shares with another.
SIMILAR_TEXT_FIELDS = [
    "title",
    "lesson_identified",
    "observation",
    "discussion",
    "recommendations",
    "keywords",
]


def source_text(doc) -> str:
    """The text similar cases compare, of a LessonDocument."""
    return "\n".join(doc.text.get(field, "") for field in SIMILAR_TEXT_FIELDS)


def term_counts(doc) -> dict[str, int]:
    """{stem: occurrences} of the lesson's content words, as key terms are counted."""
    language = doc.language
    return dict(Counter(stem(word, language) for word in content_words(source_text(doc), language)))


def encoded(counts: dict[str, int]) -> str:
    return json.dumps(counts, ensure_ascii=False, separators=(",", ":"))


def decoded(stored: str) -> dict[str, int]:
    return json.loads(stored)
