"""Property: whatever sequence of writes (through the tracker's moves, progress updates,
the admin's saves, bulk updates, deletions, a lesson re-marked or re-themed) and whatever
passing of the clock, the figures the dashboard shows each committee member equal figures
computed from scratch (hypothesis drives the sequences)."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb import dataversion
from kb.choices import ActionStatus, Marking
from kb.models import Theme
from lessons.tracking import logic, transitions
from lessons.tracking.dashboard import scope_for
from lessons.tracking.dashboard_cache import dashboard, drift
from lessons.tracking.models import Action
from tests.factories import make_action, make_debrief, make_lesson
from tests.lessons.tracking_world import build_world_with_actions

pytestmark = pytest.mark.django_db

STATUSES = [value for value, _label in ActionStatus.choices]
THEMES = ["information-sharing", "training-exercising", "crowded-places"]


@pytest.fixture
def world():
    world = build_world_with_actions()
    berlin_debrief = make_debrief(world.berlin, title="Station debrief", marking=Marking.AMBER)
    world.berlin_lesson = make_lesson(berlin_debrief, title="Station radios")
    make_action(world.berlin_lesson, world.fire, corrective_action="Berlin drill")
    world.clock = timezone.now()
    return world


def _pick(items: list, index: int):
    return items[index % len(items)] if items else None


def _move(world, index: int, name: str) -> None:
    action = _pick(list(Action.objects.order_by("pk")), index)
    move = transitions.BY_NAME[name]
    if action is None or action.status not in move.sources:
        return
    user = world.committee if name in ("validate", "reopen") else world.owner
    evidence = logic.Evidence(note="Checked")
    try:
        logic.apply(name, user, action, evidence, "A reason")
    except logic.TransitionRefused:
        pass  # refused writes nothing


def _progress(world, index: int, _value) -> None:
    action = _pick(list(Action.objects.order_by("pk")), index)
    try:
        logic.post_update(world.owner, action, logic.Evidence(note="Progress"))
    except logic.TransitionRefused:
        pass


def _due(world, index: int, days: int) -> None:
    action = _pick(list(Action.objects.order_by("pk")), index)
    action.due_date = timezone.localdate() + datetime.timedelta(days=days)
    action.save()  # as the admin does


def _untouched_for(world, index: int, days: int) -> None:
    action = _pick(list(Action.objects.order_by("pk")), index)
    when = world.clock - datetime.timedelta(days=abs(days) * 3)
    Action.objects.filter(pk=action.pk).update(last_update_at=when, created_at=when)
    dataversion.bump()  # as every bulk write does


def _deleted(world, index: int, _value) -> None:
    action = _pick(list(Action.objects.order_by("pk")), index)
    if Action.objects.count() > 1:
        action.delete()


def _created(world, index: int, _value) -> None:
    lesson = _pick([world.lesson, world.secret_lesson, world.berlin_lesson], index)
    make_action(lesson, world.police, corrective_action=f"Added {index}")


def _remarked(world, index: int, value: int) -> None:
    lesson = _pick([world.lesson, world.secret_lesson, world.berlin_lesson], index)
    lesson.marking = _pick(list(Marking), value)
    lesson.save()


def _rethemed(world, index: int, value: int) -> None:
    lesson = _pick([world.lesson, world.secret_lesson, world.berlin_lesson], index)
    lesson.themes.set(list(Theme.objects.filter(slug__in=THEMES[: 1 + value % 3])))
    lesson.save()


def _renamed(world, index: int, _value) -> None:
    organisation = _pick([world.fire, world.police], index)
    organisation.name = f"{organisation.name.split(' #')[0]} #{index}"
    organisation.save()


def _clock(world, _index, value: int) -> None:
    world.clock += datetime.timedelta(hours=abs(value) * 7)


WRITES = {
    "move": _move,
    "progress": _progress,
    "due": _due,
    "untouched": _untouched_for,
    "deleted": _deleted,
    "created": _created,
    "remarked": _remarked,
    "rethemed": _rethemed,
    "renamed": _renamed,
    "clock": _clock,
}
steps = st.one_of(
    st.tuples(st.just("move"), st.integers(0, 9), st.sampled_from(transitions.NAMES)),
    st.tuples(
        st.sampled_from([name for name in WRITES if name != "move"]),
        st.integers(0, 9),
        st.integers(-30, 30),
    ),
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(steps, min_size=1, max_size=6))
def test_any_sequence_of_writes_leaves_the_figures_equal_to_a_recomputation(world, sequence):
    viewers = [
        (world.committee, scope_for(world.committee)),
        (world.network, scope_for(world.network)),
        (world.network, scope_for(world.network, "Berlin")),
        (world.berlin_committee, scope_for(world.berlin_committee)),
    ]
    for name, index, value in sequence:
        WRITES[name](world, index, value)
        today = timezone.localdate(world.clock)
        for user, scope in viewers:
            assert drift(user, scope, {}, today=today, now=world.clock) == [], (name, user)
        # And the merge of the cities' parts against plain counts of the whole network.
        shown = dashboard(world.network, viewers[1][1], {}, today=today, now=world.clock)
        counted = {value: Action.objects.filter(status=value).count() for value in STATUSES}
        assert {value: n for value, _label, n in shown["statuses"]} == counted
        assert shown["overdue_count"] == Action.objects.overdue(today).count()
        assert shown["stale_count"] == Action.objects.stale(world.clock).count()
