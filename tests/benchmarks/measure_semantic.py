"""Similar cases and search by meaning at scale, in their own process, on one corpus database
(the KB_BENCH settings of tests/benchmarks/corpora.environment):

    python -m tests.benchmarks.measure_semantic

Prints one JSON object: p50/p95/max in ms of similar cases (cold cache) and of their two
channels apart (the lexical more-like-this query, the vector search), of search with the
query embedded, and of the query's embedding alone; lessons embedded per second; the
process's RSS. The corpus's vectors come from var/bench/vectors-<hash>.npz when its text is
unchanged (tests/benchmarks/vector_cache.py)."""

from __future__ import annotations

import json
import os
import random
import resource
import sys
import time


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def similar(result: dict, member) -> None:
    from django.core.cache import cache

    from lessons import access
    from search import engine, vectors
    from search.backends import get_backend
    from tests.benchmarks.workload import percentiles, timed

    backend = get_backend()
    ids = list(access.visible_lessons(member).order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(50).sample(ids, min(50, len(ids)))
    lessons = list(access.visible_lessons(member).filter(pk__in=chosen).order_by("pk"))
    audience = engine.audience_for(member)
    engine.similar(member, lessons[0])  # warm: the model, the index, the stemmers
    cache.clear()
    samples: dict[str, list[float]] = {"engine_cold": [], "lexical": [], "vectors": []}
    for lesson in lessons:
        samples["engine_cold"].append(timed(lambda: engine.similar(member, lesson)))  # noqa: B023
    index = vectors.current()
    for lesson in lessons:
        doc = backend.get(lesson.pk)
        samples["lexical"].append(timed(lambda: engine._lexical(doc, member)))  # noqa: B023
        query = index.vector(lesson.pk)
        samples["vectors"].append(
            timed(lambda: index.nearest(query, audience, engine.CANDIDATES, exclude=doc.id))  # noqa: B023
        )
    result["similar"] = {name: percentiles(values) for name, values in samples.items()}


def searches(result: dict, member) -> None:
    from search import engine, semantic
    from search.backends.base import SearchQuery
    from tests.benchmarks.workload import percentiles, queries, timed

    work = queries()
    for q in work[:3]:
        engine.search(member, SearchQuery(text=q.text, filters=q.filters))
    samples: dict[str, list[float]] = {"engine": [], "embed_query": []}
    for q in work:
        query = SearchQuery(text=q.text, filters=q.filters)
        samples["engine"].append(timed(lambda: engine.search(member, query)))  # noqa: B023
        samples["embed_query"].append(timed(lambda: semantic.embed([q.text])))  # noqa: B023
    result["search"] = {name: percentiles(values) for name, values in samples.items()}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings.test")
    import django

    django.setup()
    from lessons.models import LessonPage
    from search import vectors
    from tests.benchmarks import vector_cache
    from tests.benchmarks.measure import people

    result: dict = {"lessons": LessonPage.objects.live().count()}
    started = time.perf_counter()
    vector_cache.ensure(result)
    result["prepare_s"] = time.perf_counter() - started
    result["embedding_rate"] = vector_cache.embedding_rate()
    member, _, _ = people()
    before = _rss_mb()
    started = time.perf_counter()
    index = vectors.current()
    result["index_load_s"] = time.perf_counter() - started
    result["index_mb"] = (index.matrix.nbytes + index.scale.nbytes + index.ids.nbytes) / 2**20
    result["index_rss_mb"] = _rss_mb() - before
    similar(result, member)
    searches(result, member)
    result["rss_mb"] = _rss_mb()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["load_average"] = os.getloadavg()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
