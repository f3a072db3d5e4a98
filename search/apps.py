"""The search index: one interface, two backends, index sync through an outbox, and the
search and similar-cases views."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "kb_search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from lessons.panels import AFTER_TEXT, register_lesson_page_context, register_lesson_panel

        from . import jobs, panels, signals  # noqa: F401  (jobs: registers the periodic sync)

        register_lesson_panel(AFTER_TEXT, panels.similar_lessons_panel())
        register_lesson_page_context(panels.similar_cases)
        signals.connect()
