"""Who may see an action and who may do what to it. Seeing an action is the access
policy's question (its lesson must be visible: lessons.access); the rest are the
tracker's own roles on top of it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from kb.choices import ActionStatus
from kb.directory import current_membership
from kb.models import Membership
from lessons import access

from .models import Action


def visible_actions(
    user, queryset: QuerySet | None = None, lessons: QuerySet | None = None
) -> QuerySet:
    """Every action (of the oversight tracker) whose lesson the user may see; `lessons`:
    the only lessons the actions can belong to (the policy then reads no others)."""
    qs = queryset if queryset is not None else Action.objects.all()
    visible = access.visible_lessons(user, lessons)
    return qs.filter(recommendation__lesson__in=visible.values("pk"))


def is_owner_of(user, action) -> bool:
    """An action owner of the responsible organisation (or a platform administrator)."""
    if getattr(user, "is_superuser", False):
        return True
    membership = current_membership(user)
    return bool(
        membership
        and membership.is_owner
        and membership.organisation_id == action.responsible_organisation_id
    )


def is_committee_of(user, city_id: int | None) -> bool:
    """A committee member of this city (network-wide members follow figures, not validate)."""
    if getattr(user, "is_superuser", False):
        return True
    membership = current_membership(user)
    return bool(membership and membership.is_committee and membership.city_id == city_id)


def is_committee(user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    membership = current_membership(user)
    return bool(membership and membership.is_committee)


def is_network_wide(user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    membership = current_membership(user)
    return bool(membership and membership.is_committee and membership.network_wide)


def committee_members(city_id: int):
    members = Membership.objects.active().filter(city_id=city_id, is_committee=True)
    return get_user_model().objects.filter(pk__in=members.values("user_id"))


def owners_of(action):
    """The responsible organisation's action owners, and the point of contact."""
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
