import io

import pytest
from django.core.management import call_command
from wagtail.models import Revision

from kb.models import AttackType, Theme
from lessons.importer import ImportFailed, plain_text_to_rich_text
from lessons.models import DebriefPage, LessonPage
from tests.factories import make_debrief, make_lesson
from tests.lessons.import_lines import (
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
