"""Shapes the API answers with. `LessonResult` is the one lesson shape every listing
(lessons, search, similar cases) reuses; build its queryset with `lesson_results`."""

from __future__ import annotations

import datetime
from typing import Literal

from django.db.models import QuerySet
from ninja import Field, Schema
from wagtail.rich_text import expand_db_html

from kb.choices import (
    ATTACK_TYPES,
    CONTENT_LANGUAGES,
    THEMES,
    CapabilityElement,
    IncidentType,
    Marking,
    Phase,
    vocabulary_label,
)

MarkingValue = Literal[tuple(Marking.values)]
AttackTypeSlug = Literal[tuple(ATTACK_TYPES)]
ThemeSlug = Literal[tuple(THEMES)]
PhaseValue = Literal[tuple(Phase.values)]
IncidentTypeValue = Literal[tuple(IncidentType.values)]
CapabilityElementValue = Literal[tuple(CapabilityElement.values)]
LanguageCode = Literal[tuple(CONTENT_LANGUAGES)]
# Filters accept a LanguageCode; answers give the code as a plain string, so that a code
# outside the list (none is expected) never turns an answer into an error.
LANGUAGE_HELP = "The language it is written in: a BCP 47 code, " + ", ".join(CONTENT_LANGUAGES)


class Message(Schema):
    detail: str


def page_url(page, request) -> str | None:
    """The page's address as the caller reached this site (absolute when possible)."""
    url = page.get_url(request)
    if url and request is not None:
        return request.build_absolute_uri(url)
    return url


def _city_name(obj) -> str | None:
    return obj.owner_city.name if obj.owner_city_id else None


class CityOut(Schema):
    name: str
    country: str
    languages: list[str]
    joined_on: datetime.date

    @staticmethod
    def resolve_languages(obj) -> list[str]:
        return obj.language_list


LABEL_HELP = "The label of the value beside it, in the language of the Accept-Language header."
LABELS_HELP = "Slug to label, in the language of the Accept-Language header."


def _labels(kind: str, slugs) -> dict[str, str]:
    return {slug: vocabulary_label(kind, slug) for slug in sorted(slugs)}


class DebriefSummary(Schema):
    id: int
    external_id: str | None
    title: str
    city: str | None
    incident_type: IncidentTypeValue
    date: datetime.date
    attack_types: list[AttackTypeSlug]
    incident_type_label: str = Field(description=LABEL_HELP)
    attack_type_labels: dict[str, str] = Field(description=LABELS_HELP)
    marking: MarkingValue
    language: str = Field(description=LANGUAGE_HELP)
    url: str | None

    @staticmethod
    def resolve_city(obj) -> str | None:
        return _city_name(obj)

    @staticmethod
    def resolve_date(obj) -> datetime.date:
        return obj.incident_date

    @staticmethod
    def resolve_attack_types(obj) -> list[str]:
        return sorted(tag.slug for tag in obj.attack_types.all())

    @staticmethod
    def resolve_incident_type_label(obj) -> str:
        return vocabulary_label("incident_type", obj.incident_type)

    @staticmethod
    def resolve_attack_type_labels(obj) -> dict[str, str]:
        return _labels("attack_type", (tag.slug for tag in obj.attack_types.all()))

    @staticmethod
    def resolve_url(obj, context) -> str | None:
        return page_url(obj, context["request"])


class LessonRef(Schema):
    id: int
    title: str


class DebriefDetail(DebriefSummary):
    agencies: list[str]
    summary: str
    public_summary: str
    keywords: list[str]
    lessons: list[LessonRef]

    @staticmethod
    def resolve_agencies(obj) -> list[str]:
        return obj.agency_list

    @staticmethod
    def resolve_summary(obj) -> str:
        return expand_db_html(obj.summary)

    @staticmethod
    def resolve_keywords(obj) -> list[str]:
        return sorted(tag.name for tag in obj.keywords.all())

    @staticmethod
    def resolve_lessons(obj) -> list[LessonRef]:
        # Set by the view from the access policy: only the lessons this caller may see.
        return obj.visible_lesson_refs


class LessonResult(Schema):
    id: int
    external_id: str | None
    title: str
    city: str | None
    attack_types: list[AttackTypeSlug]
    themes: list[ThemeSlug]
    attack_type_labels: dict[str, str] = Field(description=LABELS_HELP)
    theme_labels: dict[str, str] = Field(description=LABELS_HELP)
    marking: MarkingValue
    language: str = Field(description=LANGUAGE_HELP)
    url: str | None

    @staticmethod
    def resolve_attack_type_labels(obj) -> dict[str, str]:
        return _labels("attack_type", LessonResult.resolve_attack_types(obj))

    @staticmethod
    def resolve_theme_labels(obj) -> dict[str, str]:
        return _labels("theme", (tag.slug for tag in obj.themes.all()))

    @staticmethod
    def resolve_city(obj) -> str | None:
        return _city_name(obj)

    @staticmethod
    def resolve_attack_types(obj) -> list[str]:
        # A lesson's attack types are those of the debrief it was identified in.
        if obj.debrief is None:
            return []
        return sorted(tag.slug for tag in obj.debrief.attack_types.all())

    @staticmethod
    def resolve_themes(obj) -> list[str]:
        return sorted(tag.slug for tag in obj.themes.all())

    @staticmethod
    def resolve_url(obj, context) -> str | None:
        return page_url(obj, context["request"])


def lesson_results(queryset: QuerySet) -> QuerySet:
    """Load what `LessonResult` reads in a fixed number of queries, whatever the page size."""
    return queryset.select_related("owner_city", "debrief").prefetch_related(
        "themes", "debrief__attack_types"
    )


class RecommendationOut(Schema):
    text: str
    capability_element: CapabilityElementValue
    capability_element_label: str = Field(description=LABEL_HELP)

    @staticmethod
    def resolve_capability_element_label(obj) -> str:
        return vocabulary_label("capability_element", obj.capability_element)


class LessonDetail(LessonResult):
    debrief: int | None
    phase: PhaseValue
    phase_label: str = Field(description=LABEL_HELP)
    observation: str
    discussion: str
    lesson_identified: str
    recommendations: list[RecommendationOut]
    keywords: list[str]
    public_summary: str
    first_published_at: datetime.datetime | None
    last_published_at: datetime.datetime | None

    @staticmethod
    def resolve_debrief(obj) -> int | None:
        return obj.debrief_id

    @staticmethod
    def resolve_phase_label(obj) -> str:
        return vocabulary_label("phase", obj.phase)

    @staticmethod
    def resolve_recommendations(obj) -> list:
        return list(obj.recommendations.all())

    @staticmethod
    def resolve_keywords(obj) -> list[str]:
        return sorted(tag.name for tag in obj.keywords.all())
