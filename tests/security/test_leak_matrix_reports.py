"""Leak matrix, tracker documents: the committee report (page and PDF) and the improvement
plan (CSV and XLSX). For every kind of reader: nothing restricted they may not see is in
any of them; each document carries the most restrictive marking of what it names, in its
header and footer (every PDF page); an export that leaves rows out says how many."""

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.lessons.tracking_world import build_world_with_actions
from tests.security.leak_checks import CELLS

pytestmark = pytest.mark.django_db

SECRET_WORDS = ("secret strict lesson title", "strict action", "strict debrief")

# Reader -> (may see the AMBER+STRICT lesson of Nice, a committee that gets the report).
READERS = {
    "nice committee": ("committee", True, True),
    "berlin committee": ("berlin_committee", False, True),
    "network-wide committee (Berlin)": ("network", False, True),
    "nice reader": ("reader", True, False),
    "nice owner": ("owner", True, False),
}


@pytest.fixture
def world():
    return build_world_with_actions()


def _pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _xlsx(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _documents(client: Client, committee: bool) -> dict[str, str]:
    """Every tracker document as text (lower case)."""
    csv_response = client.get("/tracker/improvement-plan.csv")
    sheet = _xlsx(client.get("/tracker/improvement-plan.xlsx").content)
    cells = " ".join(str(v) for row in sheet.values for v in row if v is not None)
    header = f"{sheet.oddHeader.right.text} {sheet.oddFooter.right.text}"
    documents = {
        "CSV": csv_response.content.decode("utf-8-sig") + csv_response["Content-Disposition"],
        "XLSX": f"{cells} {header}",
        "action list": client.get("/tracker/actions/all/").content.decode(),
    }
    if committee:
        documents["report page"] = client.get("/tracker/report/").content.decode()
        documents["report PDF"] = "\n".join(_pdf_pages(client.get("/tracker/report.pdf").content))
        documents["dashboard"] = client.get("/tracker/dashboard/").content.decode()
    return {name: text.lower() for name, text in documents.items()}


@pytest.mark.parametrize("who", READERS)
def test_no_restricted_word_reaches_a_reader_through_reports_or_exports(world, who):
    attribute, may_see, committee = READERS[who]
    client = Client()
    client.force_login(getattr(world, attribute))
    failures = []
    for name, text in _documents(client, committee).items():
        for word in SECRET_WORDS[:2]:
            CELLS["checked"] += 1
            shown = word in text
            if shown and not may_see:
                failures.append(f"LEAK {who} / {name}: {word!r} is shown")
            if may_see and name in ("CSV", "XLSX") and not shown:  # the check can fail
                failures.append(f"MISSING {who} / {name}: {word!r} is not listed")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("who", READERS)
def test_every_export_carries_the_most_restrictive_marking_it_contains(world, who):
    attribute, may_see, _committee = READERS[who]
    client = Client()
    client.force_login(getattr(world, attribute))
    expected = "TLP:AMBER+STRICT" if may_see else "TLP:GREEN"
    response = client.get("/tracker/improvement-plan.csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == [expected]
    assert f"improvement-plan-{expected.replace(':', '-')}.csv" in response["Content-Disposition"]
    sheet = _xlsx(client.get("/tracker/improvement-plan.xlsx").content)
    assert sheet["A1"].value == expected
    assert sheet.oddHeader.right.text == expected == sheet.oddFooter.right.text
    header_row = 3 if not may_see else 2
    assert sheet.cell(row=header_row, column=1).value == "Action ID"
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{header_row}:")
    assert sheet.column_dimensions["D"].width >= 30
    # Each row keeps its own marking.
    markings = {row[4] for row in lines[3 if not may_see else 2 :]}
    assert markings == ({"TLP:GREEN", "TLP:AMBER+STRICT"} if may_see else {"TLP:GREEN"})


@pytest.mark.parametrize("who", ["berlin committee", "network-wide committee (Berlin)"])
def test_an_export_that_leaves_rows_out_says_how_many_there_and_on_the_page(world, who):
    client = Client()
    client.force_login(getattr(world, READERS[who][0]))
    note = "1 action is not included because of its marking."
    csv_text = client.get("/tracker/improvement-plan.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[1] == note
    assert _xlsx(client.get("/tracker/improvement-plan.xlsx").content)["A2"].value == note
    assert note in client.get("/tracker/actions/all/").content.decode()
    if who.startswith("network"):  # a city committee's dashboard exports its own city only
        assert note in client.get("/tracker/dashboard/").content.decode()


def test_the_report_names_its_marking_in_the_header_and_footer_of_every_page(world):
    client = Client()
    client.force_login(world.committee)  # Nice: the report names the strict lesson's action
    pages = _pdf_pages(client.get("/tracker/report.pdf").content)
    assert len(pages) >= 2
    for text in pages:
        assert text.count("TLP:AMBER+STRICT") >= 2, text[:200]
    page = client.get("/tracker/report/").content.decode()
    assert page.count('marking-banner__label">TLP:AMBER+STRICT<') == 2
    berlin = Client()
    berlin.force_login(world.berlin_committee)
    for text in _pdf_pages(berlin.get("/tracker/report.pdf").content):
        assert "TLP:AMBER+STRICT" not in text and text.count("TLP:GREEN") >= 2
