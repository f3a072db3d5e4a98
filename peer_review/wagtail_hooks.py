"""Admin wiring of the peer review: audit-log actions and listings for coordinators."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import ReviewAssignment, ReviewRound

LOG_ACTIONS = {
    "peer_review.round_opened": (_("Peer review: round opened"), _("Review round opened")),
    "peer_review.invited": (_("Peer review: reviewer invited"), _("Reviewer invited")),
    "peer_review.conflict_override": (
        _("Peer review: conflict rule overridden"),
        _("Reviewer from the author city invited, with a reason"),
    ),
    "peer_review.accepted": (_("Peer review: invitation accepted"), _("Invitation accepted")),
    "peer_review.declined": (_("Peer review: invitation declined"), _("Invitation declined")),
    "peer_review.withdrawn": (_("Peer review: assignment withdrawn"), _("Assignment withdrawn")),
    "peer_review.recommendation": (
        _("Peer review: recommendation"),
        _("Reviewer recommendation submitted"),
    ),
    "peer_review.decided": (_("Peer review: decision"), _("Review round decided")),
    "peer_review.comment": (_("Peer review: comment"), _("Review comment posted")),
    "peer_review.resolved": (_("Peer review: thread resolved"), _("Review thread resolved")),
    "peer_review.reopened": (_("Peer review: thread reopened"), _("Review thread reopened")),
}


@hooks.register("register_log_actions")
def register_peer_review_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


class ReviewRoundViewSet(ModelViewSet):
    model = ReviewRound
    icon = "tasks"
    menu_label = _("Review rounds")
    list_display = ["page", "number", "state", "decision", "coordinator", "opened_at", "closed_at"]
    list_filter = ["state", "decision", "coordinator", "opened_at"]
    search_fields = ["page__title"]
    form_fields = ["coordinator"]
    # Exports carry the workflow facts only; comments and rationales stay on the round page.
    list_export = ["page", "number", "state", "decision", "coordinator", "opened_at", "closed_at"]


class ReviewAssignmentViewSet(ModelViewSet):
    model = ReviewAssignment
    icon = "user"
    menu_label = _("Review assignments")
    list_display = ["reviewer", "round", "state", "response_due", "review_due", "recommendation"]
    list_filter = ["state", "recommendation", "response_due", "review_due"]
    search_fields = ["reviewer__username", "round__page__title"]
    form_fields = ["response_due", "review_due"]
    list_export = [
        "reviewer",
        "round",
        "state",
        "invited_at",
        "response_due",
        "review_due",
        "responded_at",
        "submitted_at",
        "recommendation",
    ]


class PeerReviewGroup(ViewSetGroup):
    menu_label = _("Peer review")
    menu_icon = "tasks"
    menu_order = 310
    items = (ReviewRoundViewSet("review_rounds"), ReviewAssignmentViewSet("review_assignments"))


@hooks.register("register_admin_viewset")
def register_peer_review_viewsets():
    return PeerReviewGroup()


@hooks.register("before_edit_page")
def refuse_publishing_material_sent_back_for_revision(request, page):
    """While peer review has sent material back ("revise"), it is resubmitted, not published:
    the admin's Publish button would otherwise bypass the round's decision. (During a round
    the workflow task locks the page, so no one but a superuser edits it.)"""
    from django.shortcuts import redirect
    from wagtail.admin import messages
    from wagtail.models import WorkflowState

    from .workflow import WORKFLOW_NAME

    if request.method != "POST" or "action-publish" not in request.POST:
        return None
    state = WorkflowState.objects.active().for_instance(page).select_related("workflow").first()
    if state is None or state.workflow.name != WORKFLOW_NAME or request.user.is_superuser:
        return None
    messages.error(
        request,
        _("Peer review asked for changes: save your draft and resubmit it for peer review."),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
