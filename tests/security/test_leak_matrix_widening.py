"""Leak matrix, widened access through peer review: an invitation that would open restricted
material to someone its marking leaves out gives no access at all until the coordinator
confirms it, through any channel; TLP:RED gives none even confirmed."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from kb.choices import Marking
from peer_review import logic
from peer_review.models import ReviewAssignment
from tests.factories import (
    make_city,
    make_debrief,
    make_lesson,
    make_member,
    make_review_cast,
    make_review_round,
)
from tests.security.leak_checks import CELLS

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    return make_review_cast()


@pytest.fixture
def as_user():
    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


SENTINEL = "zanzibarquokka"
TITLE = "Widened cordon lesson"

MARKINGS = {
    "amber shared with Barcelona": (Marking.AMBER, True),
    "amber+strict": (Marking.AMBER_STRICT, False),
    "red": (Marking.RED, False),
}


def _channels(client, lesson, round) -> dict[str, str]:
    """Every place the outside reviewer could meet the material's words."""
    answers = {
        "lesson page": client.get(lesson.url),
        "round page": client.get(f"/reviews/rounds/{round.pk}/"),
        "workspace": client.get("/reviews/"),
        "notifications": client.get("/notifications/"),
        # Searched by another word: the search box echoes the query.
        "search": client.get("/search/", {"q": "cordon"}),
        "API lesson": client.get(f"/api/v1/lessons/{lesson.pk}"),
        "API lessons": client.get("/api/v1/lessons"),
        "API search": client.get("/api/v1/search", {"q": "cordon"}),
    }
    return {name: r.content.decode().lower() for name, r in answers.items()}


def _assert_nothing_reaches(client, lesson, round, where: str) -> None:
    leaks = []
    for channel, body in _channels(client, lesson, round).items():
        CELLS["checked"] += 1
        for word in (SENTINEL, TITLE.lower()):
            if word in body:
                leaks.append(f"LEAK {where} / {channel}: {word!r} is shown")
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("marking", MARKINGS)
@pytest.mark.parametrize("posted", ["", "off", "0", "false"])
def test_an_unconfirmed_widening_invitation_gives_no_access_anywhere(
    cast, as_user, marking, posted
):
    value, shared = MARKINGS[marking]
    brussels = make_member("brussels-reviewer", make_city("Brussels"), "reviewer")
    named = [cast.editor] if value == Marking.RED else []
    debrief = make_debrief(
        cast.nice, marking=value, shared_with=[cast.barcelona] if shared else [], recipients=named
    )
    lesson = make_lesson(
        debrief,
        title=TITLE,
        observation=f"The {SENTINEL} cordon.",
        shared_with=[cast.barcelona] if shared else [],
        recipients=named,
    )
    round = make_review_round(lesson, cast.editor)
    coordinator = as_user(cast.coordinator)
    for reviewer in (brussels, cast.rtm) + (() if shared else (cast.bcn,)):
        data = {
            "reviewer": reviewer.memberships.get().pk,
            "response_due": "2099-01-10",
            "review_due": "2099-02-10",
        }
        if posted:
            data["confirm_widening"] = posted
        coordinator.post(f"/reviews/rounds/{round.pk}/invite/", data)
        assert not ReviewAssignment.objects.filter(reviewer=reviewer).exists()
        _assert_nothing_reaches(as_user(reviewer), lesson, round, f"{marking} / {reviewer}")
    if value != Marking.RED:
        # The control: once confirmed and accepted, the same channels do show the material.
        invitation = logic.invite(round, brussels, by=cast.coordinator, confirm_widening=True)
        logic.accept(invitation, by=brussels)
        assert SENTINEL in _channels(as_user(brussels), lesson, round)["lesson page"]


def test_red_material_gives_no_access_even_when_the_widening_is_confirmed(cast, as_user):
    debrief = make_debrief(cast.nice, marking=Marking.RED, recipients=[cast.editor])
    lesson = make_lesson(
        debrief, title=TITLE, observation=f"The {SENTINEL} cordon.", recipients=[cast.editor]
    )
    round = make_review_round(lesson, cast.editor)
    with pytest.raises(ValidationError):
        logic.invite(round, cast.bcn, by=cast.coordinator, confirm_widening=True)
    as_user(cast.coordinator).post(
        f"/reviews/rounds/{round.pk}/invite/",
        {
            "reviewer": cast.bcn.memberships.get().pk,
            "response_due": "2099-01-10",
            "review_due": "2099-02-10",
            "confirm_widening": "on",
        },
    )
    assert not ReviewAssignment.objects.exists()
    _assert_nothing_reaches(as_user(cast.bcn), lesson, round, "red confirmed / bcn")
