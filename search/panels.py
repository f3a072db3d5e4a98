"""Similar lessons beside a lesson: the editor's "other cities learned this already" panel
and the lesson page's similar cases. search registers both in lessons' places
(lessons.panels) from its AppConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from search import engine
from search.backends.base import SearchUnavailable


class SimilarLessonsPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "search/similar_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            lesson = self.instance
            context["has_text"] = bool(
                lesson.pk and lesson.debrief_id and (lesson.observation or lesson.lesson_identified)
            )
            context["lesson_id"] = lesson.pk  # for the live update (search/live_panel.py)
            context["similar"], context["unavailable"] = [], False
            if context["has_text"]:
                try:
                    context["similar"] = engine.similar(
                        self.request.user, lesson, limit=5, draft=True
                    )
                except SearchUnavailable:
                    context["unavailable"] = True
            return context


def similar_lessons_panel() -> SimilarLessonsPanel:
    return SimilarLessonsPanel(heading=_("Similar lessons from other cities"))


def similar_cases(user, lesson) -> dict:
    """The lesson page's similar cases; an engine outage shows as a notice, not an error."""
    try:
        return {"similar": engine.similar(user, lesson, limit=5)}
    except SearchUnavailable:
        return {"similar": [], "similar_unavailable": True}
