"""Demo actions for `make run`: the recommendations of the four demo cities that have an
action owner get actions in every status, driven through the real transition functions
(so the audit log and the notifications are real too). Idempotent: a recommendation that
already has an action is left alone.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kb import dataversion
from kb.models import Membership
from lessons import access
from lessons.models import Recommendation

from . import logic
from .logic import Evidence
from .models import Action

CITIES = ("Nice", "Berlin", "Barcelona", "Rotterdam")
# The path each demo action walks, cycling over the recommendations.
PATHS = [
    [],
    ["accept"],
    ["accept", "start"],
    ["accept", "start", "implement"],
    ["accept", "start", "implement", "validate"],
    ["decline"],
    ["accept", "start"],
    ["accept", "start", "implement", "validate"],
]


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


# An action's wording is the owning city's, like its recommendation: demo content, written
# in the lesson's language rather than translated for the reader. Per language: the action's
# opening words, the evidence note of a step, the reason of a decline.
WORDING = {
    "en": (
        "Put into effect: ",
        "Shown in the follow-up exercise (demo).",
        "No budget this year (demo).",
    ),
    "fr": (
        "Mettre en œuvre : ",
        "Vérifié lors de l'exercice de suivi (démo).",
        "Pas de budget cette année (démo).",
    ),
    "de": (
        "Umsetzen: ",
        "In der Folgeübung nachgewiesen (Demo).",
        "Kein Budget in diesem Jahr (Demo).",
    ),
    "es": (
        "Poner en práctica: ",
        "Comprobado en el simulacro de seguimiento (demo).",
        "Sin presupuesto este año (demo).",
    ),
    "nl": (
        "Uitvoeren: ",
        "Aangetoond tijdens de vervolgoefening (demo).",
        "Dit jaar geen budget (demo).",
    ),
}


def _wording(lesson) -> tuple[str, str, str]:
    return WORDING.get(lesson.language, WORDING["en"])


def _walk(action: Action, steps: list[str], owner, committee, lesson) -> None:
    _, note, reason = _wording(lesson)
    for step in steps:
        actor = committee if step == "validate" else owner
        logic.apply(step, actor, action, Evidence(note=note), reason=reason)


@transaction.atomic
def load_demo_actions() -> str:
    today = timezone.localdate()
    now = timezone.now()
    created = 0
    for city in CITIES:
        owner = _user(f"{city.lower()}-owner")
        committee = _user(f"{city.lower()}-committee")
        if owner is None or committee is None:
            continue
        organisation = Membership.objects.get(user=owner, ended_on__isnull=True).organisation
        recommendations = (
            Recommendation.objects.filter(lesson__owner_city__name=city, actions__isnull=True)
            .select_related("lesson")
            .order_by("lesson__path", "sort_order", "pk")
        )
        # Only lessons both demo users may read (TLP:RED names its recipients).
        for user in (owner, committee):
            recommendations = recommendations.filter(
                lesson__in=access.visible_lessons(user).values("pk")
            )
        for index, recommendation in enumerate(recommendations):
            # Some due dates lie in the past (overdue actions): set as history, below, since
            # a new action is never due in the past.
            due = today + datetime.timedelta(days=(index % 7) * 20 - 40)
            action = logic.create_action(
                committee,
                recommendation,
                corrective_action=_wording(recommendation.lesson)[0] + recommendation.text[:200],
                responsible_organisation=organisation,
                point_of_contact=owner,
                due_date=max(due, today),
            )
            steps = PATHS[index % len(PATHS)]
            _walk(action, steps, owner, committee, recommendation.lesson)
            # Spread the history over the past year so the charts have a shape.
            months_ago = index % 12
            created_at = now - datetime.timedelta(days=30 * months_ago + 20)
            history = {"created_at": created_at, "due_date": due}
            if action.completion_date:
                done = created_at.date() + datetime.timedelta(days=10 + 15 * (index % 5))
                history["completion_date"] = min(done, today)
            if index % len(PATHS) == 6:
                history["last_update_at"] = now - datetime.timedelta(days=75)
            Action.objects.filter(pk=action.pk).update(**history)
            created += 1
    dataversion.bump()  # the history above was written with update()
    return f"Demo actions: {created} created"
