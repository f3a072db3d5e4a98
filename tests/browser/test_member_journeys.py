"""Journeys of a member on the member site, in chromium."""

import re

import pytest
from django.db import connection

from lessons.models import LessonPage
from tests.browser.conftest import PHONE

pytestmark = [
    pytest.mark.browser,
    # Migrations seed the page tree and vocabularies; restore them after each flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="live server on SQLite only"),
]


def test_member_searches_filters_opens_a_result_and_follows_a_similar_case(
    demo_site, visitor_factory
):
    member = visitor_factory()
    page = member.page
    member.login("berlin-reviewer")
    page.fill("#site-search-q", "radio interoperability")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=radio"))
    count_before = int(page.inner_text(".results__count").split()[0])
    assert count_before > 1
    assert page.locator(".item__highlight mark").count() > 0
    member.screenshot("search")
    member.assert_accessible()

    page.click(".facet:has(.facet__title:text-is('Theme')) a:has-text('Information sharing')")
    page.wait_for_url(re.compile(r"theme=information-sharing"))
    count_after = int(page.inner_text(".results__count").split()[0])
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


def test_member_of_another_city_gets_a_404_that_names_nothing(demo_site, visitor_factory):
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


@pytest.mark.parametrize("viewport,suffix", [(None, "-desktop"), (PHONE, "-phone")])
def test_key_member_pages_pass_axe(demo_site, visitor_factory, viewport, suffix):
    member = visitor_factory(**({"viewport": viewport} if viewport else {}), suffix=suffix)
    member.login("nice-editor")
    lesson = LessonPage.objects.filter(marking="TLP:GREEN").first()
    for label, url in [
        ("home", "/"),
        ("lessons", "/lessons/"),
        ("search", "/search/?q=evacuation"),
        ("city", lesson.owner_city.page.url),
        ("debrief", lesson.debrief.url),
        ("lesson", lesson.url),
        ("notifications", "/notifications/"),
    ]:
        member.page.goto(url)
        member.screenshot(label)
        member.assert_accessible()
