"""kb's periodic jobs."""

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
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


def refresh_statistics() -> None:
    """SQLite keeps no statistics of its tables until ANALYZE runs; without them its
    planner reads a city's actions through the status index, every open action of the
    network (1.4 s at 100,000 lessons instead of 2 ms for the committee dashboard's city
    figures). PostgreSQL keeps its own (autovacuum)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@periodic("database_statistics")
def daily_statistics() -> str:
    """Once a day (about a second at 100,000 lessons)."""
    if connection.vendor != "sqlite":
        return "kept by the database"
    if not cache.add(f"kb:statistics:{timezone.localdate().isoformat()}", True, 2 * 24 * 3600):
        return "refreshed today"
    refresh_statistics()
    return "refreshed"
