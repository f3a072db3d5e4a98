"""The access policy: the one place that answers "may this user see this?".

Every channel (pages, listings, search, similar cases, API, exports, feeds, e-mails)
asks here, either per item (`can_view`) or as a queryset filter (`visible_lessons`,
`visible_debriefs`), so the rule is written once.

The rule (Traffic Light Protocol 2.0):
- TLP:CLEAR: everyone, including anonymous visitors;
- TLP:GREEN: every current member of the network;
- TLP:AMBER: current members of the owning city and of the cities it is shared with;
- TLP:AMBER+STRICT: current members of the owning city;
- TLP:RED: the named recipients, while they are current members;
- plus any extra grant registered by another part (peer review grants assigned
  reviewers read access to what they review for the life of the round); a grant on a
  lesson also opens its debrief, read as the context of the lesson (not its other lessons).
A lesson is visible only when its own rule AND its debrief's rule allow it, so a lesson
is never less restricted than the rule its owner chose for the debrief.
Superusers (platform administrators) see everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from kb.choices import MARKING_ORDER, Marking

_VIEWER_CACHE_ATTR = "_kb_viewer"


@dataclass(frozen=True)
class Viewer:
    """What the policy needs to know about the person asking."""

    user_id: int | None = None
    city_id: int | None = None
    is_member: bool = False
    is_superuser: bool = False
    granted_page_ids: frozenset[int] = field(default_factory=frozenset)
    # Debriefs readable as the context of a granted lesson; they open no other lesson.
    context_page_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None


ANONYMOUS = Viewer()

# Other parts add read grants (page ids a user may read beyond the marking rule).
_grant_providers: list[Callable[[object], set[int]]] = []


def register_grant_provider(provider: Callable[[object], set[int]]) -> None:
    if provider not in _grant_providers:
        _grant_providers.append(provider)


def viewer_for(user) -> Viewer:
    """Resolve (once per user object) who is asking."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, _VIEWER_CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not user.is_active:
        viewer = ANONYMOUS
    else:
        from kb.models import Membership

        membership = Membership.objects.active().filter(user_id=user.pk).first()
        grants: set[int] = set()
        if membership is not None:
            for provider in _grant_providers:
                grants |= set(provider(user))
        viewer = Viewer(
            user_id=user.pk,
            city_id=membership.city_id if membership else None,
            is_member=membership is not None,
            is_superuser=user.is_superuser,
            granted_page_ids=frozenset(grants),
            context_page_ids=_context_debriefs(user, grants),
        )
    setattr(user, _VIEWER_CACHE_ATTR, viewer)
    return viewer


def _context_debriefs(user, granted: set[int]) -> frozenset[int]:
    """The debriefs of the granted lessons, but a TLP:RED debrief only for its recipients
    (a reviewer named on a RED lesson is not thereby named on its debrief)."""
    if not granted:
        return frozenset()
    from lessons.models import DebriefPage, LessonPage

    parents = LessonPage.objects.filter(pk__in=granted).values("debrief_id")
    debriefs = DebriefPage.objects.filter(pk__in=parents).exclude(
        Q(marking=Marking.RED) & ~Q(recipients__id=user.pk)
    )
    return frozenset(debriefs.values_list("pk", flat=True))


def forget_viewer(user) -> None:
    """Drop the cached answer after a membership or grant changed."""
    if user is not None and hasattr(user, _VIEWER_CACHE_ATTR):
        delattr(user, _VIEWER_CACHE_ATTR)


def less_restricted(marking: str, than: str) -> bool:
    return MARKING_ORDER.index(Marking(marking)) < MARKING_ORDER.index(Marking(than))


def marking_q(viewer: Viewer, model, prefix: str = "") -> Q:
    """The marking rule for one marked model, as a filter on `prefix`-related rows."""
    p = prefix
    allowed = Q(**{f"{p}marking": Marking.CLEAR})
    if not viewer.is_member:
        return allowed
    shared = model.shared_with.through.objects.filter(city_id=viewer.city_id)
    named = model.recipients.through.objects.filter(user_id=viewer.user_id)
    fk = f"{model._meta.model_name}_id"
    allowed |= Q(**{f"{p}marking": Marking.GREEN})
    allowed |= Q(
        **{
            f"{p}marking__in": [Marking.AMBER, Marking.AMBER_STRICT],
            f"{p}owner_city_id": viewer.city_id,
        }
    )
    allowed |= Q(**{f"{p}marking": Marking.AMBER, f"{p}pk__in": shared.values(fk)})
    allowed |= Q(**{f"{p}marking": Marking.RED, f"{p}pk__in": named.values(fk)})
    return allowed


def _granted(viewer: Viewer, prefix: str = "") -> Q:
    if not viewer.granted_page_ids:
        return Q(pk__in=[])
    return Q(**{f"{prefix}pk__in": viewer.granted_page_ids})


def debrief_q(viewer: Viewer) -> Q:
    from lessons.models import DebriefPage

    context = Q(pk__in=viewer.context_page_ids) if viewer.context_page_ids else Q(pk__in=[])
    return marking_q(viewer, DebriefPage) | _granted(viewer) | context


