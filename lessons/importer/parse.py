"""Reading and checking import lines.

Every rule an import can break is checked here, before anything is written, so that the
first bad line is reported with its number and field and the database is never touched.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NoReturn

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.html import escape

from kb.access import less_restricted
from kb.choices import (
    CONTENT_LANGUAGES,
    DEFAULT_CONTENT_LANGUAGE,
    CapabilityElement,
    IncidentType,
    Marking,
    Phase,
)
from kb.models import AttackType, City, Theme
from lessons.models import DebriefPage, LessonPage

from .outcome import ImportFailed

_JSON_TYPES = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class PageData:
    """One debrief or lesson of the file, checked and resolved to database objects."""

    line: int
    path: str  # prefix of the fields' paths in error messages: "" or "lessons[0]."
    external_id: str
    values: dict[str, Any]  # model field -> value
    tags: dict[str, list]  # tag manager -> tag instances (or keyword strings)
    shared_with: list[City]
    recipients: list[Any]
    recommendations: list[tuple[str, str]] | None = None  # lessons only: (text, element)
    city: City | None = None  # debriefs only
    lessons: list[PageData] = field(default_factory=list)  # debriefs only


@dataclass
class Catalogue:
    """Everything the lines refer to, fetched once for the whole file."""

    cities: dict[str, City]
    attack_types: dict[str, AttackType]
    themes: dict[str, Theme]
    users: dict[str, Any]
    debriefs: dict[str, DebriefPage]  # existing, by external_id
    lessons: dict[str, LessonPage]

    @classmethod
    def load(cls, records: Iterable[Any]) -> Catalogue:
        usernames: set[str] = set()
        debrief_ids: set[str] = set()
        lesson_ids: set[str] = set()
        for record in records:
            if not isinstance(record, dict):
                continue
            lessons = [item for item in _list(record.get("lessons")) if isinstance(item, dict)]
            debrief_ids |= _strings(record.get("external_id"))
            lesson_ids |= {s for item in lessons for s in _strings(item.get("external_id"))}
            for item in [record, *lessons]:
                usernames |= {s for name in _list(item.get("recipients")) for s in _strings(name)}
        user_model = get_user_model()
        username_field = user_model.USERNAME_FIELD
        users = user_model.objects.filter(**{f"{username_field}__in": usernames})
        return cls(
            cities={city.name: city for city in City.objects.select_related("page")},
            attack_types={tag.slug: tag for tag in AttackType.objects.all()},
            themes={tag.slug: tag for tag in Theme.objects.all()},
            users={getattr(user, username_field): user for user in users},
            debriefs={
                p.external_id: p for p in DebriefPage.objects.filter(external_id__in=debrief_ids)
            },
            lessons={
                p.external_id: p
                for p in LessonPage.objects.filter(external_id__in=lesson_ids).select_related(
                    "debrief"
                )
            },
        )


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _strings(value: Any) -> set[str]:
    # Stripped as Fields.text strips them, so that the lookups match what is parsed.
    return {value.strip()} if isinstance(value, str) else set()


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return _JSON_TYPES.get(type(value), type(value).__name__)


def plain_text_to_rich_text(text: str) -> str:
    """Escape plain text and wrap each paragraph (split on blank lines) in <p>."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return "".join(
        "<p>" + "<br/>".join(escape(line.strip()) for line in p.strip().splitlines()) + "</p>"
        for p in paragraphs
        if p.strip()
    )


class Fields:
    """Reads the fields of one JSON object of a line, failing with the field's path."""

    def __init__(self, record: dict, line: int, path: str = "") -> None:
        self.record, self.line, self.path = record, line, path

    def fail(self, key: str, message: str) -> NoReturn:
        raise ImportFailed(self.line, f"{self.path}{key}", message)

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.record.get(key)
        if value is None or (required and isinstance(value, str) and not value.strip()):
            if required:
                self.fail(key, "is required")
            return ""
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {_type_name(value)}")
        if max_length is not None and len(value.strip()) > max_length:
            self.fail(key, f"is longer than {max_length} characters")
        return value.strip()

    def choice(self, key: str, choices: type[models.TextChoices], label: str) -> str:
        value = self.text(key, required=True)
        if value not in choices.values:
            self.fail(key, f"unknown {label} {value!r}")
        return value

    def one_of(self, key: str, table: dict[str, Any], label: str) -> Any:
        value = self.text(key, required=True)
        if value not in table:
            self.fail(key, f"unknown {label} {value!r}")
        return table[value]

    def language(self, key: str, default: str) -> str:
        """A content language code (BCP 47 primary subtag, any case), or `default`."""
        value = self.text(key)
        if not value:
            return default
        if value.lower() not in CONTENT_LANGUAGES:
            self.fail(key, f"unknown language {value!r} (known: {', '.join(CONTENT_LANGUAGES)})")
        return value.lower()

    def date(self, key: str) -> datetime.date:
        value = self.text(key, required=True)
        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.fail(key, f"expected a date as YYYY-MM-DD, got {value!r}")

    def strings(self, key: str, *, max_length: int | None = None) -> list[str]:
        value = self.record.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"expected a list of strings, got {_type_name(value)}")
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.fail(f"{key}[{index}]", f"expected a string, got {_type_name(item)}")
            if max_length is not None and len(item.strip()) > max_length:
                self.fail(f"{key}[{index}]", f"is longer than {max_length} characters")
        return [item.strip() for item in value if item.strip()]

    def known(self, key: str, table: dict[str, Any], label: str) -> list:
        """A list of names that must all be in `table`; duplicates are dropped."""
        found = []
        for index, name in enumerate(self.strings(key)):
            if name not in table:
                self.fail(f"{key}[{index}]", f"unknown {label} {name!r}")
            if table[name] not in found:
                found.append(table[name])
        return found

    def objects(self, key: str) -> list[Fields]:
        value = self.record.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"expected a list of objects, got {_type_name(value)}")
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.fail(f"{key}[{index}]", f"expected an object, got {_type_name(item)}")
        return [
            Fields(item, self.line, f"{self.path}{key}[{index}].")
            for index, item in enumerate(value)
        ]


