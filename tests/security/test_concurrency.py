"""Two people at once lose nothing: a stale page save is refused, a stale action
transition is refused; SQLite runs in WAL with a busy timeout; the search outbox survives
a crash between the commit and the indexing."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client

from kb.choices import Marking
from lessons.models import LessonPage
from lessons.tracking import logic as tracking
from search import engine
from search.backends.base import SearchQuery
from search.models import OutboxEntry
from tests.factories import (
    make_action,
    make_city,
    make_debrief,
    make_lesson,
    make_member,
    make_organisation,
)
from tests.search.conftest import elastic  # noqa: F401

pytestmark = pytest.mark.django_db


class EditForm(HTMLParser):
    """The fields a browser would send from the Wagtail page edit form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "page-edit-form":
            self._in_form = True
        if not self._in_form or not a.get("name") and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data.append((a["name"], ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.data.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.data[-1]
            self.data[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def open_editor(client: Client, page) -> dict[str, list[str]]:
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    form = EditForm()
    form.feed(response.text)
    fields: dict[str, list[str]] = {}
    for name, value in form.data:
        fields.setdefault(name, []).append(value)
    latest = type(page).objects.get(pk=page.pk).latest_revision_id
    assert fields["loaded_revision_id"] == [str(latest)]
    return fields


def save(client: Client, page, fields: dict[str, list[str]], title: str, **headers):
    data = {**fields, "title": [title]}
    return client.post(f"/admin/pages/{page.pk}/edit/", data, headers=headers)


@pytest.fixture
def lesson_and_editors():
    nice = make_city("Nice")
    lesson = make_lesson(make_debrief(nice, marking=Marking.GREEN), title="Original title")
    first, second = Client(), Client()
    first.force_login(get_user_model().objects.create_superuser("anna", "a@example.org", "pw"))
    second.force_login(get_user_model().objects.create_superuser("bruno", "b@example.org", "pw"))
    return lesson, first, second


def test_the_second_of_two_simultaneous_page_saves_is_refused_and_the_first_kept(
    lesson_and_editors,
):
    lesson, anna, bruno = lesson_and_editors
    anna_form, bruno_form = open_editor(anna, lesson), open_editor(bruno, lesson)

    saved = save(anna, lesson, anna_form, "Anna's title")
    assert saved.status_code == 302
    refused = save(bruno, lesson, bruno_form, "Bruno's title")
    assert refused.status_code == 302
    page = bruno.get(refused.url)
    assert "Not saved: anna saved this page" in page.text
    assert "Anna&#x27;s title" in page.text or "Anna's title" in page.text

    latest = LessonPage.objects.get(pk=lesson.pk).get_latest_revision()
    assert latest.as_object().title == "Anna's title"
    assert latest.user.username == "anna"

    # Reopened on Anna's version, Bruno's save goes through.
    again = save(bruno, lesson, open_editor(bruno, lesson), "Bruno's title")
    assert again.status_code == 302
    latest = LessonPage.objects.get(pk=lesson.pk).get_latest_revision()
    assert latest.as_object().title == "Bruno's title"


def test_a_stale_autosave_is_refused_by_wagtail_itself(lesson_and_editors):
    lesson, anna, bruno = lesson_and_editors
    anna_form, bruno_form = open_editor(anna, lesson), open_editor(bruno, lesson)
    assert save(anna, lesson, anna_form, "Anna's title").status_code == 302
    refused = save(bruno, lesson, bruno_form, "Bruno's title", accept="application/json")
    assert refused.json()["error_code"] == "invalid_revision"
    assert refused.json()["error_message"] == "Saving will overwrite a newer version."
    latest = LessonPage.objects.get(pk=lesson.pk).get_latest_revision()
    assert latest.as_object().title == "Anna's title"


def test_two_owners_moving_one_action_at_once_the_second_is_refused():
    nice = make_city("Nice")
    police = make_organisation("Nice police", nice)
    anna = make_member("anna", nice, "owner", organisation=police)
    bruno = make_member("bruno", nice, "owner", organisation=police)
    lesson = make_lesson(make_debrief(nice, marking=Marking.GREEN))
    action = make_action(lesson, police, status="accepted")
    annas_view = type(action).objects.get(pk=action.pk)
    brunos_view = type(action).objects.get(pk=action.pk)

    tracking.start(anna, annas_view)
    with pytest.raises(tracking.TransitionRefused) as refused:
        tracking.decline(bruno, brunos_view, reason="Not ours")
    assert refused.value.rule == "conflict"
    assert "changed meanwhile" in refused.value.message
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the WAL setting is SQLite's")
    # The test database lives in memory; open the configured settings on a file instead.
    settings_dict = {**connection.settings_dict, "NAME": str(tmp_path / "probe.sqlite3")}
    probe = type(connections["default"])(settings_dict, alias="probe")
    try:
        with probe.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20_000
        assert probe.transaction_mode == "IMMEDIATE"
    finally:
        probe.close()


def found(user, text: str) -> list[str]:
    return [hit.title for hit in engine.search(user, SearchQuery(text=text)).hits]


def test_a_crash_between_commit_and_indexing_is_caught_up_by_the_next_sync(
    elastic,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    nice = make_city("Nice")
    member = make_member("nice-member", nice)
    debrief = make_debrief(nice, marking=Marking.GREEN)
    call_command("search_index", "sync")
    # The process dies after the commit: the after-commit indexing never runs.
    with django_capture_on_commit_callbacks(execute=False) as never_run:
        lesson = make_lesson(debrief, title="Zqcrash lesson", observation="zqcrashword")
    assert never_run
    assert LessonPage.objects.filter(pk=lesson.pk, live=True).exists()
    assert lesson.pk in set(OutboxEntry.objects.values_list("lesson_id", flat=True))
    assert found(member, "zqcrashword") == []

    call_command("search_index", "sync")
    assert found(member, "zqcrashword") == ["Zqcrash lesson"]
    assert OutboxEntry.objects.count() == 0


def test_the_embedded_index_is_written_in_the_content_transaction():
    if connection.vendor != "sqlite":
        pytest.skip("the embedded engine is SQLite's")
    nice = make_city("Nice")
    member = make_member("nice-member", nice)
    debrief = make_debrief(nice, marking=Marking.GREEN)

    class Crash(Exception):
        pass

    with pytest.raises(Crash), transaction.atomic():
        make_lesson(debrief, title="Zqlost lesson", observation="zqlostword")
        assert found(member, "zqlostword") == ["Zqlost lesson"]  # indexed with the content
        raise Crash
    assert not LessonPage.objects.filter(title="Zqlost lesson").exists()
    assert found(member, "zqlostword") == []  # and gone with it: never out of step
