"""The Elasticsearch index's mapping, and the transport that speaks plain JSON to it."""

from __future__ import annotations

import re

from elastic_transport import Urllib3HttpNode
from elasticsearch import dsl

from search.documents import TEXT_FIELDS
from search.facets import FACETS

_COMPAT_MIMETYPE = re.compile(r"application/vnd\.elasticsearch\+([\w-]+)(;\s*compatible-with=\d+)?")

# The same stems as search.text (Porter) and the embedded backend's FTS5 porter tokenizer.
kb_text = dsl.analyzer(
    "kb_text", tokenizer="standard", filter=["lowercase", "asciifolding", "porter_stem"]
)


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
