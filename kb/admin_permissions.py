"""The Wagtail admin under the access policy.

Wagtail's page permissions come from group permissions on a subtree (a city editor holds
them on their city's page), so by themselves they would show an editor every page under
the city, including TLP:RED pages they are not named on, and keep showing them to a
former member whose groups were not yet updated. This page permission policy (registered
in kb/wagtail_hooks.py with Wagtail's `register_permission_policy`) and the permission
tester used by marked pages take out of the admin every page kb.access hides, and every
page permission of someone who is not a current member."""

from __future__ import annotations

from wagtail.models import GroupPagePermission, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

from kb import access


def _trim(user, pages):
    hidden = access.hidden_pages(user)
    return pages if hidden is None else pages.exclude(pk__in=hidden)


class MarkedPagePermissionPolicy(PagePermissionPolicy):
    def get_all_permissions_for_user(self, user):
        if user.is_active and not user.is_superuser and not access.viewer_for(user).is_member:
            # Membership ended (groups may lag behind): no page permission at all.
            return GroupPagePermission.objects.none()
        return super().get_all_permissions_for_user(user)

    def instances_user_has_any_permission_for(self, user, actions):
        return _trim(user, super().instances_user_has_any_permission_for(user, actions))

    def explorable_instances(self, user):
        return _trim(user, super().explorable_instances(user))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not access.can_view_any_state(user, instance):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)


class MarkedPagePermissionTester(PagePermissionTester):
    """What a user may do to one marked page: nothing at all where kb.access hides it."""

    def __init__(self, user, page) -> None:
        super().__init__(user, page)
        if user.is_active and not user.is_superuser and not access.can_view_any_state(user, page):
            self.permissions = set()
