"""Admin wiring: the access policy in the page admin, and the member directory (viewsets
with filters, in a "Directory" menu)."""

from django.http import Http404
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models.pages import AbstractPage
from wagtail.permissions import register_permission_policy
from wagtail.rich_text import LinkHandler

from kb import access
from kb.admin_permissions import MarkedPagePermissionPolicy
from kb.models import City, Membership, Organisation

# First thing in the hooks module, as Wagtail asks: before any admin view looks it up.
register_permission_policy(AbstractPage, MarkedPagePermissionPolicy())


def _without_hidden_pages(pages, request, parent_id=None):
    hidden = access.hidden_pages(request.user)
    if hidden is None:
        return pages
    # Browsing into a hidden page by its id would show its title as the listing's heading.
    if parent_id is not None and hidden.filter(pk=parent_id).exists():
        raise Http404
    return pages.exclude(pk__in=hidden)


class ExternalLinkHandler(LinkHandler):
    """Links to other sites in rich text: no referrer, no opener, no endorsement (the text
    is written by members; a link in it is not the network's recommendation)."""

    identifier = "external"

    @classmethod
    def expand_db_attributes(cls, attrs: dict) -> str:
        href = escape(attrs.get("href", ""))
        return f'<a href="{href}" rel="nofollow noopener noreferrer">'


@hooks.register("register_rich_text_features")
def register_external_link_handler(features):
    features.register_link_type(ExternalLinkHandler)


@hooks.register("construct_explorer_page_queryset")
def explorer_shows_only_visible_pages(parent_page, pages, request):
    return _without_hidden_pages(pages, request, parent_page.pk if parent_page else None)


@hooks.register("construct_page_chooser_queryset")
def chooser_offers_only_visible_pages(pages, request):
    # The chooser browses the whole tree (any city), not only where the user may edit.
    match = request.resolver_match
    parent_id = match.kwargs.get("parent_page_id") if match else None
    return _without_hidden_pages(pages, request, parent_id)


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
