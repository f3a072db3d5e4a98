"""The actions listing in the Wagtail admin, for committees: filters and CSV/XLSX export.

Status is read-only here: it changes through lessons.tracking.logic only (the site's
transition buttons, the API or the CSV import), so every change has its audit entry.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from . import rules
from .models import Action


class ActionIndexView(generic.IndexView):
    def get_base_queryset(self):
        # The admin listing obeys the marking like every other channel.
        return rules.visible_actions(self.request.user, super().get_base_queryset())


class ActionViewSet(ModelViewSet):
    model = Action
    index_view_class = ActionIndexView
    icon = "tasks"
    menu_label = _("Actions")
    menu_order = 310
    add_to_admin_menu = True
    list_display = [
        "corrective_action",
        "responsible_organisation",
        "status",
        "priority",
        "due_date",
        "last_update_at",
    ]
    list_filter = ["status", "priority", "capability_element", "responsible_organisation"]
    search_fields = ["corrective_action"]
    form_fields = [
        "recommendation",
        "capability_element",
        "corrective_action",
        "responsible_organisation",
        "point_of_contact",
        "start_date",
        "due_date",
        "priority",
    ]
    list_export = [
        "pk",
        "capability_element",
        "corrective_action",
        "responsible_organisation",
        "point_of_contact",
        "start_date",
        "due_date",
        "completion_date",
        "priority",
        "status",
    ]
    export_filename = "actions"
