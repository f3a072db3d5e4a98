"""Load test: 50 concurrent members for 2 minutes against gunicorn with the production settings
on SQLite (the embedded deployment), over the demo data plus a 20,000-lesson corpus.

They search, read lessons, open their review workspace and comment on the rounds they review
(tests/benchmarks/locustfile.py). Loopback only, bounded in time; zero errors expected.
KB_LOAD_DURATION (seconds, default 120) and KB_LOAD_USERS (default 50) shorten trial runs.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.benchmarks import corpora
from tests.benchmarks.workload import queries
from tests.perf.server import gunicorn, production_env

LOAD_LESSONS = 20_000
DEMO_MEMBERS = ["london-reader", "berlin-reviewer", "nice-editor", "oslo-editor", "brussels-editor"]


def _plan(database: Path) -> dict:
    from project.corpus.directory import CORPUS_PASSWORD
    from project.demo import DEMO_PASSWORD

    db = sqlite3.connect(database)
    try:
        (root,) = db.execute(
            "SELECT p.url_path FROM wagtailcore_site s JOIN wagtailcore_page p "
            "ON p.id = s.root_page_id WHERE s.is_default_site = 1"
        ).fetchone()
        open_markings = "('TLP:CLEAR', 'TLP:GREEN')"
        lessons = [
            "/" + url_path[len(root) :]
            for (url_path,) in db.execute(
                "SELECT p.url_path FROM lessons_lessonpage l "
                "JOIN wagtailcore_page p ON p.id = l.page_ptr_id "
                "JOIN lessons_debriefpage d ON d.page_ptr_id = l.debrief_id "
                f"WHERE p.live = 1 AND l.marking IN {open_markings} "
                f"AND d.marking IN {open_markings} ORDER BY p.id LIMIT 2000"
            )
        ]
        reviewers = db.execute(
            "SELECT id, username FROM auth_user WHERE username LIKE 'corpus-%-reviewer' "
            "ORDER BY id LIMIT 45"
        ).fetchall()
        rounds: dict[int, list[int]] = {}
        for reviewer_id, round_id in db.execute(
            "SELECT a.reviewer_id, a.round_id FROM peer_review_reviewassignment a "
            "JOIN peer_review_reviewround r ON r.id = a.round_id "
            "WHERE r.state = 'open' AND a.state IN ('accepted', 'submitted')"
        ):
            rounds.setdefault(reviewer_id, []).append(round_id)
    finally:
        db.close()
    members = [
        {"username": name, "password": CORPUS_PASSWORD, "rounds": rounds.get(pk, [])}
        for pk, name in reviewers
    ]
    members += [{"username": n, "password": DEMO_PASSWORD, "rounds": []} for n in DEMO_MEMBERS]
    return {"members": members, "lessons": lessons, "queries": [q.text for q in queries()]}


def _static_root(env: dict) -> Path:
    static = corpora.BENCH_DIR / "static"
    if not (static / "staticfiles.json").exists():
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env={**env, "STATIC_ROOT": str(static)},
            cwd=corpora.ROOT,
            check=True,
            timeout=600,
        )
    return static


def _report(stats_csv: Path) -> tuple[str, int]:
    rows = list(csv.DictReader(stats_csv.open()))
    lines = [
        "",
        f"=== load test: {os.environ.get('KB_LOAD_USERS', '50')} members, "
        f"{os.environ.get('KB_LOAD_DURATION', '120')} s, demo data + {LOAD_LESSONS:,} lessons, "
        "gunicorn (3 workers) on SQLite ===",
        f"{'request':22} {'count':>7} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'req/s':>7}",
    ]
    failures = 0
    for row in rows:
        failures += int(row["Failure Count"])
        lines.append(
            f"{row['Name']:22} {row['Request Count']:>7} {row['Failure Count']:>7} "
            f"{row['50%']:>8} {row['95%']:>8} {float(row['Max Response Time']):8.0f} "
            f"{float(row['Requests/s']):7.1f}"
        )
    return "\n".join(lines), failures


def test_fifty_members_for_two_minutes_without_an_error(tmp_path):
    cached = corpora.corpus(LOAD_LESSONS, with_demo=True)
    database = tmp_path / "load.sqlite3"
    shutil.copy(cached, database)  # the comments written under load stay out of the cache
    env = production_env(f"sqlite:///{database}")
    env["STATIC_ROOT"] = str(_static_root(env))
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_plan(database)))
    duration = int(os.environ.get("KB_LOAD_DURATION", "120"))
    users = os.environ.get("KB_LOAD_USERS", "50")
    with gunicorn(env, workers=3, log=tmp_path / "gunicorn.log", timeout=120) as server:
        subprocess.run(
            [
                str(Path(sys.executable).with_name("locust")),
                "-f", str(Path(__file__).with_name("locustfile.py")),
                "--headless", "--users", users, "--spawn-rate", "10",
                "--run-time", f"{duration}s", "--stop-timeout", "10",
                "--host", server.url, "--csv", str(tmp_path / "load"), "--only-summary",
                "--loglevel", "WARNING",
            ],
            env={**os.environ, "KB_LOAD_PLAN": str(plan)},
            cwd=tmp_path,
            check=False,
            timeout=duration + 180,
            capture_output=True,
        )  # fmt: skip
    table, failures = _report(tmp_path / "load_stats.csv")
    print(table, flush=True)
    assert failures == 0, (tmp_path / "load_failures.csv").read_text()
