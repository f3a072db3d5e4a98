"""kb's periodic jobs."""

from django.contrib.auth.models import Group
from django.utils import timezone

from kb.directory import EDITORS_GROUP, sync_user_groups
from kb.models import Membership
from kb.periodic import periodic


@periodic("memberships")
def close_ended_memberships() -> str:
    """Take editor groups away from people whose membership has ended (access itself is
    cut at once by the policy; this keeps the Wagtail admin's groups in line)."""
    editors = Group.objects.filter(name=EDITORS_GROUP).first()
    if editors is None:
        return "0 ended memberships"
    today = timezone.localdate()
    ended = Membership.objects.filter(ended_on__lte=today, user__groups=editors)
    users = {membership.user for membership in ended.select_related("user")}
    inactive = editors.user_set.filter(is_active=False)
    users |= set(inactive)
    for user in users:
        sync_user_groups(user)
    return f"{len(users)} ended memberships closed"
