"""The business rules of the tracker: one function per transition of an action.

Each checks permission and rule, writes the change and a Wagtail audit-log entry in one
transaction, and queues notifications. The site, the API, the CSV import and the admin
all call these; none writes an action's status itself.

    proposed -> accepted | declined -> in_progress -> implemented -> validated
    any step but `proposed` can be reopened, with a reason.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from kb.choices import ActionStatus
from kb.notifications import notify, safe_title
from lessons import access

from . import rules
from .evidence import safe_file_name, validate_evidence_file
from .models import Action, ProgressUpdate
from .sanitise import clean_progress_text

S = ActionStatus


class TransitionRefused(Exception):
    """A change the rules do not allow. `rule` names the rule; `forbidden` tells a
    missing permission (403) from a broken rule (422)."""

    def __init__(self, rule: str, message: str, forbidden: bool = False, field: str = "") -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.forbidden = forbidden
        self.field = field  # the form or API field at fault, when there is one

    def __str__(self) -> str:
        return self.message


@dataclass
class Evidence:
    """A progress note, a link and/or a file: what shows an action's progress."""

    note: str = ""
    link: str = ""
    file: object | None = None

    @property
    def present(self) -> bool:
        return bool((self.note or "").strip() or (self.link or "").strip() or self.file)


OWNER, COMMITTEE = "owner", "committee"

# name: (allowed from, to, who may)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "accept": ((S.PROPOSED,), S.ACCEPTED, OWNER),
    "decline": ((S.PROPOSED, S.ACCEPTED), S.DECLINED, OWNER),
    "start": ((S.ACCEPTED,), S.IN_PROGRESS, OWNER),
    "implement": ((S.IN_PROGRESS,), S.IMPLEMENTED, OWNER),
    "validate": ((S.IMPLEMENTED,), S.VALIDATED, COMMITTEE),
    "reopen": (
        (S.ACCEPTED, S.DECLINED, S.IN_PROGRESS, S.IMPLEMENTED, S.VALIDATED),
        S.IN_PROGRESS,
        OWNER,
    ),
}
LOG_ACTIONS = {
    "created": "Action: create",
    "updated": "Action: progress update",
    "accepted": "Action: accept",
    "declined": "Action: decline",
    "in_progress": "Action: start",
    "implemented": "Action: implement",
    "validated": "Action: validate",
    "reopened": "Action: reopen",
}


def action_url(action: Action) -> str:
    return reverse("tracker:action_detail", args=[action.pk])


def _check_visible(user, action: Action) -> None:
    if not rules.visible_actions(user).filter(pk=action.pk).exists():
        raise TransitionRefused("not_visible", "You may not see this action.", forbidden=True)


def _check_owner(user, action: Action) -> None:
    if not rules.is_owner_of(user, action):
        raise TransitionRefused(
            "owner_only",
            "Only an action owner of the responsible organisation "
            f"({action.responsible_organisation.name}) may change this action.",
            forbidden=True,
        )


def _check_committee(user, action: Action, verb: str) -> None:
    if not rules.is_committee_of(user, action.city_id):
        raise TransitionRefused(
            "committee_only",
            f"Only the oversight committee of {action.lesson.owner_city} may {verb} an action.",
            forbidden=True,
        )


def _clean_evidence(evidence: Evidence | None) -> Evidence:
    evidence = evidence or Evidence()
    link = (evidence.link or "").strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError as error:
            raise TransitionRefused(
                "evidence_link",
                "Evidence link: it must be a web address starting with http:// or https://.",
                field="link",
            ) from error
    if evidence.file:
        try:
            validate_evidence_file(evidence.file)
        except ValidationError as error:
            raise TransitionRefused(
                "evidence_file", " ".join(error.messages), field="file"
            ) from error
    return Evidence(note=(evidence.note or "").strip(), link=link, file=evidence.file)


def _record(action: Action, user, evidence: Evidence, status_from: str, status_to: str):
    update = ProgressUpdate(
        action=action,
        author=user if getattr(user, "is_authenticated", False) else None,
        text=clean_progress_text(evidence.note),
        link=evidence.link,
        status_from=status_from,
        status_to=status_to,
    )
    if evidence.file:
        update.file_name = safe_file_name(evidence.file.name)
        update.file.save(update.file_name, evidence.file, save=False)
    update.save()
    return update


def _notify_all(recipients, actor, action: Action, kind: str, verb: str) -> None:
    url = action_url(action)
    for recipient in recipients:
        if recipient.pk == getattr(actor, "pk", None):
            continue
        title = safe_title(recipient, action.lesson, neutral="a lesson you follow")
        notify(
            recipient,
            kind,
            f"Action {verb} ({action.responsible_organisation.name}) on {title}.",
            url=url,
        )


