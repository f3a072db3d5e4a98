"""Finding your way and bad input, in chromium: the unread badge and marking notices read,
the header per role and /tracker/, tables and long words on a phone, a refused comment shown
beside its box with the text kept."""

import pytest

from kb.notifications import notify
from peer_review import logic
from tests.browser.conftest import PHONE
from tests.browser.test_i18n_journey import switch_language
from tests.browser.world import user

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def _badge(page) -> str:
    """The badge as a screen reader says it ("2 unread")."""
    return " ".join(
        page.locator(".site-account__notifications .count-badge").text_content().split()
    )


def test_reviewer_sees_the_unread_count_marks_one_read_and_opens_another(site, visitor_factory):
    reviewer = user("berlin-reviewer")
    reviewer.notifications.update(read_at="2026-01-01T00:00:00Z")
    notify(reviewer, "test", "First notice for the badge", "/lessons/", email=False)
    notify(reviewer, "test", "Second notice for the badge", "/reviews/", email=False)
    member = visitor_factory()
    page = member.page
    member.login("berlin-reviewer")
    member.goto("/")
    assert _badge(page) == "2 unread"
    page.click(".site-account__notifications")
    page.wait_for_url("**/notifications/")
    member.assert_accessible()
    first = page.locator(".notifications li", has_text="First notice for the badge")
    # A notice reads like a line of text, from the start of its row (not centred).
    opener = first.get_by_role("button", name="First notice for the badge", exact=True)
    assert opener.evaluate("button => getComputedStyle(button).textAlign") == "start"
    first.get_by_role("button", name="Mark as read").click()
    page.wait_for_url("**/notifications/")
    assert _badge(page) == "1 unread"
    page.get_by_role("button", name="Second notice for the badge", exact=True).click()
    page.wait_for_url("**/reviews/")
    assert page.locator(".count-badge").count() == 0


def test_each_role_sees_the_links_it_can_use_and_tracker_leads_to_its_start(site, visitor_factory):
    reader = visitor_factory(suffix="-reader")
    reader.login("london-reader")
    reader.goto("/lessons/")
    nav = reader.page.inner_text(".site-nav")
    assert "Lessons" in nav
    assert not any(label in nav for label in ("My actions", "Dashboard", "My reviews"))
    reader.goto("/tracker/", status=403)
    assert reader.page.inner_text("h1") == "Not available to you"
    assert "oversight committees and action owners" in reader.page.inner_text("main")
    reader.assert_accessible()

    committee = visitor_factory(suffix="-committee")
    committee.login("berlin-committee")
    committee.goto("/tracker/")
    assert committee.page.url.endswith("/tracker/dashboard/")
    assert "Dashboard" in committee.page.inner_text(".site-nav")

    owner = visitor_factory(suffix="-owner")
    owner.login("berlin-owner")
    owner.goto("/tracker/")
    assert owner.page.url.endswith("/tracker/actions/")
    nav = owner.page.inner_text(".site-nav")
    assert "My actions" in nav and "Dashboard" not in nav


def test_the_coordinators_rounds_table_fits_a_phone(site, visitor_factory):
    coordinator = visitor_factory(viewport=PHONE)
    coordinator.login("nice-coordinator")
    coordinator.goto("/reviews/coordinator/")
    assert coordinator.page.locator("table.stack-table tbody tr").count() >= 1
    assert _width(coordinator.page) <= PHONE["width"]
    label = coordinator.page.evaluate(
        "() => getComputedStyle(document.querySelector('.stack-table td'), '::before').content"
    )
    assert "Material" in label  # each cell names its column on the card
    coordinator.screenshot("rounds-on-a-phone")
    coordinator.assert_accessible()


def test_a_five_thousand_letter_word_wraps_instead_of_widening_the_page(site, visitor_factory):
    word = "Unbroken" * 625  # 5,000 characters, no space
    logic.add_comment(site.open_round, by=user("berlin-reviewer"), section="observation", body=word)
    for viewport, suffix in ((PHONE, "-phone"), ({"width": 1280, "height": 900}, "-desktop")):
        reviewer = visitor_factory(viewport=viewport, suffix=suffix)
        reviewer.login("berlin-reviewer")
        reviewer.goto(f"/reviews/rounds/{site.open_round.pk}/")
        assert reviewer.page.locator(f"text={word[:40]}").count() >= 1
        assert _width(reviewer.page) <= viewport["width"], suffix


def test_an_over_long_comment_is_refused_beside_its_box_with_the_text_kept(site, visitor_factory):
    reviewer = visitor_factory()
    page = reviewer.page
    reviewer.login("berlin-reviewer")
    reviewer.goto(f"/reviews/rounds/{site.open_round.pk}/")
    typed = "Too long a remark. " * 1100  # 20,900 characters
    page.fill("#c-observation", typed)
    with page.expect_navigation() as navigation:
        page.locator("#section-observation button[type=submit]").last.click()
    assert navigation.value.status == 422
    alert = page.locator("#section-observation [role=alert]")
    assert "the limit is 20000" in alert.inner_text()
    assert "body:" not in page.inner_text("main")
    assert page.input_value("#c-observation") == typed  # exactly as typed
    assert page.evaluate("() => document.activeElement.id") == "c-observation"
    assert page.locator(".message--error, .field--error").first.is_visible()
    reviewer.screenshot("comment-refused")
    reviewer.assert_accessible()


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_language_switchers_button_keeps_its_words_on_one_line(site, visitor_factory, language):
    """Found walking the demo: "Changer de langue" shrank to three lines of one word each."""
    member = visitor_factory(suffix=f"-{language}")
    member.login("nice-editor")
    member.goto("/lessons/")
    switch_language(member, language)
    lines = member.page.evaluate(
        """() => {
          const button = document.querySelector('form.language-switcher button');
          const range = document.createRange();
          range.selectNodeContents(button);
          return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        }"""
    )
    assert lines == 1
