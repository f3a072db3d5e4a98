"""The Elasticsearch index's mapping, and the transport that speaks plain JSON to it."""

from __future__ import annotations

import re

from elastic_transport import Urllib3HttpNode
from elasticsearch import dsl

from search.documents import TEXT_FIELDS
from search.facets import FACETS
from search.languages import LANGUAGES, MARKS, PLAIN, Analysis

_COMPAT_MIMETYPE = re.compile(r"application/vnd\.elasticsearch\+([\w-]+)(;\s*compatible-with=\d+)?")


# Greek, Cyrillic, Hebrew and Arabic marks, stripped before the text is split into words, as
# search.languages.strip_marks does for the embedded backend (the same table).
kb_marks = dsl.char_filter(
    "kb_marks", "mapping", mappings=[f"{chr(point)} => {out}" for point, out in MARKS.items()]
)


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
    name = "kb_text" if analysis is PLAIN else f"kb_{analysis.key}"
    return dsl.analyzer(name, tokenizer="standard", char_filter=[kb_marks], filter=filters)


kb_text = _analyzer(PLAIN)
# `text` holds every lesson's text, analysed PLAIN: what is searched in the lessons of a
# language without a stemmer. A lesson in a stemmed language also has its text in the
# fields of that language only: by_language.<key>.<field>.
BY_LANGUAGE = "by_language"
PLAIN_FIELDS = [f"text.{name}" for name in TEXT_FIELDS]
STEMMED_FIELDS = [f"{BY_LANGUAGE}.{key}.{name}" for key in LANGUAGES for name in TEXT_FIELDS]


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
    text = dsl.Object(properties={name: dsl.Text(analyzer=kb_text) for name in TEXT_FIELDS})
    language = dsl.Keyword()
    analysis = dsl.Keyword()  # search.languages: the key of the analysis of its text
    by_language = dsl.Object(
        properties={
            analysis.key: dsl.Object(
                properties={name: dsl.Text(analyzer=_analyzer(analysis)) for name in TEXT_FIELDS}
            )
            for analysis in LANGUAGES.values()
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
