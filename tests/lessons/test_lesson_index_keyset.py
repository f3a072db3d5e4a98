"""`/lessons/` pages by keyset: following "next" shows the same lessons, in the same order,
as counting rows from the start; the count stays right after a write; restricted lessons
stay out."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.choices import Marking
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
