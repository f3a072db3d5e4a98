"""The committee report (printable page and PDF) and the dashboard's charts: true figures,
click-through from each bar, the dashboard's filters, and no restricted title anywhere."""

import io
import re

import pytest
from pypdf import PdfReader

from kb.choices import Marking
from tests.factories import make_action, make_debrief, make_lesson
from tests.lessons.tracking_world import build_world_with_actions

pytestmark = pytest.mark.django_db
SECRET = "Secret strict lesson title"


@pytest.fixture
def world():
    world = build_world_with_actions()
    # A Berlin lesson on the same theme: "identified in several cities, not yet learned".
    berlin_lesson = make_lesson(
        make_debrief(world.berlin, title="Market debrief", marking=Marking.GREEN),
        title="Berlin radios lesson",
    )
    berlin_org = world.berlin_committee.memberships.get().organisation
    make_action(berlin_lesson, berlin_org, corrective_action="Berlin radio plan")
    return world


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_status_bars_link_to_the_list_behind_them(client, world):
    client.force_login(world.committee)
    html = client.get("/tracker/dashboard/?theme=information-sharing").content.decode()
    bar = re.search(r'<a class="bars__link" href="([^"]+)" data-bar="in_progress">', html)
    assert bar, "the in-progress bar is a link"
    url = bar.group(1).replace("&amp;", "&")
    assert url == "/tracker/actions/all/?theme=information-sharing&city=Nice&status=in_progress"
    listing = client.get(url).content.decode()
    assert "Late drill" in listing and "Strict action" in listing and "Done" not in listing
    theme_bar = re.search(
        r'<a class="bars__link" href="([^"]+)" data-bar="information-sharing">', html
    )
    assert theme_bar and "theme=information-sharing" in theme_bar.group(1)


def test_charts_carry_no_inline_style_or_script(client, world):
    client.force_login(world.network)
    html = client.get("/tracker/dashboard/").content.decode()
    body = html.split("<main", 1)[1]
    assert "style=" not in body and "<script" not in body and " on" + "click" not in body
    assert html.count('class="bars__link"') >= 6 + 4  # status bars and ageing bars
    assert html.count('<details class="chart-table">') >= 5  # a table behind every chart


def test_printable_report_has_the_dashboard_figures_with_tables_open(client, world):
    client.force_login(world.committee)
    response = client.get("/tracker/report/?capability_element=equipment")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Implementation of lessons: Nice" in html
    assert "Capability element: Equipment." in html
    assert 'data-figure="total">4<' in html and 'data-figure="overdue">2<' in html
    assert '<details class="chart-table" open>' in html
    assert 'href="/tracker/report.pdf?capability_element=equipment"' in html


def test_pdf_report_reads_back_with_true_figures(client, world):
    client.force_login(world.committee)
    response = client.get("/tracker/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.match(
        r'attachment; filename="committee-report-nice-\d{4}-\d{2}-\d{2}\.pdf"',
        response["Content-Disposition"],
    )
    text = _squash(_pdf_text(response))
    assert "Implementation of lessons: Nice" in text
    assert "Actions Overdue Due within 14 days Stale (60 days) 4 2 0 0" in text
    assert "In progress 2" in text and "Validated 1" in text and "Proposed 1" in text
    assert "Late drill" in text and "Strict action" in text  # Nice may read its own


def test_pdf_report_keeps_the_dashboard_filters(client, world):
    client.force_login(world.committee)
    text = _squash(_pdf_text(client.get("/tracker/report.pdf?capability_element=training")))
    assert "Capability element: Training." in text
    assert "Actions Overdue Due within 14 days Stale (60 days) 0 0 0 0" in text
    assert "Late drill" not in text


def test_pdf_report_of_the_network_never_names_a_restricted_lesson(client, world):
    client.force_login(world.network)
    response = client.get("/tracker/report.pdf")
    text = _squash(_pdf_text(response))
    assert "Implementation of lessons: all cities" in text
    assert "Actions Overdue Due within 14 days Stale (60 days) 5 2 0 0" in text
    assert "Late drill" in text
    assert "1 more on lessons whose marking you do not meet." in text
    assert "Strict action" not in text and SECRET not in text
    # Two cities share the theme; the Nice strict lesson is counted but not named.
    assert (
        "Information sharing 2 3 Berlin radios lesson; Radios failed at the seafront "
        "(+1 restricted)" in text
    )
    assert SECRET.encode() not in response.content


def test_report_is_for_committees(client, world):
    client.force_login(world.owner)
    assert client.get("/tracker/report/").status_code == 403
    assert client.get("/tracker/report.pdf").status_code == 403
    client.logout()
    assert client.get("/tracker/report.pdf").status_code == 302


def test_a_bar_under_a_late_filter_opens_the_same_actions_it_counts(client, world):
    client.force_login(world.committee)
    html = client.get("/tracker/dashboard/?late=overdue").content.decode()
    assert 'data-status="in_progress">2<' in html and 'data-status="validated">0<' in html
    bar = re.search(r'<a class="bars__link" href="([^"]+)" data-bar="in_progress">', html)
    listing = client.get(bar.group(1).replace("&amp;", "&")).content.decode()
    assert "2 actions" in listing
    assert "Late drill" in listing and "Strict action" in listing
    assert "Configure a shared talk group" not in listing
