"""The search contract: every backend gives the same answers to the same questions.

One world of lessons is written once per module; each test indexes it into a fresh index
of the backend under test. No assertion depends on an exact score.
"""

from collections import Counter
from dataclasses import replace

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from kb.choices import Marking
from lessons import access
from lessons.models import LessonPage
from search import engine, similar_terms
from search.backends import reset_backend
from search.documents import build_document, indexable_lessons
from search.facets import FACETS
from search.models import OutboxEntry
from search.text import stem
from tests.factories import make_city, make_lesson, make_member
from tests.search.contract_helpers import debrief_on, find, ids

pytestmark = pytest.mark.django_db

SENTINELS = "zqamberword zqunsharedword zqstrictword zqmixedword zqredword zqclearword".split()
AUDIENCES = "anonymous nice_member berlin_member oslo_member oslo_recipient superuser".split()
# What people type, operators of FTS5, Lucene and SQL included.
# fmt: off
NASTY_QUERIES = [
    '"', '"evacuation', "*", "evac*", "evacuation OR", "OR", "NEAR(evacuation stadium",
    "title:stadium", ")", "(", "-evacuation", "evacuation AND NOT stadium", "AND", "NOT", "^",
    "{}[]~!\\/", "'; DROP TABLE lessons; --", "🚒🔥 evacuation", "🚒", "\x00\x02\x03", "",
    "evacuation " * 400, "x" * 5000,
]
# fmt: on


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Content for the read-only tests, built once and rolled back after the module."""
    with django_db_blocker.unblock(), override_settings(KB_SEARCH_BACKEND="embedded"):
        reset_backend()
        with transaction.atomic():
            yield _build_world()
            transaction.set_rollback(True)
        reset_backend()


def _build_world() -> dict:
    nice, berlin, oslo = make_city("Nice"), make_city("Berlin"), make_city("Oslo")
    users = {
        "anonymous": None,
        "nice_member": make_member("nice-member", nice),
        "berlin_member": make_member("berlin-member", berlin),
        "oslo_member": make_member("oslo-member", oslo),
        "oslo_recipient": make_member("oslo-recipient", oslo),
        "superuser": get_user_model().objects.create_superuser("root", "root@x.org", "pw"),
    }
    green = debrief_on(nice, "2019-05-04", "vehicle-ramming")
    drill = debrief_on(berlin, "2021-09-12", "marauding-firearms", incident_type="exercise")
    arena = debrief_on(oslo, "2022-06-01", "vehicle-ramming")
    # fmt: off
    lessons = {
        "title": make_lesson(green, "Stadium evacuation plan", themes=["crowded-places"],
                             observation="Stewards opened every gate for the evacuation.",
                             lesson_identified="Rehearse evacuation routes with stewards."),
        "discussion": make_lesson(green, "Radio coverage in the tunnel",
                                  observation="Radios failed underground.",
                                  discussion="Later the stadium evacuation was ordered.",
                                  lesson_identified="Test radio coverage underground."),
        "evacuate": make_lesson(drill, "Station clearance", phase="prepare",
                                themes=["training-exercising"],
                                observation="Police had to evacuate the platform quickly.",
                                lesson_identified="Plan how to evacuate stations."),
        "script": make_lesson(drill, "Concourse wayfinding", phase="recover",
                              themes=["protective-security-design"],
                              observation="<script>alert('x')</script> Evacuation signage "
                                          "was missing."),
        "oslo": make_lesson(arena, "Arena evacuation routes", themes=["crowded-places"],
                            observation="Stewards guided the evacuation through side gates.",
                            lesson_identified="Rehearse evacuation routes with stewards."),
    }
    # fmt: on
    restricted = [
        ("zqamberword", Marking.AMBER, {"shared_with": [berlin]}, "2020-02-02"),
        ("zqunsharedword", Marking.AMBER, {}, "2020-02-03"),
        ("zqstrictword", Marking.AMBER_STRICT, {}, "2020-03-03"),
        ("zqredword", Marking.RED, {"recipients": [users["oslo_recipient"]]}, "2020-04-04"),
        ("zqclearword", Marking.CLEAR, {}, "2018-01-01"),
    ]
    for word, marking, sharing, date in restricted:
        debrief = debrief_on(nice, date, "ied", marking, **sharing)
        lessons[word] = make_lesson(debrief, title=f"{word.title()} evacuation", **sharing)
        if word == "zqstrictword":  # a GREEN lesson is still bound by its debrief's marking
            lessons["zqmixedword"] = make_lesson(
                debrief, title="Zqmixedword evacuation", marking=Marking.GREEN
            )
    OutboxEntry.objects.all().delete()  # each test indexes the world itself
    return {"users": users, "lessons": lessons, "cities": (nice, berlin, oslo)}


@pytest.fixture
def indexed(world, backend):
    engine.rebuild()
    return world


def visible_ids(user) -> set[int]:
    return set(access.visible_lessons(user).values_list("pk", flat=True))


# --- full text -------------------------------------------------------------------------------


def test_a_lesson_with_the_words_in_its_title_ranks_before_one_mentioning_them_in_passing(
    indexed,
):
    root, lessons = indexed["users"]["superuser"], indexed["lessons"]
    found = ids(find(root, "stadium evacuation"))
    assert found.index(lessons["title"].pk) < found.index(lessons["discussion"].pk)


def test_a_word_finds_other_forms_of_the_same_stem(indexed):
    root, lessons = indexed["users"]["superuser"], indexed["lessons"]
    assert lessons["title"].pk in ids(find(root, "evacuate"))  # the lesson says "evacuation"
    assert lessons["evacuate"].pk in ids(find(root, "evacuation"))  # ... says "evacuate"


def test_a_quoted_phrase_finds_the_lesson_with_those_words_together(indexed):
    root, lessons = indexed["users"]["superuser"], indexed["lessons"]
    assert ids(find(root, '"evacuation signage"')) == [lessons["script"].pk]


def test_highlights_mark_the_matches_and_escape_the_lesson_text(indexed):
    root, lessons = indexed["users"]["superuser"], indexed["lessons"]
    results = find(root, "signage")
    (hit,) = results.hits
    assert hit.id == lessons["script"].pk
    assert "<mark>signage</mark>" in hit.highlight.lower()
    assert "&lt;script&gt;" in hit.highlight and "<script" not in hit.highlight
    for hit in find(root, "evacuation").hits:
        assert "<mark>" in hit.highlight and "<script" not in hit.highlight


def test_pages_split_the_results_without_loss_and_keep_the_count(indexed):
    root = indexed["users"]["superuser"]
    everything = find(root, "evacuation")
    pages = [find(root, "evacuation", page=n, per_page=3) for n in range(1, 6)]
    assert everything.count == 11
    assert {p.count for p in pages} == {11}
    assert [len(p.hits) for p in pages] == [3, 3, 3, 2, 0]
    assert [i for p in pages for i in ids(p)] == ids(everything)


@pytest.mark.parametrize("text", ["", "evacuation"])
def test_date_order_puts_the_latest_incident_first(indexed, text):
    results = find(indexed["users"]["superuser"], text, sort="date")
    dates = [hit.date for hit in results.hits]
    assert len(dates) == 11 and dates == sorted(dates, reverse=True)


# --- facets and filters ----------------------------------------------------------------------


def test_facet_counts_cover_every_facet_of_the_matching_lessons(indexed):
    results = find(indexed["users"]["superuser"])
    docs = [build_document(lesson) for lesson in indexable_lessons()]
    expected = {f: dict(Counter(v for d in docs for v in d.facets[f])) for f in FACETS}
    facets = results.facets
    assert facets == expected
    assert facets["city"] == {"Nice": 8, "Berlin": 2, "Oslo": 1}
    assert facets["attack_type"] == {"vehicle-ramming": 3, "marauding-firearms": 2, "ied": 6}
    assert facets["year"]["2021"] == 2 and facets["marking"]["TLP:RED"] == 1
    assert facets["theme"]["crowded-places"] == 2
    assert facets["phase"] == {"respond": 9, "prepare": 1, "recover": 1}
    assert facets["incident_type"] == {"attack": 9, "exercise": 2}


def test_facet_counts_follow_the_query_and_the_filters(indexed):
    facets = find(indexed["users"]["superuser"], "stadium").facets
    assert facets["city"] == {"Nice": 2} and facets["year"] == {"2019": 2}
    assert facets["theme"] == {"crowded-places": 1, "information-sharing": 1}
    results = find(indexed["users"]["superuser"], filters={"city": ["Berlin"]})
    assert results.count == 2 and results.facets["city"] == {"Berlin": 2}
    assert results.facets["phase"] == {"prepare": 1, "recover": 1}


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"theme": ["crowded-places", "training-exercising"]}, {"title", "oslo", "evacuate"}),
        (
            {"city": ["Nice", "Oslo"], "attack_type": ["vehicle-ramming"]},
            {"title", "discussion", "oslo"},
        ),
        ({"city": ["Berlin"], "phase": ["recover"], "year": ["2021"]}, {"script"}),
        ({"city": ["Nice"], "year": ["2021"]}, set()),
        ({"marking": ["TLP:CLEAR", "TLP:RED"]}, {"zqclearword", "zqredword"}),
        ({"incident_type": ["exercise"], "theme": []}, {"evacuate", "script"}),
    ],
)
def test_filters_combine_with_or_within_a_facet_and_and_across_facets(indexed, filters, expected):
    lessons = indexed["lessons"]
    results = find(indexed["users"]["superuser"], "evacuation", filters=filters)
    assert set(ids(results)) == {lessons[key].pk for key in expected}
    assert results.count == len(expected)


# --- security trimming -----------------------------------------------------------------------


@pytest.mark.parametrize("who", AUDIENCES)
def test_hits_and_facet_counts_hold_only_what_the_reader_may_see(indexed, who):
    user = indexed["users"][who]
    allowed = visible_ids(user)
    for text in ["", "evacuation"]:
        results = find(user, text)
        assert set(ids(results)) == allowed and results.count == len(allowed)
        assert sum(results.facets["city"].values()) == results.count
        assert sum(results.facets["marking"].values()) == results.count


@pytest.mark.parametrize("who", AUDIENCES)
def test_a_hidden_lesson_is_not_found_by_its_own_words(indexed, who):
    user = indexed["users"][who]
    allowed = visible_ids(user)
    for word in SENTINELS:
        results = find(user, word)
        if indexed["lessons"][word].pk in allowed:
            assert ids(results) == [indexed["lessons"][word].pk]
        else:
            assert results.count == 0 and results.hits == []
            assert all(counts == {} for counts in results.facets.values())


def test_the_audiences_see_what_the_markings_promise(indexed):
    # Guards the world itself, so the trimming tests above cannot pass vacuously.
    lessons, users = indexed["lessons"], indexed["users"]
    berlin = set(ids(find(users["berlin_member"], "zq*word zqamberword zqunsharedword")))
    assert lessons["zqamberword"].pk in berlin and lessons["zqunsharedword"].pk not in berlin
    assert lessons["zqredword"].pk in ids(find(users["oslo_recipient"], "zqredword"))
    assert ids(find(users["oslo_member"], "zqmixedword")) == []
    assert ids(find(users["nice_member"], "zqmixedword")) == [lessons["zqmixedword"].pk]
    assert set(ids(find(users["anonymous"]))) == {lessons["zqclearword"].pk}


@pytest.mark.parametrize("who", AUDIENCES)
def test_similar_cases_hold_only_what_the_reader_may_see(indexed, who):
    user = indexed["users"][who]
    similar = engine.similar(user, indexed["lessons"]["title"], limit=50)
    assert {hit.id for hit in similar} <= visible_ids(user)
    if who == "superuser":  # the hidden lessons are real candidates
        assert indexed["lessons"]["zqredword"].pk in {hit.id for hit in similar}


# --- similar cases ---------------------------------------------------------------------------


def test_similar_cases_put_other_cities_first_and_say_why(indexed):
    lessons, root = indexed["lessons"], indexed["users"]["superuser"]
    similar = engine.similar(root, lessons["title"], limit=50)
    assert lessons["title"].pk not in [hit.id for hit in similar]
    elsewhere = [hit.city != "Nice" for hit in similar]
    assert any(elsewhere) and elsewhere == sorted(elsewhere, reverse=True)
    arena = next(hit for hit in similar if hit.id == lessons["oslo"].pk)
    assert similar.index(arena) == 0
    reasons = " | ".join(arena.reasons)
    assert "Shared key terms:" in reasons and "evacuation" in reasons
    assert "Same attack type: Vehicle ramming" in reasons
    assert "Shared theme: Crowded places" in reasons


def test_similar_cases_work_for_a_lesson_not_yet_published(indexed, backend, request):
    lessons, root = indexed["lessons"], indexed["users"]["superuser"]
    draft = LessonPage(title="Gate stewards", observation="Stewards and arena evacuation.")
    draft.lesson_identified, draft.phase, draft.marking = "Rehearse.", "respond", Marking.GREEN
    draft.debrief, draft.owner_city = lessons["title"].debrief, lessons["title"].owner_city
    assert lessons["oslo"].pk in [hit.id for hit in engine.similar(root, draft, limit=5)]


# --- the stored index ------------------------------------------------------------------------


def test_the_index_stores_the_document_and_counts_terms(indexed, backend):
    lessons = indexed["lessons"]
    assert backend.get(lessons["title"].pk) == build_document(lessons["title"])
    assert backend.get(10**9) is None
    assert backend.total() == 11
    assert backend.indexed_ids() == {lesson.pk for lesson in lessons.values()}
    counts = backend.doc_freq([stem("evacuation"), stem("stewards"), "zqstrictword", "zqnone"])
    assert counts[stem("evacuation")] == 11 and counts[stem("stewards")] == 2
    assert counts["zqstrictword"] == 1 and counts.get("zqnone", 0) == 0
    # Counted within the lessons' own language (all English here): the same figures.
    assert backend.doc_freq([stem("evacuation"), stem("stewards")], language="en") == {
        stem("evacuation"): 11,
        stem("stewards"): 2,
    }
    wanted = [lessons["title"].pk, 10**9, lessons["discussion"].pk]
    many = backend.get_many(wanted)
    assert set(many) == {lessons["title"].pk, lessons["discussion"].pk}
    assert many[lessons["title"].pk] == build_document(lessons["title"])
    assert backend.status()["reachable"] is True


def test_the_index_gives_each_lessons_key_term_counts(indexed, backend):
    # What similar cases read of their candidates instead of analysing their text again.
    lessons = indexed["lessons"]
    counts = backend.term_counts([lessons["title"].pk, lessons["oslo"].pk, 10**9])
    assert set(counts) == {lessons["title"].pk, lessons["oslo"].pk}
    assert counts[lessons["title"].pk][stem("evacuation")] == 3
    assert counts[lessons["title"].pk][stem("stewards")] == 2
    assert stem("the") not in counts[lessons["oslo"].pk]  # stop words are never key terms
    assert counts[lessons["oslo"].pk] == similar_terms.term_counts(build_document(lessons["oslo"]))


def test_a_lesson_indexed_before_its_term_counts_were_stored_still_gives_them(indexed, backend):
    if backend.name != "embedded":
        pytest.skip("the embedded backend stores the counts (migration 0006 added the table)")
    pk = indexed["lessons"]["title"].pk
    stored = backend.term_counts([pk])
    backend._execute("DELETE FROM kb_search_terms WHERE lesson_id = ?", [pk])
    assert backend.term_counts([pk]) == stored


def test_term_figures_follow_the_writes_to_the_index(indexed, backend):
    lessons = indexed["lessons"]
    assert backend.doc_freq(["zqnewword"]).get("zqnewword", 0) == 0 and backend.total() == 11
    doc = build_document(lessons["oslo"])
    backend.upsert([replace(doc, text={**doc.text, "title": "Zqnewword evacuation routes"})])
    assert backend.doc_freq(["zqnewword"]) == {"zqnewword": 1}
    assert backend.term_counts([doc.id])[doc.id]["zqnewword"] == 1
    backend.delete([lessons["title"].pk])
    assert backend.total() == 10
    assert backend.doc_freq([stem("evacuation")]) == {stem("evacuation"): 10}


def test_user_syntax_never_reaches_the_engine(indexed):
    root = indexed["users"]["superuser"]
    for text in NASTY_QUERIES:
        results = find(root, text)
        assert results.count == len(results.hits)
    assert find(root, "evacuation OR").count == 11
    assert find(root, "title:stadium").count == 2
