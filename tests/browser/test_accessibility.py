"""Accessibility in a real browser: axe-core on every member-facing page and the key admin
screens, TLP banners on marked pages, and keyboard-only use of login, search and review.

The member pages are screenshotted at desktop and phone widths on the way, under
test-artifacts/screenshots/<test name>/, for a person to look at.
"""

import pytest

from kb.models import City
from lessons.tracking.models import Action
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _member_pages(site) -> dict[str, list[tuple[str, str]]]:
    """(label, url) per user who sees them; anonymous pages under None."""
    endorsed, open_round = site.endorsed, site.open_round
    action = Action.objects.filter(recommendation__lesson__owner_city__name="Nice").first()
    return {
        "berlin-reviewer": [
            ("home", "/"),
            ("city", City.objects.get(name="Brussels").page.url),
            ("debrief", endorsed.debrief.url),
            ("lesson-with-similar-cases-and-badge", endorsed.url),
            ("lessons", "/lessons/"),
            ("search", "/search/?q=radio+interoperability"),
            ("reviewer-workspace", "/reviews/"),
            ("reviewer-round", f"/reviews/rounds/{open_round.pk}/"),
            ("notifications", "/notifications/"),
            ("not-found", "/no/such/page/"),
        ],
        "nice-coordinator": [
            ("coordinator-rounds", "/reviews/coordinator/"),
            ("coordinator-round", f"/reviews/rounds/{open_round.pk}/"),
        ],
        "nice-committee": [
            ("my-actions", "/tracker/actions/"),
            ("all-actions", "/tracker/actions/all/"),
            ("action", f"/tracker/actions/{action.pk}/"),
            ("committee-dashboard", "/tracker/dashboard/"),
        ],
        None: [("login", "/accounts/login/")],
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_member_pages_pass_axe_at_desktop_and_phone_widths(site, visitor_factory, viewport):
    failures = []
    for username, pages in _member_pages(site).items():
        visitor = visitor_factory(viewport=viewport)
        if username:
            visitor.login(username)
        for label, url in pages:
            response = visitor.page.goto(url)
            expected = 404 if label == "not-found" else 200
            assert response.status == expected, f"{username} {url}: {response.status}"
            visitor.screenshot(label)
            failures += visitor.axe_violations()
        visitor.close()
    assert not failures, failures


# Wagtail's own admin markup, which this project does not render: each exclusion names one
# rule on one selector, with the reason, never a whole rule.
ADMIN_EXCLUSIONS = [
    # Wagtail's tag field (jQuery tag-it) adds its own text box for typing a new tag, with
    # no label of its own; the field's <label> points at the hidden input it feeds.
    ("label", ".tagit-new > .ui-autocomplete-input"),
]


def test_key_admin_screens_pass_axe(site, visitor_factory):
    admin = visitor_factory()
    admin.login("admin")
    lesson = site.endorsed
    for url in [
        "/admin/",
        f"/admin/pages/{lesson.debrief.pk}/",
        f"/admin/pages/{lesson.pk}/edit/",
        "/admin/review_rounds/",
    ]:
        admin.goto(url)
        admin.screenshot(url.strip("/").replace("/", "-"))
        admin.assert_accessible(exclude=ADMIN_EXCLUSIONS)


def test_marked_pages_carry_the_tlp_banner_at_top_and_bottom(site, visitor_factory):
    member = visitor_factory()
    member.login("nice-coordinator")
    action = Action.objects.filter(recommendation__lesson__owner_city__name="Nice").first()
    for url, marking in [
        (site.endorsed.url, site.endorsed.marking),
        (site.endorsed.debrief.url, site.endorsed.debrief.marking),
        (f"/tracker/actions/{action.pk}/", action.recommendation.lesson.marking),
        (f"/reviews/rounds/{site.open_round.pk}/", site.open_round.material.marking),
    ]:
        member.goto(url)
        banners = member.page.locator(".marking-banner")
        assert banners.count() == 2, url
        first, last = banners.first.bounding_box(), banners.last.bounding_box()
        assert first["y"] == 0, url  # the very top of the page
        height = member.page.evaluate("() => document.documentElement.scrollHeight")
        assert abs(last["y"] + last["height"] - height) < 2, url  # and the very bottom
        assert marking in banners.first.inner_text()
        # TLP colours: the label in its colour on black.
        colours = banners.first.evaluate(
            "b => [getComputedStyle(b).backgroundColor,"
            " getComputedStyle(b.querySelector('.marking-banner__label')).color]"
        )
        assert colours[0] == "rgb(0, 0, 0)", (url, colours)
        assert colours[1] in {
            "rgb(255, 43, 43)",  # RED
            "rgb(255, 192, 0)",  # AMBER, AMBER+STRICT
            "rgb(51, 255, 0)",  # GREEN
            "rgb(255, 255, 255)",  # CLEAR
        }, (url, colours)


FOCUSED = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  const label = e.labels && e.labels.length ? e.labels[0].textContent.trim()
              : (e.getAttribute('aria-label') || '');
  return {id: e.id, tag: e.tagName, facet: !!e.closest('.facet'),
          name: e.getAttribute('name'), label,
          text: (e.textContent || '').trim().slice(0, 40),
          ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
                || s.boxShadow !== 'none'};
}"""


def _tab_to(page, predicate, limit: int = 60) -> dict:
    """Press Tab until the focused element matches; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["ring"], f"no visible focus on {focused}"
        if focused["tag"] in {"INPUT", "SELECT", "TEXTAREA"} and focused["name"] != "q":
            assert focused["label"], f"unlabelled field {focused}"
        if predicate(focused):
            return focused
    raise AssertionError("never reached the element by keyboard")


