"""Small factories for test data: real pages in a real page tree, no mocks."""

from __future__ import annotations

import datetime
import itertools

from kb.choices import Marking
from kb.directory import add_city, add_member
from kb.models import AttackType, City, Organisation, Theme

_counter = itertools.count(1)


def make_city(name: str, country: str = "XX") -> City:
    return add_city(name, country, ["en"])[0]


def make_member(
    username: str, city: City | None, roles: str = "", organisation=None, password: str = "pw"
):
    """A user with an open membership (or no membership when city is None)."""
    from django.contrib.auth import get_user_model

    if city is None:
        user = get_user_model().objects.create_user(username, f"{username}@example.org", password)
        return user
    membership, _ = add_member(
        username,
        city,
        [r for r in roles.split(",") if r],
        organisation=organisation,
        password=password,
    )
    return membership.user


def make_organisation(name: str, city: City | None, sector: str = "police") -> Organisation:
    return Organisation.objects.get_or_create(name=name, city=city, defaults={"sector": sector})[0]


def make_debrief(
    city: City,
    title: str | None = None,
    marking: str = Marking.GREEN,
    shared_with=(),
    recipients=(),
    attack_types=("vehicle-ramming",),
    incident_type: str = "attack",
    summary: str = "<p>A joint debrief.</p>",
    date: datetime.date | None = None,
    live: bool = True,
    **extra,
):
    from lessons.models import DebriefPage

    n = next(_counter)
    page = DebriefPage(
        title=title or f"Debrief {n}",
        marking=marking,
        incident_type=incident_type,
        incident_date=date or datetime.date(2020, 1, 1),
        summary=summary,
        live=live,
        **extra,
    )
    city.page.add_child(instance=page)
    page.shared_with.set(shared_with)
    page.recipients.set(recipients)
    page.attack_types.set(list(AttackType.objects.filter(slug__in=attack_types)))
    page.save()
    if live:
        page.save_revision().publish()
    return page


def make_lesson(
    debrief,
    title: str | None = None,
    marking: str | None = None,
    shared_with=(),
    recipients=(),
    themes=("information-sharing",),
    phase: str = "respond",
    observation: str = "Radios failed.",
    discussion: str = "",
    lesson_identified: str = "Test radios.",
    recommendations=(("Buy radios", "equipment"),),
    live: bool = True,
    **extra,
):
    from lessons.models import LessonPage, Recommendation

    n = next(_counter)
    page = LessonPage(
        title=title or f"Lesson {n}",
        marking=marking or debrief.marking,
        phase=phase,
        observation=observation,
        discussion=discussion,
        lesson_identified=lesson_identified,
        live=live,
        **extra,
    )
    debrief.add_child(instance=page)
    page.shared_with.set(shared_with)
    page.recipients.set(recipients)
    page.themes.set(list(Theme.objects.filter(slug__in=themes)))
    for text, element in recommendations:
        page.recommendations.add(Recommendation(text=text, capability_element=element))
    page.save()
    if live:
        page.save_revision().publish()
    return page


# --- Peer review ---------------------------------------------------------------------------


def make_review_cast(author_city: str = "Nice"):
    """The cast of a peer review: an author city with its editor and a (conflicted)
    reviewer, reviewers from Barcelona and Rotterdam, and a coordinator in Brussels."""
    from types import SimpleNamespace

    nice = make_city(author_city)
    barcelona, rotterdam, brussels = (
        make_city("Barcelona"),
        make_city("Rotterdam"),
        make_city("Brussels"),
    )
    return SimpleNamespace(
        nice=nice,
        barcelona=barcelona,
        rotterdam=rotterdam,
        editor=make_member("nice-editor", nice, "editor"),
        nice_reviewer=make_member("nice-reviewer", nice, "reviewer"),
        bcn=make_member("bcn-reviewer", barcelona, "reviewer"),
        rtm=make_member("rtm-reviewer", rotterdam, "reviewer"),
        coordinator=make_member("coordinator", brussels, "coordinator"),
    )


def make_review_round(page, editor):
    """Submit the page to the peer review workflow, as its city editor does."""
    from peer_review import logic

    return logic.submit_for_review(page, by=editor)


def make_accepted_review(round, reviewer, coordinator, confirm_widening: bool = True, **dates):
    """Invite and accept; the coordinator confirms a widening of access by default."""
    from peer_review import logic

    assignment = logic.invite(
        round, reviewer, by=coordinator, confirm_widening=confirm_widening, **dates
    )
    return logic.accept(assignment, by=reviewer)


def make_action(
    lesson,
    organisation,
    status: str = "proposed",
    due_date: datetime.date | None = None,
    point_of_contact=None,
    corrective_action: str = "Configure a shared talk group",
    **extra,
):
    """An action on the lesson's first recommendation, set straight to `status` (test data
    only: real changes go through lessons.tracking.logic)."""
    from lessons.tracking.models import Action

    recommendation = lesson.recommendations.first()
    return Action.objects.create(
        recommendation=recommendation,
        corrective_action=corrective_action,
        responsible_organisation=organisation,
        point_of_contact=point_of_contact,
        status=status,
        due_date=due_date,
        **extra,
    )
