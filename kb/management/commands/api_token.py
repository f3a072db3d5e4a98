from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import APIToken


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print it (once: only its digest is stored). "
        "Send it as 'Authorization: Token KEY'."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="A label to recognise the token by.")

    def handle(self, username, name, **options):
        user_model = get_user_model()
        user = user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is disabled; the API would refuse its token.")
        _token, plaintext = APIToken.create_token(user=user, name=name)
        # Only the token on stdout, so that scripts can capture it.
        self.stdout.write(plaintext)
