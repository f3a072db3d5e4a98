"""The access policy's core: the one place that answers "may this user see this?".

The rule (Traffic Light Protocol 2.0) is stated once, in `RULE`: each marking opens an item
to some audiences, and each audience says how it recognises a reader three ways, which
therefore cannot drift apart: as a test on an item's values (`may_read`), as a filter on a
marked model (`marking_q`) and as search-index tokens (`marking_tokens`, `viewer_tokens`).
- TLP:CLEAR: everyone, including anonymous visitors;
- TLP:GREEN: every current member of the network;
- TLP:AMBER: current members of the owning city and of the cities it is shared with;
- TLP:AMBER+STRICT: current members of the owning city;
- TLP:RED: the named recipients, while they are current members;
- plus any extra grant registered by another part (peer review grants assigned
  reviewers read access to what they review for the life of the round); a grant never
  opens TLP:RED to someone it does not name (`grant_allowed`).
Superusers (platform administrators) see everything.

The page types that carry a marking live in higher layers (lessons/): they register here
(`register_marked_page`, from their AppConfig.ready()) with the filter that applies the
rule to them, so every channel below them (notifications, the admin) can ask `can_view`
or `hidden_pages` about any page. lessons/access.py holds the rule for debriefs and lessons.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from functools import reduce
from operator import or_
from typing import NamedTuple

from django.db.models import BooleanField, Case, Model, Q, QuerySet, Value, When
from wagtail.models import Page

from kb.choices import MARKING_ORDER, Marking

# Who is asking lives in kb.viewers; the rest of the project imports these names from here.
from kb.viewers import (  # noqa: F401
    ANONYMOUS,
    Viewer,
    granted_ids,
    register_context_provider,
    register_grant_provider,
    viewer_for,
    viewer_key,
)

PUBLIC_TOKEN = "public"
MEMBER_TOKEN = "member"


class Item(NamedTuple):
    """The values of a marked item the rule reads."""

    marking: Marking
    owner_city_id: int | None
    shared_city_ids: Collection[int]
    recipient_ids: Collection[int]


# --- The rule ----------------------------------------------------------------------------


class Audience:
    """One kind of reader a marking opens an item to."""

    members_only = True  # only current members of the network belong to it

    def admits(self, viewer: Viewer, item: Item) -> bool:
        raise NotImplementedError

    def where(self, viewer: Viewer, model: type[Model], prefix: str) -> Q | None:
        """admits() as a filter on `model` rows (None: no condition beyond the marking)."""
        raise NotImplementedError

    def tokens(self, item: Item) -> list[str]:
        """The index tokens of this audience on an item."""
        raise NotImplementedError

    def viewer_token(self, viewer: Viewer) -> str:
        """The token a viewer of this audience holds."""
        raise NotImplementedError

    def reaches(self, viewer: Viewer) -> bool:
        return viewer.is_member or not self.members_only


class Everyone(Audience):
    members_only = False

    def admits(self, viewer, item):
        return True

    def where(self, viewer, model, prefix):
        return None

    def tokens(self, item):
        return [PUBLIC_TOKEN]

    def viewer_token(self, viewer):
        return PUBLIC_TOKEN


class Members(Audience):
    def admits(self, viewer, item):
        return True

    def where(self, viewer, model, prefix):
        return None

    def tokens(self, item):
        return [MEMBER_TOKEN]

    def viewer_token(self, viewer):
        return MEMBER_TOKEN


class OwnerCity(Audience):
    def admits(self, viewer, item):
        return viewer.city_id == item.owner_city_id

    def where(self, viewer, model, prefix):
        return Q(**{f"{prefix}owner_city_id": viewer.city_id})

    def tokens(self, item):
        return [f"city:{item.owner_city_id}"]

    def viewer_token(self, viewer):
        return f"city:{viewer.city_id}"


class SharedCities(Audience):
    def admits(self, viewer, item):
        return viewer.city_id in item.shared_city_ids

    def where(self, viewer, model, prefix):
        shared = model.shared_with.through.objects.filter(city_id=viewer.city_id)
        return Q(**{f"{prefix}pk__in": shared.values(f"{model._meta.model_name}_id")})

    def tokens(self, item):
        return sorted(f"city:{pk}" for pk in item.shared_city_ids)

    def viewer_token(self, viewer):
        return f"city:{viewer.city_id}"


class Recipients(Audience):
    def admits(self, viewer, item):
        return viewer.user_id in item.recipient_ids

    def where(self, viewer, model, prefix):
        named = model.recipients.through.objects.filter(user_id=viewer.user_id)
        return Q(**{f"{prefix}pk__in": named.values(f"{model._meta.model_name}_id")})

    def tokens(self, item):
        return sorted(f"user:{pk}" for pk in item.recipient_ids)

    def viewer_token(self, viewer):
        return f"user:{viewer.user_id}"


EVERYONE, MEMBERS, OWNER_CITY, SHARED_CITIES, RECIPIENTS = (
    Everyone(),
    Members(),
    OwnerCity(),
    SharedCities(),
    Recipients(),
)
AUDIENCES = (EVERYONE, MEMBERS, OWNER_CITY, SHARED_CITIES, RECIPIENTS)

RULE: dict[Marking, tuple[Audience, ...]] = {
    Marking.CLEAR: (EVERYONE,),
    Marking.GREEN: (MEMBERS,),
    Marking.AMBER: (OWNER_CITY, SHARED_CITIES),
    Marking.AMBER_STRICT: (OWNER_CITY,),
    Marking.RED: (RECIPIENTS,),
}
# Markings that name their readers: a grant does not open them to anyone else.
NAMED_ONLY = [marking for marking, audiences in RULE.items() if audiences == (RECIPIENTS,)]


def may_read(
    marking: str,
    owner_city_id: int | None,
    shared_city_ids: Collection[int],
    recipient_ids: Collection[int],
    viewer: Viewer,
) -> bool:
    """The rule on plain values: may this viewer read an item so marked (grants aside)?"""
    if viewer.is_superuser:
        return True
    item = Item(Marking(marking), owner_city_id, shared_city_ids, recipient_ids)
    return any(a.reaches(viewer) and a.admits(viewer, item) for a in RULE[item.marking])


def marking_q(viewer: Viewer, model: type[Model], prefix: str = "") -> Q:
    """The rule as a filter on `model` (a marked model), or on its `prefix`-related rows."""
    if viewer.is_superuser:
        # Never an empty Q(): OR-ed with another Q, it would vanish instead of allowing all.
        return Q(**{f"{prefix}pk__isnull": False})
    clauses = []
    for marking, audiences in RULE.items():
        conditions = [a.where(viewer, model, prefix) for a in audiences if a.reaches(viewer)]
        if not conditions:
            continue
        clause = Q(**{f"{prefix}marking": marking})
        if None not in conditions:
            clause &= reduce(or_, conditions)
        clauses.append(clause)
    return reduce(or_, clauses)


def grant_allowed(marking: str, recipient_ids: Collection[int], user_id: int | None) -> bool:
    """May a read grant (peer review's) open an item so marked to this user?"""
    return Marking(marking) not in NAMED_ONLY or user_id in recipient_ids


def grant_allowed_q(user_id: int | None, model: type[Model], prefix: str = "") -> Q:
    """grant_allowed() as a filter on `model` rows."""
    named = model.recipients.through.objects.filter(user_id=user_id)
    return ~Q(**{f"{prefix}marking__in": NAMED_ONLY}) | Q(
        **{f"{prefix}pk__in": named.values(f"{model._meta.model_name}_id")}
    )


def less_restricted(marking: str, than: str) -> bool:
    return MARKING_ORDER.index(Marking(marking)) < MARKING_ORDER.index(Marking(than))


def most_restrictive(markings: Iterable[str]) -> Marking:
    """The most restrictive of these markings (TLP:CLEAR when there are none)."""
    return max((Marking(m) for m in markings), key=MARKING_ORDER.index, default=Marking.CLEAR)


def marking_admits(item, user) -> bool:
    """May this user read a marked item (a debrief or lesson) under its marking alone, grants
    aside? Peer review asks it before an invitation widens who reads the material."""
    return may_read(
        item.marking,
        item.owner_city_id,
        [city.pk for city in item.shared_with.all()],
        [person.pk for person in item.recipients.all()],
        viewer_for(user),
    )


# --- The same rule as tokens, for search engines -----------------------------------------
# An indexed lesson carries two token lists (its own marking's and its debrief's); a viewer
# carries the tokens they hold. The lesson matches when both lists share a token with the
# viewer, or its id is among the viewer's grants.


def marking_tokens(
    marking: str,
    owner_city_id: int | None,
    shared_city_ids: Iterable[int] = (),
    recipient_ids: Iterable[int] = (),
) -> list[str]:
    """Tokens of whoever may read an item under this marking and these sharing lists."""
    item = Item(Marking(marking), owner_city_id, tuple(shared_city_ids), tuple(recipient_ids))
    return [token for audience in RULE[item.marking] for token in audience.tokens(item)]


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
    tokens = [a.viewer_token(viewer) for a in AUDIENCES if a.reaches(viewer)]
    return list(dict.fromkeys(tokens))


# --- Marked page types -------------------------------------------------------------------

_marked_pages: dict[type[Page], Callable[[Viewer], Q]] = {}


def register_marked_page(model: type[Page], rule: Callable[[Viewer], Q]) -> None:
    """`model`'s pages carry a marking; rule(viewer) filters those the viewer may read (the
    marking rule, the grants, and whatever else the page type adds, e.g. a parent's rule)."""
    _marked_pages[model] = rule


def _rule_for(model: type) -> Callable[[Viewer], Q] | None:
    for marked, rule in _marked_pages.items():
        if issubclass(model, marked):
            return rule
    return None


def visible(user, queryset: QuerySet, as_one_condition: bool = False) -> QuerySet:
    """The live pages of `queryset` (of a registered marked page type) the user may see.

    `as_one_condition`: the rule as a single CASE, opaque to the database's planner. A
    listing that reads a page at a time in an indexed order wants it: split into its OR
    branches, SQLite fetches every visible row by index (multi-index OR) and sorts them
    all; as one condition, it walks the order's index and stops after the page.
    """
    rule = _rule_for(queryset.model)
    if rule is None:
        raise LookupError(f"{queryset.model.__name__} is not a registered marked page type")
    queryset = queryset.live()
    viewer = viewer_for(user)
    if viewer.is_superuser:
        return queryset
    if as_one_condition:
        return queryset.filter(
            Case(When(rule(viewer), then=Value(True)), default=False, output_field=BooleanField())
        )
    return queryset.filter(rule(viewer))


def can_view(user, page) -> bool:
    """May this user see this page on the member site (or any other channel)?"""
    page = page.specific if type(page) is Page else page
    if _rule_for(type(page)) is None:
        return True
    return visible(user, type(page).objects.filter(pk=page.pk)).exists()


def hidden_pages(user) -> QuerySet | None:
    """Marked pages, live or draft, this user may not see (a page-id subquery for the
    admin's listings and permission checks); None when nothing is hidden."""
    viewer = viewer_for(user)
    if viewer.is_superuser:
        return None
    # "All but the visible ones": exclude() over nullable columns would let rows through.
    hidden = [
        model.objects.exclude(pk__in=model.objects.filter(rule(viewer)).values("pk"))
        for model, rule in _marked_pages.items()
    ]
    if not hidden:
        return None
    either = reduce(or_, (Q(pk__in=pages.values("pk")) for pages in hidden))
    return Page.objects.filter(either).values("pk")


def can_view_any_state(user, page) -> bool:
    """can_view() for the admin: drafts and unpublished pages count too."""
    hidden = hidden_pages(user)
    return hidden is None or not hidden.filter(pk=page.pk).exists()
