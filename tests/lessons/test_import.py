import copy
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Revision

from kb.models import AttackType, Theme
from lessons.importer import ImportFailed, import_debriefs, plain_text_to_rich_text
from lessons.models import DebriefPage, LessonPage, Recommendation
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db

DELETE = object()


@pytest.fixture
def world():
    berlin, paris = make_city("Berlin", "DE"), make_city("Paris", "FR")
    return {
        "berlin": berlin,
        "paris": paris,
        "anna": make_member("anna", berlin, "editor"),
        "pierre": make_member("pierre", paris, "reviewer"),
    }


def lesson_line(external_id="l-1", **overrides):
    line = {
        "external_id": external_id,
        "title": "Radios failed between agencies",
        "observation": "Police and fire radios could not talk.",
        "discussion": "No shared talk group.",
        "lesson_identified": "Agree shared talk groups before events.",
        "themes": ["information-sharing", "strategic-coordination"],
        "phase": "respond",
        "marking": "TLP:GREEN",
        "recommendations": [
            {"text": "Create a shared talk group", "capability_element": "planning"},
            {"text": "Train radio operators together", "capability_element": "training"},
        ],
    }
    return {**line, **overrides}


def debrief_line(external_id="d-1", lessons=None, **overrides):
    line = {
        "external_id": external_id,
        "city": "Berlin",
        "title": f"Christmas market ramming {external_id}",
        "incident_type": "attack",
        "date": "2016-12-19",
        "attack_types": ["vehicle-ramming", "marauding-firearms"],
        "summary": "A truck drove into the market.\n\nAgencies met <twice> & agreed.",
        "marking": "TLP:GREEN",
        "shared_with": [],
        "recipients": [],
        "agencies": ["Police", "Fire brigade"],
        "keywords": ["Christmas market"],
        "lessons": [lesson_line(f"l-{external_id}")] if lessons is None else lessons,
        "an_unknown_key": "is ignored",
    }
    return {**line, **overrides}


def write_jsonl(tmp_path, *lines, name="debriefs.jsonl"):
    path = tmp_path / name
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def run(path):
    return import_debriefs(path.read_text(encoding="utf-8").splitlines())


def snapshot():
    models = [Page, Revision, PageLogEntry, Recommendation, Tag, AttackType, Theme]
    titles = list(Page.objects.order_by("pk").values_list("title", "live"))
    return [model.objects.count() for model in models], titles


def test_import_creates_published_pages_under_the_city_with_tags_and_markings(world, tmp_path):
    amber = debrief_line(
        "d-2",
        city="Paris",
        marking="TLP:AMBER",
        shared_with=["Berlin"],
        public_summary="A public note.",
        lessons=[
            lesson_line("l-red", marking="TLP:RED", recipients=["anna", "pierre"], keywords=["x"])
        ],
    )
    path = write_jsonl(tmp_path, debrief_line("d-1"), "", amber)

    result = run(path)

    assert (result.created_debriefs, result.created_lessons) == (2, 2)
    berlin_debrief = DebriefPage.objects.get(external_id="d-1")
    assert berlin_debrief.get_parent().specific.city == world["berlin"]
    assert berlin_debrief.live and berlin_debrief.owner_city == world["berlin"]
    assert berlin_debrief.title == "Christmas market ramming d-1"
    assert berlin_debrief.marking == "TLP:GREEN"
    assert sorted(t.slug for t in berlin_debrief.attack_types.all()) == [
        "marauding-firearms",
        "vehicle-ramming",
    ]
    assert [t.name for t in berlin_debrief.keywords.all()] == ["Christmas market"]
    assert berlin_debrief.agency_list == ["Police", "Fire brigade"]
    assert berlin_debrief.summary == (
        "<p>A truck drove into the market.</p><p>Agencies met &lt;twice&gt; &amp; agreed.</p>"
    )
    lesson = LessonPage.objects.get(external_id="l-d-1")
    assert lesson.live and lesson.debrief == berlin_debrief
    assert lesson.get_parent().pk == berlin_debrief.pk
    assert sorted(t.slug for t in lesson.themes.all()) == [
        "information-sharing",
        "strategic-coordination",
    ]
    assert [(r.text, r.capability_element) for r in lesson.recommendations.all()] == [
        ("Create a shared talk group", "planning"),
        ("Train radio operators together", "training"),
    ]
    paris_debrief = DebriefPage.objects.get(external_id="d-2")
    assert paris_debrief.owner_city == world["paris"]
    assert list(paris_debrief.shared_with.all()) == [world["berlin"]]
    assert paris_debrief.public_summary == "A public note."
    red = LessonPage.objects.get(external_id="l-red")
    assert red.marking == "TLP:RED" and red.owner_city == world["paris"]
    assert set(red.recipients.all()) == {world["anna"], world["pierre"]}
    # Controlled vocabularies are used, never extended.
    assert AttackType.objects.count() == 15 and Theme.objects.count() == 16


def test_summary_plain_text_becomes_escaped_paragraphs():
    text = "First <b>line</b>\nsame paragraph\r\n\r\n\n  Second & last  "
    assert plain_text_to_rich_text(text) == (
        "<p>First &lt;b&gt;line&lt;/b&gt;<br/>same paragraph</p><p>Second &amp; last</p>"
    )


def test_rerunning_the_same_file_changes_nothing(world, tmp_path):
    path = write_jsonl(
        tmp_path,
        debrief_line("d-1"),
        debrief_line(
            "d-2",
            marking="TLP:RED",
            recipients=["anna"],
            lessons=[lesson_line("l-2", marking="TLP:RED", recipients=["anna"])],
        ),
    )
    call_command("import_debriefs", str(path), stdout=io.StringIO())
    before = snapshot()
    out = io.StringIO()

    call_command("import_debriefs", str(path), stdout=out)

    assert snapshot() == before
    assert "Debriefs: 0 created, 0 updated, 2 unchanged." in out.getvalue()
    assert "Lessons: 0 created, 0 updated, 2 unchanged." in out.getvalue()


