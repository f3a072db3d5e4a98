"""`/lessons/` pages by keyset: following "next" shows the same lessons, in the same order,
as counting rows from the start; the count stays right after a write; restricted lessons
stay out."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from kb.choices import Marking
from kb.models import City
from lessons import views
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db
PER_PAGE = 3


@pytest.fixture
def world(monkeypatch):
    monkeypatch.setattr(views, "LESSONS_PER_PAGE", PER_PAGE)
    nice, berlin = make_city("Nice"), make_city("Berlin")
    reader = make_member("berlin-reader", berlin, "")
    debrief = make_debrief(nice, title="Seafront debrief", marking=Marking.GREEN)
    lessons = [make_lesson(debrief, title=f"Lesson {n:02d}") for n in range(8)]
    strict = make_debrief(nice, title="Strict debrief", marking=Marking.AMBER_STRICT)
    make_lesson(strict, title="Secret strict lesson")
    return reader, debrief, lessons


def _titles(html: str) -> list[str]:
    return re.findall(r"Lesson \d\d", html)


def test_following_next_pages_shows_every_visible_lesson_once_in_order(client, world):
    reader, _debrief, lessons = world
    client.force_login(reader)
    expected = [
        lesson.title
        for lesson in sorted(lessons, key=lambda p: (p.first_published_at, p.pk), reverse=True)
    ]
    seen = []
    for page in (1, 2, 3):
        html = client.get("/lessons/", {"page": page}).content.decode()
        assert "8 lessons" in html
        assert "Secret strict lesson" not in html
        seen += _titles(html)
    assert seen == expected


def test_a_page_typed_by_hand_matches_the_page_reached_by_next(client, world):
    reader, _debrief, _lessons = world
    client.force_login(reader)
    by_hand = _titles(client.get("/lessons/", {"page": 3}).content.decode())
    client.get("/lessons/", {"page": 2})
    by_next = _titles(client.get("/lessons/", {"page": 3}).content.decode())
    assert by_hand == by_next and len(by_next) == 2


def test_the_count_is_read_once_and_follows_a_write(client, world):
    reader, debrief, _lessons = world
    client.force_login(reader)
    client.get("/lessons/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/lessons/", {"page": 2})
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counts if "lessons_lessonpage" in sql], counts
    make_lesson(debrief, title="Lesson 99")
    assert "9 lessons" in client.get("/lessons/", {"page": 2}).content.decode()


def _walk(client, params=None) -> list[str]:
    """The lesson titles of every page, following the "Next" links from the first page."""
    seen, url = [], "/lessons/"
    while url:
        html = client.get(url, params).content.decode()
        seen += _titles(html)
        following = re.search(r'href="(\?[^"]*)" rel="next"', html)
        url, params = (f"/lessons/{unescape(following[1])}", None) if following else (None, None)
    return seen


def test_filters_are_kept_from_page_to_page(client, world):
    reader, _debrief, _lessons = world
    berlin_debrief = make_debrief(
        City.objects.get(name="Berlin"), title="Tram debrief", marking=Marking.GREEN
    )
    berlin = {make_lesson(berlin_debrief, title=f"Lesson {n}").title for n in range(20, 25)}
    client.force_login(reader)
    first = client.get("/lessons/", {"city": "Berlin"}).content.decode()
    assert "5 lessons" in first
    assert '<option value="Berlin" selected>Berlin</option>' in first
    assert 'href="?city=Berlin&amp;page=2"' in first
    second = client.get("/lessons/", {"city": "Berlin", "page": 2}).content.decode()
    assert '<option value="Berlin" selected>Berlin</option>' in second
    assert 'href="?city=Berlin&amp;page=1"' in second
    assert set(_walk(client, {"city": "Berlin"})) == berlin


def test_a_lesson_published_while_paging_neither_repeats_nor_hides_one(client, world):
    reader, debrief, lessons = world
    client.force_login(reader)
    first = _titles(client.get("/lessons/").content.decode())
    make_lesson(debrief, title="Lesson 90")  # the newest: page 1 now starts with it
    rest = []
    for page in (2, 3):
        rest += _titles(client.get("/lessons/", {"page": page}).content.decode())
    seen = first + rest
    assert len(seen) == len(set(seen)) == len(lessons)
    assert "Lesson 90" not in seen


def test_a_lesson_deleted_while_paging_hides_no_other(client, world):
    reader, _debrief, lessons = world
    client.force_login(reader)
    first = _titles(client.get("/lessons/").content.decode())
    next(lesson for lesson in lessons if lesson.title == first[0]).delete()
    rest = []
    for page in (2, 3):
        rest += _titles(client.get("/lessons/", {"page": page}).content.decode())
    assert sorted(first + rest) == sorted(lesson.title for lesson in lessons)


def test_undated_lessons_come_last_and_once(client, world):
    reader, _debrief, lessons = world
    Page.objects.filter(pk__in=[lessons[0].pk, lessons[5].pk]).update(first_published_at=None)
    client.force_login(reader)
    seen = _walk(client)
    assert sorted(seen) == sorted(lesson.title for lesson in lessons)
    assert set(seen[-2:]) == {lessons[0].title, lessons[5].title}


def test_each_reader_pages_through_what_they_may_read_only(client, world):
    reader, _debrief, lessons = world
    nice_member = make_member("nice-reader", City.objects.get(name="Nice"), "")
    open_debrief = make_debrief(City.objects.get(name="Nice"), marking=Marking.CLEAR)
    make_lesson(open_debrief, title="Lesson 50")
    client.force_login(nice_member)
    nice_sees = client.get("/lessons/").content.decode()
    assert "10 lessons" in nice_sees
    assert (
        "Secret strict lesson" in nice_sees + client.get("/lessons/", {"page": 4}).content.decode()
    )
    client.force_login(reader)
    assert sorted(_walk(client)) == sorted([lesson.title for lesson in lessons] + ["Lesson 50"])
    client.logout()
    assert _walk(client) == ["Lesson 50"]
