"""Search by meaning, with the real embedding model, on both backends: a query typed in
English finds the German lesson that says the same thing, on the search page and in the
API; a lesson the reader may not see is never added (nor counted in a facet); the filters
apply to what the meaning adds; without the model, search is by words as before. A short
query reaches the German and French twins of the English lesson it is sure of (search.meaning
ANCHORS), never through a lesson the reader may not read."""

from __future__ import annotations

import json
from pathlib import Path

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


# The twins of judged_multilingual.json's radio-interop cluster (Manchester, Berlin, Lyon) and
# a German distractor of the same incident's kind (Hamburg: no radio coverage underground).
JUDGED = Path(__file__).parents[1] / "benchmarks" / "judged_multilingual.json"
TWINS = {"en": "radio-interop-en", "de": "radio-interop-de", "fr": "radio-interop-fr"}
OTHER = "x-de-kein-funkempfang-im-u-bahnhof"
SHORT_QUERY = "radios could not talk to each other"


def _judged_lesson(item: dict, marking: str = Marking.GREEN):
    debrief = make_debrief(
        make_city(item["city"]),
        marking=marking,
        attack_types=item["attack_types"],
        summary=f"<p>{item['observation']}</p>",
        language=item["language"],
    )
    fields = ("title", "observation", "discussion", "lesson_identified")
    return make_lesson(
        debrief,
        marking=marking,
        language=item["language"],
        themes=item["themes"],
        recommendations=(),
        **{field: item[field] for field in fields},
    )


@pytest.fixture
def judged_items() -> dict:
    items = json.loads(JUDGED.read_text(encoding="utf-8"))["items"]
    return {item["id"]: item for item in items}


@pytest.fixture
def twins(backend, judged_items):
    found = {code: _judged_lesson(judged_items[key]) for code, key in TWINS.items()}
    found["other"] = _judged_lesson(judged_items[OTHER])
    drain()
    return dict(reader=make_member("twins-reader", make_city("Leeds")), **found)


def _searched(user, text: str = SHORT_QUERY) -> tuple[list[int], dict]:
    api = client_of(user).get("/api/v1/search", {"q": text}).json()
    return [hit["id"] for hit in api["results"]], api


def test_a_short_english_query_lists_the_german_and_french_twins(twins, judged_items):
    ids, api = _searched(twins["reader"])
    assert {twins["en"].pk, twins["de"].pk, twins["fr"].pk} <= set(ids), api
    assert twins["other"].pk not in ids
    assert api["count"] == len(ids) == 3
    assert api["facets"]["language"] == {"en": 1, "de": 1, "fr": 1}
    page = client_of(twins["reader"]).get("/search/", {"q": SHORT_QUERY}).content.decode()
    assert judged_items[TWINS["de"]]["title"] in page


def test_without_anchors_the_short_query_lists_the_english_lesson_only(twins, monkeypatch):
    monkeypatch.setattr(meaning, "ANCHORS", 0)
    assert _searched(twins["reader"])[0] == [twins["en"].pk]


def test_a_query_on_what_no_lesson_says_adds_nothing(twins):
    ids, api = _searched(twins["reader"], "snow clearing budget for winter roads")
    assert ids == [] and api["count"] == 0


def test_a_lesson_the_reader_may_not_read_is_neither_listed_nor_an_anchor(backend, judged_items):
    """Nice's English and French lessons are AMBER+STRICT: for London they are not there, so
    they bring nothing; Nice finds them, and Berlin's German twin through them."""
    nice = make_city("Nice")
    strict = _judged_lesson({**judged_items[TWINS["en"]], "city": "Nice"}, Marking.AMBER_STRICT)
    french = _judged_lesson({**judged_items[TWINS["fr"]], "city": "Nice"}, Marking.AMBER_STRICT)
    german = _judged_lesson(judged_items[TWINS["de"]])
    drain()
    london = make_member("london-member", make_city("London"))
    ids, api = _searched(london)
    assert ids == [] and api["count"] == 0, api
    assert "Nice" not in api["facets"]["city"]
    page = client_of(london).get("/search/", {"q": SHORT_QUERY}).content.decode()
    assert judged_items[TWINS["de"]]["title"] not in page
    ids, api = _searched(make_member("nice-member", nice))
    assert {strict.pk, french.pk, german.pk} <= set(ids), api


def test_a_lesson_sharing_only_stop_words_with_the_query_is_still_added(twins):
    """The Spanish query and the French lesson share "la" alone, which a French index leaves
    out: the query does not match the lesson by words, so the meaning adds it."""
    query = "bomberos y agentes no podían hablar entre ellos por la emisora"
    ids, api = _searched(twins["reader"], query)
    assert twins["fr"].pk in ids, api
