"""Controlled vocabularies as django-taggit tag models.

Attack types and themes are closed lists (seeded by migration with the stable slugs of
DESIGN.md); Wagtail's tag widget offers only existing tags because free_tagging is off.
Free keywords use taggit's ordinary Tag model beside them.
"""

from taggit.models import TagBase


class AttackType(TagBase):
    free_tagging = False

    class Meta:
        ordering = ["name"]
        verbose_name = "attack type"


class Theme(TagBase):
    free_tagging = False

    class Meta:
        ordering = ["name"]
        verbose_name = "theme"
