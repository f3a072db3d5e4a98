from importlib import import_module

from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Debriefs and lessons"

    def import_models(self) -> None:
        super().import_models()
        # The tracker's models (actions, progress updates) belong to this app but live in
        # lessons/tracking/, which builds on lessons.models: Django is told of them here
        # rather than by an import at the foot of lessons/models.py (a cycle).
        import_module("lessons.tracking.models")

    def ready(self) -> None:
        from . import access, signals  # noqa: F401
        from .tracking import jobs  # noqa: F401

        access.register()
