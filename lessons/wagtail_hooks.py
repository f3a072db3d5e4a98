"""Admin wiring of the oversight tracker: audit-log actions and the actions listing."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from lessons.tracking.admin import ActionViewSet
from lessons.tracking.logic import LOG_ACTIONS


@hooks.register("register_log_actions")
def register_action_log_actions(actions):
    for event, label in LOG_ACTIONS.items():
        actions.register_action(f"kb.action.{event}", _(label), _(label))


@hooks.register("register_admin_viewset")
def register_action_viewset() -> ModelViewSet:
    return ActionViewSet("actions")
