"""The relevance benchmark's judged set, written once per module as real pages.

Not part of `make test`: `make bench` runs these modules with `pytest tests/benchmarks -s`.
"""

from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from kb.choices import ATTACK_TYPES, Marking
from search.backends import reset_backend
from search.models import OutboxEntry
from tests.factories import make_city, make_debrief, make_lesson, make_member

JUDGED_SET = Path(__file__).with_name("judged_set.json")


@dataclass
class JudgedWorld:
    """The judged set as pages: topic lessons with their relevant sets, and distractors."""

    member: object
    topics: dict[str, list] = field(default_factory=dict)  # topic id -> its four lessons
    distractors: list = field(default_factory=list)

    @property
    def queries(self) -> list:
        return [lesson for lessons in self.topics.values() for lesson in lessons]

    @property
    def lessons(self) -> list:
        return [*self.queries, *self.distractors]

    def relevant(self) -> dict[int, set[int]]:
        """Per topic lesson, the other lessons of its topic."""
        return {
            lesson.pk: {other.pk for other in lessons if other.pk != lesson.pk}
            for lessons in self.topics.values()
            for lesson in lessons
        }

    def topic_of(self) -> dict[int, str]:
        return {lesson.pk: topic for topic, lessons in self.topics.items() for lesson in lessons}


@pytest.fixture(autouse=True)
def _quiet_search_client():
    """With -s the Elasticsearch client's request log would bury the table."""
    logger = logging.getLogger("elastic_transport")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="session")
def judged_set() -> dict:
    return json.loads(JUDGED_SET.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def judged_world(judged_set, django_db_setup, django_db_blocker) -> JudgedWorld:
    """The judged set as TLP:GREEN pages, built once and rolled back after the module."""
    with django_db_blocker.unblock(), override_settings(KB_SEARCH_BACKEND="embedded"):
        reset_backend()
        with transaction.atomic():
            yield _build(judged_set)
            transaction.set_rollback(True)
        reset_backend()


def _build(judged: dict) -> JudgedWorld:
    cities = {city["name"]: make_city(city["name"], city["country"]) for city in judged["cities"]}
    reader_city = make_city("Network Secretariat", "XZ")
    world = JudgedWorld(member=make_member("bench-reader", reader_city))
    debriefs: dict[tuple[str, str], object] = {}

    def lesson_of(entry: dict):
        # One debrief per city and attack type: the incident a city's lessons come from.
        key = (entry["city"], entry["attack_type"])
        if key not in debriefs:
            label = ATTACK_TYPES[entry["attack_type"]].lower()
            debriefs[key] = make_debrief(
                cities[entry["city"]],
                title=f"{entry['city']}: {label} incident",
                marking=Marking.GREEN,
                attack_types=[entry["attack_type"]],
                summary=f"<p>Debrief of a fictional {label} incident.</p>",
                date=datetime.date(2018, 1, 1) + datetime.timedelta(days=41 * len(debriefs)),
            )
        return make_lesson(
            debriefs[key],
            title=entry["title"],
            marking=Marking.GREEN,
            themes=entry["themes"],
            phase=entry["phase"],
            observation=entry["observation"],
            discussion=entry["discussion"],
            lesson_identified=entry["lesson_identified"],
            recommendations=[
                (rec["text"], rec["capability_element"]) for rec in entry["recommendations"]
            ],
        )

    for topic in judged["topics"]:
        world.topics[topic["id"]] = [lesson_of(entry) for entry in topic["lessons"]]
    world.distractors = [lesson_of(entry) for entry in judged["distractors"]]
    OutboxEntry.objects.all().delete()  # each test indexes the judged set itself
    return world
