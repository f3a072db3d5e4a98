import sys
import time

from django.core.management.base import BaseCommand

from project.corpus import generate


class _ProgressLine:
    """One self-overwriting stderr line per stage: `lessons  42000/100000  42%  12.3s`."""

    def __init__(self, stream):
        self.stream, self.start, self.stage = stream, time.monotonic(), None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.stage not in (None, stage):
            self.stream.write("\n")
        self.stage = stage
        share = done / total if total else 1.0
        elapsed = time.monotonic() - self.start
        self.stream.write(f"\r{stage:8} {done:>8}/{total}  {share:4.0%}  {elapsed:6.1f}s")
        self.stream.flush()

    def close(self) -> None:
        if self.stage is not None:
            self.stream.write("\n")


class Command(BaseCommand):
    help = (
        "Add a synthetic corpus (cities, members, debriefs, lessons, recommendations, actions, "
        "review rounds) reproducible by seed, then rebuild the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lessons", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-index", action="store_true", help="Skip the search index rebuild."
        )

    def handle(self, lessons: int, seed: int, no_index: bool, **options):
        progress = _ProgressLine(sys.stderr)
        started = time.monotonic()
        stats = generate(lessons, seed, progress=progress, index=not no_index)
        progress.close()
        self.stdout.write(f"{stats.summary()} in {time.monotonic() - started:.1f}s")
