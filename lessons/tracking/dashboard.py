"""The committee dashboard's figures.

Aggregates count every action in the committee's scope (a network-wide member: all cities)
and never carry a lesson's title; lists of actions or lessons come only from what the
member may see (kb.access). Declined actions are the organisation's formal non-concurrence:
they are counted but do not keep a lesson from being learned.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb.choices import ActionStatus, CapabilityElement, vocabulary_choices
from kb.directory import current_membership
from kb.models import City
from lessons import access
from lessons.models import LessonPage, LessonTheme

from . import rules
from .filters import filter_actions
from .models import DUE_SOON_DAYS, OPEN_STATUSES, STALE_DAYS, Action

S = ActionStatus
DONE = (S.IMPLEMENTED, S.VALIDATED)
AGE_BUCKETS = [
    (0, 30, _("0–30 days")),
    (31, 90, _("31–90 days")),
    (91, 180, _("91–180 days")),
    (181, None, _("over 180 days")),
]
LIST_LIMIT = 25
MONTHS = 12
STALE_AGE = datetime.timedelta(days=STALE_DAYS)
TITLES_PER_THEME = 5


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


def scoped_actions(scope: Scope, filters: dict) -> QuerySet:
    """Every action of the scope (for counting only: may include restricted lessons)."""
    actions = Action.objects.all()
    if scope.city is not None:
        actions = actions.filter(recommendation__lesson__owner_city=scope.city)
    elif not scope.network_wide:
        actions = actions.none()
    rest = {key: value for key, value in filters.items() if key != "city"}
    actions = filter_actions(actions, rest)
    if actions.query.distinct:
        # A theme or attack-type filter joins a many-to-many relation: selecting the ids
        # through a subquery keeps one row per action, so the counts need no DISTINCT.
        actions = Action.objects.filter(pk__in=actions.values("pk"))
    return actions


def lesson_is_learned(statuses: list[str]) -> bool:
    counted = [status for status in statuses if status != S.DECLINED]
    return bool(counted) and all(status == S.VALIDATED for status in counted)


def _month_ends(today: datetime.date, months: int) -> list[tuple[int, int]]:
    ends, year, month = [], today.year, today.month
    for _month in range(months):
        ends.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(ends))


def _summary_counts(today: datetime.date, now: datetime.datetime, months: int) -> dict:
    """The filtered counts behind the status bars, the late counts, the ageing buckets and
    the implementation over time: all read in one pass over the actions."""
    is_open = Q(status__in=OPEN_STATUSES)
    counts = {f"s_{value}": Count("pk", filter=Q(status=value)) for value, _label in S.choices}
    counts["overdue"] = Count("pk", filter=is_open & Q(due_date__lt=today))
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    counts["due_soon"] = Count("pk", filter=is_open & Q(due_date__gte=today, due_date__lte=horizon))
    counts["stale"] = Count("pk", filter=is_open & Q(last_update_at__lt=now - STALE_AGE))
    for index, (low, high, _label) in enumerate(AGE_BUCKETS):
        when = is_open & Q(created_at__lte=now - datetime.timedelta(days=low))
        if high is not None:
            when &= Q(created_at__gt=now - datetime.timedelta(days=high + 1))
        counts[f"b{index}"] = Count("pk", filter=when)
    for index, (year, month) in enumerate(_month_ends(today, months)):
        nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
        end = nxt - datetime.timedelta(days=1)
        before = datetime.datetime.combine(nxt, datetime.time.min, tzinfo=datetime.UTC)
        counts[f"t{index}"] = Count("pk", filter=Q(created_at__lt=before))
        counts[f"d{index}"] = Count("pk", filter=Q(status__in=DONE, completion_date__lte=end))
    return counts


def status_counts(row: dict) -> list[tuple[str, str, int]]:
    return [(value, label, row[f"s_{value}"]) for value, label in S.choices]


def ageing(row: dict) -> list[tuple[str, int]]:
    """Open actions per age bucket."""
    return [(label, row[f"b{index}"]) for index, (_l, _h, label) in enumerate(AGE_BUCKETS)]


def implementation_over_time(row: dict, today: datetime.date, months: int = 12) -> list[dict]:
    """Per month: actions existing by its end, and those implemented (or validated) by then."""
    result = []
    for index, (year, month) in enumerate(_month_ends(today, months)):
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


def breakdown(
    actions: QuerySet,
    field: str,
    labels: dict[str, str],
    today: datetime.date,
    distinct: bool = True,
) -> list[dict]:
    """Counts per theme, attack type or capability element (an action may count twice
    when its lesson has two themes). `distinct=False` when `field` is the action's own
    column: each action is then one row already."""
    overdue = Q(status__in=[S.PROPOSED, S.ACCEPTED, S.IN_PROGRESS], due_date__lt=today)
    rows = (
        actions.order_by()
        .values(field)
        .annotate(
            total=Count("pk", distinct=distinct),
            validated=Count("pk", filter=Q(status=S.VALIDATED), distinct=distinct),
            overdue=Count("pk", filter=overdue, distinct=distinct),
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
    Figures cover every lesson (aggregates); titles only those the member may see, at most
    TITLES_PER_THEME per theme."""
    lesson_of = "recommendation__lesson_id"
    unfinished = actions.exclude(status__in=[S.VALIDATED, S.DECLINED]).values(lesson_of)
    counted = actions.exclude(status=S.DECLINED).values(lesson_of)
    open_lessons = LessonPage.objects.filter(pk__in=actions.values(lesson_of)).filter(
        Q(pk__in=unfinished) | ~Q(pk__in=counted)
    )
    themes = (
        open_lessons.order_by()
        .values("themes__slug")
        .annotate(cities=Count("owner_city", distinct=True), lessons=Count("pk", distinct=True))
        .filter(cities__gte=2)
    )
    names = dict(vocabulary_choices("theme"))
    visible = access.visible_lessons(user).filter(pk__in=open_lessons.values("pk"))
    # Three queries whatever the number of themes (not two per theme): the visible lessons
    # per theme, the first TITLES_PER_THEME of each by title, and those pages.
    themes = list(themes)
    items = LessonTheme.objects.filter(
        content_object__in=visible.values("pk"), tag__slug__in=[t["themes__slug"] for t in themes]
    )
    may_open_by_slug = dict(
        items.order_by()
        .values("tag__slug")
        .annotate(n=Count("content_object_id", distinct=True))
        .values_list("tag__slug", "n")
    )
    first = items.annotate(
        rank=Window(
            RowNumber(),
            partition_by=F("tag__slug"),
            order_by=[F("content_object__title").asc(), F("content_object_id").asc()],
        )
    ).filter(rank__lte=TITLES_PER_THEME)
    shown_ids = list(first.values_list("tag__slug", "content_object_id"))
    pages = LessonPage.objects.in_bulk([pk for _title, pk in shown_ids])
    shown_by_slug: dict[str, list] = {}
    for slug, pk in shown_ids:
        shown_by_slug.setdefault(slug, []).append(pages[pk])
    rows = []
    for theme in themes:
        slug = theme["themes__slug"]
        if not slug:
            continue  # lessons without a theme
        shown = sorted(shown_by_slug.get(slug, []), key=lambda page: (page.title, page.pk))
        may_open = may_open_by_slug.get(slug, 0)
        rows.append(
            {
                "slug": slug,
                "label": names.get(slug, slug),
                "cities": theme["cities"],
                "lessons": theme["lessons"],
                "visible": shown,
                "more": may_open - len(shown),
                "hidden": theme["lessons"] - may_open,
            }
        )
    return sorted(rows, key=lambda row: (-row["cities"], -row["lessons"], row["label"]))


