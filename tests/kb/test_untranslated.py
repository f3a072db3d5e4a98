"""No visible word of ours escapes translation: the main pages are rendered with a
pseudo-locale that wraps every translated string in ⟦ ⟧, and any text left outside the
markers must be content (titles, names, text members wrote), a number or a TLP label."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from kb.choices import Marking
from kb.notifications import notify
from tests.factories import (
    make_accepted_review,
    make_action,
    make_city,
    make_debrief,
    make_lesson,
    make_member,
    make_organisation,
    make_review_round,
)
from tests.pseudo_locale import pseudo_locale, without_marked

pytestmark = pytest.mark.django_db

# Words that are not ours to translate: TLP labels (TLP 2.0 keeps FIRST's English form),
# the language names the switcher shows in their own language, acronyms and brand names.
ALLOWED = [
    *[m.value for m in Marking],
    "TLP",
    "English",
    "français",
    "Deutsch",
    "español",
    "Nederlands",
    "RSS",
    "CSV",
    "XLSX",
    "PDF",
    "HSEEP",
]
# Attributes a member reads or hears.
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "aria-description"}
SKIPPED_ELEMENTS = {"script", "style", "template"}


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self._skip += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.texts.append(value)
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in SKIPPED_ELEMENTS:
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data)


def unmarked_texts(html: str, content: list[str]) -> list[str]:
    """The visible texts of the page with words left outside the translation markers."""
    parser = _VisibleText()
    # A translated string may hold markup (a link in a sentence): take it out whole first.
    parser.feed(without_marked(html))
    allowed = sorted({*content, *ALLOWED}, key=len, reverse=True)
    left = []
    for text in parser.texts:
        # A two-factor secret key, not words: matched before the allowed words are taken
        # out, which could cut it ("XX", a country code, inside a random key).
        if re.fullmatch(r"\s*[A-Z2-7]{16,}\s*", text):
            continue
        rest = text
        for word in allowed:
            rest = rest.replace(word, " ")
        if re.search(r"[^\W\d_]", rest):  # a letter is left
            left.append(" ".join(text.split()))
    return left


def _world():
    nice, berlin = make_city("Nice"), make_city("Berlin")
    fire = make_organisation("Nice Fire", nice, "fire")
    member = make_member("nice-all", nice, "editor,committee,owner,coordinator,reviewer")
    berlin_reviewer = make_member("berlin-reviewer", berlin, "reviewer")
    debrief = make_debrief(nice, title="Seafront debrief", marking=Marking.GREEN)
    lesson = make_lesson(debrief, title="Radios failed at the seafront")
    action = make_action(lesson, fire, point_of_contact=member, status="in_progress")
    review_page = make_lesson(debrief, title="Crowd surge lesson", live=False)
    round = make_review_round(review_page, member)
    make_accepted_review(round, berlin_reviewer, member)
    notify(member, "test", "Content-free notice from a test", "/lessons/", email=False)
    content = [
        "Home",  # the home page's title
        "XX",  # the cities' country code
        "Nice",
        "Berlin",
        "Radios",  # the search highlights a word of a title
        "failed at the seafront",
        "Nice Fire",
        "nice-all",
        "berlin-reviewer",
        "Seafront debrief",
        "Radios failed at the seafront",
        "Crowd surge lesson",
        "Lessons Knowledge Base",
        "A joint debrief.",
        "Radios failed.",
        "Test radios.",
        "Buy radios",
        "Configure a shared talk group",
        "Content-free notice from a test",
    ]
    return member, lesson, round, action, content


def _pages(lesson, round, action) -> list[str]:
    return [
        lesson.get_parent().url,  # the debrief
        "/nice/",
        f"/tracker/actions/{action.pk}/",
        "/tracker/actions/all/",
        "/tracker/actions/bulk/",
        "/tracker/import/",
        "/tracker/report/",
        "/accounts/two-factor/",
        "/",
        "/lessons/",
        lesson.url,
        "/search/?q=radios",
        f"/reviews/rounds/{round.pk}/",
        "/reviews/coordinator/",
        "/reviews/",
        "/tracker/dashboard/",
        "/tracker/actions/",
        "/notifications/",
    ]


def test_every_word_of_ours_on_the_main_pages_is_marked_for_translation():
    found = {}
    with pseudo_locale():
        # Made under the pseudo-locale too: notices are worded when they are sent.
        member, lesson, round, action, content = _world()
        client = Client()
        client.force_login(member)
        for path in _pages(lesson, round, action):
            response = client.get(path, follow=True)
            assert response.status_code == 200, path
            left = unmarked_texts(response.content.decode(), content)
            if left:
                found[path] = left
        anonymous = Client().get("/accounts/login/")
        left = unmarked_texts(anonymous.content.decode(), content)
        if left:
            found["/accounts/login/"] = left
    assert not found, "Texts not marked for translation:\n" + "\n".join(
        f"{path}: {texts}" for path, texts in found.items()
    )


def test_the_check_finds_an_unmarked_word():
    with pseudo_locale():
        html = "<p>⟦Marked⟧ Nice</p><p>Unmarked words</p><button title='Hover'>⟦OK⟧</button>"
        assert unmarked_texts(html, ["Nice"]) == ["Unmarked words", "Hover"]


def test_a_two_factor_secret_is_not_taken_for_words_even_when_it_holds_an_allowed_one():
    """The setup page's random key once held "XX" (a country code the test allows), which
    cut it in two and failed the check above by chance."""
    secret = '<p><code id="totp-secret">D3Z4CYSDEETXX3WMCQSJKQ7USJIERKJR</code></p>'
    assert unmarked_texts(secret, ["XX"]) == []
    assert unmarked_texts("<p>Secret key</p>", ["XX"]) == ["Secret key"]
