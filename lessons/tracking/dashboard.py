"""The committee dashboard's figures: its cities' parts (dashboard_parts), merged.

Aggregates count every action in the committee's scope (a network-wide member: all cities)
and never carry a lesson's title; lists of actions or lessons come only from what the
member may see (kb.access). Declined actions are the organisation's formal non-concurrence:
they are counted but do not keep a lesson from being learned.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb.choices import ActionStatus, CapabilityElement, vocabulary_choices
from kb.directory import current_membership
from kb.models import City
from lessons.models import LessonPage

from . import rules
from .dashboard_parts import LIST_LIMIT, TITLES_PER_THEME, city_parts, month_ends
from .models import Action

S = ActionStatus
# One per dashboard_parts.AGE_BUCKETS.
AGE_LABELS = [_("0–30 days"), _("31–90 days"), _("91–180 days"), _("over 180 days")]


@dataclass
class Scope:
    """Which cities' figures the member follows, and which city is selected."""

    cities: list[City]
    city: City | None
    network_wide: bool


def scope_for(user, city_name: str = "") -> Scope | None:
    """None when the user is no committee member."""
    if not rules.is_committee(user):
        return None
    if rules.is_network_wide(user):
        cities = list(City.objects.all())
        city = next((c for c in cities if c.name == city_name), None)
        return Scope(cities, city, True)
    membership = current_membership(user)
    return Scope([membership.city], membership.city, False)


def scope_cities(scope: Scope) -> list[int | None]:
    """The cities whose parts make the scope's figures (None: lessons without a city)."""
    if scope.city is not None:
        return [scope.city.pk]
    if scope.network_wide:
        return [city.pk for city in scope.cities] + [None]
    return []


def lesson_is_learned(statuses: list[str]) -> bool:
    counted = [status for status in statuses if status != S.DECLINED]
    return bool(counted) and all(status == S.VALIDATED for status in counted)


def status_counts(row: dict) -> list[tuple[str, str, int]]:
    return [(value, label, row[f"s_{value}"]) for value, label in S.choices]


def implementation_over_time(row: dict, today) -> list[dict]:
    """Per month: actions existing by its end, and those implemented (or validated) by then."""
    result = []
    for index, (year, month) in enumerate(month_ends(today)):
        total, done = row[f"t{index}"], row[f"d{index}"]
        result.append(
            {
                "month": f"{year}-{month:02d}",
                "total": total,
                "done": done,
                "rate": round(100 * done / total) if total else 0,
            }
        )
    return result


def _breakdown(parts: list[dict], key: str, labels: dict[str, str]) -> list[dict]:
    """Counts per theme, attack type or capability element (an action may count twice
    when its lesson has two themes)."""
    sums: dict[str, list[int]] = {}
    for part in parts:
        for slug, counts in part[key].items():
            sums[slug] = [a + b for a, b in zip(sums.get(slug, (0, 0, 0)), counts, strict=True)]
    out = [
        {
            "slug": slug,
            "label": labels.get(slug, slug),
            "total": total,
            "validated": validated,
            "overdue": overdue,
        }
        for slug, (total, validated, overdue) in sums.items()
    ]
    return sorted(out, key=lambda row: (-row["total"], row["label"]))


def _not_learned(parts: list[dict]) -> list[dict]:
    """Themes whose lessons, identified in two cities or more, are not learned yet.
    Figures cover every lesson; titles only those the member may see, at most
    TITLES_PER_THEME per theme."""
    themes: dict[str, dict] = {}
    for part in parts:
        for slug, (lessons, may_open, first) in part["not_learned"].items():
            theme = themes.setdefault(slug, {"cities": 0, "lessons": 0, "may_open": 0, "first": []})
            theme["cities"] += part["city"] is not None
            theme["lessons"] += lessons
            theme["may_open"] += may_open
            theme["first"] = sorted(theme["first"] + first)[:TITLES_PER_THEME]
    themes = {slug: theme for slug, theme in themes.items() if theme["cities"] >= 2}
    pages = LessonPage.objects.in_bulk(
        [pk for theme in themes.values() for _title, pk in theme["first"]]
    )
    names = dict(vocabulary_choices("theme"))
    rows = []
    for slug, theme in themes.items():
        shown = [pages[pk] for _title, pk in theme["first"] if pk in pages]
        rows.append(
            {
                "slug": slug,
                "label": names.get(slug, slug),
                "cities": theme["cities"],
                "lessons": theme["lessons"],
                "visible": shown,
                "more": theme["may_open"] - len(shown),
                "hidden": theme["lessons"] - theme["may_open"],
            }
        )
    return sorted(rows, key=lambda row: (-row["cities"], -row["lessons"], row["label"]))


def _late_lists(parts: list[dict]) -> tuple[list, list]:
    """The first LIST_LIMIT overdue (by due date) and stale (by last update) actions the
    member may see, over all the parts, read in one query."""
    firsts = {
        key: sorted(pair for part in parts for pair in part[key])[:LIST_LIMIT]
        for key in ("overdue", "stale")
    }
    ids = [pk for pairs in firsts.values() for _when, pk in pairs]
    actions = Action.objects.with_context().in_bulk(ids)
    overdue, stale = ([actions[pk] for _when, pk in firsts[key]] for key in ("overdue", "stale"))
    return overdue, stale


def merge(parts: Iterable[dict], today) -> dict:
    """The dashboard's figures from its cities' parts."""
    parts = list(parts)
    row: Counter = Counter()
    may_see: Counter = Counter()
    for part in parts:
        row.update(part["row"])
        may_see.update(part["may_see"])
    statuses = status_counts(row)
    total = sum(n for _v, _l, n in statuses)
    overdue, stale = _late_lists(parts)
    return {
        "total": total,
        "statuses": statuses,
        "max_status": max([n for _v, _l, n in statuses] + [1]),
        "overdue_count": row["overdue"],
        "due_soon_count": row["due_soon"],
        "stale_count": row["stale"],
        "overdue": overdue,
        "overdue_hidden": row["overdue"] - may_see["overdue"],
        "stale": stale,
        "stale_hidden": row["stale"] - may_see["stale"],
        # What the exports offered beside the figures leave out for the reader's markings.
        "left_out": total - may_see["all"],
        "ageing": [(label, row[f"b{index}"]) for index, label in enumerate(AGE_LABELS)],
        "over_time": implementation_over_time(row, today),
        "by_theme": _breakdown(parts, "by_theme", dict(vocabulary_choices("theme"))),
        "by_attack_type": _breakdown(
            parts, "by_attack_type", dict(vocabulary_choices("attack_type"))
        ),
        "by_element": _breakdown(parts, "by_element", dict(CapabilityElement.choices)),
        "not_learned": _not_learned(parts),
    }


def dashboard(user, scope: Scope, filters: dict, today=None, now=None) -> dict:
    """The figures computed from scratch (dashboard_cache keeps the parts)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    parts = city_parts(user, scope_cities(scope), filters, today, now)
    return merge(parts.values(), today)
