from django.db import models


class OutboxEntry(models.Model):
    """A lesson whose index entry must be brought in line with the database.

    Written in the same transaction as the content change, removed only once the
    index has taken the change, so an engine outage or a crash loses nothing."""

    lesson_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "search outbox entry"
        verbose_name_plural = "search outbox"

    def __str__(self) -> str:
        return f"lesson {self.lesson_id}"
