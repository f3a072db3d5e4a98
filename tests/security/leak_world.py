"""The world of the leak matrix: one lesson (and one debrief) per marking, one user per kind
of viewer, review rounds, overdue actions and the notifications they send.

Every marked item carries two unique words: a `title` word (in its title, hence its slug)
and a `sentinel` word (only in its text). The channels are checked against those words:
a hidden item's words must appear nowhere; a visible item's title must appear where the
channel lists it, and its sentinel where the channel shows its text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase

from kb import access
from kb.choices import Marking
from kb.models import Membership
from tests.factories import (
    make_accepted_review,
    make_action,
    make_city,
    make_debrief,
    make_lesson,
    make_member,
    make_organisation,
    make_review_round,
)

# Each marking gets a fruit (no fruit is a substring of another), an attack type and a year
# of its own, so a facet value that only the hidden lesson has shows up if it is counted.
MARKINGS = {
    "CLEAR": (Marking.CLEAR, "kiwi", "vehicle-ramming", 2011),
    "GREEN": (Marking.GREEN, "lime", "marauding-firearms", 2012),
    "AMBER": (Marking.AMBER, "plum", "marauding-bladed", 2013),
    "AMBER_UNSHARED": (Marking.AMBER, "figgy", "ied", 2014),
    "AMBER_STRICT": (Marking.AMBER_STRICT, "yuzu", "drone", 2015),
    "RED": (Marking.RED, "cherry", "cbrn-chemical", 2016),
}
PROBE = ("arson", 2010)  # the Berlin CLEAR lesson whose similar cases are asked for
COMMON_TEXT = "Radio interoperability failed during the evacuation of the stadium."

USERS = [
    "anonymous",
    "owner_member",  # Nice editor and committee: the owning city
    "shared_member",  # Berlin: the AMBER lesson is shared with it
    "other_member",  # Oslo: point of contact of every action
    "red_recipient",  # Oslo, named on the RED lesson
    "reviewer_open",  # Rotterdam: accepted reviewer of open rounds (AMBER+STRICT, RED)
    "reviewer_closed",  # Madrid: accepted reviewer of a round that is now decided
    "committee",  # Brussels, network-wide oversight committee
    "coordinator",  # Brussels review coordinator
    "former_member",  # Nice, membership ended yesterday
    "inactive",  # Nice, user deactivated
    "no_membership",  # logged in, never a member
]
NETWORK = {
    "owner_member",
    "shared_member",
    "other_member",
    "red_recipient",
    "reviewer_open",
    "reviewer_closed",
    "committee",
    "coordinator",
}
# The policy written out by hand (DESIGN.md), per lesson; kb.access must agree with it.
EXPECTED_LESSON = {
    "CLEAR": set(USERS),
    "GREEN": NETWORK,
    "AMBER": {"owner_member", "shared_member"},
    "AMBER_UNSHARED": {"owner_member"},
    # Under review: its accepted reviewer and the round's coordinator read it (and its
    # debrief, as context) while the round is open.
    "AMBER_STRICT": {"owner_member", "reviewer_open", "coordinator"},
    "RED": {"red_recipient"},
}
EXPECTED_DEBRIEF = EXPECTED_LESSON


@dataclass
class Item:
    key: str
    kind: str  # "lesson" or "debrief"
    page: object
    title_word: str
    sentinel: str
    attack_type: str
    year: int
    visible_to: set[str] = field(default_factory=set)
    # Who could see it at some moment while the world's notifications were being sent.
    notified_to: set[str] = field(default_factory=set)

    @property
    def words(self) -> tuple[str, str]:
        return self.title_word, self.sentinel


@dataclass
class World:
    users: dict
    items: list[Item]
    nice: object
    probe: object
    rounds: dict
    actions: list
    mail: list

    def user(self, who: str):
        """A fresh user object (access answers are cached per object)."""
        if who == "anonymous":
            return None
        return get_user_model().objects.get(pk=self.users[who].pk)

    @property
    def lessons(self) -> list[Item]:
        return [item for item in self.items if item.kind == "lesson"]

    @property
    def debriefs(self) -> list[Item]:
        return [item for item in self.items if item.kind == "debrief"]


def build_world() -> World:
    nice, berlin, oslo = make_city("Nice"), make_city("Berlin"), make_city("Oslo")
    rotterdam, madrid, brussels = make_city("Rotterdam"), make_city("Madrid"), make_city("Brussels")
    police = make_organisation("Nice police", nice)
    users = {
        "owner_member": make_member("nice-editor", nice, "editor,committee"),
        "shared_member": make_member("berlin-member", berlin, "editor"),
        "other_member": make_member("oslo-member", oslo, "owner"),
        "red_recipient": make_member("oslo-named", oslo, "committee"),
        "reviewer_open": make_member("rtm-reviewer", rotterdam, "reviewer"),
        "reviewer_closed": make_member("mad-reviewer", madrid, "reviewer"),
        "committee": make_member("network-committee", brussels, "committee"),
        "coordinator": make_member("coordinator", brussels, "coordinator"),
        "former_member": make_member("nice-former", nice, "editor,committee"),
        "inactive": make_member("nice-inactive", nice, "editor,committee"),
        "no_membership": make_member("visitor", None),
    }
    # Not a kind of user of the matrix: the Nice editor named on the RED lesson, who submits
    # it for review (the other Nice editor is not named on it).
    users["red_author"] = make_member("nice-red-author", nice, "editor")
    Membership.objects.filter(user=users["committee"]).update(network_wide=True)
    items: list[Item] = []
    for key, (marking, fruit, attack_type, year) in MARKINGS.items():
        sharing = {}
        if key == "AMBER":
            sharing["shared_with"] = [berlin]
        if key == "RED":
            sharing["recipients"] = [users["red_recipient"], users["red_author"]]
        debrief = make_debrief(
            nice,
            title=f"Debrief {fruit}dbt",
            marking=marking,
            attack_types=(attack_type,),
            date=datetime.date(year, 3, 1),
            summary=f"<p>{COMMON_TEXT} {fruit}dbs</p>",
            **sharing,
        )
        lesson = make_lesson(
            debrief,
            title=f"Lesson {fruit}ttl",
            marking=marking,
            observation=f"{COMMON_TEXT} {fruit}snt",
            # Near the Spanish query of the by-meaning test, around its threshold.
            lesson_identified=f"Test radio interoperability before stadium evacuations {fruit}snt.",
            **sharing,
        )
        items.append(Item(key, "debrief", debrief, f"{fruit}dbt", f"{fruit}dbs", attack_type, year))
        items.append(Item(key, "lesson", lesson, f"{fruit}ttl", f"{fruit}snt", attack_type, year))
    probe_debrief = make_debrief(
        berlin,
        title="Probe debrief",
        marking=Marking.CLEAR,
        attack_types=(PROBE[0],),
        date=datetime.date(PROBE[1], 1, 1),
    )
    probe = make_lesson(
        probe_debrief,
        title="Probe lesson",
        marking=Marking.CLEAR,
        observation=COMMON_TEXT,
        lesson_identified="Test the radios.",
    )
    by_key = {(item.kind, item.key): item.page for item in items}
    world = World(users, items, nice, probe, {}, [], [])
    with TestCase.captureOnCommitCallbacks(execute=True):
        world.rounds = _review_rounds(world, by_key)
        world.actions = _overdue_actions(users, police, by_key)
    _note_who_is_notified(world)
    # The former member and the inactive user lose access after everything was sent.
    Membership.objects.filter(user=users["former_member"]).update(
        ended_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    get_user_model().objects.filter(pk=users["inactive"].pk).update(is_active=False)
    world.mail = list(mail.outbox)
    for item in items:
        item.visible_to = {who for who in USERS if access.can_view(world.user(who), item.page)}
    return world


def _note_who_is_notified(world: World) -> None:
    for item in world.items:
        item.notified_to |= {w for w in USERS if access.can_view(world.user(w), item.page)}


def _review_rounds(world: World, by_key) -> dict:
    from peer_review import logic

    users = world.users
    editor, coordinator = users["owner_member"], users["coordinator"]
    strict = make_review_round(by_key[("lesson", "AMBER_STRICT")], editor)
    make_accepted_review(strict, users["reviewer_open"], coordinator)
    red = make_review_round(by_key[("lesson", "RED")], users["red_author"])
    try:  # TLP:RED stays with its recipients: the invitation itself may be refused.
        make_accepted_review(red, users["reviewer_open"], coordinator)
    except Exception:  # noqa: BLE001 - either answer is fine; the matrix checks the outcome
        pass
    closed = make_review_round(by_key[("lesson", "AMBER_UNSHARED")], editor)
    assignment = make_accepted_review(closed, users["reviewer_closed"], coordinator)
    logic.add_comment(closed, by=users["reviewer_closed"], body="Clear and useful.")
    logic.submit_recommendation(
        assignment, by=users["reviewer_closed"], recommendation="endorse", summary="Good."
    )
    _note_who_is_notified(world)  # the round's people were told while it was open
    logic.decide(closed, by=coordinator, decision="endorse", rationale="Endorsed.")
    return {"AMBER_STRICT": strict, "RED": red, "AMBER_UNSHARED": closed}


def _overdue_actions(users, police, by_key) -> list:
    from lessons.tracking.jobs import run_reminders

    long_ago = datetime.date.today() - datetime.timedelta(days=30)
    actions = [
        make_action(
            by_key[("lesson", key)],
            police,
            status="in_progress",
            due_date=long_ago,
            point_of_contact=users["other_member"],
            corrective_action=f"Corrective action on {by_key[('lesson', key)].title}",
        )
        for key in MARKINGS
    ]
    run_reminders()
    return actions
