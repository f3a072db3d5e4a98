"""The moves of a peer review, as one table: a round's, an assignment's, the decisions.

    round:       opens (submission, or resubmission after "revise") -> closed by a decision
    assignment:  invited -> accepted | declined; accepted -> submitted (the recommendation);
                 invited | accepted -> withdrawn (by the coordinator)

Each row says where a move starts and ends, who may make it and how a refusal reads, and
which audit-log action records it. peer_review.logic checks and writes by these rows; the
round page's buttons, the forms' and the API's choices and the log actions registered with
Wagtail read them too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import ENDORSING, AssignmentState, Recommendation, RoundState

A, R = AssignmentState, RoundState

# Every audit-log action of the peer review: (label, message), as Wagtail registers them.
LOG_ACTIONS: dict[str, tuple[Promise, Promise]] = {
    "peer_review.round_opened": (_("Peer review: round opened"), _("Review round opened")),
    "peer_review.invited": (_("Peer review: reviewer invited"), _("Reviewer invited")),
    "peer_review.conflict_override": (
        _("Peer review: conflict rule overridden"),
        _("Reviewer from the author city invited, with a reason"),
    ),
    "peer_review.access_widened": (
        _("Peer review: access widened"),
        _("Reviewer invited who could not read the material under its marking (confirmed)"),
    ),
    "peer_review.accepted": (_("Peer review: invitation accepted"), _("Invitation accepted")),
    "peer_review.declined": (_("Peer review: invitation declined"), _("Invitation declined")),
    "peer_review.withdrawn": (_("Peer review: assignment withdrawn"), _("Assignment withdrawn")),
    "peer_review.recommendation": (
        _("Peer review: recommendation"),
        _("Reviewer recommendation submitted"),
    ),
    "peer_review.decided": (_("Peer review: decision"), _("Review round decided")),
    "peer_review.comment": (_("Peer review: comment"), _("Review comment posted")),
    "peer_review.resolved": (_("Peer review: thread resolved"), _("Review thread resolved")),
    "peer_review.reopened": (_("Peer review: thread reopened"), _("Review thread reopened")),
}


@dataclass(frozen=True)
class Move:
    name: str  # the name in the site's URLs and the API's paths
    label: Promise  # the verb on the button
    sources: tuple[str, ...]  # the states it starts from (none: it creates the round or assignment)
    target: str
    log_action: str  # a key of LOG_ACTIONS
    # Who may make it, and the refusal (message, rule) when not.
    who: Callable[[object, object], bool] | None = None
    not_who: tuple[str, str] = ("", "")
    # The refusal when the round or the assignment is not in one of `sources`.
    wrong_state: tuple[str, str] = ("", "")
    needs_open_round: bool = False  # an assignment's move that a decided round stops
    done: str = ""  # what the site says after it

    def check_who(self, user, item) -> None:
        rules.require(self.who is None or self.who(user, item), *self.not_who)

    def check_state(self, state: str) -> None:
        rules.require(state in self.sources, *self.wrong_state)


COORDINATOR_ONLY = "coordinator_only"
ROUND_CLOSED = (_("This round is closed."), "round_open")

OPEN = Move("open", _("Submit for peer review"), (), R.OPEN, "peer_review.round_opened")
RESUBMIT = Move(
    "resubmit", _("Resubmit for peer review"), (R.CLOSED,), R.OPEN, "peer_review.round_opened"
)
DECIDE = Move(
    "decide",
    _("Record the decision"),
    (R.OPEN,),
    R.CLOSED,
    "peer_review.decided",
    who=rules.is_coordinator,
    not_who=(_("Only a review coordinator decides."), COORDINATOR_ONLY),
    wrong_state=(_("This round is already decided."), "round_open"),
)
INVITE = Move(
    "invite",
    _("Invite"),
    (),
    A.INVITED,
    "peer_review.invited",
    who=rules.is_coordinator,
    not_who=(_("Only a review coordinator invites reviewers."), COORDINATOR_ONLY),
    needs_open_round=True,
)
_REPLY = {
    "sources": (A.INVITED,),
    "who": rules.is_the_reviewer,
    "not_who": (_("Only the invited reviewer replies."), "invited_reviewer_only"),
    "wrong_state": (_("This invitation was answered."), "invitation_pending"),
}
ACCEPT = Move(
    "accept",
    _("Accept"),
    target=A.ACCEPTED,
    log_action="peer_review.accepted",
    needs_open_round=True,
    done=_("Thank you: the material is now open to you."),
    **_REPLY,
)
DECLINE = Move(
    "decline",
    _("Decline"),
    target=A.DECLINED,
    log_action="peer_review.declined",
    done=_("You declined the invitation."),
    **_REPLY,
)
WITHDRAW = Move(
    "withdraw",
    _("Withdraw (re-assign)"),
    (A.INVITED, A.ACCEPTED),
    A.WITHDRAWN,
    "peer_review.withdrawn",
    who=rules.is_coordinator,
    not_who=(_("Only a review coordinator withdraws assignments."), COORDINATOR_ONLY),
    wrong_state=(_("Only outstanding assignments are withdrawn."), "assignment_outstanding"),
    done=_("The assignment is withdrawn; you may invite someone else."),
)
RECOMMEND = Move(
    "recommend",
    _("Submit recommendation"),
    (A.ACCEPTED,),
    A.SUBMITTED,
    "peer_review.recommendation",
    who=rules.is_the_reviewer,
    not_who=(_("Only the reviewer submits the recommendation."), "assigned_reviewer_only"),
    wrong_state=(_("Accept the invitation first."), "accepted_first"),
    needs_open_round=True,
    done=_("Your recommendation is submitted."),
)

ROUND_MOVES: dict[str, Move] = {move.name: move for move in (OPEN, RESUBMIT, DECIDE)}
ASSIGNMENT_MOVES: dict[str, Move] = {
    move.name: move for move in (INVITE, ACCEPT, DECLINE, WITHDRAW, RECOMMEND)
}


@dataclass(frozen=True)
class Decision:
    """A coordinator's decision (a reviewer recommends from the same list)."""

    value: str
    label: Promise
    endorses: bool  # the workflow publishes the material; otherwise it goes back to its author


DECISIONS: dict[str, Decision] = {
    value: Decision(value, label, value in ENDORSING) for value, label in Recommendation.choices
}


def decision_choices() -> list[tuple[str, Promise]]:
    return [(d.value, d.label) for d in DECISIONS.values()]
