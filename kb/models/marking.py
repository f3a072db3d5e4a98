"""The fields every marked item (debrief, lesson) carries: its marking and sharing lists
(read only through kb.access), its public summary and the language it is written in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField

from kb.choices import Marking, content_language_choices


class MarkedContent(models.Model):
    marking = models.CharField(
        max_length=20,
        choices=Marking.choices,
        default=Marking.AMBER_STRICT,
        db_index=True,
        help_text=_(
            "Traffic Light Protocol 2.0. CLEAR: public; GREEN: all members; AMBER: this city "
            "and the cities below; AMBER+STRICT: this city only; RED: the named people below."
        ),
    )
    owner_city = models.ForeignKey(
        "kb.City",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
        help_text=_("Set from the city the page sits under."),
    )
    shared_with = ParentalManyToManyField(
        "kb.City",
        blank=True,
        related_name="+",
        help_text=_("TLP:AMBER only: the other cities that may read this."),
    )
    recipients = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text=_("TLP:RED only: the people who may read this."),
    )
    public_summary = models.TextField(
        blank=True,
        help_text=_(
            "Optional TLP:CLEAR summary that may be published even when this item is "
            "restricted. Write nothing here that the marking protects."
        ),
    )

    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        choices=content_language_choices(),
        help_text=_(
            "The language this is written in. Left empty: a lesson takes its debrief's, a "
            "debrief its city's first language."
        ),
    )

    class Meta:
        abstract = True

    @property
    def marking_enum(self) -> Marking:
        return Marking(self.marking)
