"""Semantic similar cases, with the real embedding model: a lesson written in French is the
first similar case of its English twin, ahead of an English lesson that only shares its
attack type and themes; what a reader may not see never comes out of the vector search; a
lesson the model could not embed is still found by its terms and embedded by the next drain.
Both backends: the vectors live in the database beside either."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from kb.choices import Marking
from search import engine, semantic, vectors
from search.models import LessonVector
from search.sync import drain
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not semantic.available(), reason="the embedding model is not installed"),
]

ENGLISH = dict(
    title="Exit gates too narrow for the crowd leaving the stadium",
    observation=(
        "When the match ended and the alarm sounded, thousands of spectators pushed towards "
        "the exits. Several gates were still locked and people were crushed against them."
    ),
    discussion="Stewards had no keys and no radio channel to ask for the gates to be opened.",
    lesson_identified="Every exit gate must be unlocked and staffed before spectators leave.",
)
FRENCH = dict(
    title="Des portes de sortie trop étroites pour le public quittant le stade",
    observation=(
        "À la fin du match, quand l'alerte a retenti, des milliers de supporters se sont "
        "précipités vers les sorties. Plusieurs portes étaient encore fermées à clé et des "
        "personnes ont été écrasées contre elles."
    ),
    discussion=(
        "Les stadiers n'avaient ni clés ni canal radio pour demander l'ouverture des portes."
    ),
    lesson_identified=(
        "Chaque porte de sortie doit être déverrouillée et gardée avant que le public ne sorte."
    ),
)
DISTRACTOR = dict(
    title="Stadium radio procurement was delayed by the tender rules",
    observation=(
        "The stadium operator ordered new radios for the stewards, but the tender took a "
        "year and the match season started with the old handsets."
    ),
    discussion="The procurement rules did not allow an urgent purchase for the stadium.",
    lesson_identified="Keep a framework contract so that radios can be bought quickly.",
)
OTHERS = [
    dict(
        title="Hospital surge plan was not known to the ambulance dispatch",
        observation="Ambulances were sent to a hospital that had already declared saturation.",
        lesson_identified="Share the surge status of every hospital with dispatch in real time.",
    ),
    dict(
        title="Social media rumours slowed the evacuation of the market",
        observation="False posts about a second attacker sent people back into the square.",
        lesson_identified="Publish verified messages early on every official account.",
    ),
]


@pytest.fixture
def world(backend):
    london, paris, madrid = make_city("London"), make_city("Paris"), make_city("Madrid")
    oslo, nice = make_city("Oslo"), make_city("Nice")
    same = dict(attack_types=["vehicle-ramming"])
    facets = dict(themes=["crowded-places", "protective-security-design"])
    english = make_lesson(make_debrief(london, **same), **facets, **ENGLISH)
    french = make_lesson(
        make_debrief(paris, attack_types=["arson"], language="fr"),
        themes=["victim-support"],
        language="fr",
        **FRENCH,
    )
    distractor = make_lesson(make_debrief(madrid, **same), **facets, **DISTRACTOR)
    for city, text in zip([madrid, oslo], OTHERS, strict=True):
        make_lesson(make_debrief(city, attack_types=["ied"]), **text)
    # Nice's AMBER+STRICT lesson says the very same thing: only Nice may ever see it.
    strict = make_lesson(
        make_debrief(nice, marking=Marking.AMBER_STRICT, **same),
        marking=Marking.AMBER_STRICT,
        **facets,
        **{**ENGLISH, "title": "Yuzu gates locked at the arena exits"},
    )
    drain()
    users = {
        "london": make_member("london-editor", london, "editor"),
        "oslo": make_member("oslo-member", oslo),
        "nice": make_member("nice-member", nice),
    }
    return dict(english=english, french=french, distractor=distractor, strict=strict, **users)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_french_twin_is_the_first_similar_case_everywhere_it_is_shown(world):
    english, french, distractor = world["english"], world["french"], world["distractor"]
    client = client_of(world["london"])

    api = client.get(f"/api/v1/lessons/{english.pk}/similar", {"limit": 5}).json()["results"]
    ids = [hit["id"] for hit in api]
    # The distractor shares the attack type but neither the meaning nor two key terms: a
    # weak match, hidden (search.engine.is_strong_match, issue 17).
    assert ids[0] == french.pk and distractor.pk not in ids, api
    assert set(api[0]) == {"id", "external_id", "title", "city", "language", "score", "reasons"}
    assert api[0]["language"] == "fr"
    assert api[0]["city"] == "Paris" and "Similar meaning" in api[0]["reasons"]

    for page in (english.url, f"/admin/pages/{english.pk}/edit/"):
        body = client.get(page).content.decode()
        assert french.title in body and distractor.title not in body, page


def test_a_strict_lesson_of_another_city_never_comes_out_of_the_vector_search(world):
    strict = world["strict"]
    assert LessonVector.objects.filter(lesson_id=strict.pk).exclude(vector=None).exists()
    index = vectors.current()
    query = index.vector(world["english"].pk)
    # The platform administrator's search is not trimmed: the twin is the nearest of all.
    assert (
        index.nearest(query, engine.Audience(tokens=None), 1, exclude=world["english"].pk)[0][0]
        == strict.pk
    )
    for who in ("london", "oslo"):
        audience = engine.audience_for(world[who])
        assert strict.pk not in [pk for pk, _ in index.nearest(query, audience, 50)]
        hits = engine.similar(world[who], world["english"], limit=50)
        assert strict.pk not in [hit.id for hit in hits]
        body = client_of(world[who]).get(world["english"].url).content.decode()
        assert "Yuzu" not in body
    nice = engine.similar(world["nice"], world["english"], limit=5)
    assert nice and nice[0].id == strict.pk


def test_a_lesson_the_model_could_not_embed_is_found_by_terms_then_embedded(world, settings):
    settings.KB_SEMANTIC_MODEL = "/nonexistent/embedding_model.onnx"
    debrief = make_debrief(make_city("Rome"), attack_types=["drone"])
    late = make_lesson(debrief, **{**ENGLISH, "title": "Locked stadium exit gates crushed fans"})
    drain()
    assert LessonVector.objects.get(lesson_id=late.pk).vector is None
    out = io.StringIO()
    call_command("search_index", "status", stdout=out)
    assert "semantic similar cases: off" in out.getvalue()
    # Similar cases still work (terms only) and list it.
    hits = engine.similar(world["oslo"], world["english"], limit=10)
    assert late.pk in [hit.id for hit in hits]

    settings.KB_SEMANTIC_MODEL = None
    drain()  # nothing in the outbox: the drain retries what is pending
    assert LessonVector.objects.get(lesson_id=late.pk).vector is not None
    index = vectors.current()
    query = index.vector(world["english"].pk)
    nearest = index.nearest(
        query, engine.audience_for(world["oslo"]), 3, exclude=world["english"].pk
    )
    assert late.pk in [pk for pk, _ in nearest]
    out = io.StringIO()
    call_command("search_index", "status", stdout=out)
    assert "semantic similar cases: on" in out.getvalue() and "vectors pending: 0" in out.getvalue()
