"""Which debriefs and lessons a user may see: kb.access's rule applied to this app's pages.

A lesson is visible only when its own marking AND its debrief's allow it, so a lesson is
never less restricted than the rule its owner chose for the debrief. A read grant on a
lesson (peer review's) also opens its debrief, read as the lesson's context (not its other
lessons), except a TLP:RED debrief that does not name the reader.

`register()` (called from LessonsConfig.ready()) hands these rules to kb.access, which then
answers `can_view` and `hidden_pages` for debriefs and lessons in every channel.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kb import access
from kb.access import Viewer, grant_allowed_q, marking_q

from .models import DebriefPage, LessonPage


def _granted(viewer: Viewer, prefix: str = "") -> Q:
    return Q(**{f"{prefix}pk__in": viewer.granted_page_ids})


def debrief_q(viewer: Viewer) -> Q:
    """The debriefs the viewer may read: their marking, a grant, or a granted lesson's."""
    context = Q(pk__in=viewer.context_page_ids)
    return marking_q(viewer, DebriefPage) | _granted(viewer) | context


def lesson_q(viewer: Viewer) -> Q:
    """The lessons the viewer may read: their own rule and their debrief's."""
    own = marking_q(viewer, LessonPage) | _granted(viewer)
    # A reviewer granted a lesson may read the debrief context it sits in.
    parent = marking_q(viewer, DebriefPage, "debrief__") | _granted(viewer, "debrief__")
    parent |= _granted(viewer)
    return own & parent


def context_debriefs(user, granted: frozenset[int]) -> frozenset[int]:
    """The debriefs of the granted lessons that the grant may open to this user."""
    parents = LessonPage.objects.filter(pk__in=granted).values("debrief_id")
    debriefs = DebriefPage.objects.filter(pk__in=parents).filter(
        grant_allowed_q(user.pk, DebriefPage)
    )
    return frozenset(debriefs.values_list("pk", flat=True))


def visible_lessons(
    user, queryset: QuerySet | None = None, as_one_condition: bool = False
) -> QuerySet:
    """Every live lesson the user may see (`as_one_condition`: see kb.access.visible)."""
    lessons = queryset if queryset is not None else LessonPage.objects.all()
    return access.visible(user, lessons, as_one_condition)


def visible_debriefs(user, queryset: QuerySet | None = None) -> QuerySet:
    """Every live debrief the user may see."""
    return access.visible(user, queryset if queryset is not None else DebriefPage.objects.all())


def register() -> None:
    access.register_marked_page(LessonPage, lesson_q)
    access.register_marked_page(DebriefPage, debrief_q)
    access.register_context_provider(context_debriefs)
