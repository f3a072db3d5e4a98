"""Demo data for `make run`: member cities, their organisations, a demo user for every role,
and the fictional debriefs of demo_debriefs.jsonl.

Everything here is fictional and meant for demonstrations and manual testing; every demo
login shares one published password, so never load it on a server that holds real material.
Loading is idempotent: a second run finds everything in place and creates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from wagtail.users.models import UserProfile

from kb.choices import Role, Sector
from kb.directory import add_city, add_member
from kb.models import City, Organisation
from lessons.importer import import_debriefs
from lessons.models import DebriefPage, LessonPage
from lessons.tracking.demo import load_demo_actions

DEMO_PASSWORD = "demo-pass-2026"
DEBRIEFS_FILE = Path(__file__).with_name("demo_debriefs.jsonl")
NATIONAL_BODY = "National Threat Coordination Centre (fictional)"
# Brussels publishes its metro exercise in French and in Dutch: each Dutch page is linked as
# a translation of its French original (lessons/translations.py).
TRANSLATIONS = {
    "demo-brussels-2022-oefening-metro": "demo-brussels-2022-exercice-metro",
    "demo-brussels-2022-oefening-metro-l1": "demo-brussels-2022-exercice-metro-l1",
    "demo-brussels-2022-oefening-metro-l2": "demo-brussels-2022-exercice-metro-l2",
}
# The site's language of the demo members of these cities (the others read it in English).
MEMBER_LANGUAGES = {
    "Nice": "fr",
    "Brussels": "fr",
    "Berlin": "de",
    "Barcelona": "es",
    "Rotterdam": "nl",
}

CITIES: list[tuple[str, str, list[str]]] = [
    ("Barcelona", "ES", ["es", "ca", "en"]),
    ("Berlin", "DE", ["de", "en"]),
    ("Brussels", "BE", ["fr", "nl", "en"]),
    ("London", "GB", ["en"]),
    ("Manchester", "GB", ["en"]),
    ("Melbourne", "AU", ["en"]),
    ("Nice", "FR", ["fr", "en"]),
    ("Oslo", "NO", ["no", "en"]),
    ("Rotterdam", "NL", ["nl", "en"]),
]

# The public services every city has, named after the city.
PUBLIC_SERVICES: list[tuple[str, str]] = [
    ("{city} Police", Sector.POLICE),
    ("{city} Fire and Rescue", Sector.FIRE),
    ("{city} Ambulance Service", Sector.AMBULANCE),
    ("{city} Public Health", Sector.HEALTH),
    ("{city} Public Transport", Sector.TRANSPORT),
]
MUNICIPALITIES = {"London": "London Borough of Riverside (fictional)"}
# Fictional private-sector partners: the private security company first, then venues.
PRIVATE_PARTNERS: dict[str, list[str]] = {
    "Barcelona": ["Barna Secure", "Mercat Plus Supermarkets"],
    "Berlin": [
        "Spree Guard Security",
        "Berlin Arena Operations",
        "Berlin Christmas Markets Association",
    ],
    "Brussels": ["Capital Security Services", "Brussels Convention Centre"],
    "London": ["Citadel Security Group", "Thameside Leisure"],
    "Manchester": ["Pennine Security", "Northern Halls"],
    "Melbourne": ["Southbank Protective Services", "Melbourne Sports Precinct"],
    "Nice": ["Azur Guard Security", "Riviera Events"],
    "Oslo": ["Nordic Shield Security", "Oslo Concerts", "Oslo Shopping Centres"],
    "Rotterdam": ["Harbour Guard Security", "Maas Festival Foundation", "Maas Ferries"],
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    city: str | None  # None: a user without a membership
    roles: tuple[str, ...] = ()
    organisation: str | None = None
    network_wide: bool = False
    superuser: bool = False

    @property
    def role_text(self) -> str:
        if self.superuser:
            return "superuser (platform administrator)"
        if self.city is None:
            return "no membership"
        text = ", ".join(self.roles) or "reader (no roles)"
        return f"{text} (network-wide)" if self.network_wide else text


def municipality(city: str) -> str:
    return MUNICIPALITIES.get(city, f"City of {city}")


def _demo_users() -> list[DemoUser]:
    owner_organisations = {
        "Nice": "Nice Fire and Rescue",
        "Berlin": "Berlin Public Transport",
        "Barcelona": "Mercat Plus Supermarkets",
        "Rotterdam": "Harbour Guard Security",
    }
    role_organisations = {
        Role.EDITOR: municipality,
        Role.REVIEWER: lambda city: f"{city} Police",
        Role.COMMITTEE: municipality,
        Role.COORDINATOR: municipality,
        Role.OWNER: owner_organisations.get,
    }
    users = []
    for city, _, _ in CITIES:
        roles = list(Role) if city in owner_organisations else [Role.EDITOR, Role.REVIEWER]
        for role in roles:
            organisation = role_organisations[role](city)
            users.append(
                DemoUser(f"{city.lower()}-{role.value}", city, (role.value,), organisation)
            )
    return [
        *users,
        DemoUser("london-reader", "London", (), municipality("London")),
        DemoUser("network-committee", "Brussels", ("committee",), NATIONAL_BODY, network_wide=True),
        DemoUser("visitor", None),
        DemoUser("admin", None, superuser=True),
    ]


DEMO_USERS = _demo_users()


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, roles, city) of every demo login; all share DEMO_PASSWORD."""
    return [(user.username, user.role_text, user.city or "") for user in DEMO_USERS]


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(f"{message}\n")


