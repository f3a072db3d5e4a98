from django.core.management.base import BaseCommand

from lessons.tracking.dashboard_check import check_all


class Command(BaseCommand):
    help = (
        "Compare the committee dashboard's cached figures with figures computed from "
        "scratch; report any drift (and drop the drifted figures). Exit status 1 on drift."
    )

    def handle(self, **options):
        found = check_all()
        for name, wrong in found:
            self.stdout.write(f"{name}: {', '.join(wrong)} differ from a computation from scratch")
        if found:
            raise SystemExit(1)
        self.stdout.write("no drift")
