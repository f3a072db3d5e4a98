"""Sentences for one synthetic debrief or lesson, drawn by a seeded random generator."""

from __future__ import annotations

import random

from kb.choices import ATTACK_TYPES

from .vocabulary import TOPICS, VENUES, Topic

TITLE_PATTERNS = (
    "{Topic} at the {venue}",
    "{Topic} in the first hour",
    "Gaps in {topic} between agencies",
    "{Topic}: {keyword}",
    "{Topic} and {other}",
    "Delays in {topic} after the {attack}",
    "{Keyword} during the {venue} {incident}",
    "What the {attack} taught us about {topic}",
)


def attack_words(slug: str) -> str:
    return ATTACK_TYPES[slug].replace(":", "").lower()


INCIDENT_WORDS = {"attack": "attack", "exercise": "exercise", "near_miss": "near miss"}


def _fill(rng: random.Random, sentence: str, city: str, venue: str) -> str:
    return sentence.format(
        minutes=rng.randint(4, 95),
        hours=rng.randint(2, 30),
        days=rng.randint(2, 40),
        number=rng.randint(3, 400),
        distance=rng.choice((50, 100, 150, 200, 400)),
        venue=venue,
        city=city,
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def pick_topic(rng: random.Random) -> Topic:
    return rng.choice(TOPICS)


def debrief_title(rng: random.Random, city: str, topic: Topic, incident: str, year: int) -> tuple:
    venue = rng.choice(VENUES)
    attack = rng.choice(topic.attack_types)
    kind = INCIDENT_WORDS[incident]
    title = f"{city}: {attack_words(attack)} {kind} at the {venue} ({year})"
    return title, venue, attack


def debrief_summary(rng: random.Random, city: str, venue: str, topic: Topic) -> str:
    sentences = [_fill(rng, s, city, venue) for s in rng.sample(topic.observations, 1)]
    agencies = rng.randint(3, 9)
    return (
        f"<p>Joint debrief of {agencies} agencies after the incident at the {venue} in "
        f"{city}. {' '.join(sentences)}</p>"
    )


def lesson_text(
    rng: random.Random, city: str, venue: str, topic: Topic, incident: str, attack: str
) -> dict:
    other = rng.choice(TOPICS)
    pattern = rng.choice(TITLE_PATTERNS)
    title = pattern.format(
        Topic=_cap(topic.name),
        topic=topic.name,
        venue=venue,
        keyword=rng.choice(topic.keywords),
        Keyword=_cap(rng.choice(topic.keywords)),
        other=other.name,
        attack=attack_words(attack),
        incident=INCIDENT_WORDS[incident],
    )
    observations = rng.sample(topic.observations, min(len(topic.observations), rng.randint(1, 3)))
    if rng.random() < 0.3:
        observations.append(rng.choice(other.observations))
    discussion = rng.sample(topic.discussions, min(len(topic.discussions), rng.randint(1, 2)))
    lesson = [rng.choice(topic.lessons)]
    if rng.random() < 0.25:
        lesson.append(rng.choice(other.lessons))
    return {
        "title": title[:255],
        "observation": " ".join(_fill(rng, s, city, venue) for s in observations),
        "discussion": " ".join(_fill(rng, s, city, venue) for s in discussion),
        "lesson_identified": " ".join(lesson),
        "keywords": rng.sample(topic.keywords, rng.randint(1, 2)),
        "themes": sorted(set(rng.sample(topic.themes, rng.randint(1, len(topic.themes))))),
        "recommendations": rng.sample(
            topic.recommendations, rng.randint(1, len(topic.recommendations))
        ),
    }
