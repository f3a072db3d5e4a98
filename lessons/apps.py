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
        from .tracking import jobs  # noqa: F401
        from .tracking.models import Action, ProgressUpdate

        access.register()
        # What the committee dashboard's cached figures read (Page: Wagtail saves a moved
        # page as a plain Page).
        dataversion.track(
            DebriefPage,
            LessonPage,
            DebriefAttackType,
            LessonTheme,
            Recommendation,
            Action,
            ProgressUpdate,
            Page,
        )
