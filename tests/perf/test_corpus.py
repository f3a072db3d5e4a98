"""The synthetic corpus is real content: the site serves, searches and guards it like any
other, and a seed always writes the same corpus."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from wagtail.models import Page

from kb.choices import ActionStatus, Marking
from kb.models import Membership
from lessons.models import LessonPage
from lessons.tracking.models import Action
from project.corpus import generate

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _member(city_id: int, role: str = "reader"):
    return (
        Membership.objects.filter(city_id=city_id, user__username__endswith=f"-{role}")
        .select_related("user")
        .first()
        .user
    )


@pytest.fixture
def corpus():
    return generate(lessons=200, seed=11)


def test_generated_corpus_is_a_valid_page_tree_with_every_marking_and_status(corpus):
    assert LessonPage.objects.live().count() == 200
    assert Page.find_problems() == ([], [], [], [], [])
    markings = set(LessonPage.objects.values_list("marking", flat=True))
    assert markings == set(Marking.values)
    assert set(Action.objects.values_list("status", flat=True)) == set(ActionStatus.values)
    assert LessonPage.shared_with.through.objects.exists()
    assert LessonPage.recipients.through.objects.exists()
    assert corpus.indexed == LessonPage.objects.filter(debrief__live=True).count()


def test_generated_lesson_is_served_and_found_by_its_city_but_strict_ones_stay_home(corpus):
    strict = LessonPage.objects.filter(marking=Marking.AMBER_STRICT).first()
    owner = _client(_member(strict.owner_city_id))
    other_city = (
        Membership.objects.exclude(city_id=strict.owner_city_id)
        .filter(user__username__startswith="corpus-")
        .first()
    )
    stranger = _client(other_city.user)

    page = owner.get(strict.url)
    assert page.status_code == 200
    assert strict.title in page.content.decode()
    assert stranger.get(strict.url).status_code == 404

    # The title's own words find it for its city and never for the other one.
    query = {"q": strict.title, "city": strict.owner_city.name}
    assert f'href="{strict.url}"' in owner.get("/search/", query).content.decode()
    assert f'href="{strict.url}"' not in stranger.get("/search/", query).content.decode()
    found = owner.get("/api/v1/search", query).json()["results"]
    assert strict.pk in [hit["id"] for hit in found]
    found = stranger.get("/api/v1/search", query).json()["results"]
    assert strict.pk not in [hit["id"] for hit in found]


def test_red_lesson_reaches_its_recipients_only(corpus):
    red = LessonPage.objects.filter(marking=Marking.RED).first()
    recipient = red.recipients.first()
    outsider = (
        Membership.objects.filter(city_id=red.owner_city_id)
        .exclude(user__in=red.recipients.all())
        .first()
    )
    assert _client(recipient).get(red.url).status_code == 200
    if outsider is not None:
        assert _client(outsider.user).get(red.url).status_code == 404


def test_the_same_seed_writes_the_same_titles():
    def titles(seed: int) -> list[str]:
        with transaction.atomic():
            stats = generate(lessons=30, seed=seed, index=False)
            transaction.set_rollback(True)
        return stats.titles

    first = titles(42)
    assert len(first) == 20
    assert titles(42) == first
    assert titles(43) != first
