"""Admin wiring for the member directory: viewsets with filters, in a "Directory" menu."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from kb.models import City, Membership, Organisation


class CityViewSet(ModelViewSet):
    model = City
    icon = "site"
    menu_label = _("Cities")
    list_display = ["name", "country", "languages", "joined_on"]
    list_filter = ["country"]
    search_fields = ["name", "country"]
    form_fields = ["name", "country", "languages", "joined_on"]
    list_export = ["name", "country", "languages", "joined_on"]


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "sector", "city"]
    list_filter = ["sector", "city"]
    search_fields = ["name"]
    form_fields = ["name", "sector", "city"]
    list_export = ["name", "sector", "city"]


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "city", "organisation", "role_labels", "started_on", "ended_on"]
    list_filter = [
        "city",
        "is_editor",
        "is_reviewer",
        "is_committee",
        "is_coordinator",
        "is_owner",
        "ended_on",
    ]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    form_fields = [
        "user",
        "city",
        "organisation",
        "is_editor",
        "is_reviewer",
        "is_committee",
        "is_coordinator",
        "is_owner",
        "network_wide",
        "started_on",
        "ended_on",
    ]
    list_export = ["user", "city", "organisation", "roles", "started_on", "ended_on"]


class DirectoryGroup(ViewSetGroup):
    menu_label = _("Directory")
    menu_icon = "group"
    menu_order = 300
    items = (
        CityViewSet("cities"),
        OrganisationViewSet("organisations"),
        MembershipViewSet("memberships"),
    )


@hooks.register("register_admin_viewset")
def register_directory():
    return DirectoryGroup()
