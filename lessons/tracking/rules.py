"""Who may do what to an action. Seeing an action is the access policy's question
(kb.access.visible_actions); these are the tracker's own roles on top of it."""

from __future__ import annotations

from kb.choices import ActionStatus
from kb.models import Membership

_CACHE_ATTR = "_tracker_membership"


def membership_of(user) -> Membership | None:
    """The user's current membership (cached on the user object for one request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _CACHE_ATTR):
        membership = (
            Membership.objects.active()
            .filter(user_id=user.pk)
            .select_related("city", "organisation")
            .first()
        )
        setattr(user, _CACHE_ATTR, membership)
    return getattr(user, _CACHE_ATTR)


def is_owner_of(user, action) -> bool:
    """An action owner of the responsible organisation (or a platform administrator)."""
    if getattr(user, "is_superuser", False):
        return True
    membership = membership_of(user)
    return bool(
        membership
        and membership.is_owner
        and membership.organisation_id == action.responsible_organisation_id
    )


def is_committee_of(user, city_id: int | None) -> bool:
    """A committee member of this city (network-wide members follow figures, not validate)."""
    if getattr(user, "is_superuser", False):
        return True
    membership = membership_of(user)
    return bool(membership and membership.is_committee and membership.city_id == city_id)


def is_committee(user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    membership = membership_of(user)
    return bool(membership and membership.is_committee)


def is_network_wide(user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    membership = membership_of(user)
    return bool(membership and membership.is_committee and membership.network_wide)


def committee_members(city_id: int):
    from django.contrib.auth import get_user_model

    members = Membership.objects.active().filter(city_id=city_id, is_committee=True)
    return get_user_model().objects.filter(pk__in=members.values("user_id"))


def owners_of(action):
    """The responsible organisation's action owners, and the point of contact."""
    from django.contrib.auth import get_user_model

    members = Membership.objects.active().filter(
        organisation_id=action.responsible_organisation_id, is_owner=True
    )
    users = get_user_model().objects.filter(pk__in=members.values("user_id"))
    if action.point_of_contact_id:
        users = users | get_user_model().objects.filter(pk=action.point_of_contact_id)
    return users.distinct()


# Who may move an action (read by the moves in transitions.py): each answers "" when the
# user may, else the name of the rule that refuses, which logic.py turns into its message.
OWNER_ONLY, COMMITTEE_ONLY = "owner_only", "committee_only"


def owner_rule(user, action) -> str:
    return "" if is_owner_of(user, action) else OWNER_ONLY


def committee_rule(user, action) -> str:
    return "" if is_committee_of(user, action.city_id) else COMMITTEE_ONLY


def reopen_rule(user, action) -> str:
    """Owners and the committee reopen; a validated action only the committee, since
    reopening it undoes the committee's word."""
    if action.status != ActionStatus.VALIDATED and is_owner_of(user, action):
        return ""
    return committee_rule(user, action)


def committee_of(action):
    """The committee members of the action's city (who hear of an owner's move)."""
    return committee_members(action.city_id)
