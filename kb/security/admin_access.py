"""Only current members (and platform administrators) reach the Wagtail admin.

Editors and coordinators get `wagtailadmin.access_admin` from groups that follow their
membership, but a membership also ends by its date, with no save to resync the groups
(the `tick` job catches up later). This backend, listed before ModelBackend, refuses the
permission outright to anyone the access policy does not count as a member: Django stops
at a backend that raises PermissionDenied. Active superusers never reach the backends.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from kb import access

ADMIN_ACCESS = "wagtailadmin.access_admin"


class AdminNeedsMembershipBackend:
    """Grants nothing and logs no one in. (Not a BaseBackend: without get_user() it is never
    the backend a session is tied to.)"""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if perm == ADMIN_ACCESS and not access.viewer_for(user_obj).is_member:
            raise PermissionDenied
        return False
