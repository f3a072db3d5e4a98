from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One in-site notification (its e-mail twin is sent by kb.notifications.notify)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=50)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    dedupe_key = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Set for reminders: the same key is never notified twice to a recipient."),
    )
    # What the notice is about (a review assignment, an action ...): lets the app that owns
    # it describe it afresh for the reader (kb.notifications.register_describer).
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_sent_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient}"
