"""The business rules of the tracker: the one function that moves an action.

apply() makes any move of the table in transitions.py: it checks permission and rule,
writes the change and a Wagtail audit-log entry in one transaction, and queues
notifications. accept(), decline() ... name its rows for callers. The site, the API, the
CSV import and the demo all go through here; none writes an action's status itself.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from wagtail.log_actions import log

from kb.choices import ActionStatus
from kb.notifications import in_language_of, notify, safe_title
from kb.sanitise import clean_html
from lessons import access

from . import checks, rules, transitions
from .evidence import safe_file_name, validate_evidence_file
from .models import Action, ProgressUpdate
from .transitions import BY_NAME, MOVES, Move

S = ActionStatus


class TransitionRefused(Exception):
    """A change the rules do not allow. `rule` names the rule; `forbidden` tells a
    missing permission (403) from a broken rule (422)."""

    def __init__(self, rule: str, message: str, forbidden: bool = False, field: str = "") -> None:
        message = str(message)  # worded now, in the language of whoever made the change
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


def action_url(action: Action) -> str:
    return reverse("tracker:action_detail", args=[action.pk])


def _check_visible(user, action: Action) -> None:
    if not rules.visible_actions(user).filter(pk=action.pk).exists():
        raise TransitionRefused("not_visible", _("You may not see this action."), forbidden=True)


# The past participle in "Action proposed (...) on ...", worded for each recipient.
PROPOSED = pgettext_lazy("an action was", "proposed")


def _refusal(rule: str, action: Action, verb: str) -> TransitionRefused:
    if rule == rules.OWNER_ONLY:
        return TransitionRefused(
            rule,
            _(
                "Only an action owner of the responsible organisation (%(organisation)s) may "
                "change this action."
            )
            % {"organisation": action.responsible_organisation.name},
            forbidden=True,
        )
    return TransitionRefused(
        rule,
        _("Only the oversight committee of %(city)s may %(verb)s an action.")
        % {"city": action.lesson.owner_city, "verb": verb},
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
                _("Evidence link: it must be a web address starting with http:// or https://."),
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
        text=clean_html(evidence.note, paragraphs=True),
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
        with in_language_of(recipient):
            title = safe_title(recipient, action.lesson, neutral=_("a lesson you follow"))
            message = _("Action %(verb)s (%(organisation)s) on %(title)s.") % {
                "verb": verb,
                "organisation": action.responsible_organisation.name,
                "title": title,
            }
        notify(recipient, kind, message, url=url)


def _check(move: Move, user, action: Action, evidence: Evidence | None, reason: str):
    """Everything a move requires, before anything is written; the cleaned evidence."""
    _check_visible(user, action)
    refusing = move.who(user, action)
    if refusing:
        raise _refusal(refusing, action, move.verb)
    if action.status not in move.sources:
        names = ", ".join(S(s).label.lower() for s in move.sources)
        raise TransitionRefused(
            "wrong_status",
            _("Cannot %(move)s an action that is %(status)s; only from: %(sources)s.")
            % {"move": move.verb, "status": S(action.status).label.lower(), "sources": names},
        )
    if move.reason_required and not (reason or "").strip():
        raise TransitionRefused("reason_required", move.reason_required)
    evidence = _clean_evidence(evidence)
    if move.reason_required and not evidence.note:
        evidence.note = reason.strip()
    if move.evidence_required and not evidence.present:
        raise TransitionRefused("evidence_required", move.evidence_required)
    return evidence


def apply(
    name: str,
    user,
    action: Action,
    evidence: Evidence | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> Action:
    """Make the move called `name` (a row of transitions.MOVES): check it, then under the
    action's lock re-check, write the status, the progress update and the audit-log entry,
    and queue the notices. The site, the API, the CSV import and the demo all call this."""
    move = BY_NAME.get(name)
    if move is None:
        raise TransitionRefused(
            "unknown_transition", _("There is no transition '%(name)s'.") % {"name": name}
        )
    evidence = _check(move, user, action, evidence, reason)
    today = today or timezone.localdate()
    # The dates the move stamps must keep their order (a start entered in the future).
    start = action.start_date or (today if move.stamps_start else None)
    completion = today if move.stamps_completion else action.completion_date
    problems = checks.date_problems(start, None, completion, new=False, today=today)
    _refuse_problems(problems)
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if locked.status != action.status:
            raise TransitionRefused("conflict", _("The action changed meanwhile; reload it."))
        status_from = action.status
        action.status = move.target_from(status_from)
        if move.reason_required:
            action.status_reason = reason.strip()
        if move.stamps_start and not action.start_date:
            action.start_date = today
        if move.stamps_completion:
            action.completion_date = today
        if move.clears_completion:
            action.completion_date = None
        action.last_update_at = timezone.now()
        action.save()
        update = _record(action, user, evidence, status_from, action.status)
        log(
            instance=action,
            action=move.log_action,
            user=user if getattr(user, "is_authenticated", False) else None,
            data={
                "from": status_from,
                "to": action.status,
                "reason": action.status_reason if move.reason_required else "",
                "update": update.pk,
            },
        )
        if move.notify is not None:
            recipients = move.notify(action)
            _notify_all(recipients, user, action, move.notice_kind, move.notice_verb)
    return action


def accept(user, action: Action) -> Action:
    return apply("accept", user, action)


def decline(user, action: Action, reason: str) -> Action:
    return apply("decline", user, action, reason=reason)


def start(user, action: Action, today: datetime.date | None = None) -> Action:
    return apply("start", user, action, today=today)


def implement(
    user, action: Action, evidence: Evidence | None, today: datetime.date | None = None
) -> Action:
    return apply("implement", user, action, evidence=evidence, today=today)


def validate(user, action: Action, evidence: Evidence | None) -> Action:
    return apply("validate", user, action, evidence=evidence)


def reopen(user, action: Action, reason: str) -> Action:
    return apply("reopen", user, action, reason=reason)


def available(user, action: Action) -> list[Move]:
    """The moves this user could make on this action now (for buttons and choices)."""
    return [move for move in MOVES if action.status in move.sources and not move.who(user, action)]


def post_update(user, action: Action, evidence: Evidence) -> ProgressUpdate:
    """A progress note by an owner (or the city's committee), without a status change."""
    _check_visible(user, action)
    if not (rules.is_owner_of(user, action) or rules.is_committee_of(user, action.city_id)):
        raise _refusal(rules.OWNER_ONLY, action, "update")
    evidence = _clean_evidence(evidence)
    if not evidence.present:
        raise TransitionRefused("update_empty", "A progress update needs a note, a link or a file.")
    with transaction.atomic():
        update = _record(action, user, evidence, action.status, action.status)
        action.last_update_at = timezone.now()
        action.save(update_fields=["last_update_at", "updated_at"])
        log(instance=action, action=transitions.UPDATED, user=user, data={"update": update.pk})
    return update


def _refuse_problems(problems: dict[str, str]) -> None:
    """Refuse with every problem of lessons.tracking.checks, naming the first field."""
    if problems:
        raise TransitionRefused(
            "action_fields", " ".join(problems.values()), field=next(iter(problems))
        )


def create_action(user, recommendation, **fields) -> Action:
    """A new (proposed) action on a recommendation, by the lesson city's committee."""
    lesson = recommendation.lesson
    if not access.visible_lessons(user).filter(pk=lesson.pk).exists():
        raise TransitionRefused("not_visible", _("You may not see this lesson."), forbidden=True)
    if not rules.is_committee_of(user, lesson.owner_city_id):
        raise TransitionRefused(
            "committee_only",
            _("Only the oversight committee of %(city)s may add actions.")
            % {"city": lesson.owner_city},
            forbidden=True,
        )
    action = Action(recommendation=recommendation, **fields)
    _refuse_problems(checks.problems_of(action, new=True, today=timezone.localdate()))
    with transaction.atomic():
        action.save()
        log(instance=action, action=transitions.CREATED, user=user)
        _notify_all(rules.owners_of(action), user, action, "action_created", PROPOSED)
    return action
