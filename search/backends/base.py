"""The one search interface; each backend implements it and passes tests/search/contract."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from search import similar_terms
from search.documents import LessonDocument


class SearchUnavailable(Exception):
    """The search engine cannot be reached; callers show "search is unavailable"."""


@dataclass(frozen=True)
class Audience:
    """Who is asking, as the engine sees it (from kb.access): tokens and grants.

    tokens None means no trimming (platform administrator)."""

    tokens: tuple[str, ...] | None
    granted_ids: frozenset[int] = frozenset()


@dataclass
class SearchQuery:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"  # or "date"


@dataclass
class Hit:
    id: int
    external_id: str | None
    title: str
    city: str
    url: str
    date: str
    attack_types: list[str]
    themes: list[str]
    marking: str
    highlight: str  # safe HTML: escaped text with <mark> around matches
    language: str = ""  # the lesson's content language (BCP 47), for its badge


@dataclass
class SearchResults:
    count: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]


@dataclass
class SimilarHit:
    id: int
    external_id: str | None
    title: str
    city: str
    url: str
    score: float
    reasons: list[str]
    language: str = ""


ProgressCallback = Callable[[int], None]


class SearchBackend:
    name = "base"

    def upsert(self, docs: Iterable[LessonDocument]) -> int:
        raise NotImplementedError

    def delete(self, ids: Iterable[int]) -> None:
        raise NotImplementedError

    def rebuild(
        self, docs: Iterable[LessonDocument], progress: ProgressCallback | None = None
    ) -> int:
        raise NotImplementedError

    def search(self, query: SearchQuery, audience: Audience) -> SearchResults:
        raise NotImplementedError

    def similar_candidates(
        self, doc: LessonDocument, terms: list[str], audience: Audience, limit: int
    ) -> list[tuple[int, float, dict]]:
        """Candidates for similar cases: (id, text score, stored fields) best first."""
        raise NotImplementedError

    def doc_freq(self, stems: list[str], language: str | None = None) -> dict[str, int]:
        """How many indexed lessons contain each term (as search.text.stem analyses a word);
        with `language`, a backend may count within the lessons of that language's analysis
        only (the stems are that language's forms)."""
        raise NotImplementedError

    def total(self) -> int:
        raise NotImplementedError

    def generation(self) -> int | None:
        """A number that changes whenever the index changes (None: not known), so that
        answers cached under it stay exact."""
        return None

    def indexed_ids(self) -> set[int]:
        raise NotImplementedError

    def get(self, lesson_id: int) -> LessonDocument | None:
        raise NotImplementedError

    def get_many(self, lesson_ids: Iterable[int]) -> dict[int, LessonDocument]:
        """The indexed documents of these lessons, by id, in one request (absent: not indexed)."""
        found = ((pk, self.get(pk)) for pk in lesson_ids)
        return {pk: doc for pk, doc in found if doc is not None}

    def term_counts(self, lesson_ids: Iterable[int]) -> dict[int, dict[str, int]]:
        """Each indexed lesson's key-term counts (search.similar_terms), by id; a backend
        that stores them reads them, the others analyse the indexed documents."""
        docs = self.get_many(lesson_ids)
        return {pk: similar_terms.term_counts(doc) for pk, doc in docs.items()}

    def status(self) -> dict:
        raise NotImplementedError
