"""Similar cases and search by meaning at 100,000 lessons: `make bench` prints the issue 15
targets beside the figures measured (tests/benchmarks/measure_semantic.py, its own process)
and the load average, since the machine is shared. Timings are printed, not asserted."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.benchmarks import corpora

TARGETS = {
    ("similar", "engine_cold"): 100,
    ("search", "engine"): 150,
    ("search", "embed_query"): 50,
}


def _measure(database) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.measure_semantic"],
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


def report(r: dict) -> str:
    lines = ["", f"=== semantic, {r['lessons']:,} lessons; load average {r['load_average']} ==="]
    for group in ("similar", "search"):
        for name, f in r[group].items():
            limit = TARGETS.get((group, name))
            verdict = "" if limit is None else (" met" if f["p95"] < limit else " MISSED")
            target = "" if limit is None else f" (target p95 < {limit}){verdict}"
            lines.append(
                f"{group + ': ' + name:28} p50 {f['p50']:8.1f} p95 {f['p95']:8.1f} ms{target}"
            )
    lines.append(f"embedding: {r['embedding_rate']:.1f} lessons/s (target >= 30)")
    lines.append(
        f"vector index: {r['index_mb']:.1f} MB, +{r['index_rss_mb']:.0f} MB RSS, "
        f"loaded in {r['index_load_s']:.1f} s; process RSS {r['rss_mb']:.0f} MB "
        f"(peak {r['peak_rss_mb']:.0f})"
    )
    return "\n".join(lines)


@pytest.mark.parametrize("size", [s for s in corpora.sizes() if s >= 10_000])
def test_scale_semantic(size):
    result = _measure(corpora.corpus(size))
    print(report(result), flush=True)
    assert result["similar"]["engine_cold"]["n"] == 50
