from kb import access
from kb.models import Membership


def member(request) -> dict:
    """The current member's city and roles, for navigation."""
    user = getattr(request, "user", None)
    membership = None
    if user is not None and user.is_authenticated:
        membership = (
            Membership.objects.active()
            .filter(user=user)
            .select_related("city", "organisation")
            .first()
        )
    return {"membership": membership, "viewer": access.viewer_for(user)}
