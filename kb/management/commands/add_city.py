from django.core.management.base import BaseCommand, CommandError

from kb.directory import add_city


class Command(BaseCommand):
    help = "Add a member city (idempotent): its page and its editors group come with it."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--country", required=True, help="ISO 3166-1 alpha-2, e.g. DE")
        parser.add_argument("--languages", default=None, help="Comma-separated, e.g. en,fr")

    def handle(self, name, country, languages, **options):
        if len(country) != 2 or not country.isalpha():
            raise CommandError(f"--country must be a two-letter code, not {country!r}")
        codes = [code.strip() for code in languages.split(",")] if languages else None
        city, created = add_city(name.strip(), country, codes)
        verb = "Added" if created else "Already a member:"
        self.stdout.write(f"{verb} {city.name} ({city.country}) at {city.page.url}")
