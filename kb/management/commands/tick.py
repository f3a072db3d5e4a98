import logging

from django.core.management.base import BaseCommand

from kb.periodic import jobs

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run every periodic job once (reminders, escalations, search sync). Idempotent."

    def handle(self, **options):
        failures = 0
        for name, job in sorted(jobs().items()):
            try:
                report = job()
            except Exception:  # one failing job must not stop the others
                failures += 1
                log.exception("periodic job %s failed", name)
                self.stderr.write(f"{name}: failed (see log)")
                continue
            self.stdout.write(f"{name}: {report or 'ok'}")
        if not jobs():
            self.stdout.write("no periodic jobs registered")
        if failures:
            raise SystemExit(1)
