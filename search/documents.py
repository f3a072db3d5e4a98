"""What the index holds for each lesson: text by field, facet values and access tokens.

A lesson reaches the index as a LessonRow, plain values read either from its page (one
lesson, or a draft the editor has not published: `row_of`) or from the database for many
lessons at once (search.bulk). `document_from` turns either into the one LessonDocument."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.html import strip_tags
from wagtail.models import Site

from kb import access
from lessons.models import LessonPage
from search import facets

# Field weights for ranking, shared by both backends.
TEXT_FIELDS = {
    "title": 8.0,
    "lesson_identified": 4.0,
    "observation": 2.0,
    "discussion": 1.5,
    "recommendations": 2.0,
    "summary": 1.0,
    "keywords": 3.0,
}


@dataclass
class DebriefRow:
    id: int
    incident_date: datetime.date
    incident_type: str
    summary: str
    marking: str
    owner_city_id: int | None
    shared_city_ids: list[int] = field(default_factory=list)
    recipient_ids: list[int] = field(default_factory=list)
    attack_types: list[str] = field(default_factory=list)  # slugs


@dataclass
class LessonRow:
    """One lesson as the index reads it, in plain values."""

    id: int
    external_id: str | None
    title: str
    url_path: str
    owner_city_id: int
    city: str
    marking: str
    phase: str
    observation: str
    discussion: str
    lesson_identified: str
    debrief: DebriefRow
    language: str = "en"
    shared_city_ids: list[int] = field(default_factory=list)
    recipient_ids: list[int] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)  # slugs
    keywords: list[str] = field(default_factory=list)  # names, in the order written
    recommendations: list[str] = field(default_factory=list)  # texts, in order
    action_statuses: list[str] = field(default_factory=list)


@dataclass
class LessonDocument:
    id: int
    external_id: str | None
    title: str
    url: str
    date: str  # ISO date of the incident
    city_id: int
    city: str
    debrief_id: int
    text: dict[str, str]
    facets: dict[str, list[str]]
    lesson_tokens: list[str]
    debrief_tokens: list[str]
    attack_types: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    marking: str = ""
    language: str = "en"  # BCP 47: the language its text is analysed in


def site_root_path() -> str:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page.url_path if site else "/"


def page_path(url_path: str, root_path: str) -> str:
    """The page's path on the default site, without a site lookup per page."""
    return "/" + url_path.removeprefix(root_path).lstrip("/")


def indexable_lessons(ids: Iterable[int] | None = None) -> QuerySet:
    """Live lessons (with a live debrief) in index order."""
    qs = LessonPage.objects.live().filter(debrief__live=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.order_by("pk")


def document_from(row: LessonRow, root_path: str) -> LessonDocument:
    debrief = row.debrief
    return LessonDocument(
        id=row.id,
        external_id=row.external_id,
        title=row.title,
        url=page_path(row.url_path, root_path),
        date=debrief.incident_date.isoformat(),
        city_id=row.owner_city_id,
        city=row.city,
        debrief_id=debrief.id,
        text={
            "title": row.title,
            "lesson_identified": row.lesson_identified,
            "observation": row.observation,
            "discussion": row.discussion,
            "recommendations": "\n".join(row.recommendations),
            "summary": strip_tags(debrief.summary),
            "keywords": " ".join(row.keywords),
        },
        facets={facet.name: facet.values_of(row) for facet in facets.ALL},
        lesson_tokens=access.marking_tokens(
            row.marking, row.owner_city_id, row.shared_city_ids, row.recipient_ids
        ),
        debrief_tokens=access.marking_tokens(
            debrief.marking, debrief.owner_city_id, debrief.shared_city_ids, debrief.recipient_ids
        ),
        attack_types=sorted(debrief.attack_types),
        themes=sorted(row.themes),
        marking=row.marking,
        language=row.language,
    )


def row_of(lesson: LessonPage) -> LessonRow:
    """The lesson's row read off its page, so a draft's unsaved text and tags count."""
    debrief = lesson.debrief
    # A draft's unsaved recommendations have no actions yet.
    recommendations = list(lesson.recommendations.all())
    return LessonRow(
        id=lesson.pk,
        external_id=lesson.external_id,
        title=lesson.title,
        url_path=lesson.url_path,
        owner_city_id=lesson.owner_city_id,
        city=lesson.owner_city.name,
        marking=lesson.marking,
        phase=lesson.phase,
        observation=lesson.observation,
        discussion=lesson.discussion,
        lesson_identified=lesson.lesson_identified,
        language=lesson.language or "en",
        shared_city_ids=[city.pk for city in lesson.shared_with.all()],
        recipient_ids=[user.pk for user in lesson.recipients.all()],
        themes=[tag.slug for tag in lesson.themes.all()],
        keywords=[tag.name for tag in lesson.keywords.all()],
        recommendations=[rec.text for rec in recommendations],
        action_statuses=[a.status for rec in recommendations if rec.pk for a in rec.actions.all()],
        debrief=DebriefRow(
            id=debrief.pk,
            incident_date=debrief.incident_date,
            incident_type=debrief.incident_type,
            summary=debrief.summary,
            marking=debrief.marking,
            owner_city_id=debrief.owner_city_id,
            shared_city_ids=[city.pk for city in debrief.shared_with.all()],
            recipient_ids=[user.pk for user in debrief.recipients.all()],
            attack_types=[tag.slug for tag in debrief.attack_types.all()],
        ),
    )


def build_document(lesson: LessonPage, root_path: str | None = None) -> LessonDocument:
    """One lesson's document, as the index would hold it (the draft's, for a draft)."""
    return document_from(row_of(lesson), site_root_path() if root_path is None else root_path)


def document_from_stored(stored: dict, text: dict[str, str] | None = None) -> LessonDocument:
    """A LessonDocument from the fields a backend stores beside its index entry."""
    return LessonDocument(
        id=stored["id"],
        external_id=stored.get("external_id"),
        title=stored["title"],
        url=stored["url"],
        date=stored["date"],
        city_id=stored["city_id"],
        city=stored["city"],
        debrief_id=stored["debrief_id"],
        text=text if text is not None else stored.get("text", {}),
        facets=stored.get("facets", {}),
        lesson_tokens=stored.get("lesson_tokens", []),
        debrief_tokens=stored.get("debrief_tokens", []),
        attack_types=stored["attack_types"],
        themes=stored["themes"],
        marking=stored["marking"],
        language=stored.get("language") or "en",
    )
