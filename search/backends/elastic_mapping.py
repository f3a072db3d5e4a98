"""The Elasticsearch index's mapping, and the transport that speaks plain JSON to it."""

from __future__ import annotations

import re

from elastic_transport import Urllib3HttpNode
from elasticsearch import dsl

from search.documents import TEXT_FIELDS
from search.facets import FACETS
from search.languages import ANALYSES, Analysis

_COMPAT_MIMETYPE = re.compile(r"application/vnd\.elasticsearch\+([\w-]+)(;\s*compatible-with=\d+)?")


def _analyzer(analysis: Analysis) -> dsl.analyzer:
    """The analyser of one language, token filter for token filter as search.languages
    analyses it for the embedded backend (so stems and key-term counts agree). Built from
    the snowball filter rather than the stock `german`, `spanish`... analysers: those use
    light stemmers that leave "Evakuierung" and "evakuiert", "evacuación" and "evacuar"
    apart."""
    filters = [
        dsl.token_filter(f"kb_{analysis.key}_{n}", **spec) if isinstance(spec, dict) else spec
        for n, spec in enumerate(analysis.es_filters())
    ]
    return dsl.analyzer(f"kb_{analysis.key}", tokenizer="standard", filter=filters)


# A lesson's text goes to the fields of its own language only: by_language.<key>.<field>.
BY_LANGUAGE = "by_language"


def text_fields(keys=None) -> list[str]:
    """The analysed fields (of these analyses, or all), as `by_language.<key>.<field>`."""
    keys = [a.key for a in ANALYSES] if keys is None else keys
    return [f"{BY_LANGUAGE}.{key}.{name}" for key in keys for name in TEXT_FIELDS]


class IndexedLesson(dsl.Document):
    """The mapping: LessonDocument's fields, text analysed, everything else exact."""

    id = dsl.Long()
    external_id = dsl.Keyword()
    title = dsl.Keyword()
    url = dsl.Keyword(index=False)
    date = dsl.Date()
    city_id = dsl.Long()
    city = dsl.Keyword()
    debrief_id = dsl.Long()
    text = dsl.Object(enabled=False)  # the original text by field, kept for the reader
    language = dsl.Keyword()
    by_language = dsl.Object(
        properties={
            analysis.key: dsl.Object(
                properties={name: dsl.Text(analyzer=_analyzer(analysis)) for name in TEXT_FIELDS}
            )
            for analysis in ANALYSES
        }
    )
    facets = dsl.Object(properties={name: dsl.Keyword() for name in FACETS})
    lesson_tokens = dsl.Keyword(multi=True)
    debrief_tokens = dsl.Keyword(multi=True)
    attack_types = dsl.Keyword(multi=True)
    themes = dsl.Keyword(multi=True)
    marking = dsl.Keyword()

    class Meta:
        dynamic = dsl.MetaField("strict")

    class Index:
        # One shard: a knowledge base is small, and BM25 statistics stay exact.
        settings = {"number_of_shards": 1}


class PlainJsonNode(Urllib3HttpNode):
    """Sends plain JSON media types. The 9.x client asks for `compatible-with=9`, which an
    8.x cluster refuses; plain application/json is understood by both."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if headers.get(name):
                    headers[name] = _COMPAT_MIMETYPE.sub(r"application/\1", headers[name])
        return super().perform_request(method, target, body, headers, **kwargs)
