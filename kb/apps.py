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
        # people and tags, and a membership decides a committee's scope. Figures kept per
        # city hold tags (slugs) but no name and no one's membership: a write to the
        # directory changes no city's (who is asking is part of their key).
        dataversion.track(AttackType, Theme)
        dataversion.track(
            City,
            Organisation,
            Membership,
            get_user_model(),
            city_of=lambda row: dataversion.NO_CITY,
        )
