from django.db import models


class DataChange(models.Model):
    """One row per write that may change what a cached figure shows (kb.dataversion).

    Writes insert rather than update one counter row: concurrent transactions then take no
    common lock, and a row rolled back takes its random token with it, so a version is
    never reused for other data."""

    token = models.CharField(max_length=32)
    # The one city whose figures the write may change; empty: it may change any city's.
    # A plain number, not a key: the row outlives nothing it names.
    city_id = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.pk}-{self.token}"
