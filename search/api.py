"""GET /api/v1/search and GET /api/v1/lessons/{id}/similar, shaped as DESIGN.md fixes them."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import create_model

from kb.api.schemas import LANGUAGE_HELP, Message
from lessons import access
from search import engine
from search.backends.base import SearchQuery, SearchUnavailable
from search.facets import API_FILTERS
from search.forms import MAX_PAGE, PER_PAGE
from search.text import MAX_QUERY_LENGTH

router = Router(tags=["search"])
MAX_ID = 2**63 - 1
UNAVAILABLE = {"detail": "Search is unavailable right now; try again later."}

# The query string: the words, one repeatable parameter per facet the API filters on
# (search.facets), the page and the order.
SearchParams = create_model(
    "SearchParams",
    __base__=Schema,
    q=(str, Field("", max_length=MAX_QUERY_LENGTH, description="Words to look for.")),
    **{
        facet.name: (
            list[facet.api_type],
            Field(default_factory=list, description=facet.api_help or None),
        )
        for facet in API_FILTERS
    },
    page=(int, Field(1, ge=1, le=MAX_PAGE)),
    sort=(str, Field("relevance", pattern="^(relevance|date)$")),
)


class SearchResultOut(Schema):
    id: int
    external_id: str | None
    title: str
    city: str
    attack_types: list[str]
    themes: list[str]
    marking: str
    language: str = Field(description=LANGUAGE_HELP)
    url: str
    highlight: str = Field(description="Safe HTML: escaped text, matches in <mark>.")


class SearchOut(Schema):
    count: int
    results: list[SearchResultOut]
    facets: dict[str, dict[str, int]]


class SimilarOut(Schema):
    id: int
    external_id: str | None
    title: str
    city: str
    language: str = Field(description=LANGUAGE_HELP)
    score: float
    reasons: list[str]


class SimilarList(Schema):
    results: list[SimilarOut]


@router.get("/search", response={200: SearchOut, 503: Message}, summary="Search lessons")
def search(request: HttpRequest, params: Query[SearchParams]):
    filters = {
        facet.name: [str(value) for value in getattr(params, facet.name)]
        for facet in API_FILTERS
        if getattr(params, facet.name)
    }
    query = SearchQuery(
        text=params.q.strip(),
        filters=filters,
        page=params.page,
        per_page=PER_PAGE,
        sort=params.sort,
    )
    try:
        results = engine.search(request.user, query)
    except SearchUnavailable:
        return Status(503, UNAVAILABLE)
    return Status(
        200,
        {
            "count": results.count,
            "results": [
                {**hit.__dict__, "url": request.build_absolute_uri(hit.url)} for hit in results.hits
            ],
            "facets": results.facets,
        },
    )


@router.get(
    "/lessons/{id}/similar",
    response={200: SimilarList, 404: Message, 503: Message},
    tags=["lessons"],
    summary="Lessons similar to this one, other cities first, with the reasons",
)
def similar(
    request: HttpRequest,
    id: int = Path(..., ge=1, le=MAX_ID),
    limit: int = Query(5, ge=1, le=20),
):
    lesson = get_object_or_404(access.visible_lessons(request.user), pk=id)
    try:
        hits = engine.similar(request.user, lesson, limit=limit)
    except SearchUnavailable:
        return Status(503, UNAVAILABLE)
    return Status(200, {"results": [hit.__dict__ for hit in hits]})