def _transition(
    name: str,
    user,
    action: Action,
    evidence: Evidence | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> Action:
    allowed_from, to, who = TRANSITIONS[name]
    _check_visible(user, action)
    if who == COMMITTEE:
        _check_committee(user, action, name)
    elif name == "reopen":
        # Reopening a validated action undoes the committee's word: only it may.
        if action.status == S.VALIDATED or not rules.is_owner_of(user, action):
            _check_committee(user, action, "reopen")
    else:
        _check_owner(user, action)
    if action.status not in allowed_from:
        names = ", ".join(S(s).label.lower() for s in allowed_from)
        raise TransitionRefused(
            "wrong_status",
            f"Cannot {name} an action that is {S(action.status).label.lower()}; "
            f"only from: {names}.",
        )
    if name in ("decline", "reopen") and not (reason or "").strip():
        raise TransitionRefused(
            "reason_required",
            "A reason is required to decline an action (the organisation's formal non-concurrence)."
            if name == "decline"
            else "A reason is required to reopen.",
        )
    evidence = _clean_evidence(evidence)
    if name in ("decline", "reopen") and not evidence.note:
        evidence.note = reason.strip()
    if name in ("implement", "validate") and not evidence.present:
        raise TransitionRefused(
            "evidence_required",
            "Evidence is required to mark an action implemented (a note, a link or a file)."
            if name == "implement"
            else "Validation needs its evidence (e.g. the exercise that tested it): "
            "a note, a link or a file.",
        )
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if locked.status != action.status:
            raise TransitionRefused("conflict", "The action changed meanwhile; reload it.")
        status_from = action.status
        action.status = to
        if name in ("decline", "reopen"):
            action.status_reason = reason.strip()
        if name == "reopen" and status_from in (S.DECLINED, S.ACCEPTED):
            action.status = S.PROPOSED if status_from == S.DECLINED else S.ACCEPTED
        if name == "start" and not action.start_date:
            action.start_date = today
        if name == "implement":
            action.completion_date = today
        if name == "reopen":
            action.completion_date = None
        action.last_update_at = timezone.now()
        action.save()
        update = _record(action, user, evidence, status_from, action.status)
        event = "reopened" if name == "reopen" else action.status
        log(
            instance=action,
            action=f"kb.action.{event}",
            user=user if getattr(user, "is_authenticated", False) else None,
            data={
                "from": status_from,
                "to": action.status,
                "reason": action.status_reason if name in ("decline", "reopen") else "",
                "update": update.pk,
            },
        )
        if name in ("accept", "decline", "implement"):
            recipients = rules.committee_members(action.city_id)
        elif name in ("validate", "reopen"):
            recipients = rules.owners_of(action)
        else:
            recipients = []
        verb = {
            "accept": "accepted",
            "decline": "declined",
            "implement": "implemented",
            "validate": "validated",
            "reopen": "reopened",
        }.get(name, name)
        _notify_all(recipients, user, action, f"action_{event}", verb)
    return action


def accept(user, action: Action) -> Action:
    return _transition("accept", user, action)


def decline(user, action: Action, reason: str) -> Action:
    return _transition("decline", user, action, reason=reason)


def start(user, action: Action, today: datetime.date | None = None) -> Action:
    return _transition("start", user, action, today=today)


def implement(
    user, action: Action, evidence: Evidence | None, today: datetime.date | None = None
) -> Action:
    return _transition("implement", user, action, evidence=evidence, today=today)


def validate(user, action: Action, evidence: Evidence | None) -> Action:
    return _transition("validate", user, action, evidence=evidence)


def reopen(user, action: Action, reason: str) -> Action:
    return _transition("reopen", user, action, reason=reason)


TRANSITION_FUNCTIONS = {
    "accept": lambda user, action, evidence, reason: accept(user, action),
    "decline": lambda user, action, evidence, reason: decline(user, action, reason),
    "start": lambda user, action, evidence, reason: start(user, action),
    "implement": lambda user, action, evidence, reason: implement(user, action, evidence),
    "validate": lambda user, action, evidence, reason: validate(user, action, evidence),
    "reopen": lambda user, action, evidence, reason: reopen(user, action, reason),
}


def apply(
    name: str, user, action: Action, evidence: Evidence | None = None, reason: str = ""
) -> Action:
    """Run the transition called `name` (for forms, the API and the CSV import)."""
    if name not in TRANSITION_FUNCTIONS:
        raise TransitionRefused("unknown_transition", f"There is no transition '{name}'.")
    return TRANSITION_FUNCTIONS[name](user, action, evidence, reason)


def available(user, action: Action) -> list[str]:
    """The transitions this user could start on this action now (for buttons)."""
    names = []
    for name, (allowed_from, _to, who) in TRANSITIONS.items():
        if action.status not in allowed_from:
            continue
        if who == COMMITTEE or (name == "reopen" and action.status == S.VALIDATED):
            if rules.is_committee_of(user, action.city_id):
                names.append(name)
        elif rules.is_owner_of(user, action) or (
            name == "reopen" and rules.is_committee_of(user, action.city_id)
        ):
            names.append(name)
    return names


def post_update(user, action: Action, evidence: Evidence) -> ProgressUpdate:
    """A progress note by an owner (or the city's committee), without a status change."""
    _check_visible(user, action)
    if not (rules.is_owner_of(user, action) or rules.is_committee_of(user, action.city_id)):
        _check_owner(user, action)
    evidence = _clean_evidence(evidence)
    if not evidence.present:
        raise TransitionRefused("update_empty", "A progress update needs a note, a link or a file.")
    with transaction.atomic():
        update = _record(action, user, evidence, action.status, action.status)
        action.last_update_at = timezone.now()
        action.save(update_fields=["last_update_at", "updated_at"])
        log(instance=action, action="kb.action.updated", user=user, data={"update": update.pk})
    return update


def create_action(user, recommendation, **fields) -> Action:
    """A new (proposed) action on a recommendation, by the lesson city's committee."""
    lesson = recommendation.lesson
    if not access.visible_lessons(user).filter(pk=lesson.pk).exists():
        raise TransitionRefused("not_visible", "You may not see this lesson.", forbidden=True)
    if not rules.is_committee_of(user, lesson.owner_city_id):
        raise TransitionRefused(
            "committee_only",
            f"Only the oversight committee of {lesson.owner_city} may add actions.",
            forbidden=True,
        )
    with transaction.atomic():
        action = Action.objects.create(recommendation=recommendation, **fields)
        log(instance=action, action="kb.action.created", user=user)
        _notify_all(rules.owners_of(action), user, action, "action_created", "proposed")
    return action
