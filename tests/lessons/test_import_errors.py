import copy
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lessons.importer import ImportFailed
from lessons.models import DebriefPage, LessonPage
from tests.lessons.import_lines import (
    DELETE,
    debrief_line,
    import_world,
    lesson_line,
    run,
    snapshot,
    write_jsonl,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return import_world()


def _change(record, path, value):
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    for key in parents:
        record = record[key]
    if value is DELETE:
        del record[last]
    else:
        record[last] = value


LANGUAGES = "en, fr, de, es, nl, it, pt, ca, da, sv, no, fi, pl, el, tr, ar"
BAD_LINES = [
    # (path to change, new value, field reported, message)
    ("external_id", DELETE, "external_id", "is required"),
    ("city", DELETE, "city", "is required"),
    ("title", "  ", "title", "is required"),
    ("incident_type", DELETE, "incident_type", "is required"),
    ("date", DELETE, "date", "is required"),
    ("summary", None, "summary", "is required"),
    ("marking", DELETE, "marking", "is required"),
    ("lessons.0.external_id", DELETE, "lessons[0].external_id", "is required"),
    ("lessons.0.title", DELETE, "lessons[0].title", "is required"),
    ("lessons.0.observation", DELETE, "lessons[0].observation", "is required"),
    ("lessons.0.lesson_identified", "", "lessons[0].lesson_identified", "is required"),
    ("lessons.0.phase", DELETE, "lessons[0].phase", "is required"),
    ("lessons.0.marking", DELETE, "lessons[0].marking", "is required"),
    (
        "lessons.0.recommendations.1.text",
        DELETE,
        "lessons[0].recommendations[1].text",
        "is required",
    ),
    (
        "lessons.0.recommendations.0.capability_element",
        DELETE,
        "lessons[0].recommendations[0].capability_element",
        "is required",
    ),
    ("title", 5, "title", "expected a string, got a number"),
    ("attack_types", "ied", "attack_types", "expected a list of strings, got a string"),
    ("agencies", ["Police", 3], "agencies[1]", "expected a string, got a number"),
    ("lessons", {}, "lessons", "expected a list of objects, got an object"),
    ("lessons.0", "l-1", "lessons[0]", "expected an object, got a string"),
    ("title", "x" * 256, "title", "is longer than 255 characters"),
    ("city", "Atlantis", "city", "unknown city 'Atlantis'"),
    ("attack_types.1", "laser", "attack_types[1]", "unknown attack type 'laser'"),
    ("lessons.0.themes.0", "luck", "lessons[0].themes[0]", "unknown theme 'luck'"),
    ("marking", "TLP:WHITE", "marking", "unknown marking 'TLP:WHITE'"),
    ("lessons.0.marking", "TLP:BLUE", "lessons[0].marking", "unknown marking 'TLP:BLUE'"),
    ("incident_type", "riot", "incident_type", "unknown incident type 'riot'"),
    ("lessons.0.phase", "mitigate", "lessons[0].phase", "unknown phase 'mitigate'"),
    ("language", "xx", "language", f"unknown language 'xx' (known: {LANGUAGES})"),
    ("language", "de-AT", "language", f"unknown language 'de-AT' (known: {LANGUAGES})"),
    ("language", 3, "language", "expected a string, got a number"),
    (
        "lessons.0.language",
        "klingon",
        "lessons[0].language",
        f"unknown language 'klingon' (known: {LANGUAGES})",
    ),
    (
        "lessons.0.recommendations.0.capability_element",
        "money",
        "lessons[0].recommendations[0].capability_element",
        "unknown capability element 'money'",
    ),
    ("date", "19/12/2016", "date", "expected a date as YYYY-MM-DD, got '19/12/2016'"),
    ("date", "2016-02-30", "date", "expected a date as YYYY-MM-DD, got '2016-02-30'"),
    (
        "lessons.0.marking",
        "TLP:CLEAR",
        "lessons[0].marking",
        "TLP:CLEAR is less restricted than its debrief (TLP:GREEN)",
    ),
    ("marking", "TLP:RED", "recipients", "TLP:RED needs at least one named recipient"),
    (
        "shared_with",
        ["Paris"],
        "shared_with",
        "only TLP:AMBER material is shared with cities, not TLP:GREEN",
    ),
    ("recipients", ["anna"], "recipients", "named recipients apply to TLP:RED only, not TLP:GREEN"),
    ("external_id", "d-1", "external_id", "duplicate debrief external_id 'd-1' (first on line 1)"),
    (
        "lessons.0.external_id",
        "l-d-2",
        "lessons[0].external_id",
        "duplicate lesson external_id 'l-d-2' (first on line 3)",
    ),
]


@pytest.mark.parametrize("path, value, field, message", BAD_LINES)
def test_a_bad_last_line_is_reported_and_nothing_is_imported(
    world, tmp_path, path, value, field, message
):
    run(write_jsonl(tmp_path, debrief_line("d-1"), name="earlier.jsonl"))
    bad = copy.deepcopy(debrief_line("d-9"))
    _change(bad, path, value)
    changed_earlier = debrief_line("d-1", title="Renamed")
    path = write_jsonl(tmp_path, changed_earlier, "", debrief_line("d-2"), "  ", bad)
    before = snapshot()

    with pytest.raises(ImportFailed) as failure:
        run(path)

    assert (failure.value.line, failure.value.field, failure.value.message) == (5, field, message)
    assert str(failure.value) == f"line 5, field {field}: {message}"
    assert snapshot() == before


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"external_id": "d-9",', "invalid JSON: "),
        ("[1, 2]", "expected a JSON object, got a list"),
        ('"d-9"', "expected a JSON object, got a string"),
    ],
)
def test_a_line_that_is_not_a_json_object_is_reported(world, tmp_path, text, message):
    path = write_jsonl(tmp_path, debrief_line("d-1"), text, debrief_line("d-2"))
    before = snapshot()

    with pytest.raises(ImportFailed) as failure:
        run(path)

    assert (failure.value.line, failure.value.field) == (2, "")
    assert failure.value.message.startswith(message)
    assert str(failure.value).startswith(f"line 2: {message}")
    assert snapshot() == before


