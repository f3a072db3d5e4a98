"""The search contract, continued: the index follows publishing, unpublishing, deletion,
moves and marking changes, and a rebuild makes it equal to the published lessons."""

import pytest

from kb.choices import Marking
from lessons.models import LessonPage
from search import engine
from search.documents import build_document, indexable_lessons
from search.models import OutboxEntry
from search.sync import drain
from tests.factories import make_city, make_lesson, make_member
from tests.search.contract_helpers import debrief_on, find, ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def mutable(backend):
    nice, berlin = make_city("Nice"), make_city("Berlin")
    debrief = debrief_on(nice, "2020-01-01", "vehicle-ramming")
    lesson = make_lesson(debrief, title="Zqmutable lesson", observation="Zqbefore facts.")
    drain()
    reader = make_member("berlin-reader", berlin)
    assert ids(find(reader, "zqmutable")) == [lesson.pk]
    return {"lesson": lesson, "debrief": debrief, "reader": reader, "berlin": berlin}


def test_a_published_edit_replaces_the_indexed_text(mutable):
    lesson = mutable["lesson"]
    lesson.observation = "Zqafter facts."
    lesson.save_revision().publish()
    drain()
    assert ids(find(mutable["reader"], "zqafter")) == [lesson.pk]
    assert find(mutable["reader"], "zqbefore").count == 0


def test_an_unpublished_lesson_leaves_the_index(mutable, backend):
    mutable["lesson"].unpublish()
    drain()
    assert find(mutable["reader"], "zqmutable").count == 0
    assert mutable["lesson"].pk not in backend.indexed_ids()


def test_a_deleted_lesson_leaves_the_index(mutable, backend):
    pk = mutable["lesson"].pk
    LessonPage.objects.get(pk=pk).delete()
    drain()
    assert find(mutable["reader"], "zqmutable").count == 0
    assert pk not in backend.indexed_ids() and backend.get(pk) is None


def test_a_moved_lesson_is_found_at_its_new_place(mutable):
    target = debrief_on(mutable["berlin"], "2023-03-03", "drone")
    LessonPage.objects.get(pk=mutable["lesson"].pk).move(target, pos="last-child")
    drain()
    (hit,) = find(mutable["reader"], "zqmutable").hits
    assert hit.url == f"/berlin/{target.slug}/zqmutable-lesson/"
    assert (hit.city, hit.date, hit.attack_types) == ("Berlin", "2023-03-03", ["drone"])


def test_a_stricter_debrief_marking_hides_its_lessons(mutable):
    debrief = mutable["debrief"]
    debrief.marking = Marking.AMBER_STRICT
    debrief.save_revision().publish()
    drain()
    assert find(mutable["reader"], "zqmutable").count == 0
    nice_reader = make_member("nice-reader", mutable["lesson"].owner_city)
    assert ids(find(nice_reader, "zqmutable")) == [mutable["lesson"].pk]


def test_a_rebuild_makes_the_index_equal_to_the_published_lessons(mutable, backend):
    lesson = mutable["lesson"]
    draft = make_lesson(mutable["debrief"], title="Zqdraft lesson", live=False)
    hidden = make_lesson(mutable["debrief"], title="Zqhidden lesson")
    hidden.unpublish()
    ghost = build_document(lesson)
    ghost.id = 10**9
    OutboxEntry.objects.all().delete()  # leave the index stale on purpose
    backend.upsert([ghost])
    backend.delete([lesson.pk])
    published = set(indexable_lessons().values_list("pk", flat=True))
    assert lesson.pk in published and not {draft.pk, hidden.pk, ghost.id} & published
    seen = []
    assert engine.rebuild(progress=seen.append) == len(published) == seen[-1]
    assert backend.indexed_ids() == published
    assert ids(find(mutable["reader"], "zqmutable")) == [lesson.pk]
