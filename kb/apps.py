from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from . import dataversion, jobs, signals  # noqa: F401
        from .models import AttackType, City, Membership, Organisation, Theme

        dataversion.connect()
        # The directory and the taxonomies: cached figures name cities, organisations,
        # people and tags, and a membership decides a committee's scope.
        dataversion.track(City, Organisation, Membership, AttackType, Theme, get_user_model())
