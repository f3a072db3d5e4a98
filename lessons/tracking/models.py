"""Actions (rows of the HSEEP improvement-plan matrix) and their progress updates.

Ordinary models, not page content: tracking an action never requires republishing the
lesson. Their state changes only through lessons.tracking.logic.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from kb.choices import ActionStatus, CapabilityElement, Priority

from . import checks

# Migrations name these here; they live in .evidence.
from .evidence import (  # noqa: F401
    EVIDENCE_EXTENSIONS,
    EvidenceStorage,
    evidence_path,
    evidence_storage,
    validate_evidence_file,
)

OPEN_STATUSES = (ActionStatus.PROPOSED, ActionStatus.ACCEPTED, ActionStatus.IN_PROGRESS)
DUE_SOON_DAYS = 14
STALE_DAYS = 60


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)

    def due_soon(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        return self.open().filter(due_date__gte=today, due_date__lte=horizon)

    def stale(self, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.open().filter(last_update_at__lt=now - datetime.timedelta(days=STALE_DAYS))

    def with_context(self):
        return self.select_related(
            "recommendation__lesson__owner_city",
            "responsible_organisation",
            "point_of_contact",
        )


class Action(models.Model):
    """The remedial action that implements a recommendation."""

    recommendation = models.ForeignKey(
        "lessons.Recommendation", on_delete=models.CASCADE, related_name="actions"
    )
    capability_element = models.CharField(
        max_length=20, choices=CapabilityElement.choices, blank=True
    )
    corrective_action = models.TextField(_("corrective action"))
    responsible_organisation = models.ForeignKey(
        "kb.Organisation", on_delete=models.PROTECT, related_name="actions"
    )
    point_of_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    completion_date = models.DateField(null=True, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.PROPOSED, db_index=True
    )
    status_reason = models.TextField(
        blank=True, help_text=_("Why it was declined or reopened (the latest reason).")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    last_update_at = models.DateTimeField(
        default=timezone.now, help_text=_("The latest progress update or status change.")
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action")
        # The dashboard's late lists and the times its cached figures stay exact.
        indexes = [
            models.Index(fields=["status", "due_date"], name="action_status_due"),
            models.Index(fields=["status", "last_update_at"], name="action_status_updated"),
            models.Index(fields=["status", "created_at"], name="action_status_created"),
        ]

    def __str__(self) -> str:
        return self.corrective_action[:80]

    def save(self, *args, **kwargs):
        if not self.capability_element and self.recommendation_id:
            self.capability_element = self.recommendation.capability_element
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # The site's form and the admin's; logic.create_action asks the same checks.
        problems = checks.problems_of(self, new=self._state.adding, today=timezone.localdate())
        if problems:
            raise ValidationError(problems)

    @cached_property
    def lesson(self):
        return self.recommendation.lesson

    @property
    def city_id(self) -> int | None:
        return self.lesson.owner_city_id

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in OPEN_STATUSES and bool(self.due_date) and self.due_date < today

    def is_due_soon(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        if self.status not in OPEN_STATUSES or not self.due_date:
            return False
        return today <= self.due_date <= today + datetime.timedelta(days=DUE_SOON_DAYS)

    def is_stale(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        limit = now - datetime.timedelta(days=STALE_DAYS)
        return self.status in OPEN_STATUSES and self.last_update_at < limit


class ProgressUpdate(models.Model):
    """One progress note on an action, possibly the evidence of a transition."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True, help_text=_("Sanitised HTML."))
    link = models.URLField(blank=True, max_length=500)
    file = models.FileField(
        upload_to=evidence_path,
        storage=evidence_storage,
        blank=True,
        validators=[validate_evidence_file],
    )
    file_name = models.CharField(max_length=255, blank=True)
    status_from = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    status_to = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _("Update on action %(id)s") % {"id": self.action_id}

    @property
    def is_transition(self) -> bool:
        return bool(self.status_to) and self.status_to != self.status_from

    @property
    def has_evidence(self) -> bool:
        return bool(self.text or self.link or self.file)
