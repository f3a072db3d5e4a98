"""The language facet: counts and filters on both backends (visible lessons only), on the
search page and in the API; every hit and similar case says its language."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kb.choices import Marking
from kb.directory import add_city
from search import engine
from tests.factories import make_lesson, make_member
from tests.search.conftest import use_backend
from tests.search.contract_helpers import debrief_on, find, ids

pytestmark = pytest.mark.django_db


def _world() -> dict:
    nice = add_city("Nice", "FR", ["fr", "en"])[0]
    berlin = add_city("Berlin", "DE", ["de"])[0]
    promenade = debrief_on(nice, "2016-07-14", "vehicle-ramming")
    market = debrief_on(berlin, "2016-12-19", "vehicle-ramming")
    kept = debrief_on(berlin, "2017-01-01", "ied", Marking.AMBER_STRICT)
    lessons = {
        "fr": make_lesson(promenade, "Radios de la police", observation="Les radios radio."),
        "en": make_lesson(promenade, "Radio coverage", language="en", observation="Radio."),
        "de": make_lesson(market, "Funkgeräte", observation="Radio Funk."),
        "it": make_lesson(kept, "Radio nascosta", language="it", observation="Radio."),
    }
    users = {
        "nice": make_member("nice-member", nice),
        "berlin": make_member("berlin-member", berlin),
        "root": get_user_model().objects.create_superuser("root", "root@x.org", "pw"),
    }
    engine.rebuild()
    return {"lessons": lessons, "users": users}


@pytest.fixture
def world(backend):
    return _world()


def test_language_counts_hold_only_the_lessons_the_reader_may_see(world):
    users = world["users"]
    assert find(users["root"]).facets["language"] == {"fr": 1, "en": 1, "de": 1, "it": 1}
    assert find(users["berlin"]).facets["language"] == {"fr": 1, "en": 1, "de": 1, "it": 1}
    # Berlin's AMBER+STRICT lesson is the only Italian one: not even its count shows.
    assert find(users["nice"], "radio").facets["language"] == {"fr": 1, "en": 1, "de": 1}
    assert find(None).facets["language"] == {}


def test_the_language_filter_keeps_the_lessons_written_in_those_languages(world):
    lessons, nice = world["lessons"], world["users"]["nice"]
    assert ids(find(nice, filters={"language": ["de"]})) == [lessons["de"].pk]
    both = find(nice, filters={"language": ["fr", "en"]})
    assert set(ids(both)) == {lessons["fr"].pk, lessons["en"].pk}
    assert both.facets["language"] == {"fr": 1, "en": 1}
    assert find(nice, filters={"language": ["it"]}).count == 0


@pytest.fixture
def embedded(settings, request):
    use_backend("embedded", settings, request)
    return _world()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_search_api_filters_and_counts_by_language(embedded):
    client = _client(embedded["users"]["nice"])
    data = client.get("/api/v1/search", {"q": "radio", "language": ["de", "en"]}).json()
    assert {(hit["title"], hit["language"]) for hit in data["results"]} == {
        ("Funkgeräte", "de"),
        ("Radio coverage", "en"),
    }
    assert data["facets"]["language"] == {"de": 1, "en": 1}
    refused = client.get("/api/v1/search", {"language": "xx"})
    assert refused.status_code == 422


def test_the_search_page_offers_the_language_facet_and_marks_each_hit(embedded):
    client = _client(embedded["users"]["nice"])
    body = client.get("/search/", {"q": "radio"}).content.decode()
    assert '<h3 class="facet__title">Language</h3>' in body
    assert "German" in body and "Italian" not in body
    assert 'lang="de">Funkgeräte</a>' in body
    assert '<span class="language-badge">Written in German</span>' in body
    narrowed = client.get("/search/", {"q": "radio", "language": "fr"}).content.decode()
    assert "Remove Language: French" in narrowed
    assert "Funkgeräte" not in narrowed and 'lang="fr">Radios de la police</a>' in narrowed


def test_similar_cases_say_the_language_of_each_lesson(embedded):
    lessons, berlin = embedded["lessons"], embedded["users"]["berlin"]
    client = _client(berlin)
    results = client.get(f"/api/v1/lessons/{lessons['de'].pk}/similar").json()["results"]
    by_id = {hit["id"]: hit["language"] for hit in results}
    assert by_id and by_id == {
        lesson.pk: code for code, lesson in lessons.items() if lesson.pk in by_id
    }
    body = client.get(lessons["de"].url).content.decode()
    panel = body[body.index('id="similar-heading"') :]
    assert "Written in French" in panel and 'lang="fr">Radios de la police</a>' in panel


def test_the_lessons_api_gives_and_filters_by_language(embedded):
    client = _client(embedded["users"]["nice"])
    results = client.get("/api/v1/lessons", {"language": "fr"}).json()["results"]
    assert [(r["title"], r["language"]) for r in results] == [("Radios de la police", "fr")]
    debriefs = client.get("/api/v1/debriefs", {"language": "de"}).json()["results"]
    assert [d["language"] for d in debriefs] == ["de"]
    assert client.get("/api/v1/lessons", {"language": "klingon"}).status_code == 422
