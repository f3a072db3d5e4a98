"""Text handling shared by both backends: turning what a user typed into safe query terms,
and the key terms of a lesson for similar cases."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import snowballstemmer

MAX_QUERY_TERMS = 32
MAX_QUERY_LENGTH = 500
_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]+)"')

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them then there these they
    this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours one two three within without across per via must
    may might shall need needs needed made make makes many much well new used use using""".split()
)


@lru_cache(maxsize=1)
def _stemmer():
    # The same (Porter) algorithm as SQLite FTS5's porter tokenizer, so stems agree.
    return snowballstemmer.stemmer("porter")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    # Memoised: the stemmer is pure Python, and similar cases stem the text of 50
    # candidates per request; a language's working vocabulary fits the cache.
    return _stemmer().stemWord(word.lower())


def query_terms(text: str) -> tuple[list[str], list[list[str]]]:
    """Words and quoted phrases from user input; every operator character is dropped."""
    text = (text or "")[:MAX_QUERY_LENGTH]
    phrases = [_WORD.findall(p.lower()) for p in _PHRASE.findall(text)]
    phrases = [p for p in phrases if p]
    rest = _PHRASE.sub(" ", text)
    words = [w.lower() for w in _WORD.findall(rest)]
    words = [w for w in dict.fromkeys(words) if w not in STOPWORDS or len(words) == 1]
    return words[:MAX_QUERY_TERMS], phrases[:8]


def content_words(text: str) -> list[str]:
    return [
        w
        for w in (m.lower() for m in _WORD.findall(text or ""))
        if len(w) > 2 and w not in STOPWORDS and not w.isdigit()
    ]


def key_terms(
    text: str, doc_freq, total_docs: int, limit: int = 25
) -> list[tuple[str, str, float]]:
    """The lesson's most distinctive terms as (stem, a surface word, tf-idf weight).

    doc_freq(stems) -> {stem: number of indexed lessons containing it}."""
    words = content_words(text)
    if not words:
        return []
    by_stem: dict[str, Counter] = {}
    for word in words:
        by_stem.setdefault(stem(word), Counter())[word] += 1
    frequencies = doc_freq(list(by_stem))
    scored = []
    for term, surfaces in by_stem.items():
        tf = sum(surfaces.values())
        df = frequencies.get(term, 0)
        idf = math.log((1 + total_docs) / (1 + df)) + 1
        scored.append((term, surfaces.most_common(1)[0][0], (1 + math.log(tf)) * idf))
    scored.sort(key=lambda item: (-item[2], item[0]))
    return scored[:limit]


def stems_of(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}
