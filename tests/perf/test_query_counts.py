"""Every page costs the same number of SQL queries whatever the size of the corpus.

A page whose query count grows with the corpus (one query per result, per action, per
city ...) is fast in development and slow at 100,000 lessons; this catches it at 20 and
60 lessons. Run by `make test`.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client

from kb import dataversion
from kb.models import Membership
from lessons.models import LessonPage
from peer_review.models import ReviewAssignment
from project.corpus import generate


def _queries(client: Client, url: str, after_a_change: bool = False) -> int:
    client.get(url)  # the first request warms per-process caches (content types, site)
    if after_a_change:
        dataversion.bump()  # what any write does: cached figures are computed again
    statements: list[str] = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)


def _clients() -> dict[str, Client]:
    memberships = Membership.objects.filter(user__username__startswith="corpus-")
    people = {
        "reader": memberships.filter(user__username__endswith="-reader").order_by("pk"),
        "committee": memberships.filter(is_committee=True, network_wide=True),
        "reviewer": memberships.filter(
            user_id=ReviewAssignment.objects.order_by("pk").values("reviewer_id")[:1]
        ),
    }
    clients = {}
    for role, found in people.items():
        clients[role] = Client()
        clients[role].force_login(found.first().user)
    return clients


def _counts(lesson) -> dict[str, int]:
    clients = _clients()
    reader = clients["reader"]
    # The lesson's own title finds it (and more) at both sizes: a page of results each time.
    words = urlencode({"q": lesson.title})
    return {
        "lesson page": _queries(reader, lesson.url),
        "/lessons/": _queries(reader, "/lessons/"),
        "/search/": _queries(reader, f"/search/?{words}"),
        "/search/ filtered": _queries(reader, f"/search/?{words}&phase={lesson.phase}"),
        "API search": _queries(reader, f"/api/v1/search?{words}"),
        "reviewer workspace": _queries(clients["reviewer"], "/reviews/"),
        "committee dashboard": _queries(clients["committee"], "/tracker/dashboard/"),
        "committee dashboard, after a change": _queries(
            clients["committee"], "/tracker/dashboard/", after_a_change=True
        ),
    }


def _more_reviews_for_the_same_reviewer() -> None:
    """Three more accepted reviews for the workspace's reviewer, so a query per
    assignment shows as a difference between the two sizes."""
    import datetime

    from django.utils import timezone

    from peer_review.models import AssignmentState, ReviewRound

    first = ReviewAssignment.objects.order_by("pk").first()
    reviewer = first.reviewer
    home = Membership.objects.get(user=reviewer).city_id
    lessons = LessonPage.objects.exclude(owner_city_id=home).filter(review_rounds__isnull=True)
    rounds = ReviewRound.objects.bulk_create(
        ReviewRound(page=lesson, number=1, coordinator=first.invited_by)
        for lesson in lessons.order_by("pk")[:3]
    )
    today = timezone.localdate()
    ReviewAssignment.objects.bulk_create(
        ReviewAssignment(
            round=round_,
            reviewer=reviewer,
            invited_by=first.invited_by,
            state=AssignmentState.ACCEPTED,
            response_due=today + datetime.timedelta(days=3),
            review_due=today + datetime.timedelta(days=20),
        )
        for round_ in rounds
    )
    assert len(rounds) == 3


@pytest.fixture(scope="module")
def search_settings(request) -> dict:
    """The embedded engine on SQLite; on PostgreSQL an Elasticsearch index of our own."""
    if connection.vendor == "sqlite":
        return {"KB_SEARCH_BACKEND": "embedded"}
    return {
        "KB_SEARCH_BACKEND": "elasticsearch",
        "KB_ELASTICSEARCH_URL": request.getfixturevalue("es_url"),
        "KB_ELASTICSEARCH_INDEX": f"kb-test-{uuid.uuid4().hex[:12]}",
        "KB_ELASTICSEARCH_REFRESH": True,
    }


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker, search_settings) -> tuple[dict, dict]:
    """Each page's query count at 20 lessons and at 60, on one corpus rolled back after."""
    from django.db import transaction
    from django.test import override_settings

    from lessons import access
    from search.backends import get_backend, reset_backend
    from tests.search.conftest import _drop_indices

    with django_db_blocker.unblock(), override_settings(**search_settings):
        reset_backend()
        try:
            with transaction.atomic():
                yield _measure_both_sizes(access)
                transaction.set_rollback(True)
        finally:
            if search_settings["KB_SEARCH_BACKEND"] == "elasticsearch":
                _drop_indices(get_backend())
            reset_backend()


def _measure_both_sizes(access) -> tuple[dict, dict]:
    stats = generate(lessons=20, seed=5)
    assert stats.review_rounds, "the corpus needs a review round for the workspace"
    reader = Membership.objects.filter(user__username__endswith="-reader").order_by("pk").first()
    lesson = access.visible_lessons(reader.user).order_by("pk").first()
    # Accepted reviews at both sizes, so the reviewer holds a read grant in both counts.
    _more_reviews_for_the_same_reviewer()
    small = _counts(lesson)
    generate(lessons=40, seed=6)
    _more_reviews_for_the_same_reviewer()
    large = _counts(lesson)
    return small, large


pytestmark = pytest.mark.django_db

PAGES = [
    "lesson page",
    "/lessons/",
    "/search/",
    "/search/ filtered",
    "API search",
    "committee dashboard",
    "committee dashboard, after a change",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_query_count_does_not_grow_with_the_corpus(counts, page):
    small, large = counts
    assert large[page] == small[page]


def test_reviewer_workspace_query_count_does_not_grow_with_its_assignments(counts):
    small, large = counts
    assert large["reviewer workspace"] == small["reviewer workspace"]
