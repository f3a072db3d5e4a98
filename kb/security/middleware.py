"""Sends a logged-in user through the second factor before anything else is served.

- A user with a confirmed TOTP device enters a code after the password, every session.
- With KB_REQUIRE_2FA on, a review coordinator or a platform administrator (superuser or
  staff) without a device is sent to set one up first.
API calls carrying `Authorization: Token ...` are not stopped here: an API token is a
separate credential with no second factor (docs/security.md). A session call to the API
answers 403 in JSON instead of a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import twofactor

# Pages reachable between the password and the code: logging in and out, the 2FA pages
# themselves, and the assets they load.
EXEMPT_PREFIXES = ("/accounts/", "/admin/login/", "/admin/logout/", "/static/", "/favicon")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self.refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        path = request.path_info
        if path.startswith(EXEMPT_PREFIXES):
            return None
        is_api = path.startswith("/api/")
        if is_api and request.headers.get("Authorization"):
            return None
        if twofactor.has_device(user):
            target, detail = "kb_security:verify", _("Enter your two-factor code first.")
        elif twofactor.is_required(user):
            target, detail = "kb_security:setup", _("Set up two-factor authentication first.")
        else:
            return None
        if is_api:
            return JsonResponse({"detail": f"{detail} ({reverse(target)})"}, status=403)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse(target)}?{query}")