def _skip_to_main(page) -> None:
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Skip to main content"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_keyboard_only_login_search_and_review_comment(site, visitor_factory):
    visitor = visitor_factory()
    page = visitor.page
    visitor.goto("/accounts/login/")
    _skip_to_main(page)
    _tab_to(page, lambda f: f["id"] == "id_username")
    page.keyboard.type("berlin-reviewer")
    _tab_to(page, lambda f: f["id"] == "id_password")
    page.keyboard.type("not the password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The error is tied to the fields it concerns.
    for field in ("#id_username", "#id_password"):
        assert page.get_attribute(field, "aria-invalid") == "true"
        described = page.get_attribute(field, "aria-describedby").split()
        assert described and all(page.locator(f"#{i}").inner_text().strip() for i in described)
    visitor.screenshot("login-error")
    page.fill("#id_password", "demo-pass-2026")
    page.focus("#id_password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url

    # Search from the header box, then narrow by a facet, by keyboard alone.
    page.goto("/")
    _tab_to(page, lambda f: f["id"] == "site-search-q")
    page.keyboard.type("evacuation")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=evacuation")
    _tab_to(page, lambda f: f["facet"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".facets__active").count() == 1

    # A review comment on a section, by keyboard alone.
    page.goto(f"/reviews/rounds/{site.open_round.pk}/")
    _skip_to_main(page)
    _tab_to(page, lambda f: f["id"] == "c-observation")
    page.keyboard.type("Keyboard-only comment on the observation.")
    _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Comment")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Keyboard-only comment" in page.inner_text("#section-observation")


def test_a_lesson_prints_with_its_markings_and_without_the_site_chrome(site, visitor_factory):
    member = visitor_factory()
    member.login("berlin-reviewer")
    member.goto(site.endorsed.url)
    member.page.emulate_media(media="print")
    page = member.page
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".site-search").is_visible()
    assert page.locator(".marking-banner").first.is_visible()
    assert page.locator(".marking-banner").last.is_visible()
    assert page.locator(".endorsement").is_visible()
