"""Review coordinators reach the Wagtail admin for their listings of rounds and assignments.

Wagtail lets in users holding `wagtailadmin.access_admin`; editors get it from their groups
(kb.directory), coordinators from the "Review coordinators" group kept in step with their
membership here. What they then see is decided by peer_review.access, not by the group.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from kb.directory import current_membership

COORDINATORS_GROUP = "Review coordinators"


def coordinators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    # Added every time: a group made during migrations may predate the permission row.
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


def sync_coordinator_group(user) -> None:
    """Put the user in the coordinators' group exactly while they coordinate."""
    membership = current_membership(user)
    if membership is not None and membership.is_coordinator:
        user.groups.add(coordinators_group())
    else:
        group = Group.objects.filter(name=COORDINATORS_GROUP).first()
        if group is not None:
            user.groups.remove(group)


def membership_changed(sender, instance, **kwargs) -> None:
    sync_coordinator_group(instance.user)
