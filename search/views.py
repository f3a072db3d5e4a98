from __future__ import annotations

import math

from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from search import engine
from search.backends.base import SearchUnavailable
from search.facets import ALL, BY_NAME, value_label
from search.forms import QueryError, parse_query


def _toggle_url(request, facet: str, value: str) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    values = params.getlist(facet)
    params.setlist(
        facet, [v for v in values if v != value] if value in values else [*values, value]
    )
    return "?" + params.urlencode()


# A facet of more than FACET_COLLAPSE values shows its first FACET_SHOWN, the rest behind a
# "Show all" link (a network has hundreds of cities).
FACET_SHOWN = 12
FACET_COLLAPSE = 20
SHOW_ALL = "all"  # ?all=city lists every city


def _facet_groups(request, query, facets):
    groups = []
    for definition in ALL:
        facet = definition.name
        counts = facets.get(facet, {})
        selected = set(query.filters.get(facet, []))
        if not counts and not selected:
            continue
        values = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if definition.newest_first:
            values = sorted(counts.items(), reverse=True)
        for value in selected - set(counts):
            values.append((value, 0))
        shown = values
        if len(values) > FACET_COLLAPSE and request.GET.get(SHOW_ALL) != facet:
            shown = values[:FACET_SHOWN] + [
                (v, n) for v, n in values[FACET_SHOWN:] if v in selected
            ]
        groups.append(
            {
                "name": facet,
                "label": definition.label,
                "values": [
                    {
                        "value": v,
                        "label": value_label(facet, v),
                        "count": n,
                        "selected": v in selected,
                        "url": _toggle_url(request, facet, v),
                    }
                    for v, n in shown
                ],
                "total": len(values),
                "all_url": _all_url(request, facet) if len(shown) < len(values) else "",
            }
        )
    return groups


def _all_url(request, facet: str) -> str:
    params = request.GET.copy()
    params[SHOW_ALL] = facet
    return "?" + params.urlencode()


# static/js/search.js asks for the results region alone (search as you type) with this
# header; the same URL without it answers the whole page, so the form works without JS.
PARTIAL_HEADER = "KB-Partial"


def _render(request, context: dict, status: int = 200):
    partial = request.headers.get(PARTIAL_HEADER) == "results"
    template = "search/_results.html" if partial else "search/search.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, [PARTIAL_HEADER])
    return response


def search_view(request):
    context = {"q": request.GET.get("q", ""), "sort": request.GET.get("sort", "relevance")}
    try:
        query = parse_query(request.GET)
    except QueryError as error:
        context["error"] = error
        return _render(request, context, status=400)
    context["query"] = query
    try:
        results = engine.search(request.user, query)
    except SearchUnavailable:
        context["unavailable"] = True
        return _render(request, context, status=503)
    pages = max(1, math.ceil(results.count / query.per_page))
    context.update(
        results=results,
        facet_groups=_facet_groups(request, query, results.facets),
        active_filters=[
            {"label": f"{BY_NAME[f].label}: {value_label(f, v)}", "url": _toggle_url(request, f, v)}
            for f, values in query.filters.items()
            for v in values
        ],
        page_number=query.page,
        num_pages=pages,
        has_previous=query.page > 1,
        has_next=query.page < pages,
    )
    return _render(request, context)
