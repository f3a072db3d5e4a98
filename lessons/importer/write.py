"""Writing checked lines: create or update pages, publishing a revision only on change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import Page

from lessons.models import DebriefPage, LessonPage, Recommendation

from .outcome import ImportFailed, ImportResult
from .parse import Catalogue, PageData

# How each related list is read back from the database, to tell what changed.
_RELATIONS = {
    DebriefPage: {
        "attack_types": "attack_types__slug",
        "keywords": "keywords__name",
        "shared_with": "shared_with",
        "recipients": "recipients",
    },
    LessonPage: {
        "themes": "themes__slug",
        "keywords": "keywords__name",
        "shared_with": "shared_with",
        "recipients": "recipients",
    },
}
# Model fields whose name differs from the key in the line.
_LINE_KEYS = {"incident_date": "date"}


def write(debriefs: list[PageData], cat: Catalogue) -> ImportResult:
    """Write every checked line in one transaction: all of them, or none."""
    result = ImportResult()
    current = _current_state(DebriefPage, cat.debriefs.values())
    current |= _current_state(LessonPage, cat.lessons.values())
    with transaction.atomic():
        for data in debriefs:
            existing = cat.debriefs.get(data.external_id)
            debrief = _save(data, existing, data.city.page, current, result)
            for lesson in data.lessons:
                _save(lesson, cat.lessons.get(lesson.external_id), debrief, current, result)
    return result


def _save(
    data: PageData, page: Page | None, parent: Page, current: dict, result: ImportResult
) -> Page:
    kind = "debrief" if data.city is not None else "lesson"
    description = f"{data.external_id} {data.values['title']!r}"
    if data.city is not None:
        description += f" in {data.city.name}"
    try:
        if page is None:
            page = (DebriefPage if kind == "debrief" else LessonPage)(external_id=data.external_id)
            _assign(page, data)
            parent.add_child(instance=page)
            outcome = "created"
        elif current[page.pk] | _fields(page, data) == _desired(data):
            result.record(kind, "unchanged", description)
            return page
        else:
            _assign(page, data)
            outcome = "updated"
        # A created page was just validated by add_child; an updated one is validated here.
        page.save_revision(clean=outcome != "created").publish()
    except ValidationError as exc:
        raise _failed(data, exc) from exc
    result.record(kind, outcome, description)
    return page


def _current_state(model: type[Page], pages) -> dict[int, dict[str, Any]]:
    """The related lists of existing pages as sets, with one query per relation."""
    pks = [page.pk for page in pages]
    relations = _RELATIONS[model]
    state: dict[int, dict[str, Any]] = {pk: {key: set() for key in relations} for pk in pks}
    if not pks:
        return state
    for key, lookup in relations.items():
        for pk, value in model.objects.filter(pk__in=pks).values_list("pk", lookup):
            if value is not None:
                state[pk][key].add(value.casefold() if key == "keywords" else value)
    if model is LessonPage:
        for pk in pks:
            state[pk]["recommendations"] = []
        rows = Recommendation.objects.filter(lesson_id__in=pks).order_by("sort_order", "pk")
        for pk, text, element in rows.values_list("lesson_id", "text", "capability_element"):
            state[pk]["recommendations"].append((text, element))
    return state


def _fields(page: Page, data: PageData) -> dict[str, Any]:
    return {name: getattr(page, name) for name in data.values}


def _desired(data: PageData) -> dict[str, Any]:
    state = dict(data.values)
    for key, tags in data.tags.items():
        state[key] = {t.casefold() for t in tags} if key == "keywords" else {t.slug for t in tags}
    state["shared_with"] = {city.pk for city in data.shared_with}
    state["recipients"] = {user.pk for user in data.recipients}
    if data.recommendations is not None:
        state["recommendations"] = list(data.recommendations)
    return state


def _assign(page: Page, data: PageData) -> None:
    for name, value in data.values.items():
        setattr(page, name, value)
    for name, tags in data.tags.items():
        if name == "keywords":
            # One tag per keyword whatever its case (tags are case-insensitive here).
            tags = list({tag.casefold(): tag for tag in tags}.values())
        getattr(page, name).set(tags)
    page.shared_with.set(data.shared_with)
    page.recipients.set(data.recipients)
    if data.recommendations is not None:
        page.recommendations.set(_recommendations(page, data.recommendations))


def _recommendations(page: LessonPage, wanted: list[tuple[str, str]]) -> list[Recommendation]:
    """The new list, keeping the rows (and whatever hangs off them) whose text is unchanged."""
    pool: dict[str, list[Recommendation]] = {}
    if page.pk:
        for rec in page.recommendations.all():
            pool.setdefault(rec.text, []).append(rec)
    result = []
    for index, (text, element) in enumerate(wanted):
        reusable = pool.get(text)
        rec = reusable.pop(0) if reusable else Recommendation(text=text)
        rec.capability_element = element
        rec.sort_order = index
        result.append(rec)
    return result


def _failed(data: PageData, exc: ValidationError) -> ImportFailed:
    """A model validation error (a rule the checks above missed), located in the line."""
    if hasattr(exc, "error_dict"):
        name, errors = next(iter(exc.error_dict.items()))
        key = "" if name == "__all__" else _LINE_KEYS.get(name, name)
        messages = [message for error in errors for message in error.messages]
    else:
        key, messages = "", exc.messages
    field = f"{data.path}{key}" if key else data.path.rstrip(".")
    return ImportFailed(data.line, field, "; ".join(messages))
