"""python manage.py import_debriefs FILE.jsonl (or - for standard input)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from lessons.importer import ImportFailed, import_debriefs


class Command(BaseCommand):
    help = (
        "Import debriefs and their lessons from a JSON-lines file, one debrief per line. "
        "Idempotent by external_id; all or nothing: a bad line is reported with its line "
        "number and field, and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .jsonl file to import, or - for standard input")

    def handle(self, *args, file: str, verbosity: int = 1, **options):
        try:
            if file == "-":
                result = import_debriefs(sys.stdin)
            else:
                with open(file, encoding="utf-8-sig") as lines:
                    result = import_debriefs(lines)
        except FileNotFoundError as exc:
            raise CommandError(f"{file}: no such file") from exc
        except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: cannot read: {exc}") from exc
        except ImportFailed as exc:
            raise CommandError(f"{file}: {exc}", returncode=1) from exc
        for outcome, description in result.details:
            if verbosity >= 2 or (verbosity >= 1 and outcome != "unchanged"):
                self.stdout.write(description)
        message = result.summary() + ("" if result.changed else " Nothing to change.")
        self.stdout.write(self.style.SUCCESS(message) if result.changed else message)
