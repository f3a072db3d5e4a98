from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Debriefs and lessons"

    def ready(self) -> None:
        from . import signals  # noqa: F401
        from .tracking import jobs  # noqa: F401
