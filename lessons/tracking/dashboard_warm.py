"""The committee dashboard's figures computed ahead of the committee members: `tick`.

A render after a write naming one city computes that city's figures (about 100 ms); after a
write naming none (a vocabulary term renamed, a bulk write) and on the first render of a
day, every city's (seconds at 100,000 lessons). The periodic job does that work instead,
for each committee member who logged in lately, and leaves the figures in the shared
cache (dashboard_cache), where the site finds them. Figures still exact are not computed
again: a run after nothing changed reads the cache and stops.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from kb.models import Membership
from kb.periodic import periodic

from .dashboard import scope_for
from .dashboard_cache import dashboard

RECENT = datetime.timedelta(days=14)  # a committee member seen since then is served ahead


def warm_all(today=None, now=None) -> int:
    """Brings the unfiltered dashboard of each recently seen committee member up to date in
    the shared cache; returns how many members were served."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    members = Membership.objects.active().filter(is_committee=True).values("user_id")
    users = get_user_model().objects.filter(pk__in=members, last_login__gte=now - RECENT)
    served = 0
    for user in users.order_by("pk"):
        scope = scope_for(user)
        if scope is None:
            continue
        dashboard(user, scope, {}, today=today, now=now, share=True)
        served += 1
    return served


@periodic("dashboard_warm")
def warm() -> str:
    return f"dashboard figures ready for {warm_all()} committee member(s)"
