import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Revision

from kb.choices import MARKING_ORDER, Marking, Role
from kb.models import City, Membership, Organisation
from lessons.models import DebriefPage, LessonPage, Recommendation
from project.demo import DEBRIEFS_FILE, DEMO_PASSWORD, load_demo
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


def test_every_debrief_summary_in_the_demo_file_says_it_is_fictional():
    for debrief in demo_lines():
        assert "fictional" in debrief["summary"].lower(), debrief["external_id"]


def test_no_demo_lesson_is_less_restricted_than_its_debrief():
    for debrief in demo_lines():
        floor = MARKING_ORDER.index(Marking(debrief["marking"]))
        for lesson in debrief["lessons"]:
            assert MARKING_ORDER.index(Marking(lesson["marking"])) >= floor, lesson["external_id"]
