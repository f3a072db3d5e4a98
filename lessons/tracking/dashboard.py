"""The committee dashboard's figures.

Aggregates count every action in the committee's scope (a network-wide member: all cities)
and never carry a lesson's title; lists of actions or lessons come only from what the
member may see (kb.access). Declined actions are the organisation's formal non-concurrence:
they are counted but do not keep a lesson from being learned.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kb import access
from kb.choices import ActionStatus, CapabilityElement
from kb.models import AttackType, City, Theme

from . import rules
from .filters import filter_actions
from .models import Action

S = ActionStatus
DONE = (S.IMPLEMENTED, S.VALIDATED)
AGE_BUCKETS = [
    (0, 30, "0–30 days"),
    (31, 90, "31–90 days"),
    (91, 180, "91–180 days"),
    (181, None, "over 180 days"),
]
LIST_LIMIT = 25


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
    membership = rules.membership_of(user)
    return Scope([membership.city], membership.city, False)


def scoped_actions(scope: Scope, filters: dict) -> QuerySet:
    """Every action of the scope (for counting only: may include restricted lessons)."""
    actions = Action.objects.all()
    if scope.city is not None:
        actions = actions.filter(recommendation__lesson__owner_city=scope.city)
    elif not scope.network_wide:
        actions = actions.none()
    rest = {key: value for key, value in filters.items() if key != "city"}
    return filter_actions(actions, rest)


def lesson_is_learned(statuses: list[str]) -> bool:
    counted = [status for status in statuses if status != S.DECLINED]
    return bool(counted) and all(status == S.VALIDATED for status in counted)


def status_counts(actions: QuerySet) -> list[tuple[str, str, int]]:
    counts = dict(actions.values_list("status").annotate(n=Count("pk", distinct=True)))
    return [(value, label, counts.get(value, 0)) for value, label in S.choices]


def ageing(actions: QuerySet, now: datetime.datetime) -> list[tuple[str, int]]:
    ages = Counter()
    for created in actions.open().values_list("created_at", flat=True):
        days = (now - created).days
        for low, high, label in AGE_BUCKETS:
            if days >= low and (high is None or days <= high):
                ages[label] += 1
                break
    return [(label, ages[label]) for _low, _high, label in AGE_BUCKETS]


def implementation_over_time(actions: QuerySet, today: datetime.date, months: int = 12):
    """Per month: actions existing by its end, and those implemented (or validated) by then."""
    rows = list(actions.values_list("created_at", "completion_date", "status"))
    result = []
    year, month = today.year, today.month
    ends = []
    for _ in range(months):
        ends.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    for year, month in reversed(ends):
        nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
        end = nxt - datetime.timedelta(days=1)
        total = sum(1 for created, _c, _s in rows if created.date() <= end)
        done = sum(
            1
            for _cr, completed, status in rows
            if status in DONE and completed and completed <= end
        )
        result.append(
            {
                "month": f"{year}-{month:02d}",
                "total": total,
                "done": done,
                "rate": round(100 * done / total) if total else 0,
            }
        )
    return result


def breakdown(actions: QuerySet, field: str, labels: dict[str, str], today: datetime.date):
    """Counts per theme, attack type or capability element (an action may count twice
    when its lesson has two themes)."""
    overdue = Q(status__in=[S.PROPOSED, S.ACCEPTED, S.IN_PROGRESS], due_date__lt=today)
    rows = (
        actions.order_by()
        .values(field)
        .annotate(
            total=Count("pk", distinct=True),
            validated=Count("pk", filter=Q(status=S.VALIDATED), distinct=True),
            overdue=Count("pk", filter=overdue, distinct=True),
        )
    )
    out = [
        {"slug": row[field], "label": labels.get(row[field], row[field]), **row}
        for row in rows
        if row[field]
    ]
    return sorted(out, key=lambda row: (-row["total"], row["label"]))


def not_learned_across_cities(user, actions: QuerySet) -> list[dict]:
    """Themes whose lessons, identified in two cities or more, are not learned yet.
    Figures cover every lesson; titles only those the member may see."""
    by_lesson: dict[int, list[str]] = defaultdict(list)
    for lesson_id, status in actions.values_list("recommendation__lesson_id", "status"):
        by_lesson[lesson_id].append(status)
    open_lessons = [pk for pk, statuses in by_lesson.items() if not lesson_is_learned(statuses)]
    from lessons.models import LessonPage

    pairs = LessonPage.objects.filter(pk__in=open_lessons).values_list(
        "pk", "owner_city_id", "themes__slug"
    )
    themes: dict[str, dict] = defaultdict(lambda: {"cities": set(), "lessons": set()})
    for pk, city_id, slug in pairs:
        if slug:
            themes[slug]["cities"].add(city_id)
            themes[slug]["lessons"].add(pk)
    names = dict(Theme.objects.values_list("slug", "name"))
    visible = access.visible_lessons(user).filter(pk__in=open_lessons).order_by("title")
    visible_by_theme = defaultdict(list)
    for lesson in visible.prefetch_related("themes"):
        for theme in lesson.themes.all():
            visible_by_theme[theme.slug].append(lesson)
    rows = []
    for slug, data in themes.items():
        if len(data["cities"]) < 2:
            continue
        shown = visible_by_theme.get(slug, [])
        rows.append(
            {
                "slug": slug,
                "label": names.get(slug, slug),
                "cities": len(data["cities"]),
                "lessons": len(data["lessons"]),
                "visible": shown,
                "hidden": len(data["lessons"]) - len(shown),
            }
        )
    return sorted(rows, key=lambda row: (-row["cities"], -row["lessons"], row["label"]))


def dashboard(user, scope: Scope, filters: dict, today=None, now=None) -> dict:
    today = today or timezone.localdate()
    now = now or timezone.now()
    actions = scoped_actions(scope, filters)
    visible = access.visible_actions(user, actions.with_context())
    overdue_all, stale_all = actions.overdue(today), actions.stale(now)
    overdue_list = list(visible.overdue(today).order_by("due_date", "pk")[:LIST_LIMIT])
    stale_list = list(visible.stale(now).order_by("last_update_at", "pk")[:LIST_LIMIT])
    statuses = status_counts(actions)
    total = sum(n for _v, _l, n in statuses)
    return {
        "total": total,
        "statuses": statuses,
        "max_status": max([n for _v, _l, n in statuses] + [1]),
        "overdue_count": overdue_all.count(),
        "due_soon_count": actions.due_soon(today).count(),
        "stale_count": stale_all.count(),
        "overdue": overdue_list,
        "overdue_hidden": overdue_all.count() - visible.overdue(today).count(),
        "stale": stale_list,
        "stale_hidden": stale_all.count() - visible.stale(now).count(),
        "ageing": ageing(actions, now),
        "over_time": implementation_over_time(actions, today),
        "by_theme": breakdown(
            actions,
            "recommendation__lesson__themes__slug",
            dict(Theme.objects.values_list("slug", "name")),
            today,
        ),
        "by_attack_type": breakdown(
            actions,
            "recommendation__lesson__debrief__attack_types__slug",
            dict(AttackType.objects.values_list("slug", "name")),
            today,
        ),
        "by_element": breakdown(
            actions, "capability_element", dict(CapabilityElement.choices), today
        ),
        "not_learned": not_learned_across_cities(user, actions),
    }
