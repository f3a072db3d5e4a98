"""python manage.py worker [--once] [--interval 60] [--sync-interval 5]

The background worker of a deployment: it runs every periodic job (what `tick` runs:
reminders, escalations, membership ends, search sync) once per interval, and drains the
search outbox more often so that Elasticsearch follows edits within seconds. Run one per
deployment (the jobs are idempotent, so a second one does no harm, only work twice).
SIGTERM or SIGINT ends it after the job in hand: nothing is cut off halfway.
"""

from __future__ import annotations

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from kb.periodic import jobs
from search.sync import drain

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the periodic jobs and the search outbox sync in a loop (or --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One round, then exit.")
        parser.add_argument(
            "--interval", type=float, default=60, help="Seconds between rounds of the jobs."
        )
        parser.add_argument(
            "--sync-interval",
            type=float,
            default=5,
            help="Seconds between drains of the search outbox.",
        )

    def handle(self, once: bool, interval: float, sync_interval: float, **options):
        self.stopping = False
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._stop)
        failures = self.run_jobs()
        if once:
            if failures:
                raise SystemExit(1)
            return
        self.stdout.write(f"worker: jobs every {interval:g}s, search sync every {sync_interval:g}s")
        next_jobs = time.monotonic() + interval
        while not self.stopping:
            self._sleep(min(sync_interval, max(0.0, next_jobs - time.monotonic())))
            if self.stopping:
                break
            close_old_connections()  # a database restart must not kill the worker
            if time.monotonic() >= next_jobs:
                self.run_jobs()
                next_jobs = time.monotonic() + interval
            else:
                self.sync_search()
        self.stdout.write("worker: stopped")

    def _stop(self, signum, frame) -> None:
        self.stopping = True

    def _sleep(self, seconds: float) -> None:
        """Sleep in short steps so that a stop request is honoured within a second."""
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))

    def run_jobs(self) -> int:
        failures = 0
        for name, job in sorted(jobs().items()):
            if self.stopping:
                break
            try:
                report = job()
            except Exception:  # one failing job must not stop the others, nor the worker
                failures += 1
                log.exception("periodic job %s failed", name)
                self.stderr.write(f"{name}: failed (see log)")
                continue
            self.stdout.write(f"{name}: {report or 'ok'}")
        return failures

    def sync_search(self) -> None:
        try:
            synced, left = drain()
        except Exception:  # drain() reports outages itself; anything else is logged
            log.exception("search sync failed")
            return
        if synced:
            self.stdout.write(f"search-sync: {synced} lessons synced, {left} waiting")
