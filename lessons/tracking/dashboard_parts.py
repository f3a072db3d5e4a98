"""The committee dashboard's figures, one part per city.

Every figure of the dashboard is a sum, a count of cities or the first rows of a sorted
list, so the network's figures are the merge of its cities' parts (dashboard.merge). A
write changes one city's part at most (kb.dataversion names the city), so a cache of
parts (dashboard_cache) recomputes one city after it, not the network. Parts are computed
for any set of cities in the same number of queries: grouped by city, never one query per
city.

A part holds counts, slugs, dates and ids, and the titles of the lessons the viewer may open
by which the first of each theme are chosen; what the page shows (actions, lessons) is read
afresh when the parts are merged. Its aggregates count every action of
the city (the committee follows them all); what the viewer may open (the late lists, the
lessons named per theme, what is hidden from them) comes from kb.access through
lessons.access, asked about the city's lessons only.
"""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Collection

from django.db.models import Count, F, Min, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from kb.choices import ActionStatus
from kb.models import City
from lessons import access
from lessons.models import DebriefAttackType, LessonPage, LessonTheme

from . import rules
from .filters import filter_actions
from .models import DUE_SOON_DAYS, OPEN_STATUSES, STALE_DAYS, Action

S = ActionStatus
DONE = (S.IMPLEMENTED, S.VALIDATED)
CITY = "recommendation__lesson__owner_city_id"
AGE_BUCKETS = ((0, 30), (31, 90), (91, 180), (181, None))
# Ages (in days) at which an open action moves to another ageing bucket (0: an action
# dated in the future).
AGE_THRESHOLDS = sorted(
    {low for low, _h in AGE_BUCKETS} | {high + 1 for _l, high in AGE_BUCKETS if high is not None}
)
LIST_LIMIT = 25
MONTHS = 12
STALE_AGE = datetime.timedelta(days=STALE_DAYS)
TITLES_PER_THEME = 5


def month_ends(today: datetime.date, months: int = MONTHS) -> list[tuple[int, int]]:
    ends, year, month = [], today.year, today.month
    for _month in range(months):
        ends.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(ends))


def _summary_counts(today: datetime.date, now: datetime.datetime) -> dict:
    """The counts behind the status bars, the late counts, the ageing buckets and the
    implementation over time: all read in one pass over the actions."""
    is_open = Q(status__in=OPEN_STATUSES)
    counts = {f"s_{value}": Count("pk", filter=Q(status=value)) for value, _label in S.choices}
    counts["overdue"] = Count("pk", filter=is_open & Q(due_date__lt=today))
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    counts["due_soon"] = Count("pk", filter=is_open & Q(due_date__gte=today, due_date__lte=horizon))
    counts["stale"] = Count("pk", filter=is_open & Q(last_update_at__lt=now - STALE_AGE))
    for index, (low, high) in enumerate(AGE_BUCKETS):
        when = is_open & Q(created_at__lte=now - datetime.timedelta(days=low))
        if high is not None:
            when &= Q(created_at__gt=now - datetime.timedelta(days=high + 1))
        counts[f"b{index}"] = Count("pk", filter=when)
    for index, (year, month) in enumerate(month_ends(today)):
        nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
        end = nxt - datetime.timedelta(days=1)
        before = datetime.datetime.combine(nxt, datetime.time.min, tzinfo=datetime.UTC)
        counts[f"t{index}"] = Count("pk", filter=Q(created_at__lt=before))
        counts[f"d{index}"] = Count("pk", filter=Q(status__in=DONE, completion_date__lte=end))
    return counts


def _in_cities(city_ids: Collection[int | None] | None, prefix: str = "") -> Q:
    """Rows of these cities (None: of every city); a None among them stands for lessons
    without a city."""
    if city_ids is None:
        return Q()
    where = Q(**{f"{prefix}owner_city_id__in": [pk for pk in city_ids if pk is not None]})
    if None in city_ids:
        where |= Q(**{f"{prefix}owner_city_id__isnull": True})
    return where


def _by_city(rows, city: str = CITY) -> dict:
    return {row.pop(city): row for row in rows}


def _firsts(queryset: QuerySet, city: str, order: list[str], limit: int, *keys: str) -> dict:
    """Per city (and `keys`), the first `limit` rows by `order`, as (*order values) tuples."""
    ranked = queryset.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F(city), *(F(key) for key in keys)],
            order_by=[F(field).asc() for field in order],
        )
    ).filter(rank__lte=limit)
    out: dict = {}
    for city_id, *rest in ranked.values_list(city, *keys, *order):
        group = (city_id, *rest[: len(keys)])
        out.setdefault(group if keys else city_id, []).append(tuple(rest[len(keys) :]))
    return {group: sorted(rows) for group, rows in out.items()}


