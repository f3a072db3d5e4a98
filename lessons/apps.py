from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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

        from . import access, signals  # noqa: F401
        from .models import DebriefAttackType, DebriefPage, LessonPage, LessonTheme, Recommendation
        from .tracking import dashboard_check, jobs  # noqa: F401
        from .tracking.models import Action, ProgressUpdate

        access.register()
        # What the committee dashboard's cached figures read, each row in its lesson's
        # city (the dashboard keeps its figures per city). A move changes a page's city:
        # Wagtail saves a moved page as a plain Page, which names no city, and
        # signals.py bumps every city's version after it.
        dataversion.track(DebriefPage, LessonPage, city_of=lambda page: page.owner_city_id)
        dataversion.track(
            DebriefAttackType,
            LessonTheme,
            city_of=lambda row: row.content_object.owner_city_id,
        )
        dataversion.track(Recommendation, city_of=lambda row: row.lesson.owner_city_id)
        dataversion.track(Action, city_of=lambda action: action.city_id)
        dataversion.track(ProgressUpdate, city_of=lambda update: update.action.city_id)
        dataversion.track(Page)
