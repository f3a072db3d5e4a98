from django.db import models
from django.utils.translation import gettext_lazy as _


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
        verbose_name = _("search outbox entry")
        verbose_name_plural = _("search outbox")

    def __str__(self) -> str:
        return f"lesson {self.lesson_id}"


class LessonVector(models.Model):
    """A lesson's meaning as the embedding model reads it, for semantic similar cases.

    Kept in the database, not in a backend, so both backends share it; beside the vector it
    holds the lesson's access tokens (the vector search trims by them before ranking) and
    what a similar-cases answer shows. `vector` is empty while the embedding is pending (the
    model was unavailable): the next drain retries it."""

    lesson_id = models.BigIntegerField(primary_key=True)
    model = models.CharField(max_length=64, blank=True)
    text_hash = models.CharField(max_length=64, blank=True)
    vector = models.BinaryField(null=True)  # float16 x 512: 1 KB a lesson
    lesson_tokens = models.JSONField(default=list)
    debrief_tokens = models.JSONField(default=list)
    language = models.CharField(max_length=16, blank=True)
    title = models.CharField(max_length=255, blank=True)
    external_id = models.CharField(max_length=100, blank=True, null=True)
    url = models.TextField(blank=True)
    city_id = models.BigIntegerField(null=True)
    city = models.CharField(max_length=255, blank=True)
    attack_types = models.JSONField(default=list)
    themes = models.JSONField(default=list)
    updated = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("lesson vector")

    def __str__(self) -> str:
        return f"vector of lesson {self.lesson_id}"
