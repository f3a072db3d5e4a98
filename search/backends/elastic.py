"""The Elasticsearch backend, written with the elasticsearch-dsl API (`elasticsearch.dsl`).

The index is reached through an alias (KB_ELASTICSEARCH_INDEX): a rebuild fills a new
concrete index and moves the alias in one atomic call, so searches never see a half-built
index. The access-policy filter is part of every query, so hits, facet counts and similar
cases are trimmed by the engine itself. Any engine error surfaces as SearchUnavailable.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, dsl, helpers
from elasticsearch.helpers import BulkIndexError

from search.backends.base import (
    Audience,
    ProgressCallback,
    SearchBackend,
    SearchQuery,
    SearchResults,
    SearchUnavailable,
)
from search.backends.elastic_hits import DOC_FIELDS, END, START, hit_of, stored_of
from search.backends.elastic_mapping import (
    BY_LANGUAGE,
    PLAIN_FIELDS,
    STEMMED_FIELDS,
    IndexedLesson,
    PlainJsonNode,
)
from search.documents import TEXT_FIELDS, LessonDocument
from search.facets import FACETS
from search.languages import LANGUAGES, PLAIN, analysis_for
from search.text import key_stopwords, query_terms

FACET_SIZE = 10_000  # buckets per facet: more than any facet has values
MAX_WINDOW = 10_000  # index.max_result_window: deeper pages come back empty
CLIENT_OPTIONS = {"request_timeout": 10, "max_retries": 1, "retry_on_timeout": False}
HIGHLIGHT = dict(pre_tags=[START], post_tags=[END], number_of_fragments=1, fragment_size=160)
# Small corpora too: a term seen once, in one lesson, may already say something.
MORE_LIKE_THIS = dict(min_term_freq=1, min_doc_freq=1, max_query_terms=25, min_word_length=3)
# As similar_terms.SIMILAR_TEXT_FIELDS: the debrief summary is shared by all its lessons, so it
# would make sibling lessons look alike.
SIMILAR_FIELDS = [name for name in TEXT_FIELDS if name != "summary"]


def _guarded(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (ApiError, TransportError, BulkIndexError) as error:
            if isinstance(error, NotFoundError):
                self._ready = False  # the index went away: recreate it on next use
            raise SearchUnavailable(f"Elasticsearch: {error}") from error

    return wrapper


def _refresh() -> bool | str:
    # Tests set KB_ELASTICSEARCH_REFRESH = True so a write is searchable at once.
    return getattr(settings, "KB_ELASTICSEARCH_REFRESH", False)


def _fold(stem: str) -> str:
    # asciifolding in the analyser turns "café" into "cafe"; do the same to a stem.
    decomposed = unicodedata.normalize("NFKD", stem)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _in_text(make) -> dsl.Query:
    """make(fields) on the fields of each lesson's own analysis: its language's, or the
    plain `text` fields for a lesson in a language without a stemmer."""
    plain = dsl.Q("bool", must=[make(PLAIN_FIELDS)], filter=[dsl.Q("term", analysis=PLAIN.key)])
    return dsl.Q("bool", should=[make(STEMMED_FIELDS), plain], minimum_should_match=1)


def _any_term(term: str):
    return lambda fields: dsl.Q("bool", should=[dsl.Q("term", **{field: term}) for field in fields])


def _anywhere(term: str) -> dsl.Query:
    return _in_text(_any_term(term))


def _in_language(analysis):
    """A term in the text fields of one analysis: its language's, or `text` for PLAIN (the
    lessons of other languages hold their text there too, so only PLAIN's lessons count)."""
    if analysis is PLAIN:
        return lambda term: dsl.Q(
            "bool",
            must=[_any_term(term)(PLAIN_FIELDS)],
            filter=[dsl.Q("term", analysis=PLAIN.key)],
        )
    fields = [f"{BY_LANGUAGE}.{analysis.key}.{name}" for name in TEXT_FIELDS]
    return lambda term: _any_term(term)(fields)


