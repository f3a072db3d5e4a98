"""The search interface the rest of the project uses: search, similar cases, indexing.

Views, the API and the sync code call these functions, never a backend directly."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

import numpy as np
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from kb import access
from kb.choices import ATTACK_TYPES, THEMES
from search import diffusion, meaning, vectors
from search.backends import get_backend
from search.backends.base import (
    Audience,
    SearchQuery,
    SearchResults,
    SearchUnavailable,
    SimilarHit,
)
from search.bulk import documents
from search.documents import LessonDocument, build_document
from search.similar_terms import source_text
from search.text import key_terms

log = logging.getLogger(__name__)

CANDIDATES = 50
# The lesson's most distinctive terms that make the more-like-this query. Each term's
# posting list is read and every match is scored, so the cost grows with terms x corpus:
# 12 keeps tests/benchmarks/test_relevance.py's precision and halves the time of 25.
SIMILAR_TERMS = 12
SIMILAR_CACHE_SECONDS = 3600
# Lexical ranking alone (the model is unavailable): facets shared add to the score.
ATTACK_TYPE_BOOST = 0.15
THEME_BOOST = 0.1
# With the model: candidates are the best CANDIDATES by meaning, trimmed, scored by meaning
# alone (diffusion over them from the lesson, search.diffusion). The key terms they hold only
# name reasons and hide weak matches: weighted in (z among candidates of the same language),
# they raised P@4 on tests/benchmarks' judged sets by 0.01 at most and lowered it across
# languages, where a same-language distractor shares more words than a sibling in another
# language (meaning/terms 0.9/0.1 -> 1.0/0.0: English paraphrases 0.71 either way, five
# languages 0.84 -> 0.85, judged_set.json 0.49 either way; 0.7/0.3: 0.72, 0.80, 0.42). A
# shared attack type or theme only breaks ties: as a boost it pulled same-facet distractors
# above translations (issue 15).
SHARED_FACET_TIE = 0.01
EMBED_CHUNK = 64  # lessons embedded together during a rebuild
# A weak match is hidden: one shared common word ("told") is not a reason to call two
# lessons similar. A match stands on its meaning or on at least this many key terms.
MIN_SHARED_TERMS = 2


def is_strong_match(shared_terms: list, meaning: bool) -> bool:
    """Is this candidate similar enough to show (see MIN_SHARED_TERMS)?"""
    return meaning or len(shared_terms) >= MIN_SHARED_TERMS


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
    """Lessons matching the query's words and, with the embedding model, its meaning
    (search.meaning: what the count and facet counts then mean)."""
    return _guarded(lambda: meaning.search(get_backend(), query, audience_for(user)))


def similar(user, lesson, limit: int = 5, draft: bool = False) -> list[SimilarHit]:
    """Lessons similar to `lesson` that `user` may see, other cities first, each with the
    reasons it is similar. With draft=True the lesson's current (unpublished) text is used.

    Answers for published text are cached under the index's generation and the viewer's
    access tokens and grants: any change to the index makes a new key, so a cached answer
    is always the one a fresh query would give."""

    def run():
        backend = get_backend()
        store_generation = vectors.generation()
        key = None if draft else _similar_key(backend, user, lesson.pk, limit, store_generation)
        if key is not None:
            cached = cache.get(key)
            if cached is not None:
                return cached
        doc = (None if draft else backend.get(lesson.pk)) or build_document(lesson)
        index = vectors.current(store_generation)
        stored = None if draft else index.vector(lesson.pk)
        vector = stored if stored is not None else vectors.vector_for(doc)
        if vector is None:
            hits = _rank_similar(doc, user, limit)
        else:
            hits = _rank_fused(doc, vector, index, user, limit)
        if key is not None:
            cache.set(key, hits, SIMILAR_CACHE_SECONDS)
        return hits

    return _guarded(run)


def _similar_key(backend, user, lesson_id: int, limit: int, store_generation: str) -> str | None:
    generation = backend.generation()
    if generation is None:
        return None
    audience = audience_for(user)
    # The reasons are worded in the reader's language; the vector store has its own counter.
    who = repr((audience.tokens, sorted(audience.granted_ids), translation.get_language()))
    digest = hashlib.sha256(f"{who}{store_generation}".encode()).hexdigest()[:32]
    return f"kb:similar:{backend.name}:{generation}:{lesson_id}:{limit}:{digest}"


def _lexical(doc: LessonDocument, user) -> tuple[list, dict[str, str], list]:
    """The more-like-this candidates (id, score, stored), trimmed by the backend, with the
    query's key terms (stem -> word, in weight order)."""
    backend = get_backend()
    terms = _key_terms(doc)
    surface = [word for _, word, _ in terms]
    candidates = backend.similar_candidates(doc, surface, audience_for(user), CANDIDATES)
    return candidates, {term: word for term, word, _ in terms}, [t for t, _, _ in terms]


