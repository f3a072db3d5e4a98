"""Admin wiring of the peer review: audit-log actions and listings for coordinators."""

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import WorkflowState
from wagtail.permissions import register_permission_policy

from .admin_views import CoordinatorListingPolicy, PeerReviewGroup
from .models import WORKFLOW_NAME, ReviewAssignment, ReviewRound
from .workflow import refuse_red_submission_by_non_recipient

# Registered here, before the viewsets are, so they use it (not Django's model permissions).
register_permission_policy(ReviewRound, CoordinatorListingPolicy(ReviewRound))
register_permission_policy(ReviewAssignment, CoordinatorListingPolicy(ReviewAssignment))

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


@hooks.register("register_admin_viewset")
def register_peer_review_viewsets():
    return PeerReviewGroup()


# The member site's rule red_recipients_only, for the admin's "Submit to peer review".
hooks.register("before_edit_page", refuse_red_submission_by_non_recipient)


@hooks.register("before_edit_page")
def refuse_publishing_material_sent_back_for_revision(request, page):
    """While peer review has sent material back ("revise"), it is resubmitted, not published:
    the admin's Publish button would otherwise bypass the round's decision. (During a round
    the workflow task locks the page, so no one but a superuser edits it.)"""
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
