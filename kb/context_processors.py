"""What every member-site template knows of the person asking."""

from kb import access
from kb.directory import current_membership


def member(request) -> dict:
    """The current member's city and roles, for navigation."""
    user = getattr(request, "user", None)
    return {"membership": current_membership(user), "viewer": access.viewer_for(user)}