def _weighted(fields: list[str]) -> list[str]:
    return [f"{field}^{TEXT_FIELDS[field.rpartition('.')[2]]}" for field in fields]


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, index: str):
        self.url = url
        self.alias = index
        self.client = Elasticsearch(url, node_class=PlainJsonNode, **CLIENT_OPTIONS)
        self._ready = False
        self._lock = threading.Lock()

    # --- the index and its alias ---------------------------------------------------------
    def _new_index(self, alias: bool) -> str:
        name = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        index = IndexedLesson._index.clone(name=name)
        if alias:
            # One write index: two processes racing to create it cannot both win.
            index.aliases(**{self.alias: {"is_write_index": True}})
        index.save(using=self.client)
        return name

    def _ensure(self) -> None:
        """Create the index and its alias on first use."""
        if self._ready:
            return
        with self._lock:
            if not self._ready:
                indices = self.client.indices
                if not (indices.exists_alias(name=self.alias) or indices.exists(index=self.alias)):
                    self._new_index(alias=True)
                self._ready = True

    def _concrete(self) -> list[str]:
        if self.client.indices.exists_alias(name=self.alias):
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        if self.client.indices.exists(index=self.alias):
            return [self.alias]
        return []

    # --- writing -------------------------------------------------------------------------
    @staticmethod
    def _action(doc: LessonDocument, index: str) -> dict:
        # The text goes to the fields analysed in the lesson's own language only.
        analysis = analysis_for(doc.language)
        by_language = {analysis.key: doc.text} if analysis is not PLAIN else {}
        lesson = IndexedLesson(
            meta={"id": doc.id, "index": index},
            by_language=by_language,
            analysis=analysis.key,
            **dataclasses.asdict(doc),
        )
        return {"_op_type": "index", **lesson.to_dict(include_meta=True, skip_empty=False)}

    @_guarded
    def upsert(self, docs: Iterable[LessonDocument]) -> int:
        actions = [self._action(doc, self.alias) for doc in docs]
        if not actions:
            return 0
        self._ensure()
        helpers.bulk(self.client, actions, refresh=_refresh())
        return len(actions)

    @_guarded
    def delete(self, ids: Iterable[int]) -> None:
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": str(pk)} for pk in ids]
        if actions:
            self._ensure()
            helpers.bulk(self.client, actions, refresh=_refresh(), ignore_status=(404,))

    @_guarded
    def rebuild(
        self, docs: Iterable[LessonDocument], progress: ProgressCallback | None = None
    ) -> int:
        """Fill a new index, then move the alias to it in one step and drop the old ones."""
        old = self._concrete()
        name = self._new_index(alias=False)
        count = 0
        try:
            for _ in helpers.streaming_bulk(
                self.client, (self._action(doc, name) for doc in docs), chunk_size=500
            ):
                count += 1
                if progress and count % 500 == 0:
                    progress(count)
            self.client.indices.refresh(index=name)
            actions = [{"add": {"index": name, "alias": self.alias, "is_write_index": True}}]
            if old == [self.alias]:  # a concrete index took the alias's name: replace it
                actions.insert(0, {"remove_index": {"index": self.alias}})
            elif old:
                actions.insert(0, {"remove": {"indices": old, "alias": self.alias}})
            self.client.indices.update_aliases(actions=actions)
        except Exception:
            try:
                self.client.options(ignore_status=404).indices.delete(index=name)
            except (ApiError, TransportError):
                pass  # the engine is down: the half-built index is cleaned up by hand
            raise
        stale = [index for index in old if index != self.alias]
        if stale:
            self.client.options(ignore_status=404).indices.delete(index=",".join(stale))
        self._ready = True
        if progress:
            progress(count)
        return count

    # --- reading -------------------------------------------------------------------------
    def _search(self) -> dsl.Search:
        self._ensure()
        # The analysed copy of the text is for the engine; the reader gets `text`.
        return dsl.Search(using=self.client, index=self.alias).source(excludes=[BY_LANGUAGE])

    @staticmethod
    def _visible(audience: Audience) -> list[dsl.Query]:
        if audience.tokens is None:
            return []
        tokens = list(audience.tokens)
        clause = dsl.Q(
            "bool",
            filter=[dsl.Q("terms", lesson_tokens=tokens), dsl.Q("terms", debrief_tokens=tokens)],
        )
        if audience.granted_ids:
            granted = dsl.Q("terms", id=sorted(audience.granted_ids))
            clause = dsl.Q("bool", should=[clause, granted], minimum_should_match=1)
        return [clause]

    @staticmethod
    def _filters(filters: dict[str, list[str]]) -> list[dsl.Query]:
        clauses = []
        for facet in FACETS:
            values = [v for v in filters.get(facet, []) if v]
            if values:
                clauses.append(dsl.Q("terms", **{f"facets.{facet}": values}))
        return clauses

    @staticmethod
    def _match(text: str) -> dsl.Query | None:
        # Only words and phrases from query_terms reach the engine: no user syntax at all.
        # Each field analyses the words in its own language, stop words included.
        words, phrases = query_terms(text)

        def matching(query: str, kind: str):
            return lambda fields: dsl.Q(
                "multi_match", query=query, fields=_weighted(fields), type=kind
            )

        should = [_in_text(matching(" ".join(phrase), "phrase")) for phrase in phrases]
        if words:
            should.insert(0, _in_text(matching(" ".join(words), "most_fields")))
        return dsl.Q("bool", should=should, minimum_should_match=1) if should else None

    @_guarded
    def search(self, query: SearchQuery, audience: Audience) -> SearchResults:
        match = self._match(query.text)
        s = self._search().query(
            dsl.Q(
                "bool",
                must=[match] if match else [],
                filter=self._visible(audience) + self._filters(query.filters),
            )
        )
        for facet in FACETS:
            s.aggs.bucket(facet, "terms", field=f"facets.{facet}", size=FACET_SIZE)
        if match and query.sort != "date":
            s = s.sort("_score", {"date": "desc"}, {"id": "desc"})
        else:
            s = s.sort({"date": "desc"}, {"id": "desc"})
        if match:
            # Patterns, not the ~90 field names: the highlighter then visits only the fields
            # a hit has (one language's), ten times faster on the test server.
            s = s.highlight_options(**HIGHLIGHT).highlight(f"{BY_LANGUAGE}.*", "text.*")
        offset = (max(query.page, 1) - 1) * query.per_page
        size = query.per_page if offset + query.per_page <= MAX_WINDOW else 0
        s = s.extra(track_total_hits=True, from_=offset if size else 0, size=size)
        response = s.execute()
        facets = {
            facet: {b.key: b.doc_count for b in response.aggregations[facet].buckets}
            for facet in FACETS
        }
        hits = [hit_of(hit.to_dict(), hit.meta.to_dict().get("highlight")) for hit in response.hits]
        return SearchResults(count=response.hits.total.value, hits=hits, facets=facets)

    @_guarded
    def similar_candidates(
        self, doc: LessonDocument, terms: list[str], audience: Audience, limit: int
    ) -> list[tuple[int, float, dict]]:
        like = [doc.text.get(name, "") for name in SIMILAR_FIELDS]
        like = [text for text in like if text.strip()]
        if not terms or not like:
            return []
        # Any shared key term makes a candidate, as in the embedded backend; engine ranks them.
        # Every language's fields: each reads the lesson's text with its own analyser.
        keys = [*(f"{BY_LANGUAGE}.{key}" for key in LANGUAGES), "text"]
        fields = [f"{key}.{name}" for key in keys for name in SIMILAR_FIELDS]
        more_like_this = dsl.Q(
            "more_like_this",
            fields=fields,
            like=like,
            **MORE_LIKE_THIS,
            minimum_should_match="1",
            stop_words=sorted(key_stopwords(doc.language)),
        )
        itself = [dsl.Q("ids", values=[str(doc.id)])] if doc.id is not None else []
        s = self._search().query(
            dsl.Q("bool", must=[more_like_this], filter=self._visible(audience), must_not=itself)
        )
        response = s.extra(size=limit).execute()
        return [(hit.id, hit.meta.score, stored_of(hit.to_dict())) for hit in response.hits]

    @_guarded
    def doc_freq(self, stems: list[str], language: str | None = None) -> dict[str, int]:
        """Per stem, the lessons holding it in any text field (a filters aggregation). With
        `language`, only the fields of its analysis are read (7, not the ~91 of all)."""
        within = _anywhere if language is None else _in_language(analysis_for(language))
        folded = {stem: _fold(stem) for stem in stems}
        terms = sorted(set(folded.values()))
        counts: dict[str, int] = {}
        for start in range(0, len(terms), 200):
            s = self._search().extra(size=0)
            chunk = terms[start : start + 200]
            s.aggs.bucket("df", "filters", filters={term: within(term) for term in chunk})
            buckets = s.execute().aggregations.df.buckets.to_dict()
            counts.update({term: bucket["doc_count"] for term, bucket in buckets.items()})
        return {stem: counts.get(term, 0) for stem, term in folded.items()}

    @_guarded
    def total(self) -> int:
        self._ensure()
        return self.client.count(index=self.alias)["count"]

    @_guarded
    def get(self, lesson_id: int) -> LessonDocument | None:
        self._ensure()
        response = self.client.options(ignore_status=404).get(index=self.alias, id=str(lesson_id))
        if not response.body.get("found"):
            return None
        source = response["_source"]
        return LessonDocument(**{k: v for k, v in source.items() if k in DOC_FIELDS})

    @_guarded
    def get_many(self, lesson_ids: Iterable[int]) -> dict[int, LessonDocument]:
        ids = [str(pk) for pk in dict.fromkeys(lesson_ids)]
        if not ids:
            return {}
        self._ensure()
        response = self.client.mget(index=self.alias, ids=ids, source_excludes=[BY_LANGUAGE])
        return {
            int(found["_id"]): LessonDocument(
                **{k: v for k, v in found["_source"].items() if k in DOC_FIELDS}
            )
            for found in response["docs"]
            if found.get("found")
        }

    @_guarded
    def indexed_ids(self) -> set[int]:
        ids: set[int] = set()
        after = None
        while True:
            s = self._search().source(False).sort("id").extra(size=5000)
            if after is not None:
                s = s.extra(search_after=[after])
            page = [int(hit.meta.id) for hit in s.execute().hits]
            ids.update(page)
            if len(page) < 5000:
                return ids
            after = page[-1]

    def status(self) -> dict:
        status = {"backend": self.name, "index": self.alias, "reachable": False}
        try:
            status["documents"] = self.total()
            status["index"] = ", ".join(self._concrete()) or self.alias
            status["reachable"] = True
        except (SearchUnavailable, ApiError, TransportError) as error:
            status["error"] = str(error)
        return status
