"""The moves of an action's lifecycle, as one table.

    proposed -> accepted | declined -> in_progress -> implemented -> validated
    any step but `proposed` can be reopened, with a reason.

Each row says where a move starts and ends, who may make it, what it requires, what it
writes, which audit-log action records it and whom it tells. logic.apply() reads a row;
the site's buttons, the form's and the API's choices, the CSV import and the log actions
registered with Wagtail read the same rows, so a new move is one new row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kb.choices import ActionStatus

from . import rules

S = ActionStatus
LOG_PREFIX = "kb.action."


@dataclass(frozen=True)
class Move:
    name: str  # the value a form, the API and the CSV import send
    label: Promise  # the verb on the button
    sources: tuple[str, ...]  # the statuses it starts from
    target: str
    # Who may: the refusing rule's name (rules.OWNER_ONLY, rules.COMMITTEE_ONLY), or "".
    who: Callable[[object, object], str]
    event: str  # the audit-log action is LOG_PREFIX + event
    log_label: Promise
    # The refusal when the reason or the evidence is missing; empty when not required.
    reason_required: str = ""
    evidence_required: str = ""
    # Some sources lead elsewhere than `target`: (source, target) pairs.
    returns_to: tuple[tuple[str, str], ...] = ()
    stamps_start: bool = False  # sets the start date, unless one is set
    stamps_completion: bool = False
    clears_completion: bool = False
    # Whom to tell, and the past participle of the notice ("Action accepted (...) on ...").
    notify: Callable[[object], object] | None = None
    notice_verb: str = ""

    @property
    def verb(self) -> str:
        """The verb inside a sentence ("may validate an action"), in the reader's language."""
        return str(IN_A_SENTENCE[self.name])

    @property
    def log_action(self) -> str:
        return LOG_PREFIX + self.event

    @property
    def notice_kind(self) -> str:
        return f"action_{self.event}"

    def target_from(self, status: str) -> str:
        return dict(self.returns_to).get(status, self.target)


IN_A_SENTENCE = {
    "accept": pgettext_lazy("verb in a sentence", "accept"),
    "decline": pgettext_lazy("verb in a sentence", "decline"),
    "start": pgettext_lazy("verb in a sentence", "start"),
    "implement": pgettext_lazy("verb in a sentence", "implement"),
    "validate": pgettext_lazy("verb in a sentence", "validate"),
    "reopen": pgettext_lazy("verb in a sentence", "reopen"),
}

MOVES: tuple[Move, ...] = (
    Move(
        "accept",
        _("Accept"),
        (S.PROPOSED,),
        S.ACCEPTED,
        who=rules.owner_rule,
        event="accepted",
        log_label=_("Action: accept"),
        notify=rules.committee_of,
        notice_verb=pgettext_lazy("an action was", "accepted"),
    ),
    Move(
        "decline",
        _("Decline"),
        (S.PROPOSED, S.ACCEPTED),
        S.DECLINED,
        who=rules.owner_rule,
        event="declined",
        log_label=_("Action: decline"),
        reason_required="A reason is required to decline an action "
        "(the organisation's formal non-concurrence).",
        notify=rules.committee_of,
        notice_verb=pgettext_lazy("an action was", "declined"),
    ),
    Move(
        "start",
        _("Start"),
        (S.ACCEPTED,),
        S.IN_PROGRESS,
        who=rules.owner_rule,
        event="in_progress",
        log_label=_("Action: start"),
        stamps_start=True,
    ),
    Move(
        "implement",
        _("Implement"),
        (S.IN_PROGRESS,),
        S.IMPLEMENTED,
        who=rules.owner_rule,
        event="implemented",
        log_label=_("Action: implement"),
        evidence_required=_(
            "Evidence is required to mark an action implemented (a note, a link or a file)."
        ),
        stamps_completion=True,
        notify=rules.committee_of,
        notice_verb=pgettext_lazy("an action was", "implemented"),
    ),
    Move(
        "validate",
        _("Validate"),
        (S.IMPLEMENTED,),
        S.VALIDATED,
        who=rules.committee_rule,
        event="validated",
        log_label=_("Action: validate"),
        evidence_required=_(
            "Validation needs its evidence (e.g. the exercise that tested it): "
            "a note, a link or a file."
        ),
        notify=rules.owners_of,
        notice_verb=pgettext_lazy("an action was", "validated"),
    ),
    Move(
        "reopen",
        _("Reopen"),
        (S.ACCEPTED, S.DECLINED, S.IN_PROGRESS, S.IMPLEMENTED, S.VALIDATED),
        S.IN_PROGRESS,
        who=rules.reopen_rule,
        event="reopened",
        log_label=_("Action: reopen"),
        reason_required="A reason is required to reopen.",
        returns_to=((S.DECLINED, S.PROPOSED), (S.ACCEPTED, S.ACCEPTED)),
        clears_completion=True,
        notify=rules.owners_of,
        notice_verb=pgettext_lazy("an action was", "reopened"),
    ),
)
BY_NAME: dict[str, Move] = {move.name: move for move in MOVES}
NAMES: tuple[str, ...] = tuple(BY_NAME)

# What the audit log records besides the moves.
CREATED = LOG_PREFIX + "created"
UPDATED = LOG_PREFIX + "updated"
LOG_ACTIONS: dict[str, Promise] = {
    CREATED: _("Action: create"),
    UPDATED: _("Action: progress update"),
    **{move.log_action: move.log_label for move in MOVES},
}


def choices() -> list[tuple[str, Promise]]:
    """(name, verb) pairs, for forms."""
    return [(move.name, move.label) for move in MOVES]


def names_requiring(field: str) -> str:
    """The moves that require `field` ("reason" or "evidence"), as "decline or reopen"."""
    names = [move.verb for move in MOVES if getattr(move, f"{field}_required")]
    if len(names) < 2:
        return "".join(names)
    return _("%(some)s or %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}