def _load_directory() -> dict[str, City]:
    cities = {name: add_city(name, country, languages)[0] for name, country, languages in CITIES}
    Organisation.objects.get_or_create(
        name=NATIONAL_BODY, city=None, defaults={"sector": Sector.OTHER}
    )
    for name, city in cities.items():
        organisations = [(pattern.format(city=name), sector) for pattern, sector in PUBLIC_SERVICES]
        organisations.append((municipality(name), Sector.MUNICIPALITY))
        security, *venues = PRIVATE_PARTNERS[name]
        organisations.append((security, Sector.PRIVATE_SECURITY))
        organisations += [(venue, Sector.VENUE_OPERATOR) for venue in venues]
        for org_name, sector in organisations:
            Organisation.objects.get_or_create(
                name=org_name, city=city, defaults={"sector": sector}
            )
    return cities


def _load_users(cities: dict[str, City]) -> None:
    user_model = get_user_model()
    # One hash for every new demo user: hashing is slow and the password is public anyway.
    password = make_password(DEMO_PASSWORD)
    for demo in DEMO_USERS:
        if demo.city is None:
            user, created = user_model.objects.get_or_create(
                username=demo.username,
                defaults={
                    "email": f"{demo.username}@example.org",
                    "is_staff": demo.superuser,
                    "is_superuser": demo.superuser,
                },
            )
        else:
            city = cities[demo.city]
            organisation = Organisation.objects.get(
                Q(city=city) | Q(city=None), name=demo.organisation
            )
            membership, created = add_member(
                demo.username, city, list(demo.roles), organisation=organisation
            )
            if membership.network_wide != demo.network_wide:
                membership.network_wide = demo.network_wide
                membership.save(update_fields=["network_wide"])
            user = membership.user
        if created:
            user.password = password
            user.save(update_fields=["password"])


def load_demo(stdout: TextIO | None = None) -> list[tuple[str, str, str]]:
    """Create the demo cities, organisations and users, import the demo debriefs, and
    return the demo logins as (username, roles, city)."""
    with transaction.atomic():
        cities = _load_directory()
        _say(stdout, f"Cities: {', '.join(cities)}")
        _load_users(cities)
        _say(stdout, f"Demo users: {len(DEMO_USERS)}")
        lines = DEBRIEFS_FILE.read_text(encoding="utf-8").splitlines()
        result = import_debriefs(lines)
        _say(stdout, result.summary())
        _link_translations()
        _say(stdout, load_demo_actions())
    return demo_logins()


def _link_translations() -> None:
    for model in (DebriefPage, LessonPage):
        for copy, original in TRANSLATIONS.items():
            source = model.objects.filter(external_id=original).first()
            if source is not None:
                model.objects.filter(external_id=copy).update(translation_of=source)


def set_member_languages(stdout: TextIO | None = None) -> None:
    """Give the demo members of French, German, Spanish and Dutch-speaking cities the site in
    their language, as each would choose under Account > Preferences."""
    for demo in DEMO_USERS:
        language = MEMBER_LANGUAGES.get(demo.city or "")
        if language:
            user = get_user_model().objects.get(username=demo.username)
            profile = UserProfile.get_for_user(user)
            if not profile.preferred_language:
                profile.preferred_language = language
                profile.save(update_fields=["preferred_language"])
    cities = ", ".join(f"{city} ({code})" for city, code in MEMBER_LANGUAGES.items())
    _say(stdout, f"Demo members who read the site in their own language: {cities}")
