"""The search interface the rest of the project uses: search, similar cases, indexing.

Views, the API and the sync code call these functions, never a backend directly."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

from django.core.cache import cache

from kb import access
from kb.choices import ATTACK_TYPES, THEMES
from search.backends import get_backend
from search.backends.base import (
    Audience,
    SearchQuery,
    SearchResults,
    SearchUnavailable,
    SimilarHit,
)
from search.bulk import documents
from search.documents import LessonDocument, build_document, document_from_stored
from search.text import key_terms, stems_of

log = logging.getLogger(__name__)

SIMILAR_TEXT_FIELDS = [
    "title",
    "lesson_identified",
    "observation",
    "discussion",
    "recommendations",
    "keywords",
]
CANDIDATES = 50
# The lesson's most distinctive terms that make the more-like-this query. Each term's
# posting list is read and every match is scored, so the cost grows with terms x corpus:
# 12 keeps tests/benchmarks/test_relevance.py's precision and halves the time of 25.
SIMILAR_TERMS = 12
SIMILAR_CACHE_SECONDS = 3600
ATTACK_TYPE_BOOST = 0.15
THEME_BOOST = 0.1


def audience_for(user) -> Audience:
    tokens = access.viewer_tokens(user)
    return Audience(
        tokens=None if tokens is None else tuple(tokens), granted_ids=access.granted_ids(user)
    )


def _guarded(call):
    try:
        return call()
    except SearchUnavailable:
        raise
    except Exception as error:  # an engine outage must not break the page that asked
        log.warning("search engine error: %s", error)
        raise SearchUnavailable(str(error)) from error


def search(user, query: SearchQuery) -> SearchResults:
    return _guarded(lambda: get_backend().search(query, audience_for(user)))


def similar(user, lesson, limit: int = 5, draft: bool = False) -> list[SimilarHit]:
    """Lessons similar to `lesson` that `user` may see, other cities first, each with the
    reasons it is similar. With draft=True the lesson's current (unpublished) text is used.

    Answers for published text are cached under the index's generation and the viewer's
    access tokens and grants: any change to the index makes a new key, so a cached answer
    is always the one a fresh query would give."""

    def run():
        backend = get_backend()
        key = None if draft else _similar_key(backend, user, lesson.pk, limit)
        if key is not None:
            cached = cache.get(key)
            if cached is not None:
                return cached
        doc = None if draft else backend.get(lesson.pk)
        hits = _rank_similar(doc or build_document(lesson), user, limit)
        if key is not None:
            cache.set(key, hits, SIMILAR_CACHE_SECONDS)
        return hits

    return _guarded(run)


def _similar_key(backend, user, lesson_id: int, limit: int) -> str | None:
    generation = backend.generation()
    if generation is None:
        return None
    audience = audience_for(user)
    who = repr((audience.tokens, sorted(audience.granted_ids)))
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    return f"kb:similar:{backend.name}:{generation}:{lesson_id}:{limit}:{digest}"


def _source_text(doc: LessonDocument) -> str:
    return "\n".join(doc.text.get(field, "") for field in SIMILAR_TEXT_FIELDS)


def _rank_similar(doc: LessonDocument, user, limit: int) -> list[SimilarHit]:
    backend = get_backend()
    text = _source_text(doc)
    terms = key_terms(
        text, backend.doc_freq, backend.total(), limit=SIMILAR_TERMS, language=doc.language
    )
    surface = [word for _, word, _ in terms]
    candidates = backend.similar_candidates(doc, surface, audience_for(user), CANDIDATES)
    if not candidates:
        return []
    top = max(score for _, score, _ in candidates) or 1.0
    term_by_stem = {term: word for term, word, _ in terms}
    ranked = []
    for lesson_id, score, stored in candidates:
        if lesson_id == doc.id:
            continue
        other = document_from_stored(stored)
        other_stems = stems_of(_source_text(other), other.language)
        shared_terms = [term_by_stem[t] for t, _, _ in terms if t in other_stems][:5]
        shared_attack = [a for a in doc.attack_types if a in stored["attack_types"]]
        shared_themes = [t for t in doc.themes if t in stored["themes"]]
        reasons = []
        if shared_terms:
            reasons.append("Shared key terms: " + ", ".join(shared_terms))
        if shared_attack:
            reasons.append(
                "Same attack type: " + ", ".join(ATTACK_TYPES.get(a, a) for a in shared_attack)
            )
        if shared_themes:
            reasons.append("Shared theme: " + ", ".join(THEMES.get(t, t) for t in shared_themes))
        total = (
            score / top + ATTACK_TYPE_BOOST * len(shared_attack) + THEME_BOOST * len(shared_themes)
        )
        other_city = stored["city_id"] != doc.city_id
        ranked.append(
            (
                other_city,
                round(total, 4),
                SimilarHit(
                    id=lesson_id,
                    external_id=stored.get("external_id"),
                    title=stored["title"],
                    city=stored["city"],
                    url=stored["url"],
                    score=round(total, 4),
                    reasons=reasons,
                ),
            )
        )
    ranked.sort(key=lambda item: (not item[0], -item[1], item[2].id))
    return [hit for _, _, hit in ranked[:limit]]


# --- indexing ------------------------------------------------------------------------------


def index_lessons(ids: Iterable[int]) -> None:
    """Make the index match the database for these lessons (upsert or delete)."""
    ids = set(ids)
    backend = get_backend()
    docs = list(documents(ids))
    backend.upsert(docs)
    gone = ids - {doc.id for doc in docs}
    if gone:
        backend.delete(gone)


def rebuild(progress=None) -> int:
    return get_backend().rebuild(documents(), progress)
