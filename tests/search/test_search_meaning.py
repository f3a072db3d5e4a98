"""Search by meaning, with the real embedding model, on both backends: a query typed in
English finds the German lesson that says the same thing, on the search page and in the
API; a lesson the reader may not see is never added (nor counted in a facet); the filters
apply to what the meaning adds; without the model, search is by words as before."""

from __future__ import annotations

import pytest
from django.test import Client

from kb.choices import Marking
from search import meaning, semantic
from search.sync import drain
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not semantic.available(), reason="the embedding model is not installed"),
]

QUERY = "police and fire radios could not talk to each other"
GERMAN = dict(
    title="Funkgruppen von Polizei und Feuerwehr waren nicht interoperabel",
    observation=(
        "Beim Einsatz am Hauptbahnhof arbeiteten Polizei und Feuerwehr in getrennten "
        "Funkgruppen. Über eine halbe Stunde liefen alle Absprachen über die Leitstellen."
    ),
    discussion="Eine gemeinsame Einsatzfunkgruppe war im Einsatzplan nicht vorgesehen.",
    lesson_identified=(
        "Für jeden Großeinsatz muss vorab eine gemeinsame Funkgruppe aller Kräfte feststehen."
    ),
    recommendations=(("Gemeinsame Funkgruppen im Einsatzplan festlegen", "planning"),),
)
GERMAN_DEBRIEF = dict(summary="<p>Nachbesprechung des Einsatzes.</p>", language="de")
ENGLISH_OTHER = dict(
    title="Hospital surge status was not sent over the ambulance radios",
    observation="Ambulances were sent to a hospital that had already declared saturation.",
    lesson_identified="Share the surge status of every hospital with dispatch in real time.",
)


@pytest.fixture
def world(backend):
    london, berlin, nice = make_city("London"), make_city("Berlin"), make_city("Nice")
    german = make_lesson(
        make_debrief(berlin, attack_types=["shooting"], **GERMAN_DEBRIEF),
        language="de",
        **GERMAN,
    )
    other = make_lesson(make_debrief(london, attack_types=["ied"]), **ENGLISH_OTHER)
    # Nice's AMBER+STRICT twin says the same in German: only Nice may ever see it.
    strict = make_lesson(
        make_debrief(nice, marking=Marking.AMBER_STRICT, attack_types=["arson"], **GERMAN_DEBRIEF),
        marking=Marking.AMBER_STRICT,
        language="de",
        **{**GERMAN, "title": "Yuzu: " + GERMAN["title"]},
    )
    drain()
    users = {
        "london": make_member("london-member", london),
        "nice": make_member("nice-member", nice),
    }
    return dict(german=german, other=other, strict=strict, **users)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_english_query_finds_the_german_lesson_on_the_page_and_in_the_api(world):
    client = client_of(world["london"])
    page = client.get("/search/", {"q": QUERY})
    body = page.content.decode()
    assert page.status_code == 200
    assert GERMAN["title"] in body
    # The German lesson shares no word with the query: without meaning it was not found.
    api = client.get("/api/v1/search", {"q": QUERY}).json()
    ids = [hit["id"] for hit in api["results"]]
    assert ids[0] == world["german"].pk, api
    first = api["results"][0]
    assert first["language"] == "de" and first["city"] == "Berlin"
    assert "Funkgruppe" in first["highlight"] and "<mark>" not in first["highlight"]
    # The count and the facet counts include what the meaning added.
    assert api["count"] == len(ids)
    assert api["facets"]["language"].get("de") == 1
    assert api["facets"]["city"].get("Berlin") == 1


def test_a_strict_lesson_of_another_city_is_never_added_nor_counted(world):
    client = client_of(world["london"])
    body = client.get("/search/", {"q": QUERY}).content.decode()
    assert "Yuzu" not in body and "Nice" not in body
    api = client.get("/api/v1/search", {"q": QUERY}).json()
    assert world["strict"].pk not in [hit["id"] for hit in api["results"]]
    assert "Nice" not in api["facets"]["city"]
    assert "arson" not in api["facets"].get("attack_type", {})
    assert api["facets"]["language"].get("de") == 1
    # Nice reads its own lesson, found by meaning too.
    nice = client_of(world["nice"]).get("/api/v1/search", {"q": QUERY}).json()
    assert world["strict"].pk in [hit["id"] for hit in nice["results"]]
    assert nice["facets"]["city"].get("Nice") == 1


@pytest.mark.parametrize(
    "filters, found",
    [
        ({"city": "Berlin"}, True),
        ({"city": "London"}, False),
        ({"language": "de"}, True),
        ({"language": "en"}, False),
        ({"attack_type": "ied"}, False),
        # The vector index does not hold the phase: it is read on the indexed document.
        ({"phase": "same"}, True),
        ({"phase": "other"}, False),
    ],
)
def test_the_filters_apply_to_what_the_meaning_adds(world, filters, found):
    client = client_of(world["london"])
    if "phase" in filters:
        phase = world["german"].phase
        other = next(p for p in ("prepare", "respond", "recover") if p != phase)
        filters = {"phase": phase if filters["phase"] == "same" else other}
    api = client.get("/api/v1/search", {"q": QUERY, **filters}).json()
    ids = [hit["id"] for hit in api["results"]]
    assert (world["german"].pk in ids) is found, (filters, api)
    assert api["count"] == len(ids)
    page = client.get("/search/", {"q": QUERY, **filters}).content.decode()
    assert (GERMAN["title"] in page) is found


def test_paging_a_long_answer_repeats_and_skips_nothing(world, monkeypatch):
    for n in range(7):
        make_lesson(
            make_debrief(make_city(f"Town{n}"), attack_types=["ied"]),
            title=f"Police radio note {n}",
            observation="The police radio was loud.",
        )
    drain()
    from search.backends import get_backend
    from search.backends.base import SearchQuery
    from search.engine import audience_for

    monkeypatch.setattr(meaning, "MAX_ADDITIONS", 3)
    audience = audience_for(world["london"])
    seen, count = [], None
    for page in range(1, 6):
        answer = meaning.search(get_backend(), SearchQuery(QUERY, page=page, per_page=3), audience)
        count = answer.count
        seen += [hit.id for hit in answer.hits]
    assert len(seen) == len(set(seen)) == count
    assert world["german"].pk in seen


def test_without_the_model_search_is_by_words_as_before(world, settings):
    settings.KB_SEMANTIC_MODEL = "/nonexistent/embedding_model.onnx"
    client = client_of(world["london"])
    page = client.get("/search/", {"q": QUERY})
    assert page.status_code == 200
    body = page.content.decode()
    assert GERMAN["title"] not in body and ENGLISH_OTHER["title"] in body
    api = client.get("/api/v1/search", {"q": QUERY}).json()
    assert [hit["id"] for hit in api["results"]] == [world["other"].pk]
    assert api["count"] == 1 and "de" not in api["facets"]["language"]
    german = client.get("/api/v1/search", {"q": "Funkgruppen", "language": "de"}).json()
    assert [hit["id"] for hit in german["results"]] == [world["german"].pk]
