"""How the embedded backend reads text: each lesson's stems in its language, a query's
words in every language (each variant matching only the lessons of its language), and the
highlighted fragment cut from a lesson's original text."""

from __future__ import annotations

from collections.abc import Collection

from search.documents import TEXT_FIELDS, LessonDocument
from search.languages import ANALYSES, analyse, analysis_for
from search.text import highlight, query_terms, query_variants

COLUMNS = list(TEXT_FIELDS)
LANG = "lang"  # the FTS column holding one token per lesson: the analysis of its text
SNIPPET_WORDS = 24
SNIPPET_START, SNIPPET_END = "\x02", "\x03"


def lang_token(key: str) -> str:
    return f"zzlang{key}"


def match_expression(text: str, used: Collection[str] | None = None) -> str | None:
    """Per analysis, the lessons indexed with it that hold any of the words or phrases as
    that analysis reads them (stop words of its language left out). `used`: the keys of the
    analyses some lesson was indexed with (None: all); the others could match nothing, and
    each costs a stemming of every word and a group of terms for FTS5 to read."""
    words, phrases = query_terms(text)
    groups = []
    for analysis in ANALYSES:
        if used is not None and analysis.key not in used:
            continue
        parts = [f'"{form}"' for form in query_variants(words, analysis)]
        for phrase in phrases:
            forms = [f for f in (query_variants([w], analysis) for w in phrase) if f]
            if forms:
                parts.append('"' + " ".join(f[0] for f in forms) + '"')
        if parts:
            parts = list(dict.fromkeys(parts))
            lang = lang_token(analysis.key)
            groups.append(f"({LANG} : {lang} AND ({' OR '.join(parts)}))")
    return " OR ".join(groups) or None


def query_forms(text: str, used: Collection[str] | None = None) -> dict[str, set[str]]:
    """The forms a query's words take in each analysis (those `used`), for highlighting."""
    words, phrases = query_terms(text)
    words = words + [w for phrase in phrases for w in phrase]
    return {a.key: set(query_variants(words, a)) for a in ANALYSES if used is None or a.key in used}


def snippet(stored: dict, forms: dict[str, set[str]]) -> str | None:
    """The fragment of the field with the most matched words (ties: the weightier field)."""
    analysis = analysis_for(stored.get("language"))
    wanted = forms.get(analysis.key, set())
    best = (0, None)
    for name in COLUMNS:
        text = stored.get("text", {}).get(name) or ""
        found = highlight(text, wanted, analysis, SNIPPET_START, SNIPPET_END, SNIPPET_WORDS)
        if found[0] > best[0]:
            best = found
    return best[1]


def fts_row(doc: LessonDocument) -> tuple:
    """The FTS row of a lesson: its id, its stems by column, the token of its analysis."""
    analysis = analysis_for(doc.language)
    stems = (" ".join(analyse(doc.text.get(c, ""), analysis)) for c in COLUMNS)
    return (doc.id, *stems, lang_token(analysis.key))
