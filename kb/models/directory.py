"""The member directory: cities of the network, organisations, and who belongs where."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb.choices import Role, Sector


class City(models.Model):
    name = models.CharField(max_length=100, unique=True)
    country = models.CharField(
        max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. DE, FR, GB.")
    )
    languages = models.CharField(
        max_length=100, blank=True, help_text=_("Comma-separated language codes, e.g. en,fr.")
    )
    joined_on = models.DateField(_("joined the network"), default=timezone.localdate)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=32, choices=Sector.choices)
    city = models.ForeignKey(
        City,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("Leave empty for national bodies and companies."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "city"], name="unique_organisation_per_city"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        today = on or timezone.localdate()
        return self.filter(
            Q(user__is_active=True),
            Q(started_on__lte=today),
            Q(ended_on__isnull=True) | Q(ended_on__gt=today),
        )

    def with_role(self, role: str):
        return self.filter(**{f"is_{role}": True})


class Membership(models.Model):
    """Gives a user a city, an organisation and roles. Ending it cuts access at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    is_editor = models.BooleanField(_("city editor"), default=False)
    is_reviewer = models.BooleanField(_("peer reviewer"), default=False)
    is_committee = models.BooleanField(_("oversight committee"), default=False)
    is_coordinator = models.BooleanField(_("review coordinator"), default=False)
    is_owner = models.BooleanField(_("action owner"), default=False)
    network_wide = models.BooleanField(
        default=False,
        help_text=_("A committee member who follows every city's aggregate figures."),
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(
        null=True, blank=True, help_text=_("From this date the member has no access.")
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["city__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} – {self.city}"

    @property
    def roles(self) -> list[str]:
        return [role.value for role in Role if getattr(self, f"is_{role.value}")]

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles]

    def is_current(self, on=None) -> bool:
        today = on or timezone.localdate()
        return (
            self.user.is_active
            and self.started_on <= today
            and (self.ended_on is None or self.ended_on > today)
        )

    def clean(self) -> None:
        if self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("A membership cannot end before it starts.")})
        if self.organisation and self.organisation.city_id not in (None, self.city_id):
            raise ValidationError({"organisation": _("This organisation belongs to another city.")})
        overlapping = Membership.objects.filter(user_id=self.user_id, ended_on__isnull=True)
        if self.ended_on is None and overlapping.exclude(pk=self.pk).exists():
            raise ValidationError(
                _("This user already has an open membership; end it before adding another.")
            )