def _shared_terms(counts: dict | None, term_by_stem: dict[str, str], stems: list[str]) -> list:
    """The key terms (as the lesson words them) that a candidate's term counts hold."""
    if counts is None:
        return []
    return [term_by_stem[t] for t in stems if t in counts][:5]


def _reasons(shared_terms, shared_attack, shared_themes, meaning: bool) -> list[str]:
    reasons = [_("Similar meaning")] if meaning else []
    if shared_terms:
        reasons.append(_("Shared key terms: %s") % ", ".join(shared_terms))
    if shared_attack:
        names = ", ".join(str(ATTACK_TYPES.get(a, a)) for a in shared_attack)
        reasons.append(_("Same attack type: %s") % names)
    if shared_themes:
        reasons.append(
            _("Shared theme: %s") % ", ".join(str(THEMES.get(t, t)) for t in shared_themes)
        )
    return reasons


def _ordered(ranked: list, limit: int) -> list[SimilarHit]:
    """Other cities first (the panel's promise), then by score."""
    ranked.sort(key=lambda item: (not item[0], -item[1], item[2].id))
    return [hit for _, _, hit in ranked[:limit]]


def _rank_similar(doc: LessonDocument, user, limit: int) -> list[SimilarHit]:
    """Lexical similar cases alone: the ranking when no vector can be had."""
    candidates, term_by_stem, stems = _lexical(doc, user)
    if not candidates:
        return []
    top = max(score for _, score, _ in candidates) or 1.0
    counts = get_backend().term_counts(pk for pk, _, _ in candidates)
    ranked = []
    for lesson_id, score, stored in candidates:
        if lesson_id == doc.id:
            continue
        shared_attack = [a for a in doc.attack_types if a in stored["attack_types"]]
        shared_themes = [t for t in doc.themes if t in stored["themes"]]
        terms = _shared_terms(counts.get(lesson_id), term_by_stem, stems)
        if not is_strong_match(terms, meaning=False):
            continue
        total = (
            score / top + ATTACK_TYPE_BOOST * len(shared_attack) + THEME_BOOST * len(shared_themes)
        )
        reasons = _reasons(terms, shared_attack, shared_themes, meaning=False)
        ranked.append(_ranked(doc, lesson_id, stored, round(total, 4), reasons))
    return _ordered(ranked, limit)


def _ranked(doc, lesson_id: int, shown: dict, score: float, reasons: list[str]) -> tuple:
    hit = SimilarHit(
        id=lesson_id,
        external_id=shown.get("external_id"),
        title=shown["title"],
        city=shown["city"],
        url=shown["url"],
        score=score,
        reasons=reasons,
        language=shown.get("language") or "",
    )
    return shown["city_id"] != doc.city_id, score, hit


def _z(values: np.ndarray) -> np.ndarray:
    spread = values.std()
    return (values - values.mean()) / spread if spread > 1e-9 else np.zeros_like(values)


def _key_terms(doc: LessonDocument) -> list[tuple[str, str, float]]:
    backend = get_backend()
    return key_terms(
        source_text(doc),
        lambda stems: backend.doc_freq(stems, language=doc.language),
        backend.total(),
        limit=SIMILAR_TERMS,
        language=doc.language,
    )


