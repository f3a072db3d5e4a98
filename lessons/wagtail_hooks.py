"""Admin wiring of the oversight tracker: audit-log actions and the actions listing."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from lessons.tracking.admin import ActionViewSet
from lessons.tracking.transitions import LOG_ACTIONS


@hooks.register("register_log_actions")
def register_action_log_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_admin_viewset")
def register_action_viewset() -> ModelViewSet:
    return ActionViewSet("actions")
