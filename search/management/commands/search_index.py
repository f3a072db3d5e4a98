import sys
import time

from django.core.management.base import BaseCommand, CommandError

from search import vectors
from search.backends import SearchUnavailable, get_backend
from search.documents import indexable_lessons
from search.engine import rebuild
from search.models import OutboxEntry
from search.sync import drain


class ProgressBar:
    def __init__(self, total: int, out, width: int = 30):
        self.total, self.out, self.width, self.started = max(total, 1), out, width, time.monotonic()

    def __call__(self, done: int) -> None:
        filled = int(self.width * min(done, self.total) / self.total)
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self.out.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{self.total} "
            f"({rate:,.0f} lessons/s)",
            ending="",
        )
        self.out.flush()


class Command(BaseCommand):
    help = "Search index: rebuild (from the published content), sync (drain the outbox), status."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "sync", "status"])

    def handle(self, action, **options):
        try:
            getattr(self, f"do_{action}")()
        except SearchUnavailable as error:
            raise CommandError(f"The search engine is unavailable: {error}") from error

    def do_rebuild(self):
        total = indexable_lessons().count()
        bar = ProgressBar(total, self.stdout) if sys.stdout.isatty() or total else None
        started = time.monotonic()
        try:
            count = rebuild(progress=bar)
        except Exception as error:
            raise SearchUnavailable(str(error)) from error
        seconds = time.monotonic() - started
        OutboxEntry.objects.filter(created_at__lte=time_of(started)).delete()
        self.stdout.write("")
        self.stdout.write(
            f"Rebuilt the {get_backend().name} index: {count} lessons in {seconds:.1f}s "
            f"({count / max(seconds, 1e-6):,.0f} lessons/s)"
        )
        for key, value in vectors.status().items():
            self.stdout.write(f"{key}: {value}")

    def do_sync(self):
        synced, left = drain()
        self.stdout.write(f"Synced {synced} lessons; {left} outbox entries waiting.")
        if left:
            raise CommandError(f"{left} changes could not reach the search engine; retry later.")

    def do_status(self):
        backend = get_backend()
        waiting = OutboxEntry.objects.count()
        published = indexable_lessons().count()
        try:
            status = backend.status()
        except Exception as error:
            status = {"backend": backend.name, "reachable": False, "error": str(error)}
        for key, value in {
            **status,
            **vectors.status(),
            "published lessons": published,
            "outbox entries waiting": waiting,
        }.items():
            self.stdout.write(f"{key}: {value}")


def time_of(monotonic_start: float):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() - timedelta(seconds=time.monotonic() - monotonic_start)
