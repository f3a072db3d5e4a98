"""Leak matrix, member site: every marking x kind of user x page, listing, feed, search,
facet and similar-cases channel. Each (user, channel) answer is fetched once and every
lesson and debrief of the world is checked against it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from search import engine, semantic, vectors
from tests.security import leak_checks
from tests.security.leak_checks import Matrix
from tests.security.leak_world import EXPECTED_DEBRIEF, EXPECTED_LESSON, PROBE, USERS

pytestmark = pytest.mark.django_db
world = leak_checks.world
indexed = leak_checks.indexed


def test_the_policy_allows_exactly_what_design_md_says(world):
    for item in world.items:
        expected = (EXPECTED_LESSON if item.kind == "lesson" else EXPECTED_DEBRIEF)[item.key]
        assert item.visible_to == expected, f"{item.kind} {item.key}"


@pytest.mark.parametrize("who", USERS)
def test_pages_and_error_pages_show_a_lesson_only_to_those_allowed(world, who):
    m = Matrix(world, who)
    for item in world.items:
        allowed = m.may_see(item)
        m.get(
            f"{item.kind} page {item.key}",
            item.page.url,
            lists=[item] if allowed else [],
            shows_text=[item] if allowed else [],
            status=200 if allowed else m.hidden_status(),
        )
    # Debriefs list the lessons the reader may see; an unknown address names nothing.
    m.get("unknown address", "/nice/no-such-debrief/", status=m.hidden_status())
    m.assert_clean()


@pytest.mark.parametrize("who", USERS)
def test_listings_feed_and_sitemap_show_only_what_the_user_may_see(world, who):
    m = Matrix(world, who)
    lessons, debriefs = m.visible(world.lessons), m.visible(world.debriefs)
    m.get("/lessons/", "/lessons/", lists=lessons, status=200)
    m.get("/lessons/ filtered by city", "/lessons/", {"city": "Nice"}, lists=lessons)
    m.get("RSS feed", "/lessons/feed/", lists=lessons, shows_text=lessons, status=200)
    m.get("home page", "/", lists=lessons, status=200)
    m.get("city page", world.nice.page.url, lists=debriefs, status=200)
    public = [item for item in world.items if item.key == "CLEAR"]
    m.get("sitemap", "/sitemap.xml", lists=[i for i in public if i in lessons], status=200)
    m.assert_clean()


@pytest.mark.parametrize("who", USERS)
def test_search_results_and_facet_counts_count_only_visible_lessons(indexed, who):
    m = Matrix(indexed, who)
    lessons = m.visible(indexed.lessons)
    page = m.get("/search/", "/search/", {"q": "interoperability"}, lists=lessons, status=200)
    html = page.content.decode()
    api = m.get("/api/v1/search", "/api/v1/search", {"q": "interoperability"}, lists=lessons)
    facets = api.json()["facets"]
    # A facet value unique to a hidden lesson must not be counted (not even as zero).
    expected_attack = {item.attack_type for item in lessons} | {PROBE[0]}
    expected_years = {str(item.year) for item in lessons} | {str(PROBE[1])}
    if set(facets.get("attack_type", {})) != expected_attack:
        m.failures.append(f"FACET {who}: attack types {facets.get('attack_type')}")
    if set(facets.get("year", {})) != expected_years:
        m.failures.append(f"FACET {who}: years {facets.get('year')}")
    for item in indexed.lessons:
        shown = f"attack_type={item.attack_type}" in html
        if shown != m.may_see(item):
            m.failures.append(f"FACET {who} / /search/: {item.attack_type} shown={shown}")
    # Facet filters on a hidden lesson's values find nothing and name nothing.
    for item in indexed.lessons:
        m.get("/search/ filtered", "/search/", {"q": "", "attack_type": item.attack_type})
    m.assert_clean()


# The lessons' common text in Spanish: no word in common, found by meaning alone.
BY_MEANING = "Fallo de las comunicaciones durante la evacuación del estadio"


@pytest.mark.skipif(not semantic.available(), reason="the embedding model is not installed")
@pytest.mark.parametrize("who", USERS)
def test_search_by_meaning_adds_and_counts_only_visible_lessons(indexed, who):
    """The semantic channel of the search page and the API: every lesson is about as near
    the query (how near depends on its invented words, around the threshold), none shares a
    word with it. What it adds is the viewer's, and so is what the facets count."""
    m = Matrix(indexed, who)
    lessons = m.visible(indexed.lessons)
    m.get("/search/ by meaning", "/search/", {"q": BY_MEANING}, status=200)
    api = m.get("/api/v1/search by meaning", "/api/v1/search", {"q": BY_MEANING})
    if api.status_code == 200:
        answer = api.json()
        allowed = {item.attack_type for item in lessons} | {PROBE[0]}
        if not set(answer["facets"].get("attack_type", {})) <= allowed:
            m.failures.append(f"FACET {who} by meaning: {answer['facets'].get('attack_type')}")
        if lessons and not answer["results"]:
            m.failures.append(f"MISSING {who} by meaning: nothing found")
    m.assert_clean()


@pytest.mark.parametrize("who", USERS)
def test_similar_cases_name_only_visible_lessons(indexed, who):
    m = Matrix(indexed, who)
    lessons = m.visible(indexed.lessons)
    probe = indexed.probe
    m.get("similar API", f"/api/v1/lessons/{probe.pk}/similar", {"limit": 10}, lists=lessons)
    m.get("similar on the lesson page", probe.url, lists=lessons, status=200)
    m.assert_clean()


@pytest.mark.parametrize("who", USERS)
def test_the_vector_search_returns_only_visible_lessons(indexed, who):
    """The semantic channel of similar cases, asked directly: near each lesson's own vector
    (a hidden lesson's nearest is itself, unless the access rule trims it before ranking);
    and the twins search by meaning adds to its anchors (search.meaning), asked of every
    lesson, hidden ones too, as anchors."""
    m = Matrix(indexed, who)
    # Read afresh, as a request would: the world's objects cache what they were when built.
    user = AnonymousUser() if who == "anonymous" else _fresh(indexed, who)
    audience = engine.audience_for(user)
    index = vectors.current()
    lessons = m.visible(indexed.lessons)
    for page in [*(item.page for item in indexed.lessons), indexed.probe]:
        query = index.vector(page.pk)
        assert query is not None, f"no vector for {page.title}"
        nearest = index.nearest(query, audience, 50)
        titles = "\n".join(index.shown(pk)["title"] for pk, _ in nearest)
        m.check(f"vector search near {page.title}", titles, lists=lessons)
        twins = index.neighbours([page.pk], audience, 50).get(page.pk, [])
        titles = "\n".join(index.shown(pk)["title"] for pk, _ in twins)
        others = [item for item in lessons if item.page.pk != page.pk]  # never its own twin
        m.check(f"twins of {page.title}", titles, lists=others)
    m.assert_clean()


def _fresh(world, who: str):
    return get_user_model().objects.get(pk=world.users[who].pk)
