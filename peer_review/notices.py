"""The notifications of the peer review. Messages name the material only to those who may
see it (kb.notifications.safe_title); otherwise a neutral sentence and a link."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kb.models import Membership
from kb.notifications import in_language_of, notify, safe_title

from .access import material_title
from .models import READING_STATES, Comment, ReviewAssignment, ReviewRound


def round_url(round: ReviewRound) -> str:
    return reverse("peer_review:round", args=[round.pk])


def workspace_url() -> str:
    return reverse("peer_review:workspace")


def _kind_of(round: ReviewRound) -> str:
    """'a debrief' or 'a lesson', in the active language (call within in_language_of)."""
    return _("a debrief") if round.material._meta.model_name == "debriefpage" else _("a lesson")


def author_side(round: ReviewRound) -> set:
    users = set()
    if round.submitted_by is not None:
        users.add(round.submitted_by)
    city_id = getattr(round.material, "owner_city_id", None)
    for m in Membership.objects.active().filter(city_id=city_id, is_editor=True):
        users.add(m.user)
    return users


def reviewers(round: ReviewRound) -> set:
    return {a.reviewer for a in round.assignments.filter(state__in=READING_STATES)}


def coordinators(round: ReviewRound) -> set:
    if round.coordinator is not None:
        return {round.coordinator}
    return {m.user for m in Membership.objects.active().filter(is_coordinator=True)}


def round_opened(round: ReviewRound) -> None:
    for user in coordinators(round):
        with in_language_of(user):
            title = safe_title(user, round.material, _kind_of(round))
            message = _(
                "Peer review round %(number)s opened for %(title)s: reviewers are needed."
            ) % {"number": round.number, "title": title}
        notify(user, "review_round_opened", message, round_url(round))


def invitation(assignment: ReviewAssignment) -> None:
    # Only a neutral sentence and the due date leave the site; the workspace shows the
    # title and attack types after login.
    with in_language_of(assignment.reviewer):
        message = _("You are invited to peer-review %(kind)s; please reply by %(date)s.") % {
            "kind": _kind_of(assignment.round),
            "date": date_format(assignment.response_due, "DATE_FORMAT"),
        }
    notify(
        assignment.reviewer,
        "review_invitation",
        message,
        workspace_url() + f"#assignment-{assignment.pk}",
        subject=assignment,
    )


def describe_invitation(assignment: ReviewAssignment, reader) -> str:
    """On the site, the invitation names the material to a reader who may see its title
    (access.material_title asks kb.access; others get its neutral label)."""
    title = material_title(reader, assignment.round)
    return _("You are invited to peer-review “%(title)s”; please reply by %(date)s.") % {
        "title": title,
        "date": date_format(assignment.response_due, "j F Y"),
    }


def accepted(assignment: ReviewAssignment) -> None:
    for user in coordinators(assignment.round):
        with in_language_of(user):
            message = _("%(reviewer)s accepted to review %(title)s.") % {
                "reviewer": assignment.reviewer,
                "title": safe_title(user, assignment.round.material, _kind_of(assignment.round)),
            }
        notify(user, "review_accepted", message, round_url(assignment.round))


def declined(assignment: ReviewAssignment) -> None:
    for user in coordinators(assignment.round):
        with in_language_of(user):
            message = _(
                "%(reviewer)s declined a review invitation; another reviewer is needed."
            ) % {"reviewer": assignment.reviewer}
        notify(user, "review_declined", message, round_url(assignment.round))


def new_comment(comment: Comment) -> None:
    """Everyone in the thread (and the author side for a new thread) hears of it."""
    round = comment.round
    root = comment.thread_root
    recipients = {root.author} | {c.author for c in root.replies.all()}
    if comment.parent_id is None:
        recipients |= author_side(round)
    recipients.discard(comment.author)
    kind = "review_reply" if comment.parent_id else "review_comment"
    for user in recipients:
        with in_language_of(user):
            values = {
                "number": round.number,
                "title": safe_title(user, round.material, _kind_of(round)),
            }
            if comment.parent_id:
                message = (
                    _(
                        "A reply in a thread you follow in peer review round %(number)s of "
                        "%(title)s."
                    )
                    % values
                )
            else:
                message = _("A new comment in peer review round %(number)s of %(title)s.") % values
        notify(user, kind, message, round_url(round) + f"#comment-{comment.pk}")


def recommendation_submitted(assignment: ReviewAssignment) -> None:
    round = assignment.round
    for user in coordinators(round) | author_side(round):
        with in_language_of(user):
            message = _(
                "A reviewer submitted a recommendation in peer review round %(number)s of "
                "%(title)s."
            ) % {"number": round.number, "title": safe_title(user, round.material, _kind_of(round))}
        notify(user, "review_recommendation", message, round_url(round))


def decided(round: ReviewRound) -> None:
    for user in author_side(round) | reviewers(round):
        with in_language_of(user):
            message = _("Peer review round %(number)s of %(title)s is decided: %(decision)s.") % {
                "number": round.number,
                "title": safe_title(user, round.material, _kind_of(round)),
                "decision": round.get_decision_display(),
            }
        notify(user, "review_decision", message, round_url(round))
