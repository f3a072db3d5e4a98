"""Who takes part in a round, and the read grant an accepted reviewer holds.

The page-level rule stays in kb.access; this module only says who is *involved* in a round
(and so may read its comments and recommendations) and registers the reviewer grant.
"""

from __future__ import annotations

from kb.choices import Marking
from kb.models import Membership

from .models import READING_STATES, ReviewAssignment, ReviewRound, RoundState


def membership(user) -> Membership | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.active().filter(user_id=user.pk).select_related("city").first()


def is_coordinator(user) -> bool:
    if user is not None and getattr(user, "is_superuser", False):
        return True
    m = membership(user)
    return bool(m and m.is_coordinator)


def is_author_side(user, round: ReviewRound) -> bool:
    """An editor of the city that owns the material (or whoever submitted it)."""
    m = membership(user)
    if m is None:
        return False
    if round.submitted_by_id == user.pk:
        return True
    return m.is_editor and m.city_id == getattr(round.material, "owner_city_id", None)


def reviewer_rounds(user, page_id: int):
    """Rounds of this page the user reviews (accepted or submitted)."""
    return ReviewAssignment.objects.filter(
        reviewer_id=user.pk, round__page_id=page_id, state__in=READING_STATES
    )


def can_see_round(user, round: ReviewRound) -> bool:
    """May this user read the round's comments and recommendations?

    Current coordinators and the author city's editors see every round of the material;
    a reviewer who accepted round N sees rounds 1..N (earlier rounds are context).
    Invited, declined and withdrawn reviewers see nothing but their invitation.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if membership(user) is None:
        return False
    if is_coordinator(user) or is_author_side(user, round):
        return True
    latest = (
        reviewer_rounds(user, round.page_id)
        .order_by("-round__number")
        .values_list("round__number", flat=True)
        .first()
    )
    return latest is not None and round.number <= latest


def visible_rounds(user):
    """Every round this user may see (used by listings and the API)."""
    rounds = ReviewRound.objects.select_related("page")
    return [r for r in rounds if can_see_round(user, r)]


def can_read_material(user, round: ReviewRound) -> bool:
    """May the user read the material under review on the round page?"""
    from kb import access

    page = round.material
    if access.can_view(user, page) and page.live:
        return True
    if user.is_superuser or is_author_side(user, round):
        return True
    if not round.is_open:
        return False
    if is_coordinator(user):
        return page.marking != Marking.RED or page.recipients.filter(pk=user.pk).exists()
    return reviewer_page_grant_allowed(user, page) and (
        reviewer_rounds(user, page.pk).filter(round=round).exists()
    )


def reviewer_page_grant_allowed(user, page) -> bool:
    # TLP:RED stays with its named recipients, reviewers included.
    return page.marking != Marking.RED or page.recipients.filter(pk=user.pk).exists()


def reviewer_grants(user) -> set[int]:
    """kb.access grant provider: pages under review in open rounds the user accepted."""
    assignments = ReviewAssignment.objects.filter(
        reviewer_id=user.pk, state__in=READING_STATES, round__state=RoundState.OPEN
    ).select_related("round__page")
    granted: set[int] = set()
    for assignment in assignments:
        page = assignment.round.page.specific
        if reviewer_page_grant_allowed(user, page):
            granted.add(page.pk)
    return granted
