"""Query-string filters of the listings; values outside the controlled vocabularies are
refused with 422 rather than answered with an empty list."""

from typing import Annotated

from ninja import Field, FilterLookup, FilterSchema

from .schemas import AttackTypeSlug, IncidentTypeValue, LanguageCode, PhaseValue, ThemeSlug

# No control characters: they cannot name a city, and some databases refuse NUL outright.
CityName = Annotated[
    str | None,
    FilterLookup("owner_city__name__iexact"),
    Field(description="City name (case-insensitive).", max_length=100, pattern=r"^[^\x00-\x1f]*$"),
]


class DebriefFilters(FilterSchema):
    city: CityName = None
    attack_type: Annotated[AttackTypeSlug | None, FilterLookup("attack_types__slug")] = None
    incident_type: Annotated[IncidentTypeValue | None, FilterLookup("incident_type")] = None
    year: Annotated[int | None, FilterLookup("incident_date__year"), Field(ge=1900, le=2100)] = None
    language: Annotated[LanguageCode | None, FilterLookup("language")] = None


class LessonFilters(FilterSchema):
    city: CityName = None
    attack_type: Annotated[
        AttackTypeSlug | None,
        FilterLookup("debrief__attack_types__slug"),
        Field(description="An attack type of the lesson's debrief."),
    ] = None
    theme: Annotated[ThemeSlug | None, FilterLookup("themes__slug")] = None
    phase: Annotated[PhaseValue | None, FilterLookup("phase")] = None
    language: Annotated[
        LanguageCode | None,
        FilterLookup("language"),
        Field(description="The language the lesson is written in (BCP 47 code)."),
    ] = None
