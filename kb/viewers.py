"""Who is asking: a `Viewer` is what the access policy (kb.access) knows of a reader.

Resolved once per user object (`viewer_for`) from the open membership and the read grants
other parts register (`register_grant_provider`, `register_context_provider`); kb.access
re-exports these names, which is where the rest of the project imports them from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kb.directory import current_membership, kept_on_user

_VIEWER_ATTR = "_kb_viewer"


@dataclass(frozen=True)
class Viewer:
    """What the policy needs to know about the person asking."""

    user_id: int | None = None
    city_id: int | None = None
    is_member: bool = False
    is_superuser: bool = False
    granted_page_ids: frozenset[int] = field(default_factory=frozenset)
    # Pages readable as the context of a granted page (a lesson's debrief); they open no more.
    context_page_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None


ANONYMOUS = Viewer()


# Other parts add read grants (page ids a user may read beyond the marking rule), and the
# pages a grant opens as context (a granted lesson's debrief).
_grant_providers: list[Callable[[object], Iterable[int]]] = []
_context_providers: list[Callable[[object, frozenset[int]], Iterable[int]]] = []


def register_grant_provider(provider: Callable[[object], Iterable[int]]) -> None:
    if provider not in _grant_providers:
        _grant_providers.append(provider)


def register_context_provider(provider: Callable[[object, frozenset[int]], Iterable[int]]):
    """provider(user, granted page ids): the pages readable as the context of those grants."""
    if provider not in _context_providers:
        _context_providers.append(provider)


def _resolve_viewer(user) -> Viewer:
    if not user.is_active:
        return ANONYMOUS
    membership = current_membership(user)
    if membership is None:
        return Viewer(user_id=user.pk, is_superuser=user.is_superuser)
    grants = frozenset(pk for provider in _grant_providers for pk in provider(user))
    context: frozenset[int] = frozenset()
    if grants:
        context = frozenset(pk for provider in _context_providers for pk in provider(user, grants))
    return Viewer(
        user_id=user.pk,
        city_id=membership.city_id,
        is_member=True,
        is_superuser=user.is_superuser,
        granted_page_ids=grants,
        context_page_ids=context,
    )


def viewer_for(user) -> Viewer:
    """Who is asking: resolved once per user object, and again after a membership or grant
    changed (kb.directory.rights_changed)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    return kept_on_user(user, _VIEWER_ATTR, _resolve_viewer)


def granted_ids(user) -> frozenset[int]:
    return viewer_for(user).granted_page_ids


def viewer_key(user) -> tuple:
    """A hashable key of everything the policy sees of this user: two users with the same
    key see the same items, so a cache of what a viewer sees may be keyed by it."""
    viewer = viewer_for(user)
    return (
        viewer.user_id,
        viewer.city_id,
        viewer.is_member,
        viewer.is_superuser,
        tuple(sorted(viewer.granted_page_ids)),
        tuple(sorted(viewer.context_page_ids)),
    )
