"""The JSON API at /api/v1/: who gets in, what each caller sees, and the shapes answered."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import APIToken

from kb.choices import Marking
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def world():
    nice, berlin, oslo = make_city("Nice", "FR"), make_city("Berlin", "DE"), make_city("Oslo", "NO")
    people = {
        "nice": make_member("nice-editor", nice, "editor"),
        "berlin": make_member("berlin-member", berlin, "committee"),
        "oslo": make_member("oslo-member", oslo, "owner"),
        "named": make_member("oslo-named", oslo, "committee"),
    }
    debrief = make_debrief(
        nice,
        title="Promenade ramming",
        marking=Marking.CLEAR,
        attack_types=("vehicle-ramming", "marauding-firearms"),
        date=datetime.date(2016, 7, 14),
    )
    lessons = {
        "clear": make_lesson(debrief, title="Clear lesson", marking=Marking.CLEAR),
        "green": make_lesson(debrief, title="Green lesson", marking=Marking.GREEN),
        "amber": make_lesson(
            debrief, title="Amber lesson", marking=Marking.AMBER, shared_with=[berlin]
        ),
        "strict": make_lesson(debrief, title="Strict lesson", marking=Marking.AMBER_STRICT),
        "red": make_lesson(
            debrief, title="Red lesson", marking=Marking.RED, recipients=[people["named"]]
        ),
    }
    return {"cities": (nice, berlin, oslo), "people": people, "debrief": debrief, **lessons}


def token_for(user) -> str:
    return APIToken.create_token(user=user, name="test")[1]


def get(client, path, token=None, scheme="Token", **params):
    headers = {"Authorization": f"{scheme} {token}"} if token else {}
    return client.get(f"{API}{path}", params, headers=headers)


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["results"]}


# --- who gets in ---------------------------------------------------------------------


def test_a_token_sent_as_token_or_bearer_reads_as_its_owner(client, world):
    token = token_for(world["people"]["oslo"])
    assert "Green lesson" not in titles(get(client, "/lessons"))
    assert "Green lesson" in titles(get(client, "/lessons", token))
    assert "Green lesson" in titles(get(client, "/lessons", token, scheme="Bearer"))


def test_an_unknown_token_is_refused_with_401_never_read_as_anonymous(client, world):
    for header in ("Token wagtail_nonsense", "Token " + token_for(world["people"]["oslo"])[:-1]):
        response = client.get(f"{API}/lessons", headers={"Authorization": header})
        assert response.status_code == 401
        assert response.json() == {"detail": "Invalid API token."}
        assert response["WWW-Authenticate"].startswith("Token")


def test_an_authorization_header_of_another_scheme_is_refused(client, world):
    response = client.get(f"{API}/cities", headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert response.status_code == 401
    assert "Token KEY" in response.json()["detail"]


def test_a_revoked_token_or_a_disabled_account_is_refused_with_the_reason(client, world):
    user = world["people"]["oslo"]
    api_token, revoked = APIToken.create_token(user=user, name="old")
    api_token.revoke()
    response = get(client, "/lessons", revoked)
    assert response.status_code == 401
    assert response.json() == {"detail": "This API token has been revoked."}

    token = token_for(user)
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    response = get(client, "/lessons", token)
    assert response.status_code == 401
    assert "disabled" in response.json()["detail"]


def test_a_bad_token_is_refused_even_with_a_valid_session(client, world):
    client.force_login(world["people"]["nice"])
    assert get(client, "/lessons", "wagtail_nonsense").status_code == 401


def test_a_logged_in_session_reads_as_the_member(client, world):
    client.force_login(world["people"]["nice"])
    assert "Strict lesson" in titles(get(client, "/lessons"))


def test_a_token_records_when_it_was_last_used(client, world):
    api_token, token = APIToken.create_token(user=world["people"]["oslo"], name="t")
    get(client, "/cities", token)
    api_token.refresh_from_db()
    assert api_token.last_used_at is not None


# --- what each caller sees -----------------------------------------------------------


def test_anonymous_callers_see_only_clear_material(client, world):
    nice = world["cities"][0]
    make_debrief(nice, title="Green debrief", marking=Marking.GREEN)
    assert titles(get(client, "/lessons")) == {"Clear lesson"}
    assert titles(get(client, "/debriefs")) == {"Promenade ramming"}
    detail = get(client, f"/debriefs/{world['debrief'].pk}").json()
    assert [lesson["title"] for lesson in detail["lessons"]] == ["Clear lesson"]
    assert get(client, f"/lessons/{world['green'].pk}").status_code == 404


def test_a_member_of_another_city_gets_404_for_an_amber_strict_lesson(client, world):
    token = token_for(world["people"]["oslo"])
    hidden = get(client, f"/lessons/{world['strict'].pk}", token)
    missing = get(client, "/lessons/999999", token)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert "Strict lesson" not in titles(get(client, "/lessons", token))
    debrief = get(client, f"/debriefs/{world['debrief'].pk}", token).json()
    assert "Strict lesson" not in {lesson["title"] for lesson in debrief["lessons"]}


def test_the_owning_city_sees_its_amber_strict_lesson(client, world):
    token = token_for(world["people"]["nice"])
    assert get(client, f"/lessons/{world['strict'].pk}", token).status_code == 200


def test_an_amber_lesson_reaches_the_cities_it_is_shared_with_only(client, world):
    shared = token_for(world["people"]["berlin"])
    other = token_for(world["people"]["oslo"])
    assert get(client, f"/lessons/{world['amber'].pk}", shared).status_code == 200
    assert "Amber lesson" in titles(get(client, "/lessons", shared))
    assert get(client, f"/lessons/{world['amber'].pk}", other).status_code == 404
    assert "Amber lesson" not in titles(get(client, "/lessons", other))


def test_a_red_lesson_reaches_only_its_named_recipients(client, world):
    named = token_for(world["people"]["named"])
    same_city = token_for(world["people"]["oslo"])
    owner_city = token_for(world["people"]["nice"])
    assert get(client, f"/lessons/{world['red'].pk}", named).status_code == 200
    assert "Red lesson" in titles(get(client, "/lessons", named))
    for token in (same_city, owner_city):
        assert get(client, f"/lessons/{world['red'].pk}", token).status_code == 404
        assert "Red lesson" not in titles(get(client, "/lessons", token))


# --- shapes ---------------------------------------------------------------------------


def test_the_cities_directory_is_public(client, world):
    response = get(client, "/cities")
    assert response.status_code == 200
    nice = next(city for city in response.json() if city["name"] == "Nice")
    assert nice == {
        "name": "Nice",
        "country": "FR",
        "languages": ["en"],
        "joined_on": world["cities"][0].joined_on.isoformat(),
    }


def test_a_lesson_result_has_the_shape_search_reuses(client, world):
    result = get(client, "/lessons").json()["results"][0]
    assert result == {
        "id": world["clear"].pk,
        "external_id": None,
        "title": "Clear lesson",
        "city": "Nice",
        "attack_types": ["marauding-firearms", "vehicle-ramming"],
        "themes": ["information-sharing"],
        "attack_type_labels": {
            "marauding-firearms": "Marauding firearms",
            "vehicle-ramming": "Vehicle ramming",
        },
        "theme_labels": {"information-sharing": "Information sharing"},
        "marking": "TLP:CLEAR",
        "language": "en",
        "url": "http://testserver" + world["clear"].url,
    }


def test_lesson_detail_carries_the_nato_form_and_recommendations(client, world):
    debrief = world["debrief"]
    lesson = make_lesson(
        debrief,
        title="Radios",
        marking=Marking.CLEAR,
        themes=("information-sharing", "strategic-coordination"),
        phase="prepare",
        observation="Radios failed.",
        discussion="No shared channel.",
        lesson_identified="Agree a shared channel.",
        recommendations=(("Buy radios", "equipment"), ("Train staff", "training")),
        external_id="l-radios",
    )
    body = get(client, f"/lessons/{lesson.pk}").json()
    assert body["external_id"] == "l-radios"
    assert body["city"] == "Nice"
    assert body["debrief"] == debrief.pk
    assert body["phase"] == "prepare"
    assert body["observation"] == "Radios failed."
    assert body["discussion"] == "No shared channel."
    assert body["lesson_identified"] == "Agree a shared channel."
    assert body["themes"] == ["information-sharing", "strategic-coordination"]
    assert body["attack_types"] == ["marauding-firearms", "vehicle-ramming"]
    assert body["marking"] == "TLP:CLEAR"
    assert body["recommendations"] == [
        {
            "text": "Buy radios",
            "capability_element": "equipment",
            "capability_element_label": "Equipment",
        },
        {
            "text": "Train staff",
            "capability_element": "training",
            "capability_element_label": "Training",
        },
    ]
    assert body["url"].endswith(lesson.url)


def test_debrief_detail_lists_the_visible_lessons_by_id_and_title(client, world):
    body = get(client, f"/debriefs/{world['debrief'].pk}", token_for(world["people"]["nice"]))
    body = body.json()
    assert body["date"] == "2016-07-14"
    assert body["incident_type"] == "attack"
    assert {"id": world["strict"].pk, "title": "Strict lesson"} in body["lessons"]
    assert all(set(lesson) == {"id", "title"} for lesson in body["lessons"])


def test_lessons_filter_by_attack_type_theme_city_and_phase(client, world):
    oslo = world["cities"][2]
    other = make_debrief(oslo, marking=Marking.CLEAR, attack_types=("drone",))
    make_lesson(other, title="Drone lesson", themes=("cyber-online",), phase="recover")
    assert titles(get(client, "/lessons", attack_type="drone")) == {"Drone lesson"}
    assert titles(get(client, "/lessons", theme="cyber-online")) == {"Drone lesson"}
    assert titles(get(client, "/lessons", city="oslo")) == {"Drone lesson"}
    assert titles(get(client, "/lessons", phase="recover")) == {"Drone lesson"}
    assert titles(get(client, "/lessons", phase="respond")) == {"Clear lesson"}


def test_debriefs_filter_by_city_attack_type_incident_type_and_year(client, world):
    oslo = world["cities"][2]
    make_debrief(
        oslo,
        title="Drill",
        marking=Marking.CLEAR,
        attack_types=("drone",),
        incident_type="exercise",
        date=datetime.date(2023, 5, 1),
    )
    assert titles(get(client, "/debriefs", city="Oslo")) == {"Drill"}
    assert titles(get(client, "/debriefs", attack_type="drone")) == {"Drill"}
    assert titles(get(client, "/debriefs", incident_type="exercise")) == {"Drill"}
    assert titles(get(client, "/debriefs", year=2016)) == {"Promenade ramming"}


def test_listings_are_paginated_with_links(client, world):
    token = token_for(world["people"]["nice"])
    first = get(client, "/lessons", token, page_size=2, phase="respond").json()
    assert first["count"] == 4
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert "page=2" in first["next"] and "phase=respond" in first["next"]
    second = client.get(first["next"], headers={"Authorization": f"Token {token}"}).json()
    assert second["next"] is None
    assert "page=1" in second["previous"]
    assert {r["id"] for r in first["results"]}.isdisjoint(r["id"] for r in second["results"])


@pytest.mark.parametrize(
    "path",
    [
        "/lessons?page=0",
        "/lessons?page=abc",
        "/lessons?page_size=1000",
        "/lessons?attack_type=unicorn",
        "/lessons?theme=unknown",
        "/debriefs?year=abc",
        "/debriefs?incident_type=riot",
        "/lessons/abc",
        "/lessons/99999999999999999999999",
    ],
)
def test_bad_query_parameters_answer_422(client, world, path):
    response = client.get(f"{API}{path}")
    assert response.status_code == 422
    assert "detail" in response.json()


def test_listing_query_count_does_not_grow_with_the_page(client, world):
    token = token_for(world["people"]["nice"])

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert get(client, path, token).status_code == 200
        return len(captured)

    paths = ("/lessons", "/debriefs")
    for path in paths:
        queries(path)  # warms the site-root cache the page urls read
    few = {path: queries(path) for path in paths}
    nice = world["cities"][0]
    for _ in range(4):
        make_lesson(make_debrief(nice, attack_types=("ied", "drone")), themes=("cyber-online",))
    assert {path: queries(path) for path in paths} == few


# --- schema, docs and the token command -----------------------------------------------


def test_openapi_schema_lists_the_paths_and_security_schemes(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert {
        "/api/v1/cities",
        "/api/v1/debriefs",
        "/api/v1/debriefs/{id}",
        "/api/v1/lessons",
        "/api/v1/lessons/{id}",
    } <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schemes["TokenAuth"]["description"],
    }
    assert schemes["SessionAuth"]["in"] == "cookie"
    # Reads are open to the public too: "no credential" is one of the options.
    assert {} in schema["paths"]["/api/v1/lessons"]["get"]["security"]


def test_docs_page_loads_only_assets_served_by_this_site(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert not re.match(r"^(https?:)?//", asset), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a static file"


def test_api_token_command_prints_a_token_that_works(client, world):
    out = StringIO()
    call_command("api_token", "oslo-member", stdout=out)
    token = out.getvalue().strip()
    assert APIToken.objects.get(user=world["people"]["oslo"]).name == "cli"
    assert "Green lesson" in titles(get(client, "/lessons", token))


def test_api_token_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("api_token", "ghost")
