"""The tracker's member-site pages: refusals shown as they are, lists, bulk update, import."""

import pytest

from tests.factories import make_action
from tests.lessons.tracking_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _transition(client, user, action, **data):
    client.force_login(user)
    return client.post(f"/tracker/actions/{action.pk}/transition/", data)


def test_owner_sees_my_actions_with_status_filter(client, world):
    make_action(world.lesson, world.fire, status="in_progress", corrective_action="Buy radios")
    client.force_login(world.owner)
    page = client.get("/tracker/actions/").content.decode()
    assert "Configure a shared talk group" in page and "Buy radios" in page
    page = client.get("/tracker/actions/?status=in_progress").content.decode()
    assert "Configure a shared talk group" not in page and "Buy radios" in page


def test_decline_without_reason_is_refused_in_the_ui(client, world):
    response = _transition(client, world.owner, world.action, transition="decline", reason="")
    assert response.status_code == 422
    assert "A reason is required to decline" in response.content.decode()


def test_owner_of_another_organisation_is_refused_in_the_ui(client, world):
    response = _transition(client, world.other_owner, world.action, transition="accept")
    assert response.status_code == 403
    assert "Only an action owner of the responsible organisation" in response.content.decode()


def test_validate_without_evidence_and_by_non_committee_are_refused_in_the_ui(client, world):
    action = make_action(world.lesson, world.fire, status="implemented")
    response = _transition(client, world.committee, action, transition="validate")
    assert response.status_code == 422
    assert "Validation needs its evidence" in response.content.decode()
    response = _transition(client, world.owner, action, transition="validate", note="Exercise")
    assert response.status_code == 403
    assert "Only the oversight committee of Nice may validate" in response.content.decode()


def test_accept_through_the_ui_redirects_and_changes_status(client, world):
    response = _transition(client, world.owner, world.action, transition="accept")
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.status == "accepted"


def test_progress_text_with_script_is_shown_harmless(client, world):
    client.force_login(world.owner)
    note = '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:x">y</a>'
    client.post(f"/tracker/actions/{world.action.pk}/", {"note": note})
    page = client.get(f"/tracker/actions/{world.action.pk}/").content.decode()
    assert "<script>alert(1)" not in page
    assert "onerror" not in page
    assert 'href="javascript:' not in page


def test_lesson_page_shows_actions_and_lesson_learned_badge(client, world):
    client.force_login(world.reader)
    page = client.get(world.lesson.url).content.decode()
    assert "Configure a shared talk group" in page and "Lesson learned" not in page
    world.action.status = "validated"
    world.action.save()
    page = client.get(world.lesson.url).content.decode()
    assert "Lesson learned" in page


def test_committee_proposes_an_action_from_the_lesson(client, world):
    client.force_login(world.committee)
    recommendation = world.lesson.recommendations.first()
    url = f"/tracker/recommendations/{recommendation.pk}/actions/new/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "corrective_action": "Joint radio drill",
            "responsible_organisation": world.police.pk,
            "priority": "high",
        },
    )
    assert response.status_code == 302
    assert recommendation.actions.filter(corrective_action="Joint radio drill").exists()


def test_bulk_update_applies_rows_and_reports_refusals(client, world):
    second = make_action(world.lesson, world.fire, corrective_action="Second")
    client.force_login(world.owner)
    assert client.get("/tracker/actions/bulk/").status_code == 200
    response = client.post(
        "/tracker/actions/bulk/",
        {
            f"transition-{world.action.pk}": "accept",
            f"transition-{second.pk}": "decline",
            f"reason-{second.pk}": "",
        },
    )
    assert "A reason is required to decline" in response.content.decode()
    world.action.refresh_from_db()
    second.refresh_from_db()
    assert world.action.status == "accepted" and second.status == "proposed"


def test_bulk_update_keeps_a_refused_row_for_correction(client, world):
    client.force_login(world.owner)
    pk = world.action.pk
    response = client.post(
        "/tracker/actions/bulk/",
        {f"transition-{pk}": "decline", f"note-{pk}": "Budget cut", f"reason-{pk}": ""},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert f'<tr id="row-{pk}" class="row--error">' in page
    assert '<option value="decline" selected>Decline</option>' in page
    assert ">Budget cut</textarea>" in page
    response = client.post(
        "/tracker/actions/bulk/",
        {f"transition-{pk}": "decline", f"reason-{pk}": "No budget this year"},
    )
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.status == "declined"
    assert world.action.status_reason == "No budget this year"


def test_admin_listing_of_actions_filters_and_exports(client, world):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    response = client.get("/admin/actions/?status=proposed")
    assert response.status_code == 200
    assert "Configure a shared talk group" in response.content.decode()
    export = client.get("/admin/actions/?export=csv")
    assert export.status_code == 200
    assert b"Configure a shared talk group" in b"".join(export.streaming_content)


def test_public_lesson_page_shows_no_tracking_to_anonymous_visitors(client, world):
    from kb.choices import Marking
    from tests.factories import make_debrief, make_lesson

    public = make_lesson(make_debrief(world.nice, marking=Marking.CLEAR), title="Public lesson")
    make_action(public, world.fire, corrective_action="Internal follow-up")
    page = client.get(public.url).content.decode()
    assert "Public lesson" in page and "Internal follow-up" not in page


def test_lesson_page_links_to_the_improvement_plan_of_lesson_and_debrief(client, world):
    client.force_login(world.reader)
    page = client.get(world.lesson.url).content.decode()
    debrief_csv = f"/tracker/improvement-plan.csv?debrief={world.lesson.debrief_id}"
    assert f"/tracker/improvement-plan.xlsx?lesson={world.lesson.pk}" in page
    assert debrief_csv in page
    rows = client.get(debrief_csv).content.decode("utf-8-sig").splitlines()
    assert rows[0] == "TLP:GREEN"
    assert len(rows) == 3 and "Configure a shared talk group" in rows[2]


@pytest.mark.parametrize(
    "language, heading",
    [
        ("en", "<h1>Bulk update: Nice Fire</h1>"),
        ("fr", "<h1>Mise à jour groupée : Nice Fire</h1>"),  # French spaces its colon
    ],
)
def test_the_bulk_update_heading_names_the_organisation_as_each_language_writes_it(
    client, world, language, heading
):
    client.force_login(world.owner)
    page = client.get("/tracker/actions/bulk/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in page


def test_a_refused_transition_keeps_the_chosen_move_and_what_was_typed(client, world):
    """Found walking the demo: a refused transition came back with an empty form."""
    response = _transition(
        client,
        world.owner,
        world.action,
        transition="decline",
        reason="",
        note="Budget <b>cut</b> in March",
        link="https://example.org/minutes",
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "A reason is required to decline" in page
    assert '<input type="radio" name="transition" value="decline" required checked>' in page
    assert ">Budget &lt;b&gt;cut&lt;/b&gt; in March</textarea>" in page
    assert 'name="link" value="https://example.org/minutes"' in page