def _term_counts(doc: LessonDocument, near: list[int]) -> tuple[dict, dict[str, str], list]:
    """The key-term counts of each lesson of `near` (already trimmed to what the user may
    read; search.similar_terms: stored by the backend when it indexes a lesson), {id:
    counts}, with the key terms as _lexical: the reasons a candidate is shown."""
    terms = _key_terms(doc)
    counts_by_id = get_backend().term_counts(near)
    return counts_by_id, {term: word for term, word, _ in terms}, [t for t, _, _ in terms]


def _diffused(vector, language: str, index, candidates: list[int]) -> dict[int, float]:
    """The candidates that have a vector (already trimmed to what the user may read), scored
    by diffusion from the lesson over them (search.diffusion), their vectors centred; their
    vectors are read once, here."""
    found = index.vectors(candidates, centred=True)
    if not found:
        return {}
    ids = list(found)
    reached = diffusion.scores(index.centred(vector, language), np.stack([found[pk] for pk in ids]))
    return {pk: float(score) for pk, score in zip(ids, reached, strict=True)}


def _rank_fused(doc: LessonDocument, vector, index, user, limit: int) -> list[SimilarHit]:
    """Similar cases by meaning, then terms: the nearest lessons by meaning, trimmed to what
    the user may read before they are ranked, then ranked by meaning and by the key terms
    they share with the lesson."""
    nearest = index.nearest(vector, audience_for(user), CANDIDATES, doc.id, doc.language)
    near = [pk for pk, _ in nearest]
    if index.pending():  # lessons without a vector yet: the more-like-this query finds them
        near += [pk for pk, _, _ in _lexical(doc, user)[0] if pk != doc.id]
    counts, term_by_stem, stems = _term_counts(doc, list(dict.fromkeys(near)))
    ids = list(dict.fromkeys([*(pk for pk, _ in nearest), *counts]))
    if not ids:
        return []
    # Diffusion scores every candidate with a vector, the lexical-only ones included: their
    # plain cosines would be replaced, so they are not read.
    meaning = _diffused(vector, doc.language, index, ids) or dict(nearest)
    floor = min(meaning.values(), default=0.0)  # a lesson still waiting for its vector
    shown_by_id = vectors.shown_many(ids)
    ids = [pk for pk in ids if pk in shown_by_id]  # a lesson deleted since it was ranked
    z_meaning = _z(np.array([meaning.get(pk, floor) for pk in ids]))
    ranked = []
    for at, pk in enumerate(ids):
        shown = shown_by_id[pk]
        shared_attack = [a for a in doc.attack_types if a in shown["attack_types"]]
        shared_themes = [t for t in doc.themes if t in shown["themes"]]
        score = round(
            float(z_meaning[at]) + SHARED_FACET_TIE * (len(shared_attack) + len(shared_themes)), 4
        )
        terms = _shared_terms(counts.get(pk), term_by_stem, stems)
        by_meaning = pk in meaning and z_meaning[at] > 0
        if not is_strong_match(terms, by_meaning):
            continue
        reasons = _reasons(terms, shared_attack, shared_themes, meaning=by_meaning)
        ranked.append(_ranked(doc, pk, shown, score, reasons))
    return _ordered(ranked, limit)


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
    # The vectors follow in the same step: a model failure leaves them pending, not raised.
    vectors.store(docs)
    if gone:
        vectors.remove(gone)


def rebuild(progress=None) -> int:
    """Rebuild the backend's index and the vector store (only changed text is embedded)."""
    seen: set[int] = set()

    def embedded(docs):
        chunk = []
        for doc in docs:
            chunk.append(doc)
            if len(chunk) == EMBED_CHUNK:
                vectors.store(chunk)
                seen.update(d.id for d in chunk)
                chunk = []
            yield doc
        vectors.store(chunk)
        seen.update(d.id for d in chunk)

    count = get_backend().rebuild(embedded(documents()), progress)
    vectors.remove(set(vectors.stored_ids()) - seen)
    return count
