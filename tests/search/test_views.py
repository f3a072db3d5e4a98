"""Search as members use it: the search page, the JSON API, and similar cases on lesson
pages and in the editor, on the demo corpus (loaded once for the module)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client

from lessons.models import LessonPage
from project.demo import load_demo

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="runs on the embedded backend (SQLite)"
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _db(db, demo):
    pass


def login(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="item__title"><a href="[^"]+"[^>]*>([^<]+)</a>', html)


def test_radio_interoperability_finds_the_radio_lessons_first_with_highlights_and_facets():
    body = login("berlin-editor").get("/search/?q=radio+interoperability").content.decode()
    found = titles(body)
    assert found, body
    assert all("radio" in title.lower() for title in found[:3]), found
    assert "<mark>Radio</mark>" in body or "<mark>radio</mark>" in body
    assert "Narrow the results" in body and "Attack type" in body


def test_a_facet_filter_narrows_results_and_counts():
    client = login("berlin-editor")
    everything = client.get("/api/v1/search", {"q": "radio interoperability"}).json()
    city = sorted(everything["facets"]["city"].items(), key=lambda kv: -kv[1])[0][0]
    narrowed = client.get("/api/v1/search", {"q": "radio interoperability", "city": city}).json()
    assert narrowed["count"] == everything["facets"]["city"][city] < everything["count"]
    assert {hit["city"] for hit in narrowed["results"]} == {city}
    assert narrowed["facets"]["city"] == {city: narrowed["count"]}
    page = client.get(f"/search/?q=radio+interoperability&city={city}").content.decode()
    assert f"Remove City: {city}" in page


def test_search_api_answers_in_the_shape_of_the_design():
    data = login("nice-editor").get("/api/v1/search", {"q": "evacuation"}).json()
    assert set(data) == {"count", "results", "facets"}
    assert set(data["results"][0]) == {
        "id",
        "external_id",
        "title",
        "city",
        "attack_types",
        "themes",
        "marking",
        "language",
        "url",
        "highlight",
    }
    assert set(data["facets"]) >= {"attack_type", "city", "theme", "phase", "year", "language"}


def test_the_public_search_sees_only_clear_lessons_in_results_and_counts():
    data = Client().get("/api/v1/search", {"q": "radio"}).json()
    assert data["count"] == sum(data["facets"]["city"].values())
    assert set(data["facets"]["marking"]) == {"TLP:CLEAR"}
    hidden = LessonPage.objects.exclude(marking="TLP:CLEAR").values_list("title", flat=True)
    body = Client().get("/search/?q=radio").content.decode()
    assert not [title for title in hidden if title in body]


def test_similar_cases_api_gives_reasons_and_hides_what_the_caller_may_not_see():
    client = login("rotterdam-reviewer")
    strict = (
        LessonPage.objects.filter(marking="TLP:AMBER+STRICT")
        .exclude(owner_city__name="Rotterdam")
        .first()
    )
    assert client.get(f"/api/v1/lessons/{strict.pk}/similar").status_code == 404
    radio = LessonPage.objects.filter(title__icontains="radio", marking="TLP:CLEAR").first()
    results = client.get(f"/api/v1/lessons/{radio.pk}/similar", {"limit": 3}).json()["results"]
    assert 0 < len(results) <= 3
    assert all(
        set(hit) == {"id", "external_id", "title", "city", "language", "score", "reasons"}
        for hit in results
    )
    assert results[0]["city"] != radio.owner_city.name
    assert any(reason.startswith("Shared key terms") for reason in results[0]["reasons"])
    assert strict.pk not in [hit["id"] for hit in results]


def test_lesson_page_shows_similar_lessons_from_other_cities():
    radio = LessonPage.objects.filter(title__icontains="radio", marking="TLP:CLEAR").first()
    body = login("oslo-editor").get(radio.url).content.decode()
    assert "Similar lessons from other cities" in body
    assert "Shared key terms" in body


def test_editor_sees_similar_lessons_while_drafting():
    lesson = LessonPage.objects.filter(owner_city__name="Berlin").first()
    body = login("berlin-editor").get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "Similar lessons from other cities" in body
    assert "Other cities learned this already" in body or "No similar lessons" in body


def test_a_query_with_engine_syntax_or_too_long_gets_a_clear_answer_not_an_error():
    client = login("nice-editor")
    for q in ['"unbalanced', "NEAR(a b)", "a* OR -b", "col:radio", "))((", "😀 radio"]:
        assert client.get("/search/", {"q": q}).status_code == 200
        assert client.get("/api/v1/search", {"q": q}).status_code == 200
    too_long = client.get("/search/", {"q": "x" * 600})
    assert too_long.status_code == 400
    assert "limited to 500 characters" in too_long.content.decode()
    assert client.get("/api/v1/search", {"q": "x" * 600}).status_code == 422


def test_action_status_is_a_facet_that_follows_the_actions():
    from lessons.tracking.models import Action

    client = login("nice-committee")
    statuses = client.get("/api/v1/search").json()["facets"]["action_status"]
    assert statuses, "the demo's lessons have actions"
    status, count = sorted(statuses.items())[0]
    narrowed = client.get("/api/v1/search", {"action_status": status}).json()
    assert narrowed["count"] == count
    assert "Action status" in client.get("/search/").content.decode()

    from search.backends import get_backend

    action = Action.objects.filter(status="proposed").first()
    lesson_id = action.recommendation.lesson_id
    others = Action.objects.filter(recommendation__lesson_id=lesson_id).exclude(pk=action.pk)
    action.status = "implemented"
    action.save()
    statuses = get_backend().get(lesson_id).facets["action_status"]
    assert "implemented" in statuses
    expected = set(others.values_list("status", flat=True)) | {"implemented"}
    assert set(statuses) == expected


def test_a_long_facet_shows_its_first_values_and_a_link_to_all(monkeypatch):
    monkeypatch.setattr("search.views.FACET_SHOWN", 2)
    monkeypatch.setattr("search.views.FACET_COLLAPSE", 3)
    client = login("berlin-editor")
    cities = client.get("/api/v1/search").json()["facets"]["city"]
    assert len(cities) > 3
    ranked = sorted(cities, key=lambda name: (-cities[name], name))
    last = ranked[-1]

    def city_section(html: str) -> str:
        return html.split('<h3 class="facet__title">City</h3>', 1)[1].split("</section>")[0]

    def facet_cities(html: str) -> list[str]:
        return re.findall(r'>\s*([^<>]+?)\s*<span class="facet__count">', city_section(html))

    page = client.get("/search/").content.decode()
    assert facet_cities(page) == ranked[:2]
    assert f"Show all {len(cities)}" in city_section(page) and "?all=city" in city_section(page)
    # A selected city stays listed even when it is not among the first values.
    chosen = client.get("/search/", {"city": last}).content.decode()
    assert last in facet_cities(chosen)
    everything = client.get("/search/", {"all": "city"}).content.decode()
    assert facet_cities(everything) == ranked and "facet__all" not in city_section(everything)


@pytest.mark.parametrize(
    "language, written",
    [
        ("fr", r"\d\d/\d\d/\d{4}"),
        ("de", r"\d\d\.\d\d\.\d{4}"),
        ("en", r"\d{1,2} [A-Z][a-z]{2} \d{4}"),
    ],
)
def test_each_hits_date_is_written_as_the_readers_language_writes_dates(language, written):
    """Found walking the demo: hits showed "2019-02-27" on French pages, beside lists
    that write "27/02/2019"."""
    member = login("london-editor")
    body = member.get("/search/?q=radio", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    metas = re.findall(r'<p class="item__meta">(.*?)</p>', body, re.S)
    dates = [re.findall(r"<span>([^<]*\d{4}[^<]*)</span>", meta) for meta in metas]
    assert dates and all(len(found) == 1 for found in dates), metas[:2]
    assert all(re.fullmatch(written, found[0]) for found in dates), dates
