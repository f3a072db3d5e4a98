"""The editor's similar-cases panel, live: while an editor drafts a lesson, the panel asks
again after a pause in typing (static/js/similar_panel.js) with the text as it stands, and
nothing is saved. Registered as an admin URL in search/wagtail_hooks.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from lessons.models import LessonPage
from search import engine
from search.backends.base import SearchUnavailable

# The fields of the lesson form the panel reads, as the editor has typed them.
DRAFT_FIELDS = ("title", "observation", "discussion", "lesson_identified")
MAX_DRAFT = 50_000  # per field: the panel needs the gist, not a novel


def draft_of(lesson: LessonPage, post) -> LessonPage:
    """The lesson's latest revision with the typed text over it; never saved."""
    draft = lesson.get_latest_revision_as_object()
    for name in DRAFT_FIELDS:
        if name in post:
            setattr(draft, name, post[name][:MAX_DRAFT])
    return draft


@require_POST
def similar_for_draft(request, lesson_id: int):
    """The panel's inner HTML for the typed text (the same template as on page load)."""
    lesson = get_object_or_404(LessonPage, pk=lesson_id)
    if not lesson.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    draft = draft_of(lesson, request.POST)
    context = {"has_text": bool(draft.observation or draft.lesson_identified)}
    context["similar"], context["unavailable"] = [], False
    if context["has_text"] and draft.debrief_id:
        try:
            context["similar"] = engine.similar(request.user, draft, limit=5, draft=True)
        except SearchUnavailable:
            context["unavailable"] = True
    return render(request, "search/similar_panel_body.html", context)
