"""kb's periodic jobs."""

from django.contrib.auth.models import Group
from django.db import DatabaseError, connection
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


def statistics_stale() -> bool:
    """No statistics yet, or the pages (which grow with the lessons) have halved or more
    than doubled since they were gathered: plans chosen for another size."""
    with connection.cursor() as cursor:
        try:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'wagtailcore_page' LIMIT 1")
        except DatabaseError:  # no sqlite_stat1 table: ANALYZE never ran
            return True
        row = cursor.fetchone()
        if row is None:
            return True
        analysed = int(row[0].split()[0])
        cursor.execute("SELECT count(*) FROM wagtailcore_page")
        pages = cursor.fetchone()[0]
    return not analysed / 2 <= pages <= 2 * analysed + 100


@periodic("database_statistics")
def refresh_stale_statistics() -> str:
    """Every tick: a count of the pages; ANALYZE (about a second at 100,000 lessons) only
    when the statistics are missing or stale."""
    if connection.vendor != "sqlite":
        return "kept by the database"
    if not statistics_stale():
        return "up to date"
    refresh_statistics()
    return "refreshed"
