"""The deployment pieces docs/deployment.md describes start and do their job: the production
settings, gunicorn with its config file, and the background worker (once, and in a loop
that a SIGTERM ends cleanly). Subprocesses on loopback, each bounded in time."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from django.core.management import call_command

from tests.perf.server import ROOT, gunicorn, production_env

MANAGE = [sys.executable, str(ROOT / "manage.py")]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> dict:
    """The environment of a fresh deployment: a migrated SQLite database (the test database
    is in memory) and collected static files, as the deployment steps make them."""
    where = tmp_path_factory.mktemp("deploy")
    env = production_env(f"sqlite:///{where / 'db.sqlite3'}", STATIC_ROOT=str(where / "static"))
    for step in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([*MANAGE, *step], env=env, check=True, timeout=300, capture_output=True)
    return env


def test_production_settings_refuse_to_start_without_a_secret_key(deployment):
    env = dict(deployment)
    env.pop("SECRET_KEY")
    check = [*MANAGE, "check"]
    refused = subprocess.run(check, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0
    assert "SECRET_KEY must be set in production" in refused.stderr
    started = subprocess.run(check, env=deployment, capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr


def test_gunicorn_serves_the_site_with_the_production_settings(deployment):
    with gunicorn(deployment, workers=1, timeout=90) as server:
        with urllib.request.urlopen(f"{server.url}/api/v1/search?q=evacuation", timeout=30) as r:
            assert r.status == 200
            assert json.loads(r.read())["count"] == 0
        with urllib.request.urlopen(server.url + "/", timeout=30) as r:
            assert r.status == 200
            assert r.headers["X-Frame-Options"] == "DENY"
            assert "Lessons Knowledge Base" in r.read().decode()


@pytest.mark.django_db
def test_worker_once_runs_every_periodic_job(capsys):
    call_command("worker", once=True)
    out = capsys.readouterr().out
    assert "search-sync: 0 lessons synced, 0 waiting" in out
    assert "memberships:" in out


def test_worker_loops_until_sigterm_and_then_stops_cleanly(deployment):
    worker = subprocess.Popen(
        [*MANAGE, "worker", "--interval", "1", "--sync-interval", "0.5"],
        env=deployment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(worker.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 90
        # Wait for a second round of the jobs: the loop runs, not just the first round.
        while sum("memberships:" in line for line in lines) < 2:
            assert worker.poll() is None, worker.stderr.read()
            assert time.monotonic() < deadline, lines
            time.sleep(0.2)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        reader.join(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, worker.stderr.read()
    assert lines[-1].strip() == "worker: stopped"


@pytest.mark.django_db
def test_tick_gathers_sqlite_statistics_when_there_are_none_and_then_leaves_them():
    from django.db import connection

    from kb import jobs

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its own statistics")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    assert jobs.refresh_stale_statistics() == "refreshed"
    assert jobs.refresh_stale_statistics() == "up to date"
