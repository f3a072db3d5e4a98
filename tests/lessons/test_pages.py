"""The member-facing lesson pages, index and feed, as a reader sees them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.choices import Marking
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db

BANNER = 'class="marking-banner '


@pytest.fixture
def berlin():
    return make_city("Berlin", "DE")


@pytest.fixture
def nice():
    return make_city("Nice", "FR")


@pytest.fixture
def reader(client, berlin):
    """A logged-in member of Berlin."""
    client.force_login(make_member("anna", berlin))
    return client


@pytest.fixture
def catalogue(berlin, nice):
    """GREEN lessons every member may read, spread over the four filters."""
    ramming = make_debrief(berlin, "Christmas market", attack_types=["vehicle-ramming"])
    firearms = make_debrief(nice, "Promenade", attack_types=["marauding-firearms"])
    make_lesson(ramming, "Radio interoperability", themes=["information-sharing"], phase="respond")
    make_lesson(ramming, "Barrier planning", themes=["crowded-places"], phase="prepare")
    make_lesson(firearms, "Casualty tracking", themes=["victim-support"], phase="recover")
    make_lesson(firearms, "Shared situation picture", themes=["information-sharing"])


def lesson_titles(response) -> set[str]:
    titles = {"Radio interoperability", "Barrier planning", "Casualty tracking"}
    titles.add("Shared situation picture")
    return {title for title in titles if title in response.content.decode()}


# ---- Lesson index ----


@pytest.mark.usefixtures("catalogue")
def test_lesson_index_lists_every_visible_lesson_without_filters(reader):
    response = reader.get("/lessons/")
    assert response.status_code == 200
    assert lesson_titles(response) == {
        "Radio interoperability",
        "Barrier planning",
        "Casualty tracking",
        "Shared situation picture",
    }
    assert "4 lessons" in response.content.decode()


@pytest.mark.usefixtures("catalogue")
def test_lesson_index_filters_by_attack_type_of_the_debrief(reader):
    response = reader.get("/lessons/", {"attack_type": "marauding-firearms"})
    assert lesson_titles(response) == {"Casualty tracking", "Shared situation picture"}


@pytest.mark.usefixtures("catalogue")
def test_lesson_index_filters_by_theme(reader):
    response = reader.get("/lessons/", {"theme": "information-sharing"})
    assert lesson_titles(response) == {"Radio interoperability", "Shared situation picture"}


@pytest.mark.usefixtures("catalogue")
def test_lesson_index_filters_by_city_name_in_any_case(reader):
    assert lesson_titles(reader.get("/lessons/", {"city": "Berlin"})) == {
        "Radio interoperability",
        "Barrier planning",
    }
    assert lesson_titles(reader.get("/lessons/", {"city": "nice"})) == {
        "Casualty tracking",
        "Shared situation picture",
    }


@pytest.mark.usefixtures("catalogue")
def test_lesson_index_filters_by_phase(reader):
    response = reader.get("/lessons/", {"phase": "prepare"})
    assert lesson_titles(response) == {"Barrier planning"}


@pytest.mark.usefixtures("catalogue")
def test_lesson_index_combines_filters(reader):
    response = reader.get(
        "/lessons/",
        {"theme": "information-sharing", "city": "Nice", "attack_type": "marauding-firearms"},
    )
    assert lesson_titles(response) == {"Shared situation picture"}
    response = reader.get("/lessons/", {"theme": "information-sharing", "phase": "respond"})
    assert lesson_titles(response) == {"Radio interoperability", "Shared situation picture"}


def test_lesson_index_lists_a_lesson_once_when_its_debrief_has_several_attack_types(reader, berlin):
    debrief = make_debrief(berlin, attack_types=["vehicle-ramming", "marauding-bladed"])
    make_lesson(debrief, "Cordon too small", themes=["crowded-places", "information-sharing"])
    response = reader.get("/lessons/")
    assert response.content.decode().count("Cordon too small</a>") == 1
    assert "1 lesson<" in response.content.decode().replace("\n", "").replace("  ", "")


@pytest.mark.usefixtures("catalogue")
def test_lesson_index_shows_the_empty_state_when_no_lesson_matches(reader):
    response = reader.get("/lessons/", {"city": "Berlin", "phase": "recover"})
    body = response.content.decode()
    assert lesson_titles(response) == set()
    assert "No lessons match these filters." in body


def test_lesson_index_tells_a_visitor_with_nothing_to_read_how_to_see_more(client, berlin):
    make_lesson(make_debrief(berlin), "Members only", marking=Marking.GREEN)
    body = client.get("/lessons/").content.decode()
    assert "Members only" not in body
    assert "There are no lessons for you to read yet." in body
    assert "Log in" in body


@pytest.mark.usefixtures("catalogue")
def test_lesson_index_reports_an_unknown_filter_value_next_to_its_field(reader):
    body = reader.get("/lessons/", {"city": "Atlantis"}).content.decode()
    assert "There is no member city of that name." in body
    assert 'aria-describedby="id_city_error"' in body


def test_lesson_index_paginates_by_twenty_and_keeps_filters_in_page_links(reader, berlin):
    debrief = make_debrief(berlin)
    for n in range(23):
        make_lesson(debrief, f"Numbered lesson {n:02d}", themes=["victim-support"])
    make_lesson(debrief, "Other theme lesson", themes=["cyber-online"])

    first = reader.get("/lessons/", {"theme": "victim-support"}).content.decode()
    assert first.count("Numbered lesson") == 20
    assert "Numbered lesson 22" in first  # newest first
    assert "Page 1 of 2" in first
    assert 'href="?theme=victim-support&amp;page=2"' in first
    assert "Other theme lesson" not in first

    second = reader.get("/lessons/", {"theme": "victim-support", "page": 2}).content.decode()
    assert second.count("Numbered lesson") == 3
    assert "Numbered lesson 00" in second
    assert 'href="?theme=victim-support&amp;page=1"' in second


def test_lesson_index_hides_lessons_the_reader_may_not_see(reader, nice):
    make_lesson(make_debrief(nice, marking=Marking.AMBER_STRICT), "Nice internal review")
    body = reader.get("/lessons/").content.decode()
    assert "Nice internal review" not in body


def test_lesson_index_costs_the_same_queries_for_few_or_many_lessons(reader, berlin, nice):
    def count_queries() -> int:
        # The first view after a write fills the caches (the count, Wagtail's site root).
        reader.get("/lessons/")
        with CaptureQueriesContext(connection) as queries:
            assert reader.get("/lessons/").status_code == 200
        return len(queries)

    make_lesson(make_debrief(berlin), themes=["victim-support", "cyber-online"])
    few = count_queries()
    for city in (berlin, nice, berlin, nice):
        make_lesson(make_debrief(city, attack_types=["ied", "arson"]))
    assert count_queries() == few


# ---- Feed ----


def test_feed_shows_anonymous_visitors_only_clear_lessons(client, berlin):
    debrief = make_debrief(berlin, marking=Marking.CLEAR)
    make_lesson(debrief, "Public lesson", lesson_identified="Publish the reunification point.")
    make_lesson(debrief, "Network lesson", marking=Marking.GREEN)
    response = client.get("/lessons/feed/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Public lesson</title>" in body
    assert "Publish the reunification point." in body
    assert "Network lesson" not in body


def test_feed_hides_an_amber_strict_lesson_from_a_member_of_another_city(client, berlin, nice):
    debrief = make_debrief(berlin, marking=Marking.AMBER_STRICT)
    make_lesson(debrief, "Berlin command post dispute", lesson_identified="Agree one post.")
    client.force_login(make_member("nicole", nice))
    body = client.get("/lessons/feed/").content.decode()
    assert "Berlin command post dispute" not in body
    assert "Agree one post." not in body

    client.force_login(make_member("bernd", berlin))
    body = client.get("/lessons/feed/").content.decode()
    assert "<title>Berlin command post dispute</title>" in body
    assert "Agree one post." in body


# ---- Lesson page ----


def test_lesson_page_shows_the_marking_banner_at_top_and_bottom(reader, berlin):
    debrief = make_debrief(berlin, "Station attack", marking=Marking.AMBER_STRICT)
    lesson = make_lesson(
        debrief,
        "Stretcher shortage",
        observation="Too few stretchers.\n\nCarry chairs were used.",
        lesson_identified="Stock stretchers at stations.",
        recommendations=[("Add 20 stretchers per station", "equipment")],
        public_summary="Equipment at stations was reviewed.",
    )
    make_lesson(debrief, "Sibling lesson")
    body = reader.get(lesson.url).content.decode()
    assert body.count(BANNER) == 2
    assert body.count("marking--amberstrict") >= 3  # two banners and the label in the facts
    assert "The owning city only." in body
    assert "<title>Stretcher shortage · Lessons Knowledge Base</title>" in body
    assert "<p>Too few stretchers.</p>" in body
    assert "Stock stretchers at stations." in body
    assert "Add 20 stretchers per station" in body
    assert "Capability element: <strong>Equipment</strong>" in body
    assert "Equipment at stations was reviewed." in body
    assert "Station attack" in body and "Vehicle ramming" in body
    assert "Information sharing" in body and "Respond" in body
    assert "Sibling lesson" in body


def test_lesson_page_breadcrumbs_lead_home_through_city_and_debrief(reader, berlin):
    lesson = make_lesson(make_debrief(berlin, "Station attack"), "Stretcher shortage")
    body = reader.get(lesson.url).content.decode()
    crumbs = body[body.index('aria-label="Breadcrumb"') : body.index("</nav>", body.index("Bread"))]
    assert [crumb in crumbs for crumb in ("Home", "Berlin", "Station attack")] == [True] * 3
    assert crumbs.index("Home") < crumbs.index("Berlin") < crumbs.index("Station attack")
    assert '<span aria-current="page">Stretcher shortage</span>' in crumbs


def test_lesson_page_is_not_found_for_a_member_of_another_city(client, berlin, nice):
    debrief = make_debrief(berlin, marking=Marking.AMBER_STRICT)
    lesson = make_lesson(debrief, "Undercover unit exposed")
    client.force_login(make_member("nicole", nice))
    response = client.get(lesson.url)
    body = response.content.decode().lower()
    assert response.status_code == 404
    assert "page not found" in body
    assert "undercover unit exposed" not in body
    assert lesson.slug not in body
    assert debrief.slug not in body


def test_not_found_page_never_echoes_the_requested_address(client, berlin):
    client.force_login(make_member("nicole", berlin))
    response = client.get("/berlin/undercover-unit-exposed/?q=informant")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body
    assert "undercover" not in body and "informant" not in body
    assert 'href="/"' in body


def test_anonymous_visitor_cannot_tell_a_restricted_page_from_a_missing_one(client, berlin):
    lesson = make_lesson(make_debrief(berlin, marking=Marking.GREEN), "Members only")
    restricted = client.get(lesson.url)
    missing = client.get(lesson.url.replace(lesson.slug, "no-such-lesson"))
    assert restricted.status_code == missing.status_code == 302
    assert restricted["Location"].startswith("/accounts/login/")
    assert missing["Location"].startswith("/accounts/login/")


def test_lesson_page_sends_an_anonymous_visitor_to_log_in(client, berlin):
    lesson = make_lesson(make_debrief(berlin, marking=Marking.GREEN), "Members only")
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    login = client.get(response["Location"]).content.decode()
    assert '<label for="id_username">' in login
    assert f'name="next" value="{lesson.url}"' in login


def test_a_clear_lesson_is_readable_without_logging_in(client, berlin):
    lesson = make_lesson(make_debrief(berlin, marking=Marking.CLEAR), "Open lesson")
    body = client.get(lesson.url).content.decode()
    assert "Open lesson" in body
    assert body.count(BANNER) == 2 and "TLP:CLEAR" in body


# ---- Other pages and the frame ----


def test_debrief_page_shows_summary_agencies_and_its_lessons(reader, berlin, nice):
    debrief = make_debrief(
        berlin,
        "Christmas market",
        summary="<p>A truck drove into the market.</p>",
        agencies="Berlin Police\nBerlin Fire Brigade",
    )
    make_lesson(debrief, "Radio interoperability")
    make_lesson(debrief, "Kept in Berlin", marking=Marking.AMBER_STRICT)
    other_reader_body = reader.get(debrief.url).content.decode()
    assert other_reader_body.count(BANNER) == 2
    assert "A truck drove into the market." in other_reader_body
    assert "Berlin Fire Brigade" in other_reader_body
    assert "Radio interoperability" in other_reader_body
    assert "Kept in Berlin" in other_reader_body

    reader.force_login(make_member("nicole", nice))
    body = reader.get(debrief.url).content.decode()
    assert "Radio interoperability" in body
    assert "Kept in Berlin" not in body


def test_city_and_home_pages_list_only_what_the_reader_may_see(client, berlin):
    make_debrief(berlin, "Open debrief", marking=Marking.CLEAR)
    make_lesson(make_debrief(berlin, "Members debrief"), "Members lesson")
    city_body = client.get(berlin.page.url).content.decode()
    assert "Open debrief" in city_body and "Members debrief" not in city_body
    home_body = client.get("/").content.decode()
    assert "Berlin" in home_body and "Members lesson" not in home_body
    assert "You are seeing public (TLP:CLEAR) material only." in home_body


def test_navigation_shows_the_members_city_roles_and_a_logout_form(client, berlin):
    client.force_login(make_member("eva", berlin, roles="editor,reviewer"))
    body = client.get("/lessons/").content.decode()
    assert "Berlin" in body and "City editor, Peer reviewer" in body
    assert 'action="/accounts/logout/"' in body and "csrfmiddlewaretoken" in body
    assert 'href="/admin/"' in body
    assert 'action="/search/"' in body and 'name="q"' in body


def test_navigation_offers_a_reader_no_admin_link(reader):
    body = reader.get("/lessons/").content.decode()
    assert 'href="/admin/"' not in body


def test_login_form_ties_a_failed_login_message_to_both_fields(client, berlin):
    make_member("anna", berlin, password="right")
    response = client.post(
        "/accounts/login/", {"username": "anna", "password": "wrong", "next": "/lessons/"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="login-error" role="alert"' in body
    assert "Please enter a correct username and password." in body
    assert body.count('aria-describedby="login-error"') == 2
    assert 'name="next" value="/lessons/"' in body
    assert 'value="anna"' in body


def test_login_then_lands_on_the_page_asked_for(client, berlin):
    make_member("anna", berlin, password="right")
    response = client.post(
        "/accounts/login/", {"username": "anna", "password": "right", "next": "/lessons/"}
    )
    assert response.status_code == 302 and response["Location"] == "/lessons/"