def test_the_first_bad_line_is_the_one_reported(world, tmp_path):
    path = write_jsonl(tmp_path, debrief_line("d-1", city="Atlantis"), "{not json")
    with pytest.raises(ImportFailed) as failure:
        run(path)
    assert (failure.value.line, failure.value.field) == (1, "city")


def test_unknown_users_and_cities_in_sharing_lists_are_reported(world, tmp_path):
    red = debrief_line("d-1", marking="TLP:RED", recipients=["anna", "nobody"])
    amber = debrief_line("d-2", marking="TLP:AMBER", shared_with=["Paris", "Atlantis"])
    with pytest.raises(ImportFailed, match=r"line 1, field recipients\[1\]: unknown user"):
        run(write_jsonl(tmp_path, red))
    with pytest.raises(ImportFailed, match=r"line 1, field shared_with\[1\]: unknown city"):
        run(write_jsonl(tmp_path, amber))
    assert not DebriefPage.objects.exists()


def test_a_failure_while_writing_rolls_back_every_earlier_line(world, tmp_path, monkeypatch):
    from django.core.exceptions import ValidationError

    run(write_jsonl(tmp_path, debrief_line("d-1"), name="earlier.jsonl"))
    before = snapshot()
    original = LessonPage.full_clean

    def full_clean(self, *args, **kwargs):
        if self.title == "Explode":
            raise ValidationError({"title": "boom"})
        return original(self, *args, **kwargs)

    monkeypatch.setattr(LessonPage, "full_clean", full_clean)
    explode = debrief_line("d-3", lessons=[lesson_line("l-3", title="Explode")])
    path = write_jsonl(tmp_path, debrief_line("d-1", title="Renamed"), debrief_line("d-2"), explode)

    with pytest.raises(ImportFailed) as failure:
        run(path)

    assert str(failure.value) == "line 3, field lessons[0].title: boom"
    assert snapshot() == before


def test_command_reports_what_it_created(world, tmp_path):
    out = io.StringIO()
    call_command("import_debriefs", str(write_jsonl(tmp_path, debrief_line("d-1"))), stdout=out)
    assert "created debrief d-1 'Christmas market ramming d-1' in Berlin" in out.getvalue()
    assert "Debriefs: 1 created, 0 updated, 0 unchanged." in out.getvalue()


def test_command_reads_standard_input(world, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(debrief_line("d-1")) + "\n"))
    call_command("import_debriefs", "-", stdout=io.StringIO())
    assert DebriefPage.objects.filter(external_id="d-1", live=True).exists()


def test_command_fails_with_the_file_line_and_field_and_imports_nothing(world, tmp_path):
    bad = debrief_line("d-2", lessons=[lesson_line("l-2", marking="TLP:BLUE")])
    path = write_jsonl(tmp_path, debrief_line("d-1"), "", bad)
    before = snapshot()

    with pytest.raises(CommandError) as failure:
        call_command("import_debriefs", str(path), stdout=io.StringIO())

    assert str(failure.value) == (
        f"{path}: line 3, field lessons[0].marking: unknown marking 'TLP:BLUE'"
    )
    assert failure.value.returncode == 1
    assert snapshot() == before


def test_command_reports_a_missing_file(world, tmp_path):
    with pytest.raises(CommandError, match="missing.jsonl: no such file"):
        call_command("import_debriefs", str(tmp_path / "missing.jsonl"))
