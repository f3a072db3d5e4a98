from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Debriefs and lessons"

    def ready(self) -> None:
        from wagtail.models import Page

        from kb import dataversion

        from . import signals  # noqa: F401
        from .models import DebriefAttackType, DebriefPage, LessonPage, LessonTheme, Recommendation
        from .tracking import jobs  # noqa: F401
        from .tracking.models import Action, ProgressUpdate

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
