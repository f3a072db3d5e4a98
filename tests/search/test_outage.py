"""Elasticsearch only: an engine outage loses no change, and a rebuild causes no downtime."""

import pytest
from django.core.management import call_command

from kb.choices import Marking
from lessons.models import LessonPage
from search import engine
from search.backends.base import SearchQuery, SearchUnavailable
from search.documents import indexable_lessons
from search.models import OutboxEntry
from search.sync import drain
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db


def published_ids() -> set[int]:
    return set(indexable_lessons().values_list("pk", flat=True))


def found(user, text: str) -> list[int]:
    return [hit.id for hit in engine.search(user, SearchQuery(text=text)).hits]


@pytest.fixture
def content(elastic):
    nice = make_city("Nice")
    member = make_member("nice-member", nice)
    debrief = make_debrief(nice, marking=Marking.GREEN)
    lesson = make_lesson(debrief, title="Zqoutage lesson", observation="Before the outage.")
    drain()
    assert elastic.indexed_ids() == published_ids() == {lesson.pk}
    return {"member": member, "debrief": debrief, "lesson": lesson}


def test_changes_made_while_the_engine_is_down_reach_it_after_a_sync(
    content, elastic, es_outage, client, django_capture_on_commit_callbacks
):
    member, lesson = content["member"], content["lesson"]
    es_outage.stop()

    # Editors keep working: the after-commit sync fails quietly and keeps the outbox.
    with django_capture_on_commit_callbacks(execute=True):
        lesson.observation = "Zqduringword: the engine was down."
        lesson.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        added = make_lesson(content["debrief"], title="Zqaddedword lesson")
    assert "Zqduringword" in LessonPage.objects.get(pk=lesson.pk).observation
    waiting = OutboxEntry.objects.all()
    assert {lesson.pk, added.pk} <= {entry.lesson_id for entry in waiting}
    assert all(entry.attempts >= 1 and entry.last_error for entry in waiting)

    # Readers are told search is unavailable; nothing answers with a server error.
    with pytest.raises(SearchUnavailable):
        found(member, "zqduringword")
    with pytest.raises(SearchUnavailable):
        engine.similar(member, lesson)
    client.force_login(member)
    assert client.get("/search/?q=zqduringword").status_code == 503
    assert client.get(lesson.url).status_code == 200
    assert elastic.status()["reachable"] is False

    es_outage.start()
    assert elastic.indexed_ids() == {lesson.pk}  # the index outlived the outage
    assert found(member, "before") == [lesson.pk]
    call_command("search_index", "sync")
    assert OutboxEntry.objects.count() == 0
    assert elastic.indexed_ids() == published_ids() == {lesson.pk, added.pk}
    assert found(member, "zqduringword") == [lesson.pk]
    assert found(member, "zqaddedword") == [added.pk]
    assert found(member, "before") == []


def test_a_failed_sync_is_retried_by_the_next_one(content, elastic, es_outage):
    lesson = content["lesson"]
    es_outage.stop()
    lesson.unpublish()
    waiting = OutboxEntry.objects.count()
    assert waiting >= 1
    assert drain() == drain() == (0, waiting)
    assert {entry.attempts for entry in OutboxEntry.objects.all()} == {2}
    es_outage.start()
    assert drain() == (1, 0)
    assert elastic.indexed_ids() == published_ids() == set()


def test_a_rebuild_moves_the_alias_to_a_new_index_and_drops_the_old_one(content, elastic):
    (before,) = elastic._concrete()
    progress = []
    assert engine.rebuild(progress=progress.append) == 1 and progress == [1]
    (after,) = elastic._concrete()
    assert after != before and after.startswith(f"{elastic.alias}-")
    assert not elastic.client.indices.exists(index=before)
    assert found(content["member"], "zqoutage") == [content["lesson"].pk]
    assert elastic.status() == {
        "backend": "elasticsearch",
        "index": after,
        "reachable": True,
        "documents": 1,
    }


def test_the_first_use_creates_the_index_behind_its_alias(elastic):
    assert elastic.total() == 0
    (index,) = elastic._concrete()
    assert index != elastic.alias
    mapping = elastic.client.indices.get_mapping(index=index)[index]["mappings"]
    assert mapping["properties"]["text"]["properties"]["title"]["analyzer"] == "kb_text"
    assert mapping["properties"]["lesson_tokens"]["type"] == "keyword"
