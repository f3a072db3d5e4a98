"""Index documents for many lessons at once, read with a fixed number of queries per chunk.

`build_document` reads one lesson through its model and managers, which is right for one
page but costs a dozen ORM querysets per lesson when prefetched through taggit and
modelcluster. A rebuild reads the same fields as plain rows instead (about twelve queries
per chunk of lessons, whatever its size) and gives each lesson the same document
`build_document` would (tests/search pin the two together). Access tokens still come from
kb.access.item_tokens, the one statement of the rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils.html import strip_tags

from kb import access

CHUNK = 1000


@dataclass
class _Related:
    """Stands in for a sharing list's manager: item_tokens only calls .all()."""

    rows: list = field(default_factory=list)

    def all(self) -> list:
        return self.rows


@dataclass
class _Marked:
    marking: str
    owner_city_id: int | None
    shared_with: _Related
    recipients: _Related


def _grouped(rows: Iterable[tuple]) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for key, value in rows:
        grouped[key].append(value)
    return grouped


def _marked(model, ids: list[int], rows: dict[int, tuple[str, int]]) -> dict[int, _Marked]:
    key = f"{model._meta.model_name}_id"
    shared = _grouped(
        model.shared_with.through.objects.filter(**{f"{key}__in": ids}).values_list(key, "city_id")
    )
    named = _grouped(
        model.recipients.through.objects.filter(**{f"{key}__in": ids}).values_list(key, "user_id")
    )
    return {
        pk: _Marked(
            marking,
            city_id,
            _Related([SimpleNamespace(pk=c) for c in shared.get(pk, [])]),
            _Related([SimpleNamespace(pk=u) for u in named.get(pk, [])]),
        )
        for pk, (marking, city_id) in rows.items()
    }


def documents_for(ids: list[int], root_path: str) -> list:
    """The documents of these live lessons (with live debriefs), in id order."""
    from lessons.models import (
        DebriefAttackType,
        DebriefPage,
        LessonKeyword,
        LessonPage,
        LessonTheme,
        Recommendation,
    )
    from lessons.tracking.models import Action
    from search.documents import LessonDocument, page_path

    lessons = list(
        LessonPage.objects.live()
        .filter(pk__in=ids, debrief__live=True)
        .order_by("pk")
        .values_list(
            "pk", "external_id", "title", "url_path", "owner_city_id", "owner_city__name",
            "debrief_id", "marking", "phase", "observation", "discussion", "lesson_identified",
        )
    )  # fmt: skip
    if not lessons:
        return []
    lesson_ids = [row[0] for row in lessons]
    debrief_ids = sorted({row[6] for row in lessons})
    debriefs = {
        row[0]: row[1:]
        for row in DebriefPage.objects.filter(pk__in=debrief_ids).values_list(
            "pk", "incident_date", "incident_type", "summary", "marking", "owner_city_id"
        )
    }
    attack_types = _grouped(
        DebriefAttackType.objects.filter(content_object_id__in=debrief_ids).values_list(
            "content_object_id", "tag__slug"
        )
    )
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
    lesson_marks = _marked(LessonPage, lesson_ids, {r[0]: (r[7], r[4]) for r in lessons})
    debrief_marks = _marked(
        DebriefPage, debrief_ids, {pk: (d[3], d[4]) for pk, d in debriefs.items()}
    )
    debrief_tokens = {pk: access.item_tokens(item) for pk, item in debrief_marks.items()}
    docs = []
    for (pk, external_id, title, url_path, city_id, city, debrief_id, marking, phase,
         observation, discussion, lesson_identified) in lessons:  # fmt: skip
        incident_date, incident_type, summary, _, _ = debriefs[debrief_id]
        attacks = sorted(attack_types.get(debrief_id, []))
        lesson_themes = sorted(themes.get(pk, []))
        docs.append(
            LessonDocument(
                id=pk,
                external_id=external_id,
                title=title,
                url=page_path(SimpleNamespace(url_path=url_path), root_path),
                date=incident_date.isoformat(),
                city_id=city_id,
                city=city,
                debrief_id=debrief_id,
                text={
                    "title": title,
                    "lesson_identified": lesson_identified,
                    "observation": observation,
                    "discussion": discussion,
                    "recommendations": "\n".join(recommendations.get(pk, [])),
                    "summary": strip_tags(summary),
                    "keywords": " ".join(keywords.get(pk, [])),
                },
                facets={
                    "attack_type": attacks,
                    "city": [city],
                    "theme": lesson_themes,
                    "phase": [phase],
                    "incident_type": [incident_type],
                    "year": [str(incident_date.year)],
                    "marking": [marking],
                    "action_status": sorted(set(statuses.get(pk, []))),
                },
                lesson_tokens=access.item_tokens(lesson_marks[pk]),
                debrief_tokens=debrief_tokens[debrief_id],
                attack_types=attacks,
                themes=lesson_themes,
                marking=marking,
            )
        )
    return docs


def all_documents(ids: Iterable[int] | None = None, chunk: int = CHUNK) -> Iterator:
    from lessons.models import LessonPage
    from search.documents import site_root_path

    root_path = site_root_path()
    wanted = LessonPage.objects.live().filter(debrief__live=True).order_by("pk")
    if ids is not None:
        wanted = wanted.filter(pk__in=list(ids))
    all_ids = list(wanted.values_list("pk", flat=True))
    for start in range(0, len(all_ids), chunk):
        yield from documents_for(all_ids[start : start + chunk], root_path)
