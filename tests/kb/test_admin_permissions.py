"""Page permissions follow the city: an editor edits their own city's debriefs only."""

import pytest
from django.test import Client
from wagtail.test.utils.form_data import rich_text

from kb.choices import Marking
from tests.factories import make_city, make_debrief, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def cities():
    return make_city("Berlin"), make_city("Nice")


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_editor_can_open_the_add_debrief_form_under_their_own_city(cities):
    berlin, _ = cities
    client = admin_client(make_member("berlin-editor", berlin, "editor"))
    response = client.get(f"/admin/pages/add/lessons/debriefpage/{berlin.page.pk}/")
    assert response.status_code == 200
    assert "Marking (Traffic Light Protocol 2.0)" in response.content.decode()


def test_editor_cannot_add_or_edit_under_another_city(cities):
    berlin, nice = cities
    nice_debrief = make_debrief(nice, title="Nice debrief", marking=Marking.GREEN)
    client = admin_client(make_member("berlin-editor", berlin, "editor"))
    add = client.get(f"/admin/pages/add/lessons/debriefpage/{nice.page.pk}/")
    edit = client.get(f"/admin/pages/{nice_debrief.pk}/edit/")
    for response in (add, edit):
        assert response.status_code in (302, 403)
        assert "Nice debrief" not in response.content.decode()


def test_editor_creates_a_debrief_that_belongs_to_their_city(cities):
    berlin, _ = cities
    editor = make_member("berlin-editor", berlin, "editor")
    client = admin_client(editor)
    response = client.post(
        f"/admin/pages/add/lessons/debriefpage/{berlin.page.pk}/",
        {
            "title": "Exercise Lantern debrief",
            "slug": "exercise-lantern",
            "marking": Marking.AMBER_STRICT,
            "incident_type": "exercise",
            "incident_date": "2024-03-02",
            "attack_types": '"Improvised explosive device"',
            "keywords": "",
            "agencies": "Police\nFire",
            "summary": rich_text("<p>Summary</p>"),
            "public_summary": "",
            "action-submit": "submit",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from lessons.models import DebriefPage

    page = DebriefPage.objects.get(slug="exercise-lantern")
    assert page.owner_city == berlin
    assert [tag.slug for tag in page.attack_types.all()] == ["ied"]
    # Submitted for peer review: published only once the round's decision endorses it.
    assert not page.live
    assert page.workflow_in_progress


def test_an_editor_cannot_publish_past_peer_review(cities):
    berlin, _ = cities
    client = admin_client(make_member("berlin-editor", berlin, "editor"))
    client.post(
        f"/admin/pages/add/lessons/debriefpage/{berlin.page.pk}/",
        {
            "title": "Shortcut",
            "slug": "shortcut",
            "marking": Marking.GREEN,
            "incident_type": "exercise",
            "incident_date": "2024-03-02",
            "attack_types": "",
            "keywords": "",
            "agencies": "",
            "summary": rich_text("<p>S</p>"),
            "public_summary": "",
            "action-publish": "publish",
        },
    )
    from lessons.models import DebriefPage

    assert not DebriefPage.objects.get(slug="shortcut").live


def test_admin_rejects_red_without_recipients_and_a_lesson_freer_than_its_debrief(cities):
    berlin, _ = cities
    editor = make_member("berlin-editor", berlin, "editor")
    debrief = make_debrief(berlin, marking=Marking.AMBER_STRICT)
    client = admin_client(editor)
    response = client.post(
        f"/admin/pages/add/lessons/lessonpage/{debrief.pk}/",
        {
            "title": "Radios",
            "slug": "radios",
            "marking": Marking.GREEN,
            "phase": "respond",
            "themes": "information-sharing",
            "keywords": "",
            "observation": "o",
            "discussion": "",
            "lesson_identified": "l",
            "public_summary": "",
            "recommendations-TOTAL_FORMS": "0",
            "recommendations-INITIAL_FORMS": "0",
            "recommendations-MIN_NUM_FORMS": "0",
            "recommendations-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "cannot be less restricted than its debrief" in response.content.decode()
    response = client.post(
        f"/admin/pages/add/lessons/debriefpage/{berlin.page.pk}/",
        {
            "title": "Red one",
            "slug": "red-one",
            "marking": Marking.RED,
            "incident_type": "exercise",
            "incident_date": "2024-03-02",
            "attack_types": "",
            "keywords": "",
            "agencies": "",
            "summary": rich_text("<p>S</p>"),
            "public_summary": "",
        },
    )
    assert "TLP:RED needs at least one named recipient." in response.content.decode()


def test_admin_explorer_shows_the_marking_beside_the_title(cities):
    berlin, _ = cities
    make_debrief(berlin, title="Marked debrief", marking=Marking.AMBER_STRICT)
    client = admin_client(make_member("berlin-editor", berlin, "editor"))
    body = client.get(f"/admin/pages/{berlin.page.pk}/").content.decode()
    assert "Marked debrief [TLP:AMBER+STRICT]" in body


def test_a_former_editor_still_in_the_editors_group_is_kept_out_of_the_admin(cities):
    import datetime

    from kb.models import Membership

    berlin, _ = cities
    former = make_member("berlin-former", berlin, "editor")
    client = admin_client(former)
    assert client.get("/admin/").status_code == 200
    # The membership ends by its date: no save, so the groups are not resynced yet.
    Membership.objects.filter(user=former).update(
        ended_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    assert former.groups.filter(name="Editors").exists()
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
