"""A member reads the site in French or German: they choose the language in the header's
switcher, then walk the search, a lesson page, a review round and the committee dashboard,
and no sentence of ours is left in English (content keeps its own language: it is marked
with its `lang`, and left out of the check). axe still finds nothing serious."""

from __future__ import annotations

import pytest
from django.utils.translation import trans_real

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Words of ours that may stay English: the product's name (also the Wagtail site's name);
# TLP labels and what the translators kept identical on purpose are skipped anyway.
EXCEPTIONS: set[str] = {"Lessons Knowledge Base"}

# The page's own text: elements written in another language (content, language names in
# the switcher) are taken out before reading it.
OWN_TEXT = """(language) => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('[lang]').forEach(el => {
    if (!el.getAttribute('lang').startsWith(language)) el.remove();
  });
  body.querySelectorAll('script, style, template, .visually-hidden').forEach(el => el.remove());
  return body.textContent.replace(/\\s+/g, ' ');
}"""


def english_sentences(language: str) -> list[str]:
    """Our English strings of two words or more that the catalogue translates otherwise."""
    catalogue = trans_real.translation(language)._catalog
    found = []
    for msgid, msgstr in catalogue.items():
        if not isinstance(msgid, str) or "\x04" in msgid or not msgid.strip():
            continue
        text = msgid.strip()
        if "%" in text or "{" in text or "<" in text or text in EXCEPTIONS:
            continue
        if len(text.split()) >= 2 and len(text) >= 8 and msgstr.strip() != text:
            found.append(text)
    assert len(found) > 300, "the catalogue looks empty"
    return found


def switch_language(visitor, language: str) -> None:
    page = visitor.page
    page.select_option("#language-switcher-select", language)
    page.click("form.language-switcher button[type=submit]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == language


def assert_no_english(visitor, language: str, sentences: list[str], label: str) -> None:
    text = visitor.page.evaluate(OWN_TEXT, language)
    left = sorted({sentence for sentence in sentences if sentence in text})
    visitor.screenshot(f"{label}-{language}")
    assert not left, f"{label} in {language}: English left: {left}"
    visitor.assert_accessible()


@pytest.mark.parametrize("language", ["fr", "de"])
def test_committee_member_reads_search_lesson_and_dashboard_in_their_language(
    site, visitor_factory, language
):
    sentences = english_sentences(language)
    member = visitor_factory(suffix=language)
    member.login("nice-committee")
    member.goto("/")
    switch_language(member, language)

    member.goto("/search/?q=radio")
    assert member.page.locator(".results .item__title a").count() > 0
    assert_no_english(member, language, sentences, "search")

    member.goto(site.endorsed.url)
    assert_no_english(member, language, sentences, "lesson")

    member.goto("/tracker/dashboard/")
    assert_no_english(member, language, sentences, "dashboard")


@pytest.mark.parametrize("language", ["fr", "de"])
def test_coordinator_reads_a_review_round_in_their_language(site, visitor_factory, language):
    sentences = english_sentences(language)
    coordinator = visitor_factory(suffix=language)
    coordinator.login("nice-coordinator")
    coordinator.goto("/reviews/")
    switch_language(coordinator, language)

    coordinator.goto(f"/reviews/rounds/{site.open_round.pk}/")
    assert_no_english(coordinator, language, sentences, "round")
