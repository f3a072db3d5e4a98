"""The committee dashboard's true counts, the improvement-plan exports and the CSV import;
and a restricted lesson of another city stays out of every list, export and title."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from lessons.tracking.exports import COLUMNS
from tests.lessons.tracking_world import build_world_with_actions

pytestmark = pytest.mark.django_db
SECRET = "Secret strict lesson title"


@pytest.fixture
def world():
    return build_world_with_actions()


def _figure(html: str, name: str) -> str:
    marker = f'data-figure="{name}">'
    return html.split(marker, 1)[1].split("<", 1)[0]


def test_city_committee_sees_true_counts(client, world):
    client.force_login(world.committee)
    html = client.get("/tracker/dashboard/").content.decode()
    assert _figure(html, "total") == "4"
    assert _figure(html, "overdue") == "2"
    assert 'data-status="in_progress">2<' in html
    assert 'data-status="validated">1<' in html
    assert 'data-status="proposed">1<' in html


def test_chart_segment_links_to_the_list_behind_it(client, world):
    client.force_login(world.committee)
    html = client.get("/tracker/dashboard/").content.decode()
    assert "/tracker/actions/all/?city=Nice&amp;status=in_progress" in html
    listing = client.get("/tracker/actions/all/?city=Nice&status=in_progress").content.decode()
    assert "Late drill" in listing and "Strict action" in listing and "Done" not in listing


def test_network_committee_sees_all_figures_but_not_restricted_lessons(client, world):
    client.force_login(world.network)
    html = client.get("/tracker/dashboard/").content.decode()
    assert _figure(html, "total") == "4"  # aggregates count every action
    assert _figure(html, "overdue") == "2"
    assert "Late drill" in html
    assert "Strict action" not in html and SECRET not in html
    assert "1 more on lessons whose marking you do not meet" in html
    listing = client.get("/tracker/actions/all/?late=overdue").content.decode()
    assert "Late drill" in listing and "Strict action" not in listing


def test_dashboard_is_for_committees(client, world):
    client.force_login(world.owner)
    assert client.get("/tracker/dashboard/").status_code == 403


def test_dashboard_filters_persist_in_the_url(client, world):
    client.force_login(world.committee)
    html = client.get("/tracker/dashboard/?capability_element=equipment").content.decode()
    assert _figure(html, "total") == "4"
    html = client.get("/tracker/dashboard/?capability_element=training").content.decode()
    assert _figure(html, "total") == "0"


def test_csv_export_has_hseep_columns_and_only_visible_rows(client, world):
    client.force_login(world.berlin_committee)
    response = client.get("/tracker/improvement-plan.csv")
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="improvement-plan-TLP-GREEN.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The document's marking, what the reader's markings left out, then the matrix.
    assert rows[0] == ["TLP:GREEN"]
    assert rows[1] == ["1 action is not included because of its marking."]
    assert rows[2] == COLUMNS
    assert "Corrective action" in rows[2] and "Responsible organisation" in rows[2]
    assert sorted(row[7] for row in rows[3:]) == sorted(
        ["Configure a shared talk group", "Late drill", "Done"]
    )
    assert SECRET not in response.content.decode("utf-8-sig")


def test_xlsx_export_of_a_debrief_reads_back(client, world):
    client.force_login(world.committee)
    debrief_id = world.secret_lesson.debrief_id
    response = client.get(f"/tracker/improvement-plan.xlsx?debrief={debrief_id}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "TLP:AMBER+STRICT"
    assert list(values[1]) == COLUMNS
    assert len(values) == 3
    assert values[2][3] == SECRET and values[2][7] == "Strict action"


def test_csv_import_dry_run_shows_changes_and_rejects_bad_rows(client, world):
    client.force_login(world.owner)
    ok = f"action_id,transition,note,reason\n{world.action.pk},accept,,\n"
    upload = io.BytesIO(ok.encode())
    upload.name = "u.csv"
    response = client.post("/tracker/import/", {"file": upload, "dry_run": "on"})
    assert "Dry run" in response.content.decode()
    assert "Accept: Proposed → Accepted" in response.content.decode()
    world.action.refresh_from_db()
    assert world.action.status == "proposed"
    bad = ok + f"{world.action.pk},decline,,\n999999,accept,,\n"
    upload = io.BytesIO(bad.encode())
    upload.name = "u.csv"
    response = client.post("/tracker/import/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Row 3:" in html and "Row 4:" in html and "nothing was applied" in html
    world.action.refresh_from_db()
    assert world.action.status == "proposed"
    upload = io.BytesIO(ok.encode())
    upload.name = "u.csv"
    client.post("/tracker/import/", {"file": upload})
    world.action.refresh_from_db()
    assert world.action.status == "accepted"


def test_demo_committee_dashboard_shows_the_true_counts(client):
    from django.contrib.auth import get_user_model

    from lessons.tracking.models import Action, ProgressUpdate
    from project.demo import load_demo

    load_demo()
    nice = Action.objects.filter(recommendation__lesson__owner_city__name="Nice")
    assert nice.exists()
    client.force_login(get_user_model().objects.get(username="nice-committee"))
    html = client.get("/tracker/dashboard/").content.decode()
    assert _figure(html, "total") == str(nice.count())
    assert _figure(html, "overdue") == str(nice.overdue().count())
    for status in ("proposed", "validated", "in_progress"):
        assert f'data-status="{status}">{nice.filter(status=status).count()}<' in html
    # An action is worded in its lesson's language, as its recommendation is.
    french = nice.filter(recommendation__lesson__language="fr").first()
    assert french.corrective_action.startswith("Mettre en œuvre : ")
    # So are its evidence notes and the reason of a decline.
    from lessons.tracking.demo import WORDING

    rows = Action.objects.filter(status="declined")
    reasons = set(rows.values_list("recommendation__lesson__language", "status_reason"))
    assert ("nl", "Dit jaar geen budget (demo).") in reasons
    assert reasons <= {(language, words[2]) for language, words in WORDING.items()}
    german = ProgressUpdate.objects.filter(action__recommendation__lesson__language="de")
    assert german.exists()
    assert set(german.values_list("text", flat=True)) == {
        "<p>In der Folgeübung nachgewiesen (Demo).</p>"
    }


def test_city_committee_filter_offers_only_its_own_city(client, world):
    client.force_login(world.committee)
    html = client.get("/tracker/dashboard/", {"city": "Berlin"}).content.decode()
    select = html.split('name="city"', 1)[1].split("</select>", 1)[0]
    assert '<option value="Nice" selected>Nice</option>' in select
    assert "Berlin" not in select and "All cities" not in select
    assert _figure(html, "total") == "4"


@pytest.mark.parametrize("language", ["fr", "de", "es", "nl"])
def test_bars_are_drawn_in_a_language_with_a_decimal_comma(client, world, language):
    """SVG lengths take a decimal point whatever the member's language: '57,9' draws
    nothing."""
    from kb.directory import set_preferred_language

    set_preferred_language(world.committee, language)
    client.force_login(world.committee)
    html = client.get("/tracker/dashboard/").content.decode()
    lengths = re.findall(r'<rect [^>]*?(?:width|height|y)="([^"]*)"', html)
    assert lengths and all(re.fullmatch(r"\d+(\.\d+)?", length) for length in lengths)
    assert any("." in length for length in lengths)  # 1 of 4 actions: a share with decimals


def test_csv_import_results_speak_the_readers_language(client, world):
    """Found walking the demo: a Spanish dry run listed "proposed", "validated" and
    "progress note" in English."""
    client.force_login(world.owner)
    rows = (
        f"action_id,transition,note,reason\n{world.action.pk},accept,,\n{world.action.pk},,Suivi,\n"
    )
    upload = io.BytesIO(rows.encode())
    upload.name = "u.csv"
    response = client.post(
        "/tracker/import/", {"file": upload, "dry_run": "on"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    html = response.content.decode()
    assert "<td>Proposée</td><td>Acceptée</td><td>Accepter : Proposée → Acceptée</td>" in html
    assert "Point d&#x27;avancement publié." in html or "Point d'avancement publié." in html
    assert "proposed" not in html and "progress note" not in html
