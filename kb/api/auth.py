"""Who is calling the API: a token, a Django session, or nobody.

Tokens are Wagtail's `APIToken` (only a digest is stored), presented as
`Authorization: Token KEY` (or `Bearer KEY`). A token that is presented but cannot be
honoured answers 401 with the reason; it never falls back to anonymous access, so a
script with a revoked token learns so at once instead of silently reading less.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader
from ninja.security import SessionAuth as NinjaSessionAuth
from wagtail.models import APIToken

TOKEN_SCHEMES = ("token", "bearer")


class TokenRejected(AuthenticationError):
    """A presented credential was refused; answered as 401 with `WWW-Authenticate`."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message)


class TokenAuth(APIKeyHeader):
    param_name = "Authorization"
    openapi_description = (
        "An API token from `python manage.py api_token USERNAME`, sent as "
        "`Authorization: Token KEY` (`Bearer KEY` is accepted too)."
    )

    def authenticate(self, request: HttpRequest, key: str | None) -> APIToken | None:
        if not key:
            return None
        scheme, _, token = key.strip().partition(" ")
        token = token.strip()
        if scheme.lower() not in TOKEN_SCHEMES or not token:
            raise TokenRejected("Send the API token as 'Authorization: Token KEY'.")
        api_token = None
        if APIToken.validate_token_format(token):
            api_token = (
                APIToken.objects.select_related("user")
                .filter(key_hash__in=APIToken.candidate_key_hashes(token))
                .first()
            )
        if api_token is None:
            raise TokenRejected("Invalid API token.")
        if api_token.revoked_at is not None:
            raise TokenRejected("This API token has been revoked.")
        if not api_token.user.is_active:
            raise TokenRejected("The account this API token belongs to is disabled.")
        # The token decides who is asking, whatever session cookie came along.
        request.user = api_token.user
        _touch_last_used(api_token)
        return api_token


class SessionAuth(NinjaSessionAuth):
    """A logged-in session of the member site (CSRF is checked on unsafe methods)."""

    openapi_description = "The session cookie of a member logged in on this site."


class AnonymousReader:
    """Last in line for read endpoints: no credential at all reads as the public.

    Not an AuthBase on purpose: it is no security scheme, and the schema marks the
    operation's security as optional instead (see `KbOpenAPISchema`).
    """

    def __call__(self, request: HttpRequest) -> Any:
        request.user = AnonymousUser()
        return request.user


# Reads: a token, else a session, else the public (TLP:CLEAR only).
read_auth = [TokenAuth(), SessionAuth(), AnonymousReader()]
# Writes: a token or a session, never anonymous.
member_auth = [TokenAuth(), SessionAuth()]


def _touch_last_used(api_token: APIToken) -> None:
    # Same throttle as Wagtail's own token auth, so the row is not written per request.
    interval = getattr(settings, "WAGTAILAPI_TOKEN_LAST_USED_INTERVAL", 60)
    if interval is None:
        return
    now = timezone.now()
    last = api_token.last_used_at
    if last is None or (now - last).total_seconds() >= interval:
        APIToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
