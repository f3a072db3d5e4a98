"""The import line's optional `language`: a debrief's, else its city's first language; a
lesson's, else its debrief's; an unknown code stops the import with its line and field."""

import pytest

from kb.directory import add_city
from lessons.models import DebriefPage, LessonPage
from tests.lessons.import_lines import debrief_line, lesson_line, run, snapshot, write_jsonl

pytestmark = pytest.mark.django_db


@pytest.fixture
def berlin():
    return add_city("Berlin", "DE", ["de", "en"])[0]


def _languages():
    return dict(DebriefPage.objects.values_list("external_id", "language")) | dict(
        LessonPage.objects.values_list("external_id", "language")
    )


def test_languages_left_out_are_the_citys_first_and_then_the_debriefs(berlin, tmp_path):
    lessons = [lesson_line("l-1"), lesson_line("l-2", language="fr")]
    english = debrief_line("d-2", language="en", lessons=[lesson_line("l-3")])
    run(write_jsonl(tmp_path, debrief_line("d-1", lessons=lessons), english))

    assert _languages() == {"d-1": "de", "l-1": "de", "l-2": "fr", "d-2": "en", "l-3": "en"}


def test_a_code_is_read_whatever_its_case_and_a_blank_one_is_left_out(berlin, tmp_path):
    line = debrief_line("d-1", language="  ", lessons=[lesson_line("l-1", language="NL")])
    run(write_jsonl(tmp_path, line))
    assert _languages() == {"d-1": "de", "l-1": "nl"}


def test_rerunning_a_file_without_languages_changes_nothing(berlin, tmp_path):
    path = write_jsonl(tmp_path, debrief_line("d-1"), debrief_line("d-2", language="fr"))
    run(path)
    before = snapshot()

    result = run(path)

    assert (result.unchanged_debriefs, result.unchanged_lessons) == (2, 2)
    assert snapshot() == before


def test_a_changed_language_updates_the_page_and_lessons_left_out_follow(berlin, tmp_path):
    run(write_jsonl(tmp_path, debrief_line("d-1")))

    result = run(write_jsonl(tmp_path, debrief_line("d-1", language="en")))

    assert (result.updated_debriefs, result.updated_lessons) == (1, 1)
    assert _languages() == {"d-1": "en", "l-d-1": "en"}
    debrief = DebriefPage.objects.get(external_id="d-1")
    assert debrief.get_latest_revision().content["language"] == "en"


def test_a_language_removed_from_the_line_goes_back_to_the_default(berlin, tmp_path):
    run(write_jsonl(tmp_path, debrief_line("d-1", language="fr")))
    result = run(write_jsonl(tmp_path, debrief_line("d-1")))
    assert (result.updated_debriefs, result.updated_lessons) == (1, 1)
    assert _languages() == {"d-1": "de", "l-d-1": "de"}


def test_a_city_without_a_known_language_imports_in_english(tmp_path):
    add_city("Atlantis", "XX", ["tlh"])
    run(write_jsonl(tmp_path, debrief_line("d-1", city="Atlantis")))
    assert _languages() == {"d-1": "en", "l-d-1": "en"}
