"""A synthetic corpus of debriefs and lessons, reproducible by seed and written in bulk.

`generate(lessons=N, seed=S)` adds cities with their members, debriefs of one to seven
lessons each, recommendations, actions in every status, every marking (with sharing lists
and TLP:RED recipients) and a few review rounds, then rebuilds the search index. The same
seed gives the same corpus (titles, text, markings) on an empty database.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from kb import dataversion
from kb.choices import MARKING_ORDER, IncidentType, Marking
from kb.jobs import refresh_statistics
from kb.models import AttackType, Theme
from lessons.models import DebriefAttackType, DebriefPage, LessonKeyword, LessonPage, LessonTheme
from search import engine

from . import text
from .directory import CityPeople, build_directory
from .pages import ChildSlots, count_children, insert_pages, new_translation_key
from .tracking import TrackingWriter
from .vocabulary import TOPICS

Progress = Callable[[str, int, int], None]
CHUNK = 2000  # lessons written per batch
MARKING_WEIGHTS = {
    Marking.CLEAR: 10,
    Marking.GREEN: 45,
    Marking.AMBER: 20,
    Marking.AMBER_STRICT: 20,
    Marking.RED: 5,
}
INCIDENT_WEIGHTS = {IncidentType.ATTACK: 5, IncidentType.EXERCISE: 4, IncidentType.NEAR_MISS: 1}


@dataclass
class CorpusStats:
    cities: int = 0
    debriefs: int = 0
    lessons: int = 0
    recommendations: int = 0
    actions: int = 0
    progress_updates: int = 0
    review_rounds: int = 0
    indexed: int = 0
    titles: list[str] = field(default_factory=list)  # first lesson titles, for checks

    def summary(self) -> str:
        return (
            f"{self.cities} cities, {self.debriefs} debriefs, {self.lessons} lessons, "
            f"{self.recommendations} recommendations, {self.actions} actions, "
            f"{self.progress_updates} progress updates, {self.review_rounds} review rounds; "
            f"{self.indexed} lessons indexed"
        )


def city_count(lessons: int) -> int:
    return max(6, min(250, lessons // 400))


def generate(
    lessons: int, seed: int = 1, progress: Progress | None = None, index: bool = True
) -> CorpusStats:
    rng = random.Random(seed)
    stats = CorpusStats()
    with transaction.atomic():
        people = build_directory(city_count(lessons))
        stats.cities = len(people)
        writer = _Writer(rng, people, stats)
        written = 0
        while written < lessons:
            written += writer.write_chunk(min(CHUNK, lessons - written))
            if progress:
                progress("lessons", written, lessons)
        count_children(writer.city_slots.values())
        dataversion.bump()  # written in bulk: no save signal told the caches
    refresh_statistics()  # the planner's statistics of the tables just filled
    if index:
        stats.indexed = engine.rebuild(lambda n: progress and progress("index", n, lessons))
    return stats


class _Writer:
    def __init__(self, rng: random.Random, people: list[CityPeople], stats: CorpusStats):
        self.rng, self.people, self.stats = rng, people, stats
        self.city_slots = {p.city.pk: ChildSlots(p.page) for p in people}
        self.attack_types = dict(AttackType.objects.values_list("slug", "pk"))
        self.themes = dict(Theme.objects.values_list("slug", "pk"))
        self.keywords = self._keyword_tags()
        self.tracking = TrackingWriter(rng, {p.city.pk: p for p in people}, stats)
        self.now = timezone.now()

    def _keyword_tags(self) -> dict[str, int]:
        words = sorted({k for topic in TOPICS for k in topic.keywords})
        Tag.objects.bulk_create(
            [Tag(name=w, slug=slugify(w)) for w in words], ignore_conflicts=True
        )
        return {name.casefold(): pk for name, pk in Tag.objects.values_list("name", "pk")}

    def _marking(self, at_least: str = Marking.CLEAR) -> str:
        floor = MARKING_ORDER.index(Marking(at_least))
        options = MARKING_ORDER[floor:]
        weights = [MARKING_WEIGHTS[m] for m in options]
        return self.rng.choices(options, weights)[0]

    def _sharing(self, p: CityPeople, marking: str, parent=None) -> tuple[list, list]:
        if marking == Marking.AMBER:
            if parent is not None and parent.marking == Marking.AMBER:
                return parent._shared, []
            others = [o.city.pk for o in self.people if o.city.pk != p.city.pk]
            return sorted(self.rng.sample(others, min(len(others), self.rng.randint(1, 3)))), []
        if marking == Marking.RED:
            if parent is not None and parent.marking == Marking.RED:
                return [], parent._recipients
            roles = self.rng.sample(sorted(p.members), self.rng.randint(1, 3))
            return [], sorted(p.members[r] for r in roles)
        return [], []

    def write_chunk(self, size: int) -> int:
        rng = self.rng
        debriefs, lessons = [], []
        while len(lessons) < size:
            p = rng.choice(self.people)
            debrief = self._debrief(p)
            debriefs.append(debrief)
            for _ in range(min(rng.randint(1, 7), size - len(lessons))):
                lessons.append(self._lesson(p, debrief))
            debrief.numchild = debrief._slots.added
        insert_pages(DebriefPage, debriefs)
        for lesson in lessons:
            lesson.debrief_id = lesson._debrief.pk
        insert_pages(LessonPage, lessons)
        self._relations(debriefs, lessons)
        self.tracking.write(lessons)
        self.stats.debriefs += len(debriefs)
        self.stats.lessons += len(lessons)
        self.stats.titles += [lesson.title for lesson in lessons[: 20 - len(self.stats.titles)]]
        return len(lessons)

    def _published(self, day: datetime.date) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
        return min(moment + datetime.timedelta(days=self.rng.randint(14, 120)), self.now)

    def _debrief(self, p: CityPeople) -> DebriefPage:
        rng = self.rng
        topic = text.pick_topic(rng)
        incident = rng.choices(list(INCIDENT_WEIGHTS), list(INCIDENT_WEIGHTS.values()))[0]
        day = datetime.date(2014, 1, 1) + datetime.timedelta(days=rng.randint(0, 4300))
        title, venue, attack = text.debrief_title(rng, p.city.name, topic, incident, day.year)
        marking = self._marking()
        published = self._published(day)
        page = DebriefPage(
            title=title,
            draft_title=title,
            marking=marking,
            language="en",  # the corpus is written in English
            owner_city_id=p.city.pk,
            incident_type=incident,
            incident_date=day,
            summary=text.debrief_summary(rng, p.city.name, venue, topic),
            agencies="\n".join(
                a.format(city=p.city.name) for a in ("{city} Police", "City of {city}")
            ),
            live=True,
            first_published_at=published,
            last_published_at=published,
            translation_key=new_translation_key(rng),
        )
        slots = self.city_slots[p.city.pk]
        slots.place(page, f"{slugify(title)[:60]}-{slots.next}")
        page._shared, page._recipients = self._sharing(p, marking)
        page._topic, page._venue, page._attack = topic, venue, attack
        attacks = {attack, *rng.sample(topic.attack_types, rng.randint(0, 1))}
        page._attack_types = sorted(attacks)
        page._slots = ChildSlots.fresh(page)
        return page

    def _lesson(self, p: CityPeople, debrief: DebriefPage) -> LessonPage:
        rng = self.rng
        topic = debrief._topic if rng.random() < 0.6 else text.pick_topic(rng)
        incident = debrief.incident_type
        words = text.lesson_text(rng, p.city.name, debrief._venue, topic, incident, debrief._attack)
        # Most lessons keep their debrief's marking; some are more restricted.
        marking = debrief.marking if rng.random() < 0.7 else self._marking(debrief.marking)
        phase = topic.phase if rng.random() < 0.8 else rng.choice(("prepare", "respond", "recover"))
        page = LessonPage(
            title=words["title"],
            draft_title=words["title"],
            marking=marking,
            language="en",  # the corpus is written in English
            owner_city_id=p.city.pk,
            observation=words["observation"],
            discussion=words["discussion"],
            lesson_identified=words["lesson_identified"],
            phase=phase,
            live=True,
            first_published_at=debrief.first_published_at,
            last_published_at=debrief.last_published_at,
            translation_key=new_translation_key(rng),
        )
        slots = debrief._slots
        slots.place(page, f"{slugify(words['title'])[:60]}-{slots.next}")
        page._debrief = debrief
        page._shared, page._recipients = self._sharing(p, marking, debrief)
        page._themes = words["themes"]
        page._keywords = words["keywords"]
        page._recommendations = words["recommendations"]
        page._people = p
        return page

    def _relations(self, debriefs: list[DebriefPage], lessons: list[LessonPage]) -> None:
        DebriefAttackType.objects.bulk_create(
            DebriefAttackType(tag_id=self.attack_types[slug], content_object_id=d.pk)
            for d in debriefs
            for slug in d._attack_types
        )
        LessonTheme.objects.bulk_create(
            LessonTheme(tag_id=self.themes[slug], content_object_id=lesson.pk)
            for lesson in lessons
            for slug in lesson._themes
        )
        LessonKeyword.objects.bulk_create(
            LessonKeyword(tag_id=self.keywords[word.casefold()], content_object_id=lesson.pk)
            for lesson in lessons
            for word in lesson._keywords
        )
        for model, pages, key in (
            (DebriefPage, debriefs, "debriefpage_id"),
            (LessonPage, lessons, "lessonpage_id"),
        ):
            model.shared_with.through.objects.bulk_create(
                model.shared_with.through(**{key: page.pk, "city_id": city_id})
                for page in pages
                for city_id in page._shared
            )
            model.recipients.through.objects.bulk_create(
                model.recipients.through(**{key: page.pk, "user_id": user_id})
                for page in pages
                for user_id in page._recipients
            )
