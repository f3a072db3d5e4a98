"""The access policy over every marking x kind of user x channel.

Each lesson carries a unique sentinel word in its title; each channel must show it
exactly to the users the marking allows.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from kb import access
from kb.choices import Marking
from kb.models import Membership
from lessons import access as lessons_access
from search.engine import index_lessons
from tests.factories import make_city, make_debrief, make_lesson, make_member

USERS = [
    "anonymous",
    "owner_member",
    "shared_member",
    "other_member",
    "other_reviewer",
    "recipient",
    "no_membership",
    "former_member",
    "inactive",
    "superuser",
]
MEMBERS_OF_NETWORK = {
    "owner_member",
    "shared_member",
    "other_member",
    "other_reviewer",
    "recipient",
    "superuser",
}
ALLOWED = {
    "CLEAR": set(USERS),
    "GREEN": MEMBERS_OF_NETWORK,
    "AMBER": {"owner_member", "shared_member", "superuser"},
    "AMBER_UNSHARED": {"owner_member", "superuser"},
    "AMBER_STRICT": {"owner_member", "superuser"},
    "RED": {"recipient", "superuser"},
}
MARKINGS = {
    "CLEAR": Marking.CLEAR,
    "GREEN": Marking.GREEN,
    "AMBER": Marking.AMBER,
    "AMBER_UNSHARED": Marking.AMBER,
    "AMBER_STRICT": Marking.AMBER_STRICT,
    "RED": Marking.RED,
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module (the matrix has hundreds of cells) and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _db(db):
    """Each cell runs in its own savepoint inside the module's transaction."""


def _build_world():
    nice, berlin, oslo = make_city("Nice"), make_city("Berlin"), make_city("Oslo")
    users = {
        "owner_member": make_member("nice-editor", nice, "editor"),
        "shared_member": make_member("berlin-member", berlin, "committee"),
        "other_member": make_member("oslo-member", oslo, "owner"),
        "other_reviewer": make_member("oslo-reviewer", oslo, "reviewer"),
        "recipient": make_member("oslo-named", oslo, "committee"),
        "no_membership": make_member("drifter", None),
        "former_member": make_member("nice-former", nice, "editor"),
        "inactive": make_member("nice-inactive", nice, "editor"),
    }
    Membership.objects.filter(user=users["former_member"]).update(
        ended_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    get_user_model().objects.filter(pk=users["inactive"].pk).update(is_active=False)
    users["superuser"] = get_user_model().objects.create_superuser("root", "r@x.org", "pw")
    lessons = {}
    for key, marking in MARKINGS.items():
        sharing = {}
        if key == "AMBER":
            sharing["shared_with"] = [berlin]
        if key == "RED":
            sharing["recipients"] = [users["recipient"]]
        debrief = make_debrief(nice, title=f"Debrief {key} sentinel", marking=marking, **sharing)
        lessons[key] = make_lesson(
            debrief, title=f"Zq{key.replace('_', '')}word lesson", marking=marking, **sharing
        )
    return {"users": users, "lessons": lessons, "nice": nice}


def client_for(world, who) -> Client:
    client = Client()
    if who != "anonymous":
        user = get_user_model().objects.get(pk=world["users"][who].pk)
        client.force_login(user) if user.is_active else None
    return client


def fresh_user(world, who):
    if who == "anonymous":
        return None
    return get_user_model().objects.get(pk=world["users"][who].pk)


CELLS = [(marking, who) for marking in MARKINGS for who in USERS]


@pytest.mark.parametrize("marking,who", CELLS)
def test_policy_answers_per_item_and_per_queryset_agree(world, marking, who):
    lesson = world["lessons"][marking]
    user = fresh_user(world, who)
    expected = who in ALLOWED[marking]
    assert access.can_view(user, lesson) is expected
    assert lessons_access.visible_lessons(user).filter(pk=lesson.pk).exists() is expected
    assert access.can_view(user, lesson.debrief) is expected


@pytest.mark.parametrize("marking,who", CELLS)
def test_lesson_page_is_served_only_to_allowed_users(world, marking, who):
    lesson = world["lessons"][marking]
    response = client_for(world, who).get(lesson.url)
    if who in ALLOWED[marking]:
        assert response.status_code == 200
        assert lesson.title in response.content.decode()
    elif who == "anonymous" or who == "inactive":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 404
        assert lesson.title not in response.content.decode()


@pytest.mark.parametrize("marking,who", CELLS)
def test_listings_and_feed_show_a_title_only_to_allowed_users(world, marking, who):
    lesson = world["lessons"][marking]
    client = client_for(world, who)
    expected = who in ALLOWED[marking]
    for url in ["/lessons/", "/lessons/feed/", "/", lesson.debrief.url]:
        response = client.get(url)
        body = response.content.decode() if response.status_code == 200 else ""
        assert (lesson.title in body) is expected, url
    city_page = client.get(world["nice"].page.url).content.decode()
    assert (lesson.debrief.title in city_page) is expected


def test_a_lesson_is_never_less_restricted_than_its_debrief(world):
    nice = world["nice"]
    strict = make_debrief(nice, marking=Marking.AMBER_STRICT)
    leaky = make_lesson(strict, title="Leaky green lesson", marking=Marking.GREEN)
    other = make_member("oslo-2", make_city("Oslo 2"), "editor")
    assert not access.can_view(other, leaky)
    assert access.can_view(world["users"]["owner_member"], leaky)


def test_ending_a_membership_cuts_access_at_once(world):
    user = fresh_user(world, "owner_member")
    lesson = world["lessons"]["AMBER_STRICT"]
    assert access.can_view(user, lesson)
    Membership.objects.filter(user=user).update(ended_on=datetime.date.today())
    assert not access.can_view(fresh_user(world, "owner_member"), lesson)


def test_sitemap_lists_only_public_lessons(world):
    body = Client().get("/sitemap.xml").content.decode()
    assert world["lessons"]["CLEAR"].slug in body
    for key in ["GREEN", "AMBER", "AMBER_STRICT", "RED"]:
        assert world["lessons"][key].slug not in body


@pytest.mark.parametrize("marking,who", CELLS)
def test_engine_tokens_agree_with_the_queryset_rule(world, marking, who):
    lesson = world["lessons"][marking]
    user = fresh_user(world, who)
    held = access.viewer_tokens(user)
    if held is None:
        by_tokens = True
    else:
        own = set(access.item_tokens(lesson)) & set(held)
        parent = set(access.item_tokens(lesson.debrief)) & set(held)
        by_tokens = bool(own and parent) or lesson.pk in access.granted_ids(user)
    assert by_tokens is lessons_access.visible_lessons(user).filter(pk=lesson.pk).exists()


@pytest.mark.parametrize("marking,who", CELLS)
def test_api_answers_a_lesson_only_to_allowed_users(world, marking, who):
    lesson = world["lessons"][marking]
    client = client_for(world, who)
    expected = who in ALLOWED[marking]
    detail = client.get(f"/api/v1/lessons/{lesson.pk}")
    assert detail.status_code == (200 if expected else 404)
    listed = client.get("/api/v1/lessons", {"page_size": 100}).json()["results"]
    assert (lesson.pk in [item["id"] for item in listed]) is expected
    debrief = client.get(f"/api/v1/debriefs/{lesson.debrief_id}")
    assert debrief.status_code == (200 if expected else 404)
    # The module's content was indexed by whichever backend was active when it was built.
    index_lessons([item.pk for item in world["lessons"].values()])
    found = client.get("/api/v1/search", {"q": lesson.title}).content.decode()
    assert (lesson.title in found) is expected
