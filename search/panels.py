"""The editor's "other cities learned this already" panel on the lesson form."""

from wagtail.admin.panels import Panel

from search import engine
from search.backends.base import SearchUnavailable


class SimilarLessonsPanel(Panel):
    def clone_kwargs(self):
        return super().clone_kwargs()

    class BoundPanel(Panel.BoundPanel):
        template_name = "search/similar_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            lesson = self.instance
            context["has_text"] = bool(
                lesson.pk and lesson.debrief_id and (lesson.observation or lesson.lesson_identified)
            )
            context["similar"], context["unavailable"] = [], False
            if context["has_text"]:
                try:
                    context["similar"] = engine.similar(
                        self.request.user, lesson, limit=5, draft=True
                    )
                except SearchUnavailable:
                    context["unavailable"] = True
            return context
