import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils.html import escape
from wagtail.models import Revision

from kb.choices import MARKING_ORDER, Marking, Role
from kb.models import City, Membership, Organisation
from lessons.models import DebriefPage, LessonPage, Recommendation
from project.demo import DEBRIEFS_FILE, DEMO_PASSWORD, load_demo
from search.sync import drain
from tests.factories import make_city, make_debrief


def demo_lines() -> list[dict]:
    return [json.loads(line) for line in DEBRIEFS_FILE.read_text(encoding="utf-8").splitlines()]


def counts() -> dict[str, int]:
    models = [City, Organisation, Membership, get_user_model(), DebriefPage, LessonPage]
    models += [Recommendation, Revision]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_demo_loads_at_least_8_cities_25_debriefs_and_80_lessons(client):
    call_command("load_demo", stdout=StringIO())
    assert City.objects.count() >= 8
    assert DebriefPage.objects.live().count() >= 25
    assert LessonPage.objects.live().count() >= 80
    assert Recommendation.objects.count() >= LessonPage.objects.count()
    assert_demo_peer_review_lands_on_populated_workspaces(client)
    assert_a_lesson_finds_its_siblings_written_in_other_languages(client)
    assert_brussels_publishes_its_metro_lessons_in_french_and_dutch(client)
    assert_members_of_non_english_cities_read_the_site_in_their_language()


def assert_brussels_publishes_its_metro_lessons_in_french_and_dutch(client) -> None:
    client.force_login(get_user_model().objects.get(username="london-reader"))
    dutch = LessonPage.objects.get(external_id="demo-brussels-2022-oefening-metro-l1")
    french = LessonPage.objects.get(external_id="demo-brussels-2022-exercice-metro-l1")
    assert dutch.translation_of == french
    page = client.get(dutch.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<a href="{french.url}" hreflang="fr"' in page


def assert_members_of_non_english_cities_read_the_site_in_their_language() -> None:
    from wagtail.users.models import UserProfile

    def language(username: str) -> str:
        user = get_user_model().objects.get(username=username)
        return UserProfile.get_for_user(user).preferred_language

    expected = {"nice-editor": "fr", "berlin-reviewer": "de", "barcelona-committee": "es"}
    expected |= {"rotterdam-owner": "nl", "london-reader": ""}
    assert {name: language(name) for name in expected} == expected


def assert_a_lesson_finds_its_siblings_written_in_other_languages(client) -> None:
    """The product's promise on the demo: Berlin's German lesson on radio talk groups lists
    the Dutch, Spanish and French lessons that teach the same, for a London reader."""
    drain()
    client.force_login(get_user_model().objects.get(username="london-reader"))
    german = LessonPage.objects.get(external_id="demo-berlin-2019-uebung-mitte-l1")
    page = client.get(german.url).content.decode()
    similar = page[page.index('id="similar-heading"') :]
    for external_id in [
        "demo-rotterdam-2019-oefening-haven-l1",
        "demo-barcelona-2019-simulacro-rambla-l1",
        "demo-nice-2019-exercice-promenade-l1",
    ]:
        sibling = LessonPage.objects.get(external_id=external_id)
        assert escape(sibling.title) in similar, (sibling.title, similar[:3000])


def assert_demo_peer_review_lands_on_populated_workspaces(client) -> None:
    from peer_review.demo import load_demo_reviews
    from peer_review.models import Comment, ReviewAssignment, ReviewRound

    rounds = ReviewRound.objects
    assert rounds.filter(state="closed", decision="endorse").count() >= 2
    assert rounds.filter(state="closed", decision="revise").exists()
    assert rounds.filter(number=2, state="open").exists()
    assert ReviewAssignment.objects.filter(state="invited").exists()
    assert ReviewAssignment.objects.filter(state="submitted", round__state="open").exists()
    assert Comment.objects.filter(parent__isnull=False).exists()
    before = rounds.count()
    load_demo_reviews()
    assert rounds.count() == before
    users = get_user_model().objects
    client.force_login(users.get(username="barcelona-reviewer"))
    assert "Temporary barriers left a gap" in client.get("/reviews/").content.decode()
    client.force_login(users.get(username="nice-coordinator"))
    assert "Rumours of a second attacker" in client.get("/reviews/coordinator/").content.decode()
    endorsed = LessonPage.objects.get(external_id="demo-nice-2017-baie-lumiere-l1")
    client.force_login(users.get(username="london-reader"))  # Nice's members read French
    page = client.get(endorsed.url).content.decode()
    assert "Endorsed by peer review (Barcelona, Rotterdam)" in page


@pytest.mark.django_db
def test_demo_lessons_carry_every_marking_and_demo_users_have_every_role():
    logins = load_demo()
    markings = set(LessonPage.objects.values_list("marking", flat=True))
    assert markings == set(Marking.values)
    for role in Role:
        assert Membership.objects.active().with_role(role.value).exists(), role
    assert Membership.objects.filter(network_wide=True, is_committee=True).exists()
    user_model = get_user_model()
    assert user_model.objects.get(username="admin").is_superuser
    assert not Membership.objects.filter(user__username="visitor").exists()
    assert {username for username, _, _ in logins} == set(
        user_model.objects.values_list("username", flat=True)
    )
    assert user_model.objects.get(username="nice-editor").check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_loading_the_demo_twice_creates_nothing_new():
    load_demo()
    before = counts()
    load_demo()
    assert counts() == before


@pytest.mark.django_db
def test_load_demo_if_empty_skips_loading_but_still_prints_the_logins():
    make_debrief(make_city("Springfield"))
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert DebriefPage.objects.count() == 1
    assert "nice-editor" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()


FICTIONAL = {"en": "fictional", "fr": "fictive", "de": "fiktiv", "es": "ficticio", "nl": "fictie"}


def test_every_debrief_summary_in_the_demo_file_says_it_is_fictional_in_its_language():
    for debrief in demo_lines():
        word = FICTIONAL[debrief.get("language", "en")]
        assert word in debrief["summary"].lower(), debrief["external_id"]


def test_the_demo_has_debriefs_in_at_least_five_languages():
    assert {debrief.get("language", "en") for debrief in demo_lines()} >= set(FICTIONAL)


def test_no_demo_lesson_is_less_restricted_than_its_debrief():
    for debrief in demo_lines():
        floor = MARKING_ORDER.index(Marking(debrief["marking"]))
        for lesson in debrief["lessons"]:
            assert MARKING_ORDER.index(Marking(lesson["marking"])) >= floor, lesson["external_id"]
