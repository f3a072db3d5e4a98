"""Text handling shared by both backends: turning what a user typed into safe query terms,
the key terms of a lesson for similar cases (in its language: search.languages), and the
highlighted fragment of a text."""

from __future__ import annotations

import math
import re
from collections import Counter

from search.languages import (
    MARKED_WORD,
    Analysis,
    analyse_word,
    analysis_for,
    fold,
    strip_marks,
)

MAX_QUERY_TERMS = 32
MAX_QUERY_LENGTH = 500
_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]+)"')

# The English words too common to be a lesson's key term (or a more-like-this term); the
# index leaves out fewer (search.languages.ENGLISH_STOPWORDS).
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


def key_stopwords(language: str) -> frozenset[str]:
    """The words that are never a key term of a lesson in this language."""
    analysis = analysis_for(language)
    return analysis.stopwords | STOPWORDS if analysis.key == "en" else analysis.stopwords


def stem(word: str, language: str = "en") -> str:
    """The indexed form of a word in a language (the word itself, folded, for a stop word)."""
    analysis = analysis_for(language)
    return analyse_word(word, analysis.key) or fold(word.lower())


def query_variants(words: list[str], analysis: Analysis) -> list[str]:
    """The words as a document in this analysis's language indexes them, stop words left
    out, each once."""
    forms = (analyse_word(w, analysis.key) for w in words)
    return list(dict.fromkeys(form for form in forms if form))


def query_terms(text: str) -> tuple[list[str], list[list[str]]]:
    """Words and quoted phrases from user input; every operator character is dropped."""
    text = (text or "")[:MAX_QUERY_LENGTH]
    text = strip_marks(text)
    phrases = [_WORD.findall(p.lower()) for p in _PHRASE.findall(text)]
    phrases = [p for p in phrases if p]
    rest = _PHRASE.sub(" ", text)
    # Stop words stay: a word is one in some languages only ("die", "son"); each
    # language's analysis leaves out its own.
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(rest)))
    return words[:MAX_QUERY_TERMS], phrases[:8]


def content_words(text: str, language: str = "en") -> list[str]:
    stopwords = key_stopwords(language)
    return [
        w
        for w in (m.lower() for m in _WORD.findall(strip_marks(text or "")))
        if len(w) > 2 and w not in stopwords and not w.isdigit()
    ]


def key_terms(
    text: str, doc_freq, total_docs: int, limit: int = 25, language: str = "en"
) -> list[tuple[str, str, float]]:
    """The lesson's most distinctive terms as (stem, a surface word, tf-idf weight), the
    text analysed in the lesson's language.

    doc_freq(stems) -> {stem: number of indexed lessons containing it}."""
    words = content_words(text, language)
    if not words:
        return []
    by_stem: dict[str, Counter] = {}
    for word in words:
        by_stem.setdefault(stem(word, language), Counter())[word] += 1
    frequencies = doc_freq(list(by_stem))
    scored = []
    for term, surfaces in by_stem.items():
        tf = sum(surfaces.values())
        df = frequencies.get(term, 0)
        idf = math.log((1 + total_docs) / (1 + df)) + 1
        scored.append((term, surfaces.most_common(1)[0][0], (1 + math.log(tf)) * idf))
    scored.sort(key=lambda item: (-item[2], item[0]))
    return scored[:limit]


def stems_of(text: str, language: str = "en") -> set[str]:
    return {stem(w, language) for w in content_words(text, language)}


def highlight(
    text: str, forms: set[str], analysis: Analysis, start: str, end: str, size: int = 24
) -> tuple[int, str]:
    """The window of `size` words of `text` holding the most words whose indexed form is in
    `forms`, each such word between `start` and `end`, "…" where the text is cut; with the
    number of matched words in it. The embedded backend indexes stems, so FTS5's own
    snippet() would show stems: the fragment is cut from the original text here instead."""
    words = list(MARKED_WORD.finditer(text or ""))
    hit = [analyse_word(m.group(), analysis.key) in forms for m in words]
    if not any(hit):
        return 0, ""
    # The earliest window with the most matches, by a running sum over the windows.
    count = best = sum(hit[:size])
    first = 0
    for i in range(1, max(len(words) - size, 0) + 1):
        count += hit[i + size - 1] - hit[i - 1]
        if count > best:
            best, first = count, i
    # Some words of context before the first match, when that keeps every match.
    lead = max(0, min(hit.index(True, first) - size // 4, len(words) - size))
    if lead < first and sum(hit[lead : lead + size]) == best:
        first = lead
    window = words[first : first + size]
    pieces, position = [], window[0].start() if first else 0
    for match, marked in zip(window, hit[first : first + size], strict=True):
        if marked:
            pieces += [text[position : match.start()], start, match.group(), end]
            position = match.end()
    last = window[-1].end() if first + size < len(words) else len(text)
    pieces.append(text[position:last])
    fragment = ("…" if first else "") + "".join(pieces).strip()
    return best, fragment + ("…" if last < len(text) else "")
