"""The search facets, listed once. Each one says where a lesson's values come from, how
the search page labels and orders it, and how the API accepts it as a filter; the index
documents, both backends, the search page and the API all read this list."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from django.utils.translation import gettext_lazy as _
from ninja import Field

from kb.api.schemas import (
    AttackTypeSlug,
    IncidentTypeValue,
    LanguageCode,
    PhaseValue,
    ThemeSlug,
)
from kb.choices import (
    ATTACK_TYPES,
    CONTENT_LANGUAGES,
    THEMES,
    ActionStatus,
    IncidentType,
    Marking,
    Phase,
)

CityName = Annotated[str, Field(max_length=100, pattern=r"^[^\x00-\x1f]*$")]
Year = Annotated[int, Field(ge=1900, le=2100)]
ActionStatusValue = Literal[tuple(ActionStatus.values)]


@dataclass(frozen=True)
class Facet:
    name: str  # the key in documents, filters, query strings and the API
    label: str  # or a lazy translation
    values_of: Callable[[Any], list[str]]  # a search.documents.LessonRow's values
    value_labels: Mapping[str, str] = field(default_factory=dict)
    api_type: Any = None  # one API filter value; None: not an API filter
    api_help: str = ""
    newest_first: bool = False  # the search page lists values, not counts, in order

    def value_label(self, value: str) -> str:
        return str(self.value_labels.get(value, value))


ALL: tuple[Facet, ...] = (
    Facet(
        "attack_type",
        _("Attack type"),
        lambda row: sorted(row.debrief.attack_types),
        ATTACK_TYPES,
        AttackTypeSlug,
    ),
    Facet("city", _("City"), lambda row: [row.city], api_type=CityName, api_help="City name."),
    Facet("theme", _("Theme"), lambda row: sorted(row.themes), THEMES, ThemeSlug),
    Facet("phase", _("Phase"), lambda row: [row.phase], dict(Phase.choices), PhaseValue),
    Facet(
        "incident_type",
        _("Incident type"),
        lambda row: [row.debrief.incident_type],
        dict(IncidentType.choices),
        IncidentTypeValue,
    ),
    Facet(
        "year",
        _("Year"),
        lambda row: [str(row.debrief.incident_date.year)],
        api_type=Year,
        newest_first=True,
    ),
    Facet(
        "language",
        _("Language"),
        lambda row: [row.language],
        CONTENT_LANGUAGES,
        LanguageCode,
        api_help="The language the lesson is written in (BCP 47 code).",
    ),
    Facet("marking", _("Marking"), lambda row: [row.marking], dict(Marking.choices)),
    Facet(
        "action_status",
        _("Action status"),
        lambda row: sorted(set(row.action_statuses)),
        dict(ActionStatus.choices),
        ActionStatusValue,
    ),
)
BY_NAME: dict[str, Facet] = {facet.name: facet for facet in ALL}
FACETS: list[str] = [facet.name for facet in ALL]
API_FILTERS: list[Facet] = [facet for facet in ALL if facet.api_type is not None]


def value_label(facet: str, value: str) -> str:
    return BY_NAME[facet].value_label(value) if facet in BY_NAME else value