def lesson_q(viewer: Viewer) -> Q:
    from lessons.models import DebriefPage, LessonPage

    own = marking_q(viewer, LessonPage) | _granted(viewer)
    # A reviewer granted a lesson may read the debrief context it sits in.
    parent = marking_q(viewer, DebriefPage, "debrief__") | _granted(viewer, "debrief__")
    parent |= _granted(viewer)
    return own & parent


def visible_lessons(user, queryset: QuerySet | None = None) -> QuerySet:
    """Every live lesson the user may see."""
    from lessons.models import LessonPage

    qs = queryset if queryset is not None else LessonPage.objects.all()
    qs = qs.live()
    viewer = viewer_for(user)
    if viewer.is_superuser:
        return qs
    return qs.filter(lesson_q(viewer))


def hidden_pages(user) -> QuerySet | None:
    """Marked pages, live or draft, this user may not see (a page-id subquery for the
    admin's listings and permission checks); None when nothing is hidden."""
    from wagtail.models import Page

    from lessons.models import DebriefPage, LessonPage

    viewer = viewer_for(user)
    if viewer.is_superuser:
        return None
    # "All but the visible ones": exclude() over nullable columns would let rows through.
    lessons = LessonPage.objects.exclude(
        pk__in=LessonPage.objects.filter(lesson_q(viewer)).values("pk")
    )
    debriefs = DebriefPage.objects.exclude(
        pk__in=DebriefPage.objects.filter(debrief_q(viewer)).values("pk")
    )
    return Page.objects.filter(
        Q(pk__in=lessons.values("pk")) | Q(pk__in=debriefs.values("pk"))
    ).values("pk")


def can_view_any_state(user, page) -> bool:
    """can_view() for the admin: drafts and unpublished pages count too."""
    hidden = hidden_pages(user)
    return hidden is None or not hidden.filter(pk=page.pk).exists()


def visible_debriefs(user, queryset: QuerySet | None = None) -> QuerySet:
    """Every live debrief the user may see."""
    from lessons.models import DebriefPage

    qs = queryset if queryset is not None else DebriefPage.objects.all()
    qs = qs.live()
    viewer = viewer_for(user)
    if viewer.is_superuser:
        return qs
    return qs.filter(debrief_q(viewer))


def can_view(user, page) -> bool:
    """May this user see this page on the member site (or any other channel)?"""
    from lessons.models import DebriefPage, LessonPage

    page = page.specific if type(page).__name__ == "Page" else page
    if isinstance(page, LessonPage):
        return visible_lessons(user).filter(pk=page.pk).exists()
    if isinstance(page, DebriefPage):
        return visible_debriefs(user).filter(pk=page.pk).exists()
    return True


# --- The same rule as tokens, for search engines -----------------------------------------
# An indexed lesson carries two token lists (its own marking's and its debrief's); a viewer
# carries the tokens they hold. The lesson matches when both lists share a token with the
# viewer, or its id is among the viewer's grants. This is marking_q() in another form;
# tests/kb/test_access_policy.py proves the two agree on every cell of the matrix.

PUBLIC_TOKEN = "public"
MEMBER_TOKEN = "member"


def marking_tokens(
    marking: str,
    owner_city_id: int | None,
    shared_city_ids: Iterable[int] = (),
    recipient_ids: Iterable[int] = (),
) -> list[str]:
    """Tokens of whoever may read an item under this marking and these sharing lists."""
    marking = Marking(marking)
    if marking == Marking.CLEAR:
        return [PUBLIC_TOKEN]
    if marking == Marking.GREEN:
        return [MEMBER_TOKEN]
    if marking == Marking.AMBER_STRICT:
        return [f"city:{owner_city_id}"]
    if marking == Marking.AMBER:
        shared = sorted(f"city:{pk}" for pk in shared_city_ids)
        return [f"city:{owner_city_id}", *shared]
    return sorted(f"user:{pk}" for pk in recipient_ids)


def item_tokens(item) -> list[str]:
    """marking_tokens() of a marked model instance (.all(): indexing prefetches the lists)."""
    return marking_tokens(
        item.marking,
        item.owner_city_id,
        [city.pk for city in item.shared_with.all()],
        [user.pk for user in item.recipients.all()],
    )


def viewer_tokens(user) -> list[str] | None:
    """The tokens this user holds; None means no trimming at all (platform administrator)."""
    viewer = viewer_for(user)
    if viewer.is_superuser:
        return None
    if not viewer.is_member:
        return [PUBLIC_TOKEN]
    return [PUBLIC_TOKEN, MEMBER_TOKEN, f"city:{viewer.city_id}", f"user:{viewer.user_id}"]


def granted_ids(user) -> frozenset[int]:
    return viewer_for(user).granted_page_ids


def visible_actions(user, queryset: QuerySet | None = None) -> QuerySet:
    """Every action (of the oversight tracker) whose lesson the user may see."""
    from lessons.tracking.models import Action

    qs = queryset if queryset is not None else Action.objects.all()
    return qs.filter(recommendation__lesson__in=visible_lessons(user).values("pk"))
