"""The Wagtail workflow task that gates publication on the peer review's decision.

A city editor submits a debrief or lesson to the "City-to-city peer review" workflow in the
Wagtail admin (or from the member site). Starting the task opens a review round; the
coordinator's decision (peer_review.logic.decide) approves the task, which lets Wagtail
publish the revision, or rejects it, which sends the page back to the author. Resubmitting
restarts the task, which opens the next round. Every step shows in the page's workflow
history and audit log.

The workflow is assigned to the home page by migration 0002, so every debrief and lesson
of every city (present and future) uses it without per-city setup.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState, Workflow, WorkflowPage, WorkflowTask

WORKFLOW_NAME = "City-to-city peer review"
TASK_NAME = "Peer review"


class PeerReviewTask(Task):
    """Waits for a review round's decision; nobody approves it by hand in the admin."""

    class Meta:
        app_label = "peer_review"
        verbose_name = _("peer review task")
        verbose_name_plural = _("peer review tasks")

    def start(self, workflow_state, user=None):
        from . import logic

        task_state = super().start(workflow_state, user=user)
        logic.open_round(workflow_state.content_object, by=user, task_state=task_state)
        return task_state

    def get_actions(self, obj, user):
        # The decision is recorded on the member site by the round's coordinator, with a
        # rationale, through logic.decide(); an admin button would bypass its rules.
        return []

    def locked_for_user(self, obj, user):
        # The material must not change under the reviewers' eyes.
        return not user.is_superuser

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("Waits for the decision of a city-to-city peer review round")


def ensure_peer_review_workflow() -> Workflow:
    """The workflow with its task, assigned to the home page (idempotent)."""
    from kb.models import HomePage

    task = PeerReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = PeerReviewTask.objects.create(name=TASK_NAME)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    home = HomePage.objects.first()
    if home is not None:
        WorkflowPage.objects.update_or_create(
            page=Page.objects.get(pk=home.pk), defaults={"workflow": workflow}
        )
    return workflow


def refuse_red_submission_by_non_recipient(request, page):
    """`before_edit_page` hook: the admin's "Submit to peer review" obeys the rule the member
    site applies in logic.submit_for_review: TLP:RED material is submitted by one of its named
    recipients only (an editor of the owning city who is not one must not start a round that
    would hand the material to coordinators and reviewers)."""
    from django.shortcuts import redirect
    from wagtail.admin import messages

    from kb.choices import Marking

    if request.method != "POST" or "action-submit" not in request.POST:
        return None
    if request.user.is_superuser or not hasattr(page.specific, "recipients"):
        return None
    page = page.specific
    # The marking being saved counts as much as the stored one.
    red = page.marking == Marking.RED or request.POST.get("marking") == Marking.RED
    # The page is the latest revision: its recipients are a modelcluster list, not a query.
    if not red or any(u.pk == request.user.pk for u in page.recipients.all()):
        return None
    messages.error(
        request,
        _(
            "Not submitted: TLP:RED material is submitted for peer review by one of its "
            "named recipients."
        ),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