def _clock_mins(now: datetime.datetime) -> dict:
    """The aggregates behind _clock_ends: over the open actions, the first update and
    creation times still ahead of a stale or ageing threshold."""
    is_open = Q(status__in=OPEN_STATUSES)
    mins = {
        "first_update": Min(
            "last_update_at", filter=is_open & Q(last_update_at__gte=now - STALE_AGE)
        )
    }
    for days in AGE_THRESHOLDS:
        since = now - datetime.timedelta(days=days)
        mins[f"age{days}"] = Min("created_at", filter=is_open & Q(created_at__gt=since))
    return mins


def _clock_ends(mins: dict, now: datetime.datetime) -> dict:
    """Per city, the first instant after `now` at which time alone changes a stale or
    ageing figure (over all its open actions, whatever the filters: an action a `late`
    filter leaves out today may enter it tomorrow). `mins`: per city, rows of _clock_mins."""
    ends = {}
    for city_id, rows in mins.items():
        when = [now + datetime.timedelta(days=1)]
        for row in rows:
            if row["first_update"] is not None:
                when.append(row["first_update"] + STALE_AGE)
            for days in AGE_THRESHOLDS:
                if row[f"age{days}"] is not None:
                    when.append(row[f"age{days}"] + datetime.timedelta(days=days))
        ends[city_id] = min(when)
    return ends


def _summary(actions: QuerySet, today, now, clock: bool) -> tuple[dict, dict, dict]:
    """Per city: the summary counts (_summary_counts), the breakdown per capability element
    (the action's own column: total, validated and overdue actions) and (`clock`: the
    actions are every action of their cities) the rows of _clock_mins, in one pass."""
    clock_mins = _clock_mins(now) if clock else {}
    rows = (
        actions.order_by()
        .values(CITY, "capability_element")
        .annotate(**_summary_counts(today, now), **clock_mins)
    )
    summary: dict = {}
    by_element: dict = {}
    mins: dict = {}
    for row in rows:
        city_id, element = row.pop(CITY), row.pop("capability_element")
        mins.setdefault(city_id, []).append({key: row.pop(key) for key in clock_mins})
        counts = summary.setdefault(city_id, dict.fromkeys(row, 0))
        for key, value in row.items():
            counts[key] += value
        if element:
            total = sum(row[f"s_{value}"] for value, _label in S.choices)
            by_element.setdefault(city_id, {})[element] = (
                total,
                row[f"s_{S.VALIDATED.value}"],
                row["overdue"],
            )
    return summary, by_element, mins


def _lesson_figures(actions: QuerySet, visible: dict, within, today, now) -> dict:
    """Per city: the actions of the lessons the viewer may open (all, overdue, stale),
    and per theme (attack type) the total, validated and overdue actions (an action counts
    under each theme of its lesson) and the lessons not learned yet (one with an action
    neither validated nor declined, or whose actions are all declined), [all, the viewer
    may open, the first TITLES_PER_THEME of these by title as (title, id)]. One pass over
    the actions grouped by lesson, then the lessons' tags: the actions are never joined to
    the tags. `visible`: {id: title} of the lessons the viewer may open (the access
    policy's answer)."""
    late = Q(status__in=OPEN_STATUSES)
    per_lesson = (
        actions.order_by()
        .values_list("recommendation__lesson_id", CITY, "recommendation__lesson__debrief_id")
        .annotate(
            total=Count("pk"),
            validated=Count("pk", filter=Q(status=S.VALIDATED)),
            overdue=Count("pk", filter=late & Q(due_date__lt=today)),
            stale=Count("pk", filter=late & Q(last_update_at__lt=now - STALE_AGE)),
            unfinished=Count("pk", filter=~Q(status__in=[S.VALIDATED, S.DECLINED])),
            declined=Count("pk", filter=Q(status=S.DECLINED)),
        )
    )
    debriefs = DebriefAttackType.objects.all()
    if within is not None:
        lessons_here = LessonPage.objects.filter(_in_cities(within))
        debriefs = debriefs.filter(content_object__in=lessons_here.values("debrief_id"))
    attack_types: dict = {}
    for debrief, slug in debriefs.values_list("content_object_id", "tag__slug").distinct():
        attack_types.setdefault(debrief, []).append(slug)
    may_see: dict = {}
    by_attack_type: dict = {}
    lessons = {}
    for (
        lesson,
        city_id,
        debrief,
        total,
        validated,
        overdue,
        stale,
        unfinished,
        declined,
    ) in per_lesson:
        may_open = lesson in visible
        lessons[lesson] = (city_id, total, validated, overdue, unfinished or total == declined)
        if may_open:
            seen = may_see.setdefault(city_id, {"all": 0, "overdue": 0, "stale": 0})
            seen["all"] += total
            seen["overdue"] += overdue
            seen["stale"] += stale
        for slug in attack_types.get(debrief, ()):
            _add(by_attack_type, city_id, slug, total, validated, overdue)
    by_theme: dict = {}
    not_learned: dict = {}
    themes = LessonTheme.objects.filter(_in_cities(within, "content_object__"))
    for lesson, slug in themes.values_list("content_object_id", "tag__slug").distinct():
        found = lessons.get(lesson)
        if found is None:
            continue
        city_id, total, validated, overdue, not_yet = found
        _add(by_theme, city_id, slug, total, validated, overdue)
        if not_yet:
            counts = not_learned.setdefault(city_id, {}).setdefault(slug, [0, 0, []])
            counts[0] += 1
            if lesson in visible:
                counts[1] += 1
                counts[2].append((visible[lesson], lesson))
    for per_slug in not_learned.values():
        for counts in per_slug.values():
            counts[2] = heapq.nsmallest(TITLES_PER_THEME, counts[2])
    return {
        "may_see": may_see,
        "by_theme": _as_tuples(by_theme),
        "by_attack_type": _as_tuples(by_attack_type),
        "not_learned": not_learned,
    }


