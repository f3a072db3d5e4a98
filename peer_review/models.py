"""Review rounds, reviewer assignments and threaded comments of the city-to-city peer review,
and the Wagtail workflow task that gates publication on a round's decision.

State changes happen only in `peer_review.logic`; these models hold the data and answer
simple questions about it. What happens when the task starts is peer_review.workflow's.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState, Workflow, WorkflowPage, WorkflowTask

from kb.directory import current_membership
from kb.models import HomePage

EDIT_WINDOW = datetime.timedelta(minutes=15)
DUE_SOON = datetime.timedelta(days=2)


class Recommendation(models.TextChoices):
    ENDORSE = "endorse", _("Endorse")
    ENDORSE_WITH_CHANGES = "endorse_with_changes", _("Endorse with changes")
    REVISE = "revise", _("Revise and resubmit")
    NOT_ENDORSED = "not_endorsed", _("Not endorsed")


ENDORSING = {Recommendation.ENDORSE, Recommendation.ENDORSE_WITH_CHANGES}


class RoundState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AssignmentState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Assignments that still count: the reviewer is (or may be) working on the round.
ACTIVE_STATES = [AssignmentState.INVITED, AssignmentState.ACCEPTED, AssignmentState.SUBMITTED]
# Assignments whose reviewer reads the material and takes part in the discussion.
READING_STATES = [AssignmentState.ACCEPTED, AssignmentState.SUBMITTED]


class ReviewRound(models.Model):
    """One peer review of a debrief or lesson; the coordinator's decision closes it."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="review_rounds"
    )
    number = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=10, choices=RoundState.choices, default=RoundState.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_rounds",
    )
    decision = models.CharField(max_length=24, choices=Recommendation.choices, blank=True)
    rationale = models.TextField(blank=True)
    task_state = models.ForeignKey(
        "wagtailcore.TaskState", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="one_round_number_per_page")
        ]

    def __str__(self) -> str:
        return _("Round %(number)s of %(title)s") % {
            "number": self.number,
            "title": self.page.title,
        }

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN

    @property
    def material(self):
        """The page under review, as its specific type (debrief or lesson)."""
        return self.page.specific

    @property
    def is_endorsed(self) -> bool:
        return self.state == RoundState.CLOSED and self.decision in ENDORSING

    def endorsing_cities(self) -> list[str]:
        cities = (
            self.assignments.filter(state=AssignmentState.SUBMITTED)
            .values_list("reviewer__memberships__city__name", flat=True)
            .distinct()
        )
        return sorted({c for c in cities if c})


class ReviewAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state__in=ACTIVE_STATES)

    def open_reviews(self):
        """Work outstanding: invited or accepted in a round still open."""
        return self.filter(
            state__in=[AssignmentState.INVITED, AssignmentState.ACCEPTED],
            round__state=RoundState.OPEN,
        )


class ReviewAssignment(models.Model):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        max_length=10, choices=AssignmentState.choices, default=AssignmentState.INVITED
    )
    invited_at = models.DateTimeField(default=timezone.now)
    response_due = models.DateField(_("reply to the invitation by"))
    review_due = models.DateField(_("review due"))
    responded_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    conflict_override_reason = models.TextField(
        blank=True, help_text=_("Why a reviewer from the author city was invited anyway.")
    )
    recommendation = models.CharField(max_length=24, choices=Recommendation.choices, blank=True)
    summary = models.TextField(blank=True)

    objects = ReviewAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["round", "invited_at", "pk"]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.round}"

    @property
    def due(self) -> datetime.date | None:
        if self.state == AssignmentState.INVITED:
            return self.response_due
        if self.state == AssignmentState.ACCEPTED:
            return self.review_due
        return None

    def status_on(self, today: datetime.date | None = None) -> str:
        """pending, due_soon, overdue or done: how the reviewer's workspace sorts it."""
        today = today or timezone.localdate()
        if self.due is None or not self.round.is_open:
            return "done"
        if self.due < today:
            return "overdue"
        if self.due - DUE_SOON <= today:
            return "due_soon"
        return "pending"

    @property
    def is_overdue(self) -> bool:
        return self.status_on() == "overdue"

    @property
    def reviewer_city(self):
        membership = current_membership(self.reviewer)
        return membership.city if membership else None


class CommentQuerySet(models.QuerySet):
    def delete(self):
        # Nothing said in a review is ever erased: a deletion only hides the text.
        return self.update(deleted_at=timezone.now()), {}


class Comment(models.Model):
    """A comment in a round, anchored to a section of the material; replies thread under it."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    section = models.CharField(max_length=40, default="general")
    body = models.TextField(help_text=_("Stored already sanitised (see kb.sanitise)."))
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.round}"

    def delete(self, *args, **kwargs):
        self.deleted_at = self.deleted_at or timezone.now()
        self.save(update_fields=["deleted_at"])
        return 0, {}

    def editable_by(self, user, now=None) -> bool:
        now = now or timezone.now()
        return (
            user.pk == self.author_id
            and self.deleted_at is None
            and now - self.created_at <= EDIT_WINDOW
        )

    @property
    def thread_root(self) -> Comment:
        node = self
        while node.parent_id:
            node = node.parent
        return node


WORKFLOW_NAME = "City-to-city peer review"
TASK_NAME = "Peer review"


class PeerReviewTask(Task):
    """Waits for a review round's decision; nobody approves it by hand in the admin.

    Starting it opens a round: peer_review.workflow receives Wagtail's `task_submitted`."""

    class Meta:
        verbose_name = _("peer review task")
        verbose_name_plural = _("peer review tasks")

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
    """The workflow with its task, assigned to the home page (idempotent). Migration 0002
    does the same, so every debrief and lesson of every city uses it without setup."""
    task = PeerReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = PeerReviewTask.objects.create(name=TASK_NAME)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    home = HomePage.objects.first()
    if home is not None:
        WorkflowPage.objects.update_or_create(
            page=Page.objects.get(pk=home.pk), defaults={"workflow": workflow}
        )
    return workflow