def decode(number: int, text: str) -> Any:
    """The JSON of one line, or an ImportFailed to raise when its turn comes."""
    try:
        return json.loads(text)
    except ValueError as exc:
        return ImportFailed(number, "", f"invalid JSON: {exc}")


def parse_debrief(number: int, record: Any, cat: Catalogue, seen: dict[str, int]) -> PageData:
    """Check one decoded line; `seen` maps the external_ids met so far to their line."""
    if isinstance(record, ImportFailed):
        raise record
    if not isinstance(record, dict):
        raise ImportFailed(number, "", f"expected a JSON object, got {_type_name(record)}")
    f = Fields(record, number)
    external_id = _external_id(f, "debrief", seen)
    city = f.one_of("city", cat.cities, "city")
    existing = cat.debriefs.get(external_id)
    if existing is not None and existing.owner_city_id != city.pk:
        owner = next((c.name for c in cat.cities.values() if c.pk == existing.owner_city_id), "?")
        f.fail(
            "city",
            f"debrief {external_id!r} belongs to {owner}; the import does not move debriefs "
            "between cities (move the page in the admin first)",
        )
    values = {
        "title": f.text("title", required=True, max_length=255),
        "incident_type": f.choice("incident_type", IncidentType, "incident type"),
        "incident_date": f.date("date"),
    }
    tags = {"attack_types": f.known("attack_types", cat.attack_types, "attack type")}
    values["summary"] = plain_text_to_rich_text(f.text("summary", required=True))
    values["marking"] = f.choice("marking", Marking, "marking")
    values["language"] = f.language("language", city_language(city))
    data = PageData(
        line=number,
        path="",
        external_id=external_id,
        values=values,
        tags=tags,
        city=city,
        **_sharing(f, values["marking"], cat),
    )
    data.values["public_summary"] = f.text("public_summary")
    data.values["agencies"] = "\n".join(f.strings("agencies"))
    data.tags["keywords"] = f.strings("keywords", max_length=100)
    for item in f.objects("lessons"):
        data.lessons.append(_lesson(item, data, existing, cat, seen))
    return data


def _lesson(
    f: Fields, debrief: PageData, existing: DebriefPage | None, cat: Catalogue, seen: dict
) -> PageData:
    external_id = _external_id(f, "lesson", seen)
    in_db = cat.lessons.get(external_id)
    if in_db is not None and (existing is None or in_db.debrief_id != existing.pk):
        where = (in_db.debrief.external_id or in_db.debrief.title) if in_db.debrief else "?"
        f.fail(
            "external_id",
            f"lesson {external_id!r} belongs to debrief {where!r}; the import does not move "
            "lessons between debriefs",
        )
    values = {
        "title": f.text("title", required=True, max_length=255),
        "observation": f.text("observation", required=True),
        "discussion": f.text("discussion"),
        "lesson_identified": f.text("lesson_identified", required=True),
    }
    tags = {"themes": f.known("themes", cat.themes, "theme")}
    values["phase"] = f.choice("phase", Phase, "phase")
    values["marking"] = f.choice("marking", Marking, "marking")
    values["language"] = f.language("language", debrief.values["language"])
    if less_restricted(values["marking"], debrief.values["marking"]):
        f.fail(
            "marking",
            f"{values['marking']} is less restricted than its debrief "
            f"({debrief.values['marking']})",
        )
    recommendations = [
        (
            item.text("text", required=True),
            item.choice("capability_element", CapabilityElement, "capability element"),
        )
        for item in f.objects("recommendations")
    ]
    values["public_summary"] = f.text("public_summary")
    tags["keywords"] = f.strings("keywords", max_length=100)
    return PageData(
        line=f.line,
        path=f.path,
        external_id=external_id,
        values=values,
        tags=tags,
        recommendations=recommendations,
        **_sharing(f, values["marking"], cat),
    )


def city_language(city: City) -> str:
    """The language a debrief of `city` is written in unless its line says: the city's
    first known language, as the page's own default (MarkedPageMixin.default_language)
    would choose on save. Resolved here, from the city already loaded, so that a re-run
    compares equal to the saved page without a query per debrief."""
    known = [code for code in city.language_list if code in CONTENT_LANGUAGES]
    return known[0] if known else DEFAULT_CONTENT_LANGUAGE


def _external_id(f: Fields, kind: str, seen: dict[str, int]) -> str:
    external_id = f.text("external_id", required=True, max_length=100)
    key = f"{kind}:{external_id}"
    if key in seen:
        f.fail(
            "external_id",
            f"duplicate {kind} external_id {external_id!r} (first on line {seen[key]})",
        )
    seen[key] = f.line
    return external_id


def _sharing(f: Fields, marking: str, cat: Catalogue) -> dict[str, list]:
    """The sharing lists, which must fit the marking (as the admin form requires)."""
    shared_with = f.known("shared_with", cat.cities, "city")
    recipients = f.known("recipients", cat.users, "user")
    if shared_with and marking != Marking.AMBER:
        f.fail("shared_with", f"only TLP:AMBER material is shared with cities, not {marking}")
    if marking == Marking.RED and not recipients:
        f.fail("recipients", "TLP:RED needs at least one named recipient")
    if recipients and marking != Marking.RED:
        f.fail("recipients", f"named recipients apply to TLP:RED only, not {marking}")
    return {"shared_with": shared_with, "recipients": recipients}
