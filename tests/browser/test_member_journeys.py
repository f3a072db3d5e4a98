"""Journeys of a member on the member site, in chromium: search (with and without
JavaScript), similar cases, and the 404 of material another city keeps to itself."""

import re

import pytest

from lessons.models import LessonPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _count(page) -> int:
    return int(page.inner_text(".results__count").split()[0])


def test_member_searches_filters_opens_a_result_and_follows_a_similar_case(site, visitor_factory):
    member = visitor_factory()
    page = member.page
    member.login("berlin-reviewer")
    page.fill("#site-search-q", "radio interoperability")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=radio"))
    count_before = _count(page)
    assert count_before > 1
    assert page.locator(".item__highlight mark").count() > 0
    member.screenshot("search")
    member.assert_accessible()

    page.click(".facet:has(.facet__title:text-is('Theme')) a:has-text('Information sharing')")
    page.wait_for_url(re.compile(r"theme=information-sharing"))
    count_after = _count(page)
    assert 0 < count_after <= count_before
    assert "Remove Theme: Information sharing" in page.inner_text(".facets__active")

    first = page.locator(".results .item__title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.inner_text("h1") == title
    assert page.locator(".marking-banner").count() == 2
    member.screenshot("lesson-with-similar-cases")
    member.assert_accessible()

    similar = page.locator(".similar-cases .item__title a").first
    similar_title = similar.inner_text()
    similar.click()
    page.wait_for_load_state()
    assert page.inner_text("h1") == similar_title


def test_search_answers_as_you_type_without_reloading_and_keeps_the_address_in_step(
    site, visitor_factory
):
    member = visitor_factory(bypass_csp=False)  # search.js must run under the site's CSP
    page = member.page
    member.login("berlin-reviewer")
    member.goto("/search/?q=radio")
    radio = _count(page)
    fragment = member.context.request.get("/search/?q=radio", headers={"KB-Partial": "results"})
    assert "<html" not in fragment.text() and f"{radio} lessons" in fragment.text()
    assert "KB-Partial" in fragment.headers["vary"]
    box = page.locator("#search-results").bounding_box()
    # A mark on the window survives only if no page load happens.
    page.evaluate("() => { window.kbNoReload = true; }")

    page.locator("#search-q").press("End")
    page.locator("#search-q").press_sequentially(" evacuation", delay=20)
    page.wait_for_url(re.compile(r"q=radio\+evacuation"))
    page.wait_for_function("() => !document.getElementById('search-results').ariaBusy")
    status = page.inner_text("#search-status")
    assert re.fullmatch(r"\d+ lessons? for “radio evacuation”", status), status
    assert page.inner_text(".results__count") == status
    assert page.evaluate("() => window.kbNoReload") is True
    # Results render where the old ones were: nothing above them moved.
    assert page.locator("#search-results").bounding_box()["y"] == box["y"]

    page.fill("#search-q", "qqqzzzunknownword")
    page.press("#search-q", "Enter")
    page.wait_for_function(
        "() => document.getElementById('search-status').textContent === "
        "'0 lessons for “qqqzzzunknownword”'"
    )
    assert "No lessons match" in page.inner_text("#search-results")
    assert page.evaluate("() => window.kbNoReload") is True
    assert "q=qqqzzzunknownword" in page.url
    assert _count(page) == 0 < radio


def test_search_works_without_javascript(site, visitor_factory):
    member = visitor_factory(javascript=False)
    page = member.page
    member.login("berlin-reviewer")
    member.goto("/search/")
    page.fill("#search-q", "evacuation")
    with page.expect_navigation():
        page.press("#search-q", "Enter")
    assert "q=evacuation" in page.url
    assert _count(page) > 0
    assert page.locator(".item__highlight mark").count() > 0


def test_member_of_another_city_gets_a_404_that_names_nothing(site, visitor_factory):
    strict = (
        LessonPage.objects.filter(marking="TLP:AMBER+STRICT")
        .exclude(owner_city__name="Oslo")
        .select_related("debrief")
        .first()
    )
    member = visitor_factory()
    member.login("oslo-editor")
    response = member.page.goto(strict.url)
    assert response.status == 404
    text = member.page.content()
    assert "Page not found" in text
    for secret in [strict.title, strict.slug, strict.debrief.title, strict.debrief.slug]:
        assert secret not in text
    member.screenshot("not-found")
    member.assert_accessible()