def dashboard(user, scope: Scope, filters: dict, today=None, now=None) -> dict:
    today = today or timezone.localdate()
    now = now or timezone.now()
    actions = scoped_actions(scope, filters)
    visible = rules.visible_actions(user, actions.with_context())
    row = actions.order_by().aggregate(**_summary_counts(today, now, MONTHS))
    late = Q(status__in=OPEN_STATUSES)
    may_see = visible.order_by().aggregate(
        overdue=Count("pk", filter=late & Q(due_date__lt=today)),
        stale=Count("pk", filter=late & Q(last_update_at__lt=now - STALE_AGE)),
    )
    overdue_list = list(visible.overdue(today).order_by("due_date", "pk")[:LIST_LIMIT])
    stale_list = list(visible.stale(now).order_by("last_update_at", "pk")[:LIST_LIMIT])
    statuses = status_counts(row)
    return {
        "total": sum(n for _v, _l, n in statuses),
        "statuses": statuses,
        "max_status": max([n for _v, _l, n in statuses] + [1]),
        "overdue_count": row["overdue"],
        "due_soon_count": row["due_soon"],
        "stale_count": row["stale"],
        "overdue": overdue_list,
        "overdue_hidden": row["overdue"] - may_see["overdue"],
        "stale": stale_list,
        "stale_hidden": row["stale"] - may_see["stale"],
        "ageing": ageing(row),
        "over_time": implementation_over_time(row, today, MONTHS),
        "by_theme": breakdown(
            actions,
            "recommendation__lesson__themes__slug",
            dict(vocabulary_choices("theme")),
            today,
        ),
        "by_attack_type": breakdown(
            actions,
            "recommendation__lesson__debrief__attack_types__slug",
            dict(vocabulary_choices("attack_type")),
            today,
        ),
        "by_element": breakdown(
            actions, "capability_element", dict(CapabilityElement.choices), today, distinct=False
        ),
        "not_learned": not_learned_across_cities(user, actions),
    }
