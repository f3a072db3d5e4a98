"""The language a debrief or lesson is written in, named in the reader's language.

`{{ code|language_label }}` gives the label (a facet, a list: "Anglais"),
`{{ code|language_in_sentence }}` the name as it reads inside a sentence ("Rédigé en anglais"),
and `{% language_badge code %}` the badge shown wherever lessons are listed or shown. The
content itself carries `lang="{{ code }}"` in the templates, so that screen readers pronounce
it in its own language."""

from __future__ import annotations

from django import template

from kb.choices import CONTENT_LANGUAGES, CONTENT_LANGUAGES_IN_SENTENCE

register = template.Library()


@register.filter
def language_label(code: str) -> str:
    """ "German" for "de" (translated when read); an unknown code is shown as it is."""
    return str(CONTENT_LANGUAGES.get(code, code or ""))


@register.filter
def language_in_sentence(code: str) -> str:
    """ "anglais" for "en" in French, "Englisch" in German; an unknown code as it is."""
    return str(CONTENT_LANGUAGES_IN_SENTENCE.get(code, code or ""))


@register.inclusion_tag("includes/language_badge.html")
def language_badge(code: str) -> dict:
    return {"code": code, "label": language_in_sentence(code)}