def _add(found: dict, city_id, slug: str, total: int, validated: int, overdue: int) -> None:
    counts = found.setdefault(city_id, {}).get(slug)
    if counts is None:
        found[city_id][slug] = [total, validated, overdue]
    else:
        counts[0] += total
        counts[1] += validated
        counts[2] += overdue


def _as_tuples(found: dict) -> dict:
    return {
        city_id: {slug: tuple(counts) for slug, counts in per_slug.items()}
        for city_id, per_slug in found.items()
    }


def city_parts(user, city_ids: Collection[int | None], filters: dict, today, now) -> dict:
    """{city id: its part} for each of `city_ids` (None: the lessons without a city)."""
    city_ids = list(city_ids)
    # The whole network at once (a first render, a write that named no city): no city
    # condition, so the database reads the tables through rather than city by city.
    everywhere = None in city_ids and set(city_ids) >= {*City.objects.values_list("pk", flat=True)}
    within = None if everywhere else city_ids
    rest = {key: value for key, value in filters.items() if key != "city"}
    actions = filter_actions(
        Action.objects.filter(_in_cities(within, "recommendation__lesson__")), rest
    )
    if actions.query.distinct:
        # A theme or attack-type filter joins a many-to-many relation: selecting the ids
        # through a subquery keeps one row per action, so the counts need no DISTINCT.
        actions = Action.objects.filter(pk__in=actions.values("pk"))
    # The viewer's lessons among these cities' only: the access policy's filter then
    # reads a city's few hundred lessons, not the network's.
    city_lessons = LessonPage.objects.filter(_in_cities(within))
    visible = rules.visible_actions(user, actions, lessons=city_lessons)
    # Unfiltered, the summary's pass reads every action of the cities: the clock's too.
    unfiltered = not any(rest.values())
    summary, by_element, mins = _summary(actions, today, now, clock=unfiltered)
    if not unfiltered:
        everyone = Action.objects.filter(_in_cities(within, "recommendation__lesson__"))
        rows = everyone.order_by().values(CITY).annotate(**_clock_mins(now))
        mins = {city_id: [row] for city_id, row in _by_city(rows).items()}
    may_open = dict(access.visible_lessons(user, city_lessons).values_list("pk", "title"))
    figures = _lesson_figures(actions, may_open, within, today, now)
    overdue = _firsts(visible.overdue(today), CITY, ["due_date", "pk"], LIST_LIMIT)
    stale = _firsts(visible.stale(now), CITY, ["last_update_at", "pk"], LIST_LIMIT)
    breakdowns = {
        "by_theme": figures["by_theme"],
        "by_attack_type": figures["by_attack_type"],
        "by_element": by_element,
    }
    ends = _clock_ends(mins, now)
    return {
        city_id: {
            "city": city_id,
            "row": summary.get(city_id, {}),
            "may_see": figures["may_see"].get(city_id, {}),
            "overdue": overdue.get(city_id, []),
            "stale": stale.get(city_id, []),
            **{key: found.get(city_id, {}) for key, found in breakdowns.items()},
            "not_learned": figures["not_learned"].get(city_id, {}),
            "valid_until": ends.get(city_id, now + datetime.timedelta(days=1)),
        }
        for city_id in city_ids
    }
