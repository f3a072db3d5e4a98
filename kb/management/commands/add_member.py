from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kb.choices import Role
from kb.directory import add_member
from kb.models import City, Organisation

ROLE_NAMES = [role.value for role in Role]


class Command(BaseCommand):
    help = "Add a member (or update their city, organisation and roles): idempotent."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--city", required=True)
        parser.add_argument("--roles", default="", help=f"Comma-separated: {','.join(ROLE_NAMES)}")
        parser.add_argument("--organisation", default=None)
        parser.add_argument("--password", default=None)
        parser.add_argument("--email", default=None)

    def handle(self, username, city, roles, organisation, password, email, **options):
        city_obj = City.objects.filter(name__iexact=city).first()
        if city_obj is None:
            raise CommandError(f"--city: no member city named {city!r} (add it with add_city)")
        role_list = [role.strip() for role in roles.split(",") if role.strip()]
        unknown = sorted(set(role_list) - set(ROLE_NAMES))
        if unknown:
            raise CommandError(
                f"--roles: unknown role(s) {', '.join(unknown)}; use {', '.join(ROLE_NAMES)}"
            )
        org = None
        if organisation:
            org = (
                Organisation.objects.filter(name__iexact=organisation, city=city_obj).first()
                or Organisation.objects.filter(name__iexact=organisation, city=None).first()
            )
            if org is None:
                raise CommandError(
                    f"--organisation: no organisation {organisation!r} in {city_obj} "
                    "or at national level"
                )
        try:
            membership, created = add_member(
                username, city_obj, role_list, organisation=org, password=password, email=email
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        verb = "Added" if created else "Updated"
        roles_text = ", ".join(membership.roles) or "no roles"
        self.stdout.write(f"{verb} {username}: {city_obj} ({roles_text})")
