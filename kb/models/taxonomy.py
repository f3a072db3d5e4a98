"""Controlled vocabularies as django-taggit tag models.

Attack types and themes are closed lists (seeded by migration with the stable slugs of
DESIGN.md); Wagtail's tag widget offers only existing tags because free_tagging is off.
Free keywords use taggit's ordinary Tag model beside them.
"""

from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase

from kb.choices import vocabulary_label


class AttackType(TagBase):
    """Its `name` is the English label kept in the database; `label` (and str()) is the
    label in the reader's language."""

    free_tagging = False

    class Meta:
        ordering = ["name"]
        verbose_name = _("attack type")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return vocabulary_label("attack_type", self.slug) if self.slug else self.name


class Theme(TagBase):
    free_tagging = False

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return vocabulary_label("theme", self.slug) if self.slug else self.name
