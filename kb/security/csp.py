"""The Content-Security-Policy, strict everywhere but under the Wagtail admin.

The member site has no inline script or style, so `script-src 'self'` holds. The Wagtail
admin renders inline scripts (inline panels, date widgets) and previews pages in an
iframe; under its prefix the directives in KB_ADMIN_CSP_REPLACE take over.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class AdminAwareCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.KB_ADMIN_PATH_PREFIX):
            parts.replace = {**settings.KB_ADMIN_CSP_REPLACE, **(parts.replace or {})}
        return parts
