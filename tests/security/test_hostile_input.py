"""Hostile input on every field a user writes: whatever goes in comes out harmless.

Each payload of tests/security/payloads.py is written through the member site, the API,
the admin form or an import file; the pages that show it are then parsed, and must hold no
script, event handler, javascript:/data: link or frame. Queries never answer 500; input
over a limit answers 4xx with a message naming the field."""

import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from kb.choices import Marking
from lessons.models import DebriefPage, LessonPage
from tests.factories import (
    make_accepted_review,
    make_action,
    make_city,
    make_debrief,
    make_lesson,
    make_member,
    make_organisation,
    make_review_round,
)
from tests.security.payloads import MARKUP, QUERIES, executable_markup

pytestmark = pytest.mark.django_db


class Cast:
    def __init__(self) -> None:
        nice, berlin, brussels = make_city("Nice"), make_city("Berlin"), make_city("Brussels")
        police = make_organisation("Nice police", nice)
        self.nice = nice
        self.editor = make_member("nice-editor", nice, "editor,committee")
        self.owner = make_member("nice-owner", nice, "owner", organisation=police)
        self.reviewer = make_member("bcn-reviewer", berlin, "reviewer")
        self.coordinator = make_member("coordinator", brussels, "coordinator")
        self.lesson = make_lesson(make_debrief(nice, marking=Marking.GREEN), title="Radios")
        self.round = make_review_round(self.lesson, self.editor)
        make_accepted_review(self.round, self.reviewer, self.coordinator)
        self.action = make_action(
            self.lesson, police, status="in_progress", point_of_contact=self.owner
        )

    def client(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield Cast()
        transaction.set_rollback(True)


def assert_harmless(html: str, where: str) -> None:
    problems = executable_markup(html)
    assert not problems, f"{where}: {problems[:8]}"


def test_review_comments_from_the_site_and_the_api_are_shown_harmless(cast):
    site, api = cast.client(cast.reviewer), cast.client(cast.reviewer)
    for payload in MARKUP:
        response = site.post(f"/reviews/rounds/{cast.round.pk}/comments/", {"body": payload})
        assert response.status_code in (200, 302), (payload, response.status_code)
        response = api.post(
            f"/api/v1/reviews/rounds/{cast.round.pk}/comments",
            {"body": payload},
            content_type="application/json",
        )
        assert response.status_code in (201, 422), (payload, response.content[:200])
    page = cast.client(cast.editor).get(f"/reviews/rounds/{cast.round.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "an external link" in html and "bold" in html  # the text itself survives
    assert_harmless(html, "round page")
    detail = api.get(f"/api/v1/reviews/rounds/{cast.round.pk}").json()
    for comment in detail["comments"]:
        assert_harmless(comment["body"], "comment body in the API")


def test_progress_notes_from_the_site_and_the_api_are_shown_harmless(cast):
    owner = cast.client(cast.owner)
    url = f"/tracker/actions/{cast.action.pk}/"
    for payload in MARKUP:
        response = owner.post(url, {"note": payload, "link": payload})
        assert response.status_code < 500, payload
        response = owner.post(
            f"/api/v1/actions/{cast.action.pk}/updates",
            {"note": payload, "link": "https://example.org/x"},
            content_type="application/json",
        )
        assert response.status_code in (200, 201, 422), (payload, response.content[:200])
    html = owner.get(url).content.decode()
    assert "an external link" in html
    assert_harmless(html, "action page")
    # The API returns notes as plain text in JSON (never HTML a browser would render).
    updates = owner.get(f"/api/v1/actions/{cast.action.pk}/updates")
    assert updates["Content-Type"].startswith("application/json")


def test_the_csv_status_import_shows_hostile_notes_harmless(cast):
    rows = ["action_id,transition,note,reason,link"]
    for payload in MARKUP:
        note = payload.replace('"', '""')
        rows.append(f'{cast.action.pk},,"{note}",,')
    rows.append(f'"{MARKUP[0]}",start,x,,')  # a hostile action id: reported, not run
    data = "\n".join(rows).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = cast.client(cast.editor)
    upload = SimpleUploadedFile("../../updates.csv", data, content_type="text/csv")
    response = client.post("/tracker/import/", {"file": upload, "dry_run": "on"})
    assert response.status_code < 500
    assert_harmless(response.content.decode(), "import dry run")


def test_imported_debriefs_and_lessons_are_shown_harmless(cast, tmp_path):
    lessons = [
        {
            "external_id": f"hostile-l-{n}",
            "title": payload[:250],
            "observation": payload,
            "discussion": payload,
            "lesson_identified": payload,
            "themes": ["information-sharing"],
            "phase": "respond",
            "marking": "TLP:CLEAR",
            "recommendations": [{"text": payload, "capability_element": "planning"}],
        }
        for n, payload in enumerate(MARKUP)
    ]
    line = {
        "external_id": "hostile-d-1",
        "city": "Nice",
        "title": MARKUP[0],
        "incident_type": "exercise",
        "date": "2024-05-01",
        "attack_types": ["vehicle-ramming"],
        "summary": "\n\n".join(MARKUP),
        "agencies": MARKUP[:3],
        "marking": "TLP:CLEAR",
        "shared_with": [],
        "recipients": [],
        "lessons": lessons,
    }
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    call_command("import_debriefs", str(path))
    debrief = DebriefPage.objects.get(external_id="hostile-d-1")
    anonymous = Client()
    for page in [debrief, *LessonPage.objects.filter(debrief=debrief)]:
        response = anonymous.get(page.url)
        assert response.status_code == 200
        assert_harmless(response.content.decode(), f"imported page {page.url}")
    for url in ["/lessons/", "/", "/search/?q=window"]:
        assert_harmless(anonymous.get(url).content.decode(), url)
    # A feed reader renders an item's description as HTML: it must hold text only.
    from xml.etree import ElementTree

    feed = ElementTree.fromstring(anonymous.get("/lessons/feed/").content)
    for description in feed.iter("description"):
        assert_harmless(description.text or "", "RSS item description")


def _as_draftail(payloads) -> str:
    """What the editor's browser would send for this HTML, through Wagtail's own converter
    (it refuses some malformed payloads outright, and turns unclosed tags into a state its
    exporter then fails on with a 500 - a Wagtail limitation: those are left out)."""
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    converter = ContentstateConverter(features=DebriefPage.summary.field.features)
    html = ""
    for payload in payloads:
        try:
            converter.to_database_format(converter.from_database_format(html + payload))
        except (AssertionError, TypeError):
            continue
        html += payload
    return converter.from_database_format(html)


def test_rich_text_from_the_admin_form_is_shown_harmless(cast):
    client = cast.client(cast.editor)
    # Draftail sends its own JSON: a hostile editor can put any URL in a link entity.
    draft = _as_draftail([f'<a href="https://example.org/{n}">link {n}</a>' for n in range(3)])
    for url in ("javascript:window.__pwned=1", " data:text/html,<script>x</script>"):
        draft = draft.replace('"https://example.org/', f'"{url}', 1)
    for n, summary in enumerate((_as_draftail(MARKUP), draft)):
        response = client.post(
            f"/admin/pages/add/lessons/debriefpage/{cast.nice.page.pk}/",
            {
                "title": MARKUP[0],
                "slug": f"hostile-{n}",
                "marking": Marking.CLEAR,
                "incident_type": "exercise",
                "incident_date": "2024-03-02",
                "attack_types": "",
                "keywords": "",
                "agencies": MARKUP[1],
                "summary": summary,
                "public_summary": MARKUP[2],
            },
        )
        assert response.status_code in (200, 302), response.status_code
    written = DebriefPage.objects.filter(title=MARKUP[0], external_id__isnull=True)
    assert written.count() == 2
    for page in written:
        page.get_latest_revision().publish()  # past peer review, as an endorsement would
        html = Client().get(page.url).content.decode()
        assert_harmless(html, "debrief written in the admin")


@pytest.mark.parametrize("query", QUERIES)
def test_search_queries_never_fail(cast, query):
    client = cast.client(cast.reviewer)
    for url, params in [
        ("/search/", {"q": query}),
        ("/search/", {"q": query, "attack_type": query, "year": query, "page": query}),
        ("/api/v1/search", {"q": query}),
        ("/api/v1/search", {"q": "radio", "city": query, "page": query}),
        ("/lessons/", {"city": query, "theme": query, "page": query}),
        (f"/api/v1/lessons/{cast.lesson.pk}/similar", {"limit": query}),
        ("/api/v1/lessons", {"page": query, "page_size": query, "search": query}),
        ("/admin/pages/search/", {"q": query}),
    ]:
        response = client.get(url, params)
        assert response.status_code < 500, (url, params, response.status_code)
        if "html" in response.get("Content-Type", ""):
            assert_harmless(response.content.decode(), f"{url} q={query!r}")


BAD_BODIES = [
    ("malformed JSON", b'{"body": "unterminated'),
    ("not an object", b'["body"]'),
    ("wrong type", b'{"body": 42, "section": ["x"], "parent_id": "abc"}'),
    ("null", b"null"),
    ("lone surrogate", b'{"body": "\\ud800 half a character", "note": "\\udfff"}'),
    ("NUL byte", b'{"body": "nul\\u0000byte", "note": "nul\\u0000byte"}'),
    ("deep nesting", b'{"body": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("huge body", b'{"body": "' + b"x" * 3_000_000 + b'"}'),
]


@pytest.mark.parametrize("name,body", BAD_BODIES, ids=[name for name, _ in BAD_BODIES])
def test_api_bodies_that_make_no_sense_answer_4xx(cast, name, body):
    client = cast.client(cast.reviewer)
    owner = cast.client(cast.owner)
    for who, url in [
        (client, f"/api/v1/reviews/rounds/{cast.round.pk}/comments"),
        (owner, f"/api/v1/actions/{cast.action.pk}/updates"),
        (owner, f"/api/v1/actions/{cast.action.pk}/transition"),
    ]:
        response = who.generic("POST", url, body, content_type="application/json")
        assert 400 <= response.status_code < 500, (name, url, response.status_code)


def test_input_over_a_limit_is_refused_with_a_message_naming_the_field(cast):
    reviewer, owner = cast.client(cast.reviewer), cast.client(cast.owner)
    long = "x" * 20_001
    answers = {
        "comment (API)": reviewer.post(
            f"/api/v1/reviews/rounds/{cast.round.pk}/comments",
            {"body": long},
            content_type="application/json",
        ),
        "progress note (API)": owner.post(
            f"/api/v1/actions/{cast.action.pk}/updates",
            {"note": long},
            content_type="application/json",
        ),
        "search (API)": reviewer.get("/api/v1/search", {"q": "x" * 501}),
    }
    for what, response in answers.items():
        assert response.status_code == 422, what
        field = {"comment (API)": "body", "progress note (API)": "note"}.get(what, "q")
        assert field in response.content.decode(), (what, response.content[:300])
    page = reviewer.get("/search/", {"q": "x" * 501})
    assert page.status_code == 400 and "characters" in page.content.decode()
    site = reviewer.post(f"/reviews/rounds/{cast.round.pk}/comments/", {"body": long}, follow=True)
    assert site.status_code < 500
    assert "20000" in site.content.decode() or "20,000" in site.content.decode(), (
        "the site's comment form should say the comment is too long"
    )


EVIDENCE = [
    ("page.html", b"<html><script>window.__pwned=1</script></html>", "text/html"),
    ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"),
    ("../../../etc/passwd.pdf", b"%PDF-1.4 traversal", "application/pdf"),
    ("report.pdf.html", b"<script>alert(1)</script>", "application/pdf"),
    ("\u202egnp.exe.pdf", b"%PDF-1.4 rtl", "application/pdf"),
]


def test_evidence_files_are_checked_stored_safely_and_served_to_those_allowed(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lessons.tracking.models import ProgressUpdate

    owner = cast.client(cast.owner)
    url = f"/tracker/actions/{cast.action.pk}/"
    refused = []
    for name, content, content_type in EVIDENCE:
        before = ProgressUpdate.objects.count()
        upload = SimpleUploadedFile(name, content, content_type=content_type)
        response = owner.post(url, {"note": f"evidence {name}", "file": upload})
        assert response.status_code < 500, name
        if ProgressUpdate.objects.count() == before:
            refused.append(name)
    assert {"page.html", "image.svg", "report.pdf.html"} <= set(refused), refused
    stranger = cast.client(make_member("oslo-member", make_city("Oslo"), "owner"))
    for update in ProgressUpdate.objects.filter(action=cast.action).exclude(file=""):
        assert ".." not in update.file.name and "\u202e" not in update.file.name
        download = f"/tracker/actions/{cast.action.pk}/evidence/{update.pk}/"
        response = owner.get(download)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "html" not in response["Content-Type"] and "svg" not in response["Content-Type"]
        assert Client().get(download).status_code in (302, 404)
        # GREEN: any member may see the action, so the stranger may; not the public.
        assert stranger.get(download).status_code in (200, 404)
