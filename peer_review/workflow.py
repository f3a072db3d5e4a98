"""What the "City-to-city peer review" workflow does beyond its task (models.PeerReviewTask).

A city editor submits a debrief or lesson to the workflow in the Wagtail admin (or from the
member site). Starting the task opens a review round (Wagtail's `task_submitted` signal,
connected in apps.py, reaches `open_round_when_the_task_starts`); the coordinator's decision
(peer_review.logic.decide) approves the task, which lets Wagtail publish the revision, or
rejects it, which sends the page back to the author. Resubmitting restarts the task, which
opens the next round. Every step shows in the page's workflow history and audit log.

The workflow is assigned to the home page by migration 0002, so every debrief and lesson
of every city (present and future) uses it without per-city setup.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.models import TaskState

from kb.choices import Marking

from . import logic
from .models import PeerReviewTask


def open_round_when_the_task_starts(sender, instance: TaskState, user=None, **kwargs) -> None:
    """`task_submitted` receiver: a peer review task that starts opens the next round."""
    if not issubclass(instance.task.specific_class, PeerReviewTask):
        return
    logic.open_round(instance.workflow_state.content_object, by=user, task_state=instance)


def refuse_red_submission_by_non_recipient(request, page):
    """`before_edit_page` hook: the admin's "Submit to peer review" obeys the rule the member
    site applies in logic.submit_for_review: TLP:RED material is submitted by one of its named
    recipients only (an editor of the owning city who is not one must not start a round that
    would hand the material to coordinators and reviewers)."""
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
