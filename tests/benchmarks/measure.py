"""One benchmark run on one corpus database, in its own process (its memory is its own).

    python -m tests.benchmarks.measure [--es-url URL] [--skip PARTS] [--pages NAME ...]

Prints one JSON object: for each figure the samples' p50/p95/max in milliseconds (or the
throughput), the SQL query counts of each page, and the anchors measured on the same corpus.
Server-side times: each request goes through Django's whole stack (middleware, view,
template) via the test client, without a network in between.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

WAGTAIL_BUDGET_MS = float(os.environ.get("KB_BENCH_WAGTAIL_BUDGET", "90")) * 1000
PAGE_BUDGET_MS = 60_000
WAGTAIL_LIMIT_S = float(os.environ.get("KB_BENCH_WAGTAIL_LIMIT", "20"))


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings.test")
    django.setup()


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _get(client, url: str, params: dict | None = None, status: int = 200):
    response = client.get(url, params or {})
    if response.status_code != status:
        raise AssertionError(f"{url} {params}: {response.status_code}")
    return response


def _page(client, url: str, repeat: int = 20, before=None) -> dict:
    """Render times of one page and the SQL queries one render takes (`before` runs ahead
    of each render, untimed)."""
    from django.db import connection

    from tests.benchmarks.workload import percentiles, timed

    _get(client, url)  # warm caches and templates (and the similar-cases cache)
    before = before or (lambda: None)
    before()
    statements = []
    # Counted by a wrapper: the request_started signal clears Django's own query log.
    with connection.execute_wrapper(
        lambda run, sql, *rest: statements.append(sql) or run(sql, *rest)
    ):
        _get(client, url)
    samples: list[float] = []
    # At most a minute per page once three samples are in (a slow page at 100,000 lessons
    # would otherwise hold the run for many minutes).
    while len(samples) < repeat and (len(samples) < 3 or sum(samples) < PAGE_BUDGET_MS):
        before()
        samples.append(timed(lambda: _get(client, url)))
    return {**percentiles(samples), "queries": len(statements)}


def people():
    from django.contrib.auth import get_user_model

    from kb.models import Membership
    from peer_review.models import ReviewAssignment

    users = get_user_model().objects
    member = users.filter(username__endswith="-reader", username__startswith="corpus-").first()
    committees = Membership.objects.filter(is_committee=True, user__username__startswith="corpus-")
    committee = committees.order_by("-network_wide", "pk").first().user
    reviewer_id = (
        ReviewAssignment.objects.values_list("reviewer_id", flat=True).order_by("-round_id").first()
    )
    return member, committee, users.get(pk=reviewer_id)


def city_committee():
    from kb.models import Membership

    committees = Membership.objects.filter(
        is_committee=True, network_wide=False, user__username__startswith="corpus-"
    )
    return committees.order_by("pk").first().user


def an_action_update(city: bool = False):
    """A write as the tracker makes it: one open action's progress, saved (its city's
    figures change; the other cities' do not). `city`: an action of the city committee's
    own city."""
    from django.utils import timezone

    from kb.directory import current_membership
    from lessons.tracking.models import Action

    actions = Action.objects.open().order_by("pk")
    if city:
        home = current_membership(city_committee()).city_id
        actions = actions.filter(recommendation__lesson__owner_city_id=home)
    action = actions.first()

    def write() -> None:
        action.last_update_at = timezone.now()
        action.save()

    return write


def rebuild(result: dict, es_url: str | None) -> None:
    from search import engine
    from search.backends.elastic import ElasticsearchBackend
    from search.documents import documents
    from search.models import OutboxEntry
    from tests.benchmarks.workload import build_wagtail_index

    started = time.perf_counter()
    count = engine.rebuild()
    result["rebuild_embedded"] = count / (time.perf_counter() - started)
    OutboxEntry.objects.all().delete()  # the rebuild covered whatever a migration queued
    # Wagtail's index is built once per cached corpus; its rate is kept beside the file.
    from django.conf import settings

    sidecar = Path(str(settings.DATABASES["default"]["NAME"]) + ".wagtail-rate")
    rate = build_wagtail_index()
    if rate:
        sidecar.write_text(str(rate))
    elif sidecar.exists():
        rate = float(sidecar.read_text())
    result["rebuild_wagtail"] = rate
    if es_url:
        # A sample: the test server is one Python process, not a cluster.
        sample = int(os.environ.get("KB_BENCH_ES_SAMPLE", "5000"))
        backend = ElasticsearchBackend(es_url, f"kb-bench-{os.getpid()}")
        docs = (doc for doc, _ in zip(documents(), range(sample), strict=False))
        started = time.perf_counter()
        count = backend.rebuild(docs)
        result["rebuild_elasticsearch"] = count / (time.perf_counter() - started)
        result["rebuild_elasticsearch_sample"] = count
        try:
            backend.client.options(ignore_status=404).indices.delete(
                index=",".join(backend._concrete())
            )
        except Exception:  # a leftover index in a temporary server does no harm
            pass


def searches(result: dict, member) -> None:
    from django.conf import settings

    from search import engine
    from search.backends.base import SearchQuery
    from search.backends.embedded_text import match_expression
    from tests.benchmarks.workload import (
        Floor,
        TooSlow,
        percentiles,
        queries,
        timed,
        wagtail_search,
    )

    client = _client_for(member)
    floor = Floor(settings.DATABASES["default"]["NAME"])
    work = queries()
    for q in work[:3]:  # warm
        engine.search(member, SearchQuery(text=q.text, filters=q.filters))
    samples = {k: [] for k in ("engine", "view", "api", "wagtail", "floor", "engine_text")}
    wagtail_cut = 0
    for q in work:
        query = SearchQuery(text=q.text, filters=q.filters)
        samples["engine"].append(timed(lambda: engine.search(member, query)))  # noqa: B023
        samples["view"].append(timed(lambda: _get(client, "/search/", q.params)))  # noqa: B023
        samples["api"].append(timed(lambda: _get(client, "/api/v1/search", q.params)))  # noqa: B023
        samples["floor"].append(timed(lambda: floor.search(match_expression(q.text))))  # noqa: B023
        if not q.filters:
            plain = SearchQuery(text=q.text)
            samples["engine_text"].append(timed(lambda: engine.search(member, plain)))  # noqa: B023
        # Wagtail's backend takes seconds to minutes per query on large corpora: a time
        # budget, and a limit per query counted as the limit (a lower bound).
        if sum(samples["wagtail"]) < WAGTAIL_BUDGET_MS:
            try:
                samples["wagtail"].append(timed(lambda: wagtail_search(q.text, WAGTAIL_LIMIT_S)))  # noqa: B023
            except TooSlow:
                samples["wagtail"].append(WAGTAIL_LIMIT_S * 1000)
                wagtail_cut += 1
    result["search"] = {k: percentiles(v) for k, v in samples.items()}
    result["search"]["wagtail"]["cut"] = wagtail_cut


def similar(result: dict, member) -> None:
    from django.conf import settings
    from django.core.cache import cache

    from lessons import access
    from search import engine, similar_terms
    from search.backends import get_backend
    from search.text import key_terms
    from tests.benchmarks.workload import Floor, percentiles, timed

    client = _client_for(member)
    floor = Floor(settings.DATABASES["default"]["NAME"])
    backend = get_backend()
    ids = list(access.visible_lessons(member).order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(50).sample(ids, min(50, len(ids)))
    lessons = list(access.visible_lessons(member).filter(pk__in=chosen).order_by("pk"))
    samples = {"engine": [], "api": [], "floor": [], "engine_cold": []}
    for lesson in lessons:
        # The API first, on a cold cache; then the engine call, which the cache answers.
        url = f"/api/v1/lessons/{lesson.pk}/similar"
        samples["api"].append(timed(lambda: _get(client, url)))  # noqa: B023
        samples["engine"].append(timed(lambda: engine.similar(member, lesson)))  # noqa: B023
    cache.clear()
    for lesson in lessons:
        samples["engine_cold"].append(timed(lambda: engine.similar(member, lesson)))  # noqa: B023
    for lesson in lessons:
        text = similar_terms.source_text(backend.get(lesson.pk))  # the engine's own terms
        terms = key_terms(text, backend.doc_freq, backend.total(), limit=engine.SIMILAR_TERMS)
        match = " OR ".join(f'"{word}"' for _, word, _ in terms)
        samples["floor"].append(timed(lambda: floor.similar(match)))  # noqa: B023
    result["similar"] = {k: percentiles(v) for k, v in samples.items()}
    result["similar_lessons"] = [lesson.pk for lesson in lessons[:5]]


def _bump_and_warm() -> None:
    """A write naming no city, then the periodic job's run in another process (this one's
    memory of the dashboard's parts is set aside, as the job's process starts without it)."""
    from kb import dataversion
    from lessons.tracking import dashboard_cache
    from lessons.tracking.dashboard_warm import warm_all

    dataversion.bump()
    dashboard_cache._local.clear()
    warm_all()
    dashboard_cache._local.clear()  # the site's parts are older than the job's


def pages(result: dict, member, committee, reviewer, only: list[str] | None = None) -> None:
    """Each page's render times; `only`: fragments of the names of the pages to measure."""
    from kb import dataversion
    from lessons import access

    lesson = access.visible_lessons(member).order_by("pk").last()
    reader = _client_for(member)
    network = _client_for(committee)
    city = _client_for(city_committee())
    dashboard = "/tracker/dashboard/"
    measures = {
        "lesson page": lambda: _page(reader, lesson.url),
        "/lessons/": lambda: _page(reader, "/lessons/"),
        "/lessons/?page=2": lambda: _page(reader, "/lessons/?page=2"),
        "/search/?q=cordon": lambda: _page(reader, "/search/?q=cordon"),
        "reviewer workspace": lambda: _page(_client_for(reviewer), "/reviews/"),
        "committee dashboard": lambda: _page(network, dashboard),
        # A write naming no city makes the next render compute every city: the cold figure.
        "committee dashboard, after a write naming no city": lambda: _page(
            network, dashboard, before=dataversion.bump
        ),
        # The same, once the periodic job (another process) has brought the figures up to
        # date in the shared cache: what a member sees a minute after such a write.
        "committee dashboard, after a write naming no city, the job run since": lambda: _page(
            network, dashboard, before=_bump_and_warm
        ),
        "committee dashboard, after an action update": lambda: _page(
            network, dashboard, before=an_action_update()
        ),
        "city committee dashboard": lambda: _page(city, dashboard),
        "city committee dashboard, after a write naming no city": lambda: _page(
            city, dashboard, before=dataversion.bump
        ),
        "city committee dashboard, after an action update": lambda: _page(
            city, dashboard, before=an_action_update(city=True)
        ),
    }
    unmatched = [part for part in only or () if not any(part in name for name in measures)]
    if unmatched:
        raise SystemExit(f"no page named like {unmatched}; known: {sorted(measures)}")
    chosen = {
        name: measure
        for name, measure in measures.items()
        if not only or any(part in name for part in only)
    }
    result["pages"] = {name: measure() for name, measure in chosen.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--es-url", default="")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip")
    parser.add_argument(
        "--pages",
        action="append",
        metavar="NAME",
        help="measure only the pages whose name contains it (repeatable), e.g. --pages /lessons/",
    )
    args = parser.parse_args()
    _setup()
    from lessons.models import LessonPage

    skip = set(args.skip.split(","))
    result = {"lessons": LessonPage.objects.live().count()}
    member, committee, reviewer = people()
    if "rebuild" not in skip:
        rebuild(result, args.es_url or None)
    if "search" not in skip:
        searches(result, member)
    if "similar" not in skip:
        similar(result, member)
    if "pages" not in skip:
        pages(result, member, committee, reviewer, args.pages)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
