"""What the index holds for each lesson: text by field, facet values and access tokens."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.html import strip_tags

from kb import access

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
FACETS = [
    "attack_type",
    "city",
    "theme",
    "phase",
    "incident_type",
    "year",
    "marking",
    "action_status",
]


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


def site_root_path() -> str:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page.url_path if site else "/"


def page_path(page, root_path: str | None = None) -> str:
    """The page's path on the default site, without a site lookup per page."""
    root = root_path if root_path is not None else site_root_path()
    return "/" + page.url_path.removeprefix(root).lstrip("/")


def _lesson_queryset():
    from lessons.models import LessonPage

    return (
        LessonPage.objects.live()
        .select_related("owner_city", "debrief", "debrief__owner_city")
        .prefetch_related(
            "themes",
            "keywords",
            "recommendations",
            "recommendations__actions",
            "shared_with",
            "recipients",
            "debrief__attack_types",
            "debrief__shared_with",
            "debrief__recipients",
        )
    )


def indexable_lessons(ids: Iterable[int] | None = None):
    """Live lessons (with a live debrief) in index order."""
    qs = _lesson_queryset().filter(debrief__live=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.order_by("pk")


def build_document(lesson, root_path: str | None = None) -> LessonDocument:
    debrief = lesson.debrief
    attack_types = sorted(tag.slug for tag in debrief.attack_types.all())
    themes = sorted(tag.slug for tag in lesson.themes.all())
    recommendations = "\n".join(rec.text for rec in lesson.recommendations.all())
    # A draft's unsaved recommendations have no actions yet.
    action_statuses = sorted(
        {a.status for rec in lesson.recommendations.all() if rec.pk for a in rec.actions.all()}
    )
    keywords = " ".join(tag.name for tag in [*lesson.keywords.all()])
    return LessonDocument(
        id=lesson.pk,
        external_id=lesson.external_id,
        title=lesson.title,
        url=page_path(lesson, root_path),
        date=debrief.incident_date.isoformat(),
        city_id=lesson.owner_city_id,
        city=lesson.owner_city.name,
        debrief_id=debrief.pk,
        text={
            "title": lesson.title,
            "lesson_identified": lesson.lesson_identified,
            "observation": lesson.observation,
            "discussion": lesson.discussion,
            "recommendations": recommendations,
            "summary": strip_tags(debrief.summary),
            "keywords": keywords,
        },
        facets={
            "attack_type": attack_types,
            "city": [lesson.owner_city.name],
            "theme": themes,
            "phase": [lesson.phase],
            "incident_type": [debrief.incident_type],
            "year": [str(debrief.incident_date.year)],
            "marking": [lesson.marking],
            "action_status": action_statuses,
        },
        lesson_tokens=access.item_tokens(lesson),
        debrief_tokens=access.item_tokens(debrief),
        attack_types=attack_types,
        themes=themes,
        marking=lesson.marking,
    )


def documents(ids: Iterable[int] | None = None) -> Iterator[LessonDocument]:
    """The documents of these (or all) indexable lessons, read a chunk at a time."""
    from search.bulk import all_documents

    return all_documents(ids)


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
    )
