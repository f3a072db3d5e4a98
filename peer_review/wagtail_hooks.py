"""Admin wiring of the peer review: audit-log actions and listings for coordinators."""

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import WorkflowState
from wagtail.permissions import register_permission_policy

from .admin_views import CoordinatorListingPolicy, PeerReviewGroup
from .models import WORKFLOW_NAME, ReviewAssignment, ReviewRound
from .transitions import LOG_ACTIONS
from .workflow import refuse_red_submission_by_non_recipient

# Registered here, before the viewsets are, so they use it (not Django's model permissions).
register_permission_policy(ReviewRound, CoordinatorListingPolicy(ReviewRound))
register_permission_policy(ReviewAssignment, CoordinatorListingPolicy(ReviewAssignment))


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
