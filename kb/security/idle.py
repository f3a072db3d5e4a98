"""Idle sessions end: a browser left logged in is logged out after KB_IDLE_MINUTES without a
page load (30 by default; 0 turns it off). Sessions also end after 8 hours and when the
browser closes (settings).

Only page loads (GET, HEAD) are judged idle, and a logged-out reader lands on the login
page with a note saying why, then returns to the page asked for. A form sent after a long
time of typing goes through: refusing it would lose what was written. The last-seen time is
written at most once a minute, so a session is not saved on every request. API calls with
a token carry no session and are not concerned.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

LAST_SEEN = "kb_last_seen"
WRITE_EVERY = 60  # seconds
IDLE_PARAM = "idle"  # ?idle=1 on the login page: say why


def start_the_clock(sender, request, user, **kwargs) -> None:
    """A login counts as activity (so the first page after it writes nothing more)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = time.time()


def idle_limit() -> int:
    """Seconds without a page load before a session ends (0: never)."""
    return int(getattr(settings, "KB_IDLE_MINUTES", 30)) * 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        limit = idle_limit()
        if not limit or user is None or not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        last = request.session.get(LAST_SEEN)
        if last is not None and now - last > limit and request.method in ("GET", "HEAD"):
            logout(request)
            return self._logged_out(request)
        if last is None or now - last >= WRITE_EVERY:
            request.session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _logged_out(request: HttpRequest) -> HttpResponse:
        minutes = idle_limit() // 60
        if request.path_info.startswith("/api/"):
            detail = _(
                "The session ended after %(minutes)s minutes without activity. Log in again."
            ) % {"minutes": minutes}
            return JsonResponse({"detail": detail}, status=401)
        query = urlencode({"next": request.get_full_path(), IDLE_PARAM: "1"})
        return redirect(f"{reverse('login')}?{query}")
