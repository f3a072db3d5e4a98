"""Similar cases compare lessons centred on their language's mean vector (issue 15): the part
of a multilingual vector that only says "written in English" no longer lifts every English
lesson above the French version of the same lesson. The vectors are made by hand here
(stored as the model's would be), so the model is not needed; both backends, as the vectors
live in the database beside either."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from django.utils import timezone

from search import engine, semantic
from search.models import LessonVector
from search.sync import drain
from search.vector_index import VectorIndex
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db

ENGLISH, FRENCH, SHARED_TOPIC = 0, 1, 2  # axes of the made vectors; topics of others from 3
FILLERS = 8  # other lessons in each language, each on its own topic


def _vector(language_axis: int, topic_axis: int) -> np.ndarray:
    """A strong language part and the lesson's topic: the English lessons are at cosine 0.64
    of each other whatever they say, the two versions of one lesson at 0.36."""
    vector = np.zeros(semantic.DIMENSIONS, dtype=np.float32)
    vector[language_axis], vector[topic_axis] = 0.8, 0.6
    return vector


def _store(page, vector: np.ndarray) -> None:
    LessonVector.objects.filter(lesson_id=page.pk).update(
        vector=vector.astype(np.float16).tobytes(),
        text_hash="made-by-hand",
        model=semantic.MODEL_NAME,
        updated=timezone.now(),
    )


def test_the_french_version_passes_english_lessons_that_only_share_the_language(backend):
    london, paris, madrid = make_city("London"), make_city("Paris"), make_city("Madrid")
    english = make_lesson(make_debrief(london), title="Exit gates locked")
    french = make_lesson(
        make_debrief(paris, language="fr"), title="Portes de sortie fermées", language="fr"
    )
    others = {}
    for n in range(FILLERS):
        others[make_lesson(make_debrief(madrid), title=f"Other lesson {n}")] = (ENGLISH, 3 + n)
        page = make_lesson(
            make_debrief(paris, language="fr"), title=f"Autre leçon {n}", language="fr"
        )
        others[page] = (FRENCH, 3 + FILLERS + n)
    drain()
    _store(english, _vector(ENGLISH, SHARED_TOPIC))
    _store(french, _vector(FRENCH, SHARED_TOPIC))
    for page, (language_axis, topic_axis) in others.items():
        _store(page, _vector(language_axis, topic_axis))

    hits = engine.similar(make_member("reader", london), english, limit=3)

    # By the plain cosine the French version (0.36) would come after all eight English
    # lessons (0.64).
    assert hits and hits[0].id == french.pk, [(hit.title, hit.score) for hit in hits]
    assert hits[0].language == "fr"


def _row(lesson_id: int, vector, language: str) -> dict:
    return {
        "lesson_id": lesson_id,
        "vector": np.array(vector, dtype=np.float16).tobytes(),
        "lesson_tokens": ["a"],
        "debrief_tokens": ["a"],
        "updated": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        "language": language,
    }


def test_the_language_means_follow_the_rows_as_they_change_language_and_vector():
    rows = [
        _row(1, [1, 0, 0, 0], "en"),
        _row(2, [0, 1, 0, 0], "en"),
        _row(3, [0, 0, 1, 0], "fr"),
    ]
    changed = [_row(2, [0, 0, 0, 1], "fr"), _row(4, [0.5, 0.5, 0, 0], "de")]
    kept = VectorIndex(4)
    kept.load(rows)
    kept.language_means()  # asked once before the change: not kept stale
    kept.load(changed)
    afresh = VectorIndex(4)
    afresh.load([rows[0], rows[2], *changed])

    for language in ("en", "fr", "de", "nl"):
        assert np.allclose(kept.language_mean(language), afresh.language_mean(language))
    # One English lesson: its language's mean is shrunk towards the mean of all, not itself.
    assert 0 < kept.language_mean("en")[0] < 0.5
