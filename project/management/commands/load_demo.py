from django.core.management.base import BaseCommand, CommandError

from lessons.importer import ImportFailed
from lessons.models import DebriefPage
from peer_review.demo import load_demo_reviews
from project.demo import DEMO_PASSWORD, demo_logins, load_demo, set_member_languages


class Command(BaseCommand):
    help = (
        "Load the fictional demo data (cities, organisations, a user for every role, debriefs "
        "and lessons) and print the demo logins. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any debrief exists (the logins are printed all the same).",
        )

    def handle(self, *args, if_empty: bool, **options):
        if if_empty and DebriefPage.objects.exists():
            self.stdout.write("Debriefs already exist: demo data not loaded.")
            logins = demo_logins()
        else:
            try:
                logins = load_demo(stdout=self.stdout)
            except ImportFailed as error:
                raise CommandError(f"demo_debriefs.jsonl: {error}") from error
            self.stdout.write(load_demo_reviews())
            set_member_languages(stdout=self.stdout)
        self.print_logins(logins)

    def print_logins(self, logins: list[tuple[str, str, str]]) -> None:
        header = ("username", "password", "city", "roles")
        rows = [(user, DEMO_PASSWORD, city or "-", roles) for user, roles, city in logins]
        widths = [max(len(row[column]) for row in [header, *rows]) for column in range(4)]
        self.stdout.write("\nDemo logins (fictional data; every demo user has this password):")
        for row in [header, tuple("-" * width for width in widths), *rows]:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  " + "  ".join(cells).rstrip())