def test_rerun_reads_what_it_needs_in_a_fixed_number_of_queries(
    world, tmp_path, django_assert_max_num_queries
):
    path = write_jsonl(tmp_path, *[debrief_line(f"d-{n}") for n in range(30)])
    run(path)
    with django_assert_max_num_queries(20):
        result = run(path)
    assert (result.unchanged_debriefs, result.unchanged_lessons) == (30, 30)


def test_values_are_matched_after_stripping_spaces(world, tmp_path):
    run(write_jsonl(tmp_path, debrief_line("d-1")))
    red = {"marking": "TLP:RED", "recipients": [" anna "]}
    lessons = [lesson_line(" l-d-1 ", **red)]
    result = run(write_jsonl(tmp_path, debrief_line(" d-1 ", lessons=lessons, **red)))
    assert (result.updated_debriefs, result.updated_lessons) == (1, 1)
    assert list(DebriefPage.objects.get(external_id="d-1").recipients.all()) == [world["anna"]]


def test_a_changed_title_publishes_a_new_revision_of_that_page_only(world, tmp_path):
    run(write_jsonl(tmp_path, debrief_line("d-1"), debrief_line("d-2")))
    revisions = Revision.objects.count()

    result = run(write_jsonl(tmp_path, debrief_line("d-1", title="Renamed"), debrief_line("d-2")))

    assert (result.updated_debriefs, result.unchanged_debriefs) == (1, 1)
    assert result.unchanged_lessons == 2
    debrief = DebriefPage.objects.get(external_id="d-1")
    assert debrief.title == "Renamed" and debrief.live
    assert debrief.get_latest_revision().content["title"] == "Renamed"
    assert Revision.objects.count() == revisions + 1


def test_changed_lists_and_removed_optional_fields_update_the_page(world, tmp_path):
    lessons = [lesson_line("l-1", marking="TLP:AMBER")]
    amber = {"marking": "TLP:AMBER", "lessons": lessons}
    run(write_jsonl(tmp_path, debrief_line("d-1", shared_with=["Paris"], **amber)))
    changed = debrief_line("d-1", attack_types=["ied"], keywords=[], **amber)
    del changed["agencies"]

    result = run(write_jsonl(tmp_path, changed))

    assert result.updated_debriefs == 1
    debrief = DebriefPage.objects.get(external_id="d-1")
    assert [t.slug for t in debrief.attack_types.all()] == ["ied"]
    assert list(debrief.keywords.all()) == list(debrief.shared_with.all()) == []
    assert debrief.agencies == ""


def test_recommendations_are_replaced_keeping_rows_whose_text_is_unchanged(world, tmp_path):
    run(write_jsonl(tmp_path, debrief_line("d-1")))
    lesson = LessonPage.objects.get(external_id="l-d-1")
    kept = lesson.recommendations.get(text="Train radio operators together")
    recommendations = [
        {"text": "Train radio operators together", "capability_element": "exercise"},
        {"text": "Buy interoperable radios", "capability_element": "equipment"},
    ]
    line = debrief_line("d-1", lessons=[lesson_line("l-d-1", recommendations=recommendations)])

    result = run(write_jsonl(tmp_path, line))

    assert (result.updated_lessons, result.unchanged_debriefs) == (1, 1)
    rows = list(lesson.recommendations.order_by("sort_order"))
    assert [(r.text, r.capability_element) for r in rows] == [
        ("Train radio operators together", "exercise"),
        ("Buy interoperable radios", "equipment"),
    ]
    assert rows[0].pk == kept.pk


def test_lessons_absent_from_the_line_are_left_alone(world, tmp_path):
    run(write_jsonl(tmp_path, debrief_line("d-1")))
    debrief = DebriefPage.objects.get(external_id="d-1")
    by_hand = make_lesson(debrief, title="Written in the admin")

    result = run(write_jsonl(tmp_path, debrief_line("d-1", lessons=[])))

    assert result.unchanged_debriefs == 1 and result.unchanged_lessons == 0
    assert LessonPage.objects.filter(pk=by_hand.pk, live=True).exists()
    assert LessonPage.objects.filter(external_id="l-d-1", live=True).exists()


def test_moving_a_debrief_to_another_city_is_refused(world, tmp_path):
    run(write_jsonl(tmp_path, debrief_line("d-1")))
    before = snapshot()

    with pytest.raises(ImportFailed) as failure:
        run(write_jsonl(tmp_path, debrief_line("d-1", city="Paris")))

    assert (failure.value.line, failure.value.field) == (1, "city")
    assert "belongs to Berlin" in failure.value.message
    assert snapshot() == before


def test_a_lesson_under_another_debrief_is_refused(world, tmp_path):
    other = make_debrief(world["berlin"], external_id="d-other")
    make_lesson(other, external_id="l-taken")
    before = snapshot()

    with pytest.raises(ImportFailed) as failure:
        run(write_jsonl(tmp_path, debrief_line("d-1", lessons=[lesson_line("l-taken")])))

    assert (failure.value.line, failure.value.field) == (1, "lessons[0].external_id")
    assert "belongs to debrief 'd-other'" in failure.value.message
    assert snapshot() == before


def _change(record, path, value):
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    for key in parents:
        record = record[key]
    if value is DELETE:
        del record[last]
    else:
        record[last] = value


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
