"""Corpus databases for the benchmarks, built once and cached under var/bench/.

Each is a SQLite file keyed by size and seed, made by the real commands (`migrate`,
`generate_corpus`, and `load_demo` for the load test's mixed database) in a subprocess, so
the benchmark measures what a deployment would run. Delete var/bench/ to rebuild them.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "var" / "bench"
DEFAULT_SIZES = "1000,10000,100000"
SEED = 2026


def sizes() -> list[int]:
    """Corpus sizes from KB_BENCH_SIZES (e.g. "1000,10000"); all three by default."""
    raw = os.environ.get("KB_BENCH_SIZES", DEFAULT_SIZES)
    return [int(part) for part in raw.replace(" ", "").split(",") if part]


def environment(database: Path, settings: str = "kb.settings.test", **extra: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        DATABASE_URL=f"sqlite:///{database}",
        KB_SEARCH_BACKEND="embedded",
        ALLOWED_HOSTS="localhost,127.0.0.1,testserver",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def manage(database: Path, *args: str, timeout: float = 3600) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        # The development settings hash the demo passwords as production does.
        env=environment(database, settings="kb.settings.dev"),
        cwd=ROOT,
        check=True,
        timeout=timeout,
    )


def corpus(size: int, seed: int = SEED, with_demo: bool = False) -> Path:
    """The path of a migrated database holding `size` generated lessons (and the demo data)."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    name = f"{'demo-' if with_demo else ''}corpus-{size}-seed{seed}.sqlite3"
    path = BENCH_DIR / name
    if path.exists():
        manage(path, "migrate", "--noinput", "-v0")  # a cached corpus follows the code
        return path
    partial = path.with_suffix(".building")
    for leftover in BENCH_DIR.glob(partial.name + "*"):
        leftover.unlink()
    started = time.monotonic()
    print(f"\nbuilding {name} (cached for later runs) ...", file=sys.stderr)
    manage(partial, "migrate", "--noinput", "-v0")
    if with_demo:
        manage(partial, "load_demo")
    # The benchmark's first step rebuilds the search index (and times it).
    index = [] if with_demo else ["--no-index"]
    manage(partial, "generate_corpus", "--lessons", str(size), "--seed", str(seed), *index)
    connection = sqlite3.connect(partial)  # fold the WAL in before the rename
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    partial.rename(path)
    print(f"built {name} in {time.monotonic() - started:.0f}s", file=sys.stderr)
    return path
