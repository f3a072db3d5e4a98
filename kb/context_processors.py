"""What every member-site template knows of the person asking."""

from kb import access
from kb.directory import current_membership
from kb.notifications import unread_count


def navigation(user, membership) -> dict[str, bool]:
    """Which parts of the site this person can use: the header links only what will open."""
    if user is None or not user.is_authenticated:
        return {"actions": False, "dashboard": False, "reviews": False}
    if user.is_superuser:
        return {"actions": True, "dashboard": True, "reviews": True}
    m = membership
    return {
        "actions": bool(m and (m.is_owner or m.is_committee)),
        "dashboard": bool(m and m.is_committee),
        "reviews": bool(m and (m.is_reviewer or m.is_coordinator or m.is_editor)),
    }


def member(request) -> dict:
    """The current member's city and roles, the parts they can use and their unread count."""
    user = getattr(request, "user", None)
    membership = current_membership(user)
    return {
        "membership": membership,
        "viewer": access.viewer_for(user),
        "nav": navigation(user, membership),
        "unread_notifications": unread_count(user),
    }
