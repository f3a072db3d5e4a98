from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _cities_tagged(pages, items: str):
    """For kb.dataversion: the cities of the `pages` tagged (through `items`) with a tag."""

    def cities(tag):
        tagged = pages.objects.filter(**{f"{items}__tag": tag})
        return tagged.values_list("owner_city_id", flat=True).distinct()

    return cities


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Debriefs and lessons")

    def import_models(self) -> None:
        super().import_models()
        # The tracker's models (actions, progress updates) belong to this app but live in
        # lessons/tracking/, which builds on lessons.models: Django is told of them here
        # rather than by an import at the foot of lessons/models.py (a cycle).
        import_module("lessons.tracking.models")

    def ready(self) -> None:
        from wagtail.models import Page

        from kb import dataversion
        from kb.models import AttackType, Theme

        from . import access, signals  # noqa: F401
        from .models import DebriefAttackType, DebriefPage, LessonPage, LessonTheme, Recommendation
        from .tracking import dashboard_check, dashboard_warm, jobs  # noqa: F401
        from .tracking.models import Action, ProgressUpdate

        access.register()
        # What the committee dashboard's cached figures read, each row in its lesson's
        # city (the dashboard keeps its figures per city). A move changes a page's city:
        # Wagtail saves a moved page as a plain Page, which changes no city's figures by
        # itself, and signals.py names the cities the move left and joined.
        dataversion.track(DebriefPage, LessonPage, city_of=lambda page: page.owner_city_id)
        dataversion.track(
            DebriefAttackType,
            LessonTheme,
            city_of=lambda row: row.content_object.owner_city_id,
        )
        dataversion.track(Recommendation, city_of=lambda row: row.lesson.owner_city_id)
        dataversion.track(Action, city_of=lambda action: action.city_id)
        dataversion.track(ProgressUpdate, city_of=lambda update: update.action.city_id)
        dataversion.track(Page, city_of=lambda page: dataversion.NO_CITY)
        # A theme or an attack type renamed: the cities of the pages tagged with it.
        dataversion.track(Theme, city_of=_cities_tagged(LessonPage, "theme_items"))
        dataversion.track(AttackType, city_of=_cities_tagged(DebriefPage, "attack_type_items"))
