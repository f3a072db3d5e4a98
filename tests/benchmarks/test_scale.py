"""Performance at network scale: `make bench` prints, per corpus size, a table of server-side
times (p50/p95/max in ms), query counts, rebuild throughput and memory, each search figure
beside its two anchors (Wagtail's database search backend and the bare FTS5 floor).

Sizes: KB_BENCH_SIZES=1000,10000,100000 (the default). Corpora are cached in var/bench/.
"""

from __future__ import annotations

import concurrent.futures
import json
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from tests.benchmarks import corpora
from tests.benchmarks.workload import queries
from tests.perf.server import gunicorn, production_env

TARGETS_100K = {
    ("search", "engine"): 50,
    ("search", "view"): 50,
    ("search", "api"): 50,
    ("similar", "engine_cold"): 100,
    ("similar", "api"): 100,
    ("pages", "lesson page"): 80,
    ("pages", "committee dashboard"): 200,
    ("pages", "committee dashboard, after a write naming no city"): 200,
    ("pages", "committee dashboard, after a write naming no city, the job run since"): 200,
    ("pages", "committee dashboard, after an action update"): 200,
    ("pages", "city committee dashboard, after a write naming no city"): 200,
    ("pages", "/lessons/"): 60,
    ("pages", "/lessons/?page=2"): 60,
}
SERVER_REQUESTS = 300


def _measure(database, es_url: str) -> dict:
    command = [sys.executable, "-m", "tests.benchmarks.measure", "--es-url", es_url]
    done = subprocess.run(
        command,
        env=corpora.environment(database),
        cwd=corpora.ROOT,
        capture_output=True,
        text=True,
        timeout=7200,
        check=False,
    )
    if done.returncode:
        raise AssertionError(done.stderr[-4000:])
    return json.loads(done.stdout)


def _server_memory(database) -> dict:
    """Peak RSS of gunicorn (2 workers) while 4 clients send the searches through the API."""
    env = production_env(f"sqlite:///{database}")
    token = subprocess.run(  # made with the server's settings: tokens are keyed to them
        [sys.executable, "manage.py", "api_token", _member_name(database)],
        env=env,
        cwd=corpora.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    work = queries()
    with gunicorn(env, workers=2) as server:

        def ask(index: int) -> int:
            q = work[index % len(work)]
            url = f"{server.url}/api/v1/search?{urllib.parse.urlencode(q.params, doseq=True)}"
            request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(ask, range(SERVER_REQUESTS)))
        peaks = server.peak_rss_mb()
    return {
        "errors": sum(status != 200 for status in statuses),
        "master_mb": peaks.get(min(peaks), 0.0) if peaks else 0.0,
        "worker_mb": max((mb for pid, mb in peaks.items() if pid != min(peaks)), default=0.0),
        "total_mb": sum(peaks.values()),
    }


def _member_name(database) -> str:
    import sqlite3

    connection = sqlite3.connect(database)
    try:
        row = connection.execute(
            "SELECT username FROM auth_user WHERE username LIKE 'corpus-%-reader' ORDER BY id"
        ).fetchone()
    finally:
        connection.close()
    return row[0]


def _ms(figures: dict) -> str:
    return f"{figures['p50']:8.1f} {figures['p95']:8.1f} {figures['max']:8.1f}"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:6.2f}x" if b else "     -"


def report(size: int, r: dict, memory: dict) -> str:
    lines = [
        "",
        f"=== {r['lessons']:,} lessons (corpus {size}, seed {corpora.SEED}) ===",
        f"{'server-side, ms':30} {'p50':>8} {'p95':>8} {'max':>8}   "
        f"{'wagtail p50/p95':>17} {'floor p50/p95':>15}  {'p95/floor':>9} {'p95/wagtail':>11}",
    ]
    search = r.get("search", {})
    wagtail, floor = search.get("wagtail"), search.get("floor")
    for name in ("engine", "engine_text", "view", "api"):
        if name in search:
            f = search[name]
            lines.append(
                f"{'search: ' + name:30} {_ms(f)}   "
                f"{wagtail['p50']:8.1f}/{wagtail['p95']:8.1f} "
                f"{floor['p50']:7.1f}/{floor['p95']:7.1f}"
                f"  {_ratio(f['p95'], floor['p95']):>9} {_ratio(f['p95'], wagtail['p95']):>11}"
            )
    if wagtail:
        lines.append(
            f"  (wagtail anchor: {wagtail['n']} of the 50 queries within its time budget, "
            f"{wagtail.get('cut', 0)} stopped at the per-query limit and counted at it: "
            "a lower bound)"
        )
    similar = r.get("similar", {})
    if similar:
        floor = similar["floor"]
        labels = {"engine_cold": "engine", "api": "API", "engine": "engine, cached"}
        for name, label in labels.items():
            f = similar[name]
            lines.append(
                f"{'similar cases: ' + label:30} {_ms(f)}   {'(none)':>17} "
                f"{floor['p50']:7.1f}/{floor['p95']:7.1f}  {_ratio(f['p95'], floor['p95']):>9}"
            )
    for name, f in r.get("pages", {}).items():
        lines.append(f"{'page: ' + name:30} {_ms(f)}   queries per render: {f['queries']}")
    lines.append(
        f"{'rebuild, lessons/s':30} embedded {r.get('rebuild_embedded', 0):8.0f}   "
        f"wagtail database backend {r.get('rebuild_wagtail', 0) or float('nan'):8.0f}   "
        f"elasticsearch {r.get('rebuild_elasticsearch', 0) or float('nan'):6.0f}"
        f" (sample of {r.get('rebuild_elasticsearch_sample', 0)})"
    )
    lines.append(
        f"{'memory, MB':30} benchmark process peak RSS {r['peak_rss_mb']:.0f}; gunicorn under "
        f"search load: worker peak {memory['worker_mb']:.0f}, master {memory['master_mb']:.0f},"
        f" total {memory['total_mb']:.0f} ({memory['errors']} errors in {SERVER_REQUESTS})"
    )
    if r["lessons"] >= 100_000:
        for (group, name), limit in TARGETS_100K.items():
            value = r.get(group, {}).get(name, {}).get("p95")
            if value is not None:
                verdict = "met" if value < limit else "MISSED"
                lines.append(f"target {group}/{name} p95 < {limit} ms: {value:.1f} ms {verdict}")
    return "\n".join(lines)


@pytest.mark.parametrize("size", corpora.sizes())
def test_scale(size, es_url):
    database = corpora.corpus(size)
    result = _measure(database, es_url)
    memory = _server_memory(database)
    print(report(size, result, memory), flush=True)
    assert memory["errors"] == 0
    assert result["search"]["engine"]["n"] == 50
