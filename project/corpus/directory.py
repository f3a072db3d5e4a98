"""The corpus's cities, organisations and members (a handful per city, one per role)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils.text import slugify

from kb.directory import add_city
from kb.models import City, Membership, Organisation

from .vocabulary import AGENCIES, CITY_NAMES, DISTRICTS, SECTORS

CORPUS_PASSWORD = "corpus-pass-2026"
ROLES = ("editor", "reviewer", "committee", "coordinator", "owner", "reader")
COUNTRIES = ("DE", "FR", "GB", "NL", "BE", "ES", "IT", "SE", "NO", "PL", "AT", "DK", "AU", "CA")


@dataclass
class CityPeople:
    city: City
    page: object
    organisations: list[int] = field(default_factory=list)
    members: dict[str, int] = field(default_factory=dict)  # role -> user id


def city_names(count: int) -> list[str]:
    names = list(CITY_NAMES[:count])
    for district in DISTRICTS:
        if len(names) >= count:
            break
        names += [f"{name} {district}" for name in CITY_NAMES[: count - len(names)]]
    return names[:count]


def username(city: City, role: str) -> str:
    return f"corpus-{slugify(city.name)}-{role}"


def build_directory(count: int) -> list[CityPeople]:
    """Cities (with their pages), six organisations and six members each; idempotent."""
    people = []
    for index, name in enumerate(city_names(count)):
        city, _ = add_city(name, COUNTRIES[index % len(COUNTRIES)], ["en"])
        people.append(CityPeople(city=city, page=city.page))
    _organisations(people)
    _members(people)
    return people


def _organisations(people: list[CityPeople]) -> None:
    wanted = [
        Organisation(name=pattern.format(city=p.city.name), sector=sector, city=p.city)
        for p in people
        for pattern, sector in zip(AGENCIES, SECTORS, strict=True)
    ]
    Organisation.objects.bulk_create(wanted, ignore_conflicts=True)
    by_city: dict[int, list[int]] = {}
    rows = Organisation.objects.filter(city__in=[p.city for p in people]).order_by("pk")
    for pk, city_id in rows.values_list("pk", "city_id"):
        by_city.setdefault(city_id, []).append(pk)
    for p in people:
        p.organisations = by_city.get(p.city.pk, [])


def _members(people: list[CityPeople]) -> None:
    user_model = get_user_model()
    names = {username(p.city, role): (p, role) for p in people for role in ROLES}
    existing = set(user_model.objects.filter(username__in=names).values_list("username", flat=True))
    # PBKDF2 whatever the settings' hashers (the test settings use a fast insecure one), so
    # a corpus built by the benchmarks also logs in on a server with production settings.
    hasher = PBKDF2PasswordHasher()
    password = hasher.encode(CORPUS_PASSWORD, hasher.salt())
    new_users = [
        user_model(username=name, email=f"{name}@example.org", password=password)
        for name in names
        if name not in existing
    ]
    user_model.objects.bulk_create(new_users)
    ids = dict(user_model.objects.filter(username__in=names).values_list("username", "pk"))
    memberships = []
    for name, (p, role) in names.items():
        p.members[role] = ids[name]
        if name not in existing:
            flags = {f"is_{role}": True} if role != "reader" else {}
            # The first city's committee member follows the whole network.
            flags["network_wide"] = role == "committee" and p is people[0]
            memberships.append(
                Membership(
                    user_id=ids[name],
                    city=p.city,
                    organisation_id=p.organisations[0] if p.organisations else None,
                    **flags,
                )
            )
    Membership.objects.bulk_create(memberships)
