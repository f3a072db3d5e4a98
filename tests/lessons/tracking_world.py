"""A small world for the tracker's tests: two cities, owners, committees, lessons."""

from __future__ import annotations

from dataclasses import dataclass

from kb.choices import Marking
from tests.factories import (
    make_action,
    make_city,
    make_debrief,
    make_lesson,
    make_member,
    make_organisation,
)


@dataclass
class World:
    nice: object
    berlin: object
    fire: object
    police: object
    owner: object
    other_owner: object
    committee: object
    reader: object
    berlin_committee: object
    network: object
    lesson: object
    secret_lesson: object
    action: object


def build_world() -> World:
    nice, berlin = make_city("Nice"), make_city("Berlin")
    fire = make_organisation("Nice Fire", nice, "fire")
    police = make_organisation("Nice Police", nice, "police")
    berlin_org = make_organisation("Berlin Transport", berlin, "transport")
    national = make_organisation("National Centre", None, "other")
    owner = make_member("fire-owner", nice, "owner", organisation=fire)
    other_owner = make_member("police-owner", nice, "owner", organisation=police)
    committee = make_member("nice-committee", nice, "committee")
    reader = make_member("nice-reader", nice, "")
    berlin_committee = make_member("berlin-committee", berlin, "committee", organisation=berlin_org)
    network = make_member("network", berlin, "committee", organisation=national)
    membership = network.memberships.get()
    membership.network_wide = True
    membership.save()
    debrief = make_debrief(nice, title="Seafront debrief", marking=Marking.GREEN)
    lesson = make_lesson(debrief, title="Radios failed at the seafront")
    strict_debrief = make_debrief(nice, title="Strict debrief", marking=Marking.AMBER_STRICT)
    secret_lesson = make_lesson(strict_debrief, title="Secret strict lesson title")
    action = make_action(lesson, fire, point_of_contact=owner)
    return World(
        nice,
        berlin,
        fire,
        police,
        owner,
        other_owner,
        committee,
        reader,
        berlin_committee,
        network,
        lesson,
        secret_lesson,
        action,
    )


def build_world_with_actions() -> World:
    """The world plus three actions: one overdue, one validated, one on the strict lesson."""
    import datetime

    from django.utils import timezone

    from tests.factories import make_action

    world = build_world()
    today = timezone.localdate()
    make_action(
        world.lesson,
        world.fire,
        status="in_progress",
        due_date=today - datetime.timedelta(days=5),
        corrective_action="Late drill",
    )
    make_action(world.lesson, world.police, status="validated", corrective_action="Done")
    make_action(
        world.secret_lesson,
        world.fire,
        status="in_progress",
        due_date=today - datetime.timedelta(days=2),
        corrective_action="Strict action",
    )
    return world
