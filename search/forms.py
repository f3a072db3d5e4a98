"""Reading a search request (page or API) into a SearchQuery, with limits and clear errors."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _

from search.backends.base import SearchQuery
from search.facets import FACETS
from search.text import MAX_QUERY_LENGTH

PER_PAGE = 20
MAX_PAGE = 500


class QueryError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def parse_query(params: QueryDict | dict, per_page: int = PER_PAGE) -> SearchQuery:
    get_list = (
        params.getlist
        if hasattr(params, "getlist")
        else (lambda key: [v for v in ([params.get(key)] if params.get(key) else [])])
    )
    text = (params.get("q") or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            "q",
            _("the search text is limited to %(limit)s characters") % {"limit": MAX_QUERY_LENGTH},
        )
    raw_page = params.get("page") or "1"
    if not str(raw_page).isdigit() or not 1 <= int(raw_page) <= MAX_PAGE:
        raise QueryError(
            "page", _("the page must be a whole number from 1 to %(last)s") % {"last": MAX_PAGE}
        )
    sort = params.get("sort") or "relevance"
    if sort not in {"relevance", "date"}:
        raise QueryError("sort", _("sort by relevance or date"))
    filters = {}
    for facet in FACETS:
        values = [v.strip()[:100] for v in get_list(facet) if v and v.strip()]
        if values:
            filters[facet] = values[:20]
    return SearchQuery(text=text, filters=filters, page=int(raw_page), per_page=per_page, sort=sort)
