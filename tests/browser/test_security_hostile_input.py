"""Hostile input in a real browser: a page showing every payload (review comments, an
imported lesson, a progress note) runs none of them - no dialog opens and the flag every
payload would set stays unset."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import modify_settings

from kb.choices import Marking
from lessons.models import LessonPage
from peer_review import logic
from tests.browser.conftest import LiveServer
from tests.factories import (
    make_accepted_review,
    make_debrief,
    make_lesson,
    make_review_cast,
    make_review_round,
)
from tests.security.payloads import MARKUP

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def hostile_site(browser, django_db_blocker, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the browser tests run on SQLite with the embedded search engine")
    with django_db_blocker.unblock(), transaction.atomic():
        cast = make_review_cast()
        lesson = make_lesson(make_debrief(cast.nice, marking=Marking.GREEN), title="Radios")
        round = make_review_round(lesson, cast.editor)
        make_accepted_review(round, cast.bcn, cast.coordinator)
        for payload in MARKUP:
            try:
                logic.add_comment(round, by=cast.bcn, body=payload)
            except ValidationError:  # nothing left once cleaned: refused, which is fine
                pass
        line = {
            "external_id": "browser-d",
            "city": cast.nice.name,
            "title": "Hostile import",
            "incident_type": "exercise",
            "date": "2024-05-01",
            "attack_types": [],
            "summary": "\n\n".join(MARKUP),
            "marking": "TLP:CLEAR",
            "lessons": [
                {
                    "external_id": "browser-l",
                    "title": "Hostile lesson",
                    "observation": "\n".join(MARKUP),
                    "discussion": "\n".join(MARKUP),
                    "lesson_identified": "\n".join(MARKUP),
                    "themes": [],
                    "phase": "respond",
                    "marking": "TLP:CLEAR",
                    "recommendations": [
                        {"text": p, "capability_element": "planning"} for p in MARKUP[:5]
                    ],
                }
            ],
        }
        path = tmp_path / "hostile.jsonl"
        path.write_text(json.dumps(line) + "\n", encoding="utf-8")
        call_command("import_debriefs", str(path))
        allowed = modify_settings(ALLOWED_HOSTS={"append": "127.0.0.1"})
        allowed.enable()
        server = LiveServer()
        yield server.url, cast, round, LessonPage.objects.get(external_id="browser-l")
        server.stop()
        allowed.disable()
        transaction.set_rollback(True)


def test_no_payload_runs_in_chromium(browser, hostile_site):
    url, cast, round, lesson = hostile_site
    context = browser.new_context(base_url=url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for path in [lesson.url, lesson.debrief.url, "/lessons/", "/search/?q=window"]:
            assert page.goto(path).status == 200, path
            page.wait_for_load_state("load")
            assert page.evaluate("() => window.__pwned") is None, path
        page.goto("/accounts/login/")
        page.fill("#id_username", cast.editor.username)
        page.fill("#id_password", "pw")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        response = page.goto(f"/reviews/rounds/{round.pk}/")
        assert response.status == 200
        assert page.get_by_text("an external link").count() >= 1  # the payloads are there
        for link in page.locator("a").all():
            href = (link.get_attribute("href") or "").strip().lower()
            if href.startswith("javascript:"):
                link.click(timeout=1_000, no_wait_after=True)  # a reader might click it
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.__pwned") is None
    finally:
        context.close()
    assert dialogs == []
