"""The coordinators' admin listings of review rounds and assignments (Wagtail viewsets).

Read-only on purpose: every change of a round goes through peer_review.logic on the member
site. What a coordinator sees, searches, filters and exports is the rows of
peer_review.access.coordinator_rounds, labelled with the material's title only where
kb.access lets them see it; search matches that label, never a hidden title.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from kb.choices import Marking
from kb.models import City, Membership

from . import access
from .models import AssignmentState, Recommendation, ReviewAssignment, ReviewRound, RoundState

KINDS = [("lesson", _("Lesson")), ("debrief", _("Debrief"))]


class CoordinatorListingPolicy(BasePermissionPolicy):
    """Current review coordinators (and platform administrators) may view the listings;
    nobody adds, edits or deletes rounds here."""

    def user_has_permission(self, user, action) -> bool:
        return action == "view" and user.is_active and access.is_coordinator(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if "view" not in actions:
            return users.none()
        coordinators = Membership.objects.active().filter(is_coordinator=True)
        return users.filter(
            Q(is_superuser=True) | Q(pk__in=coordinators.values("user_id"))
        ).distinct()


def _coordinators():
    coordinators = Membership.objects.active().filter(is_coordinator=True)
    return get_user_model().objects.filter(pk__in=coordinators.values("user_id"))


def _cities():
    return [(name, name) for name in City.objects.order_by("name").values_list("name", flat=True)]


class MaterialFilters(WagtailFilterSet):
    """Filters on what every coordinator may know of a round's material."""

    material_kind = django_filters.ChoiceFilter(label=_("Kind of material"), choices=KINDS)
    material_marking = django_filters.ChoiceFilter(label=_("Marking"), choices=Marking.choices)
    material_city = django_filters.ChoiceFilter(label=_("City"), choices=_cities)


class RoundFilters(MaterialFilters):
    state = django_filters.ChoiceFilter(choices=RoundState.choices)
    decision = django_filters.ChoiceFilter(choices=Recommendation.choices)
    coordinator = django_filters.ModelChoiceFilter(queryset=lambda request: _coordinators())
    opened_at = django_filters.DateFromToRangeFilter(
        label=_("Opened"), widget=DateRangePickerWidget
    )

    class Meta:
        model = ReviewRound
        fields: list[str] = []


class AssignmentFilters(MaterialFilters):
    state = django_filters.ChoiceFilter(choices=AssignmentState.choices)
    recommendation = django_filters.ChoiceFilter(choices=Recommendation.choices)
    reviewer_city_name = django_filters.ChoiceFilter(label=_("Reviewer city"), choices=_cities)
    review_due = django_filters.DateFromToRangeFilter(
        label=_("Review due"), widget=DateRangePickerWidget
    )

    class Meta:
        model = ReviewAssignment
        fields: list[str] = []


def _round_link(round_id: int) -> str:
    return reverse("peer_review:round", args=[round_id])


class RoundIndexView(IndexView):
    def get_base_queryset(self):
        return access.coordinator_rounds(self.request.user).select_related("coordinator")


class AssignmentIndexView(IndexView):
    def get_base_queryset(self):
        reviewer_city = (
            Membership.objects.active()
            .filter(user_id=OuterRef("reviewer_id"))
            .values("city__name")[:1]
        )
        return (
            access.coordinator_assignments(self.request.user)
            .select_related("reviewer", "round")
            .annotate(reviewer_city_name=Subquery(reviewer_city))
        )


MATERIAL_HEADINGS = {
    "material_title": _("Material"),
    "material_kind": _("Kind"),
    "material_marking": _("Marking"),
    "material_city": _("City"),
}


class CoordinatorListingViewSet(ModelViewSet):
    """A read-only listing in the "Peer review" menu group, searched in the database (the
    search runs on the annotated label, which no search index holds)."""

    add_to_admin_menu = False
    search_backend_name = None


class ReviewRoundViewSet(CoordinatorListingViewSet):
    model = ReviewRound
    index_view_class = RoundIndexView
    icon = "tasks"
    menu_label = _("Review rounds")
    list_display = [
        TitleColumn(
            "material_title",
            label=_("Material"),
            sort_key="material_title",
            get_url=lambda round: _round_link(round.pk),
        ),
        Column("material_city", label=_("City"), sort_key="material_city"),
        Column("material_marking", label=_("Marking")),
        Column("number", label=_("Round"), sort_key="number"),
        Column("get_state_display", label=_("State"), sort_key="state"),
        Column("get_decision_display", label=_("Decision")),
        Column("coordinator", label=_("Coordinator")),
        DateColumn("opened_at", label=_("Opened"), sort_key="opened_at"),
        DateColumn("closed_at", label=_("Closed"), sort_key="closed_at"),
    ]
    filterset_class = RoundFilters
    search_fields = ["material_title"]
    form_fields = ["coordinator"]  # required by ModelViewSet; the policy refuses editing
    # Exports carry the workflow facts only; comments and rationales stay on the round page.
    list_export = [
        "material_title",
        "material_kind",
        "material_marking",
        "material_city",
        "number",
        "get_state_display",
        "get_decision_display",
        "coordinator",
        "opened_at",
        "closed_at",
    ]
    export_headings = {
        **MATERIAL_HEADINGS,
        "number": _("Round"),
        "get_state_display": _("State"),
        "get_decision_display": _("Decision"),
        "coordinator": _("Coordinator"),
        "opened_at": _("Opened"),
        "closed_at": _("Closed"),
    }
    export_filename = "review-rounds"


class ReviewAssignmentViewSet(CoordinatorListingViewSet):
    model = ReviewAssignment
    index_view_class = AssignmentIndexView
    icon = "user"
    menu_label = _("Review assignments")
    list_display = [
        TitleColumn(
            "reviewer",
            label=_("Reviewer"),
            sort_key="reviewer__username",
            get_url=lambda a: _round_link(a.round_id),
        ),
        Column("reviewer_city_name", label=_("Reviewer city"), sort_key="reviewer_city_name"),
        Column("material_title", label=_("Material"), sort_key="material_title"),
        Column("round.number", label=_("Round")),
        Column("get_state_display", label=_("State"), sort_key="state"),
        Column("response_due", label=_("Reply by"), sort_key="response_due"),
        Column("review_due", label=_("Review due"), sort_key="review_due"),
        Column("get_recommendation_display", label=_("Recommendation")),
    ]
    filterset_class = AssignmentFilters
    search_fields = ["material_title", "reviewer__username"]
    form_fields = ["review_due"]  # required by ModelViewSet; the policy refuses editing
    list_export = [
        "reviewer",
        "reviewer_city_name",
        "material_title",
        "material_kind",
        "material_marking",
        "material_city",
        "round.number",
        "get_state_display",
        "invited_at",
        "response_due",
        "review_due",
        "responded_at",
        "submitted_at",
        "get_recommendation_display",
    ]
    export_headings = {
        **MATERIAL_HEADINGS,
        "reviewer": _("Reviewer"),
        "reviewer_city_name": _("Reviewer city"),
        "round.number": _("Round"),
        "get_state_display": _("State"),
        "invited_at": _("Invited"),
        "response_due": _("Reply by"),
        "review_due": _("Review due"),
        "responded_at": _("Replied"),
        "submitted_at": _("Submitted"),
        "get_recommendation_display": _("Recommendation"),
    }
    export_filename = "review-assignments"


class PeerReviewGroup(ViewSetGroup):
    menu_label = _("Peer review")
    menu_icon = "tasks"
    menu_order = 310
    items = (ReviewRoundViewSet("review_rounds"), ReviewAssignmentViewSet("review_assignments"))
