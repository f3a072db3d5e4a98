"""Business rules of the member directory: cities get a page and an editors group;
memberships put users in the groups that give them their Wagtail permissions; and the one
lookup of a user's current membership, which every part asks for (`current_membership`)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission, Page
from wagtail.users.models import UserProfile

from kb.models import City, CityPage, HomePage, Membership, Organisation

EDITORS_GROUP = "Editors"
# No publish_page: a city's material is published by the peer-review workflow once the
# round's decision endorses it, never directly by an editor.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page"]


T = TypeVar("T")

# --- Who the user is now ----------------------------------------------------------------
# Answers about a user (their membership here, their Viewer in kb.access) are kept on the
# user object, so they live for one request at most. They are also dropped as soon as the
# user's membership or read grants change in this process: receivers of those models'
# signals call `rights_changed` (kb/signals.py, peer_review/access.py), so no transition
# has to remember to drop a cache, and a user object held across a change cannot answer
# stale.
_stamps = itertools.count(1)  # next() is atomic: two changes never share a stamp
_changed_at: dict[int, int] = {}  # user id -> stamp of the last change to their rights


def rights_changed(*user_ids: int | None) -> None:
    """These users' membership or read grants changed: what is kept about them is void."""
    for pk in user_ids:
        if pk is not None:
            _changed_at[pk] = next(_stamps)


def kept_on_user(user, name: str, compute: Callable[[object], T]) -> T:
    """compute(user), kept on the user object as `name` until rights_changed(user.pk)."""
    stamp = _changed_at.get(user.pk, 0)
    kept = getattr(user, name, None)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    value = compute(user)
    setattr(user, name, (stamp, value))
    return value


_MEMBERSHIP_ATTR = "_kb_membership"


def _open_membership(user) -> Membership | None:
    memberships = Membership.objects.active().select_related("city", "organisation")
    return memberships.filter(user_id=user.pk).first()


def current_membership(user) -> Membership | None:
    """The user's open membership (city and organisation loaded); None for anonymous
    visitors and users outside the network. Looked up once per user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return kept_on_user(user, _MEMBERSHIP_ATTR, _open_membership)


def city_editors_group_name(city: City) -> str:
    return f"{city.name} editors"


def home_page() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Lessons Knowledge Base", slug="home"))
    return home


@transaction.atomic
def ensure_city_setup(city: City) -> CityPage:
    """Give a city its page under the home page and the group that may edit beneath it."""
    page = CityPage.objects.filter(city=city).first()
    if page is None:
        page = home_page().add_child(instance=CityPage(title=city.name, city=city))
    elif page.title != city.name:
        page.title = city.name
        page.save_revision().publish()
    group, _created = Group.objects.get_or_create(name=city_editors_group_name(city))
    GroupPagePermission.objects.filter(group=group).exclude(
        page=page, permission__codename__in=EDITOR_PAGE_PERMISSIONS
    ).delete()
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    return page


def editors_group() -> Group:
    group, created = Group.objects.get_or_create(name=EDITORS_GROUP)
    if created:
        # Admin access only: images and documents carry no TLP marking and no lesson uses
        # them, so editors get no library where another city's upload could be read.
        group.permissions.add(*Permission.objects.filter(codename="access_admin"))
    return group


def sync_user_groups(user) -> None:
    """Put the user in exactly the editor groups their current membership calls for."""
    membership = current_membership(user)
    wanted: set[Group] = set()
    if membership and membership.is_editor:
        wanted = {
            editors_group(),
            Group.objects.get_or_create(name=city_editors_group_name(membership.city))[0],
        }
    managed = Group.objects.filter(name__endswith=" editors") | Group.objects.filter(
        name=EDITORS_GROUP
    )
    current = set(user.groups.filter(pk__in=managed.values("pk")))
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))


def add_city(name: str, country: str, languages: list[str] | None = None) -> tuple[City, bool]:
    city, created = City.objects.get_or_create(
        name=name, defaults={"country": country.upper(), "languages": ",".join(languages or [])}
    )
    changed = False
    if not created:
        if city.country != country.upper():
            city.country, changed = country.upper(), True
        if languages is not None and city.language_list != languages:
            city.languages, changed = ",".join(languages), True
        if changed:
            city.save()
    ensure_city_setup(city)
    return city, created


@transaction.atomic
def add_member(
    username: str,
    city: City,
    roles: list[str],
    organisation: Organisation | None = None,
    password: str | None = None,
    email: str | None = None,
) -> tuple[Membership, bool]:
    """Create or update a user and their open membership (idempotent)."""
    user_model = get_user_model()
    user, user_created = user_model.objects.get_or_create(
        username=username, defaults={"email": email or f"{username}@example.org"}
    )
    if password:
        user.set_password(password)
        user.save()
    elif user_created:
        user.set_unusable_password()
        user.save()
    membership = Membership.objects.filter(user=user, ended_on__isnull=True).first()
    if membership is None:
        membership = Membership(user=user, city=city)
    membership.city = city
    membership.organisation = organisation
    for role in ("editor", "reviewer", "committee", "coordinator", "owner"):
        setattr(membership, f"is_{role}", role in roles)
    membership.full_clean()
    membership.save()
    sync_user_groups(user)
    return membership, user_created


def city_name(value: str | None) -> str:
    """The member city's name as stored, for a name typed in any case ("" for none)."""
    value = (value or "").strip()
    if not value:
        return ""
    match = City.objects.filter(name__iexact=value).values_list("name", flat=True).first()
    if match is None:
        raise ValidationError(_("There is no member city of that name."))
    return match


# --- The language a member reads -------------------------------------------------------
def interface_languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def language_for(user, default: str | None = None) -> str | None:
    """The interface language of this member: their own choice (their Wagtail profile's
    preferred language, which the site's switcher also sets), else their city's first
    language if the interface speaks it (setting KB_LANGUAGE_FROM_CITY), else `default`
    (the browser's Accept-Language for a request, the site's language for an e-mail)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return default
    spoken = interface_languages()
    profile = UserProfile.objects.filter(user_id=user.pk).only("preferred_language").first()
    if profile is not None and profile.preferred_language in spoken:
        return profile.preferred_language
    if getattr(settings, "KB_LANGUAGE_FROM_CITY", True):
        membership = current_membership(user)
        city_languages = membership.city.language_list if membership else []
        if city_languages and city_languages[0] in spoken:
            return city_languages[0]
    return default


def set_preferred_language(user, language: str) -> None:
    """Keep the member's choice of interface language on their Wagtail profile (so the
    admin follows it too)."""
    if language not in interface_languages():
        raise ValidationError(_("That language is not offered."))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save(update_fields=["preferred_language"])
