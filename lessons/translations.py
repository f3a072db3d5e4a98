"""A debrief or lesson that its city publishes in two languages: the copies are linked.

Wagtail's locales (`TranslatableMixin`) would need one page tree per language, while a city
here keeps all its debriefs under one city page whatever language each is written in, and
most material exists in one language only. So a copy simply points at the original it
translates (`translation_of`); the original and all its copies form one group, and each
page names the others the reader may see ("Also in: Nederlands").
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from kb import access


def translation_link(kind: str) -> models.ForeignKey:
    """The `translation_of` field of a debrief or lesson page."""
    help_texts = {
        "debrief": _(
            "If this debrief is a translation of another debrief of your city, choose the "
            "original. Readers see a link to each language they may read."
        ),
        "lesson": _(
            "If this lesson is a translation of another lesson of your city, choose the "
            "original. Readers see a link to each language they may read."
        ),
    }
    return models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=help_texts[kind],
    )


def translations(user, page) -> list:
    """The other language versions of `page` that `user` may read, by language."""
    root = page.translation_of_id or page.pk
    group = type(page).objects.live().filter(Q(pk=root) | Q(translation_of_id=root))
    return list(access.visible(user, group.exclude(pk=page.pk)).order_by("language"))


def link_errors(page, original, language: str, city_id: int | None) -> str | None:
    """Why `page` cannot be linked as a translation of `original`, or None if it can."""
    if original is None:
        return None
    if page.pk and original.pk == page.pk:
        return gettext_now("A page cannot be a translation of itself.")
    if original.translation_of_id:
        return gettext_now(
            "“%(title)s” is itself a translation; choose the original it translates."
        ) % {"title": original.title}
    if original.language == language:
        return gettext_now(
            "The original is written in the same language; a translation is in another one."
        )
    if city_id and original.owner_city_id != city_id:
        return gettext_now("Only your own city's material can be linked as a translation.")
    return None
