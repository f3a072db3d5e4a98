"""Inviting a reviewer who could not read the material under its marking.

Accepting an invitation gives the reviewer a read grant on the material for the life of the
round (peer_review.access), so an invitation can open restricted material to someone its
marking leaves out: a Brussels reviewer on a TLP:AMBER lesson shared only with Barcelona. The
coordinator is told so before sending, with the marking named, and must confirm; the
confirmation goes to the audit log and the author city's editors hear of it. TLP:RED
material is never opened to anyone it does not name: such an invitation is refused.

Whether a reader is admitted is kb.access's answer (`marking_admits`); this module only asks.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kb.access import marking_admits
from kb.choices import Marking
from kb.notifications import in_language_of, notify, safe_title

from .access import reviewer_page_grant_allowed
from .notices import author_side, round_url
from .rules import log_step

LOG_ACTION = "peer_review.access_widened"  # registered with Wagtail in transitions.LOG_ACTIONS
CONFIRM_FIELD = "confirm_widening"


def _names(cities) -> str:
    return ", ".join(sorted(city.name for city in cities))


def describe_marking(page) -> str:
    """The marking and who it opens the page to, in words: "TLP:AMBER, shared with
    Barcelona only"."""
    marking = Marking(page.marking)
    city = page.owner_city.name if page.owner_city_id else ""
    if marking == Marking.AMBER:
        shared = _names(page.shared_with.all())
        if shared:
            return _("%(marking)s, shared with %(shared)s only") % {
                "marking": marking.label,
                "shared": shared,
            }
        return _("%(marking)s, %(city)s only") % {"marking": marking.label, "city": city}
    if marking == Marking.AMBER_STRICT:
        return _("%(marking)s, %(city)s only") % {"marking": marking.label, "city": city}
    if marking == Marking.RED:
        return _("%(marking)s, named recipients only") % {"marking": marking.label}
    if marking == Marking.GREEN:
        return _("%(marking)s, all members of the network") % {"marking": marking.label}
    return marking.label


def _pages_read(page) -> list:
    """The material and, for a lesson, its debrief: a grant on a lesson opens both."""
    debrief = getattr(page, "debrief", None)
    return [page] if debrief is None else [page, debrief.specific]


def widens(page, reviewer) -> bool:
    """Would a read grant open this material to someone its marking leaves out?"""
    return not all(marking_admits(item, reviewer) for item in _pages_read(page))


def never_opened(page, reviewer) -> bool:
    """TLP:RED material (or its debrief) that does not name the reviewer."""
    return not all(reviewer_page_grant_allowed(reviewer, item) for item in _pages_read(page))


def check_invitation(page, reviewer, confirmed: bool) -> bool:
    """Refuse an invitation that would open TLP:RED material to someone it does not name, or
    widen access without the coordinator's confirmation; True when it widens access."""
    if never_opened(page, reviewer):
        raise ValidationError(
            {
                "reviewer": ValidationError(
                    _(
                        "%(reviewer)s is not named on this material (%(marking)s): it is "
                        "reviewed only by its named recipients."
                    )
                    % {"reviewer": reviewer, "marking": describe_marking(page)},
                    code="red_recipients_only",
                )
            }
        )
    if not widens(page, reviewer):
        return False
    if not confirmed:
        raise ValidationError(
            {
                CONFIRM_FIELD: ValidationError(
                    _(
                        "%(reviewer)s cannot read this material under its marking "
                        "(%(marking)s): confirm that the invitation opens it to them."
                    )
                    % {"reviewer": reviewer, "marking": describe_marking(page)},
                    code=CONFIRM_FIELD,
                )
            }
        )
    return True


def record(round, reviewer, *, by) -> None:
    """Log the confirmed widening and tell the author city's editors (inside the
    invitation's transaction: the notice is sent after its commit)."""
    page = round.material
    log_step(
        round, LOG_ACTION, by, reviewer=reviewer.get_username(), marking=describe_marking(page)
    )
    for user in author_side(round):
        with in_language_of(user):  # each editor reads the notice in their own language
            kind = _("a debrief") if page._meta.model_name == "debriefpage" else _("a lesson")
            message = _(
                "%(coordinator)s invited %(reviewer)s to peer-review %(title)s, which they "
                "could not read under its marking (%(marking)s): the review opens it to them."
            ) % {
                "coordinator": by,
                "reviewer": reviewer,
                "title": safe_title(user, page, kind),
                "marking": describe_marking(page),
            }
        notify(user, "review_access_widened", message, round_url(round))
