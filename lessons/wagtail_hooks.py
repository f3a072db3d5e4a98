"""Wagtail wiring: the oversight tracker's audit-log actions and actions listing, and the
debriefs and lessons that kb's home and city pages list (kb/models/pages.py's hooks)."""

from django.core.paginator import Paginator
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from kb.models.pages import CITY_PAGE_CONTEXT, HOME_PAGE_CONTEXT
from lessons import access
from lessons.models import LessonPage
from lessons.tracking.admin import ActionViewSet
from lessons.tracking.transitions import LOG_ACTIONS

DEBRIEFS_PER_PAGE = 20


@hooks.register("register_log_actions")
def register_action_log_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_admin_viewset")
def register_action_viewset() -> ModelViewSet:
    return ActionViewSet("actions")


@hooks.register(HOME_PAGE_CONTEXT)
def home_page_lessons(page, request, context: dict) -> None:
    context["recent_lessons"] = (
        access.visible_lessons(request.user)
        .select_related("owner_city")
        .order_by("-first_published_at", "-pk")[:8]
    )
    context["lesson_count"] = access.visible_lessons(request.user).count()
    context["total_lessons"] = LessonPage.objects.live().count()


@hooks.register(CITY_PAGE_CONTEXT)
def city_page_debriefs_and_lessons(page, request, context: dict) -> None:
    debriefs = (
        access.visible_debriefs(request.user)
        .filter(owner_city_id=page.city_id)
        .prefetch_related("attack_types")
        .order_by("-incident_date", "-pk")
    )
    context["debriefs"] = Paginator(debriefs, DEBRIEFS_PER_PAGE).get_page(request.GET.get("page"))
    context["recent_lessons"] = (
        access.visible_lessons(request.user)
        .filter(owner_city_id=page.city_id)
        .select_related("debrief")
        .prefetch_related("themes", "debrief__attack_types")
        .order_by("-first_published_at", "-pk")[:10]
    )
