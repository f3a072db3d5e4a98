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
