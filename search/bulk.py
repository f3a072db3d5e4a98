"""Index documents for many lessons at once, read with a fixed number of queries per chunk.

Reading each lesson through its page costs a dozen ORM querysets per lesson when
prefetched through taggit and modelcluster. A rebuild reads the same values as plain rows
instead (about twelve queries per chunk of lessons, whatever its size) into the LessonRows
that search.documents.document_from turns into documents, as it does for one page
(tests/search pin the two paths together).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from lessons.models import (
    DebriefAttackType,
    DebriefPage,
    LessonKeyword,
    LessonPage,
    LessonTheme,
    Recommendation,
)
from lessons.tracking.models import Action
from search.documents import (
    DebriefRow,
    LessonDocument,
    LessonRow,
    document_from,
    indexable_lessons,
    site_root_path,
)

CHUNK = 1000


def _grouped(rows: Iterable[tuple]) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for key, value in rows:
        grouped[key].append(value)
    return grouped


def _sharing(model, ids: list[int]) -> tuple[dict[int, list], dict[int, list]]:
    """The shared-with cities and named recipients of these pages, by page id."""
    key = f"{model._meta.model_name}_id"
    shared = model.shared_with.through.objects.filter(**{f"{key}__in": ids})
    named = model.recipients.through.objects.filter(**{f"{key}__in": ids})
    return (
        _grouped(shared.values_list(key, "city_id")),
        _grouped(named.values_list(key, "user_id")),
    )


def _debrief_rows(ids: list[int]) -> dict[int, DebriefRow]:
    shared, named = _sharing(DebriefPage, ids)
    attack_types = _grouped(
        DebriefAttackType.objects.filter(content_object_id__in=ids).values_list(
            "content_object_id", "tag__slug"
        )
    )
    return {
        pk: DebriefRow(
            id=pk,
            incident_date=incident_date,
            incident_type=incident_type,
            summary=summary,
            marking=marking,
            owner_city_id=city_id,
            shared_city_ids=shared.get(pk, []),
            recipient_ids=named.get(pk, []),
            attack_types=attack_types.get(pk, []),
        )
        for pk, incident_date, incident_type, summary, marking, city_id in (
            DebriefPage.objects.filter(pk__in=ids).values_list(
                "pk", "incident_date", "incident_type", "summary", "marking", "owner_city_id"
            )
        )
    }


def rows_for(ids: list[int]) -> list[LessonRow]:
    """The rows of these live lessons (with live debriefs), in id order."""
    lessons = list(
        LessonPage.objects.live()
        .filter(pk__in=ids, debrief__live=True)
        .order_by("pk")
        .values_list(
            "pk", "external_id", "title", "url_path", "owner_city_id", "owner_city__name",
            "debrief_id", "marking", "phase", "observation", "discussion", "lesson_identified",
            "language",
        )
    )  # fmt: skip
    if not lessons:
        return []
    lesson_ids = [row[0] for row in lessons]
    debriefs = _debrief_rows(sorted({row[6] for row in lessons}))
    shared, named = _sharing(LessonPage, lesson_ids)
    themes = _grouped(
        LessonTheme.objects.filter(content_object_id__in=lesson_ids).values_list(
            "content_object_id", "tag__slug"
        )
    )
    keywords = _grouped(
        LessonKeyword.objects.filter(content_object_id__in=lesson_ids)
        .order_by("pk")
        .values_list("content_object_id", "tag__name")
    )
    recommendations = _grouped(
        Recommendation.objects.filter(lesson_id__in=lesson_ids)
        .order_by("sort_order", "pk")
        .values_list("lesson_id", "text")
    )
    statuses = _grouped(
        Action.objects.filter(recommendation__lesson_id__in=lesson_ids).values_list(
            "recommendation__lesson_id", "status"
        )
    )
    return [
        LessonRow(
            id=pk, external_id=external_id, title=title, url_path=url_path,
            owner_city_id=city_id, city=city, marking=marking, phase=phase,
            observation=observation, discussion=discussion, lesson_identified=identified,
            language=language or "en", debrief=debriefs[debrief_id],
            shared_city_ids=shared.get(pk, []), recipient_ids=named.get(pk, []),
            themes=themes.get(pk, []), keywords=keywords.get(pk, []),
            recommendations=recommendations.get(pk, []), action_statuses=statuses.get(pk, []),
        )
        for (pk, external_id, title, url_path, city_id, city, debrief_id, marking, phase,
             observation, discussion, identified, language) in lessons
    ]  # fmt: skip


def documents(ids: Iterable[int] | None = None, chunk: int = CHUNK) -> Iterator[LessonDocument]:
    """The documents of these (or all) indexable lessons, read a chunk at a time."""
    root_path = site_root_path()
    all_ids = list(indexable_lessons(ids).values_list("pk", flat=True))
    for start in range(0, len(all_ids), chunk):
        for row in rows_for(all_ids[start : start + chunk]):
            yield document_from(row, root_path)
