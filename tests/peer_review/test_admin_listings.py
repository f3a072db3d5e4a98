"""The coordinators' admin listings of rounds and assignments: usable by coordinators, with
filters and CSV/XLSX export, and never naming material the coordinator may not see."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.choices import Marking
from peer_review import access, logic
from tests.factories import (
    make_accepted_review,
    make_city,
    make_debrief,
    make_lesson,
    make_member,
    make_review_round,
)

pytestmark = pytest.mark.django_db

HIDDEN = ["Hidden cordon lesson", "Red drill lesson", "Unclaimed strict lesson"]


@pytest.fixture
def rounds(cast):
    """Three coordinated rounds (GREEN, AMBER+STRICT, RED) and one still unclaimed."""
    strict = make_debrief(cast.nice, marking=Marking.AMBER_STRICT)
    # TLP:RED material is reviewed only by its named recipients (Rotterdam's reviewer here).
    red = make_debrief(cast.nice, marking=Marking.RED, recipients=[cast.editor, cast.rtm])
    green = make_lesson(make_debrief(cast.nice), title="Open bollards lesson", live=False)
    made = {
        "green": make_review_round(green, cast.editor),
        "strict": make_review_round(make_lesson(strict, title=HIDDEN[0]), cast.editor),
        "red": make_review_round(
            make_lesson(red, title=HIDDEN[1], recipients=[cast.editor, cast.rtm]), cast.editor
        ),
    }
    for round in made.values():
        reviewer = cast.rtm if round is made["red"] else cast.bcn
        make_accepted_review(round, reviewer, cast.coordinator)
    made["unclaimed"] = make_review_round(make_lesson(strict, title=HIDDEN[2]), cast.editor)
    return made


@pytest.fixture
def berlin_coordinator(db):
    return make_member("berlin-coordinator", make_city("Berlin"), "coordinator")


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("text/csv"):
        return b"".join(response.streaming_content).decode()
    if "spreadsheet" in response.get("Content-Type", ""):
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return "\n".join(
            " ".join(str(cell) for cell in row if cell is not None)
            for row in book.active.iter_rows(values_only=True)
        )
    return response.content.decode()


LISTINGS = [
    "/admin/review_rounds/",
    "/admin/review_rounds/?q=lesson",
    "/admin/review_rounds/?q=cordon",
    "/admin/review_rounds/?material_marking=TLP%3AAMBER%2BSTRICT",
    "/admin/review_rounds/?material_city=Nice&state=open",
    "/admin/review_rounds/?export=csv",
    "/admin/review_rounds/?export=xlsx",
    "/admin/review_assignments/",
    "/admin/review_assignments/?q=drill",
    "/admin/review_assignments/?export=csv",
    "/admin/review_assignments/?export=xlsx&state=accepted",
]


def test_a_coordinator_of_another_city_never_reads_a_hidden_title(
    rounds, berlin_coordinator, as_user
):
    client = as_user(berlin_coordinator)
    for url in LISTINGS:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        for title in HIDDEN:
            assert title not in text, (url, title)
    listing = client.get("/admin/review_rounds/").content.decode()
    assert "Open bollards lesson" in listing  # GREEN: every member may see it
    # The round waiting for a coordinator is listed, under a neutral label only.
    assert "A TLP:AMBER+STRICT lesson of Nice" in listing
    # Searching a hidden title finds nothing: the search reads the label, not the title.
    searched = client.get("/admin/review_rounds/?q=Unclaimed").content.decode()
    assert "A TLP:AMBER+STRICT lesson of Nice" not in searched
    csv = _text(client.get("/admin/review_rounds/?export=csv"))
    assert csv.splitlines()[0].startswith("Material,Kind,Marking,City,Round,State")
    assert "Open bollards lesson" in csv and len(csv.splitlines()) == 3  # header, 2 rounds
    member_page = client.get("/reviews/coordinator/").content.decode()
    assert "Open bollards lesson" in member_page
    assert not any(title in member_page for title in HIDDEN)
    assert client.get(f"/reviews/rounds/{rounds['strict'].pk}/").status_code == 404


def test_the_coordinator_in_charge_reads_titles_the_round_grants_but_not_red_ones(
    rounds, cast, as_user
):
    client = as_user(cast.coordinator)
    listing = client.get("/admin/review_rounds/").content.decode()
    assert "Hidden cordon lesson" in listing and "Open bollards lesson" in listing
    assert "Red drill lesson" not in listing and "A TLP:RED lesson of Nice" in listing
    assert "Unclaimed strict lesson" not in listing
    assert "Red drill" not in client.get("/admin/review_rounds/?q=drill").content.decode()
    xlsx = _text(client.get("/admin/review_assignments/?export=xlsx"))
    assert "Hidden cordon lesson" in xlsx and "Red drill lesson" not in xlsx
    assert "bcn-reviewer" in xlsx and "Barcelona" in xlsx
    strict_only = client.get("/admin/review_rounds/?material_marking=TLP%3AAMBER%2BSTRICT")
    body = strict_only.content.decode()
    assert "Hidden cordon lesson" in body and "Open bollards lesson" not in body


def test_the_listings_are_for_coordinators_and_read_only(rounds, cast, as_user):
    for user in (cast.bcn, cast.editor):
        response = as_user(user).get("/admin/review_rounds/")
        assert response.status_code in (302, 403)
        assert "Hidden cordon lesson" not in response.content.decode()
    coordinator = as_user(cast.coordinator)
    assert coordinator.get("/admin/").status_code == 200
    edit = coordinator.get(f"/admin/review_rounds/edit/{rounds['green'].pk}/")
    assert edit.status_code in (302, 403)
    history = coordinator.get(f"/admin/review_rounds/history/{rounds['strict'].pk}/")
    assert history.status_code in (302, 403)


def test_ending_the_coordinator_role_closes_the_admin(cast, as_user):
    from kb.directory import add_member

    client = as_user(cast.coordinator)
    assert client.get("/admin/review_rounds/").status_code == 200
    add_member("coordinator", cast.coordinator.memberships.get().city, ["reviewer"])
    assert client.get("/admin/review_rounds/").status_code == 302


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured.captured_queries)


def test_visible_rounds_costs_the_same_queries_for_2_and_6_rounds(cast):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    costs = []
    for size in (2, 6):
        while access.visible_rounds(cast.editor).count() < size:
            round = make_review_round(make_lesson(make_debrief(cast.nice), live=False), cast.editor)
            make_accepted_review(round, cast.bcn, cast.coordinator)
            logic.add_comment(round, by=cast.bcn, body="Noted")
        cost = {}
        for user in (cast.bcn, cast.editor, cast.coordinator):
            fresh = users.get(pk=user.pk)  # no cached access answer
            cost[user.username] = _queries(lambda u=fresh: list(access.visible_rounds(u)))
            assert len(list(access.visible_rounds(users.get(pk=user.pk)))) == size
        costs.append(cost)
    assert costs[0] == costs[1]
