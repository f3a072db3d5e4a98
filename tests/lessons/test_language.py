"""Every debrief and lesson is written in one language: chosen by its editor, or else its
city's first language (a debrief) or its debrief's (a lesson)."""

import pytest

from kb.directory import add_city
from tests.factories import make_debrief, make_lesson

pytestmark = pytest.mark.django_db


def test_a_debrief_is_written_in_its_citys_first_language_unless_told_otherwise():
    berlin = add_city("Berlin", "DE", ["de", "en"])[0]
    assert make_debrief(berlin).language == "de"
    assert make_debrief(berlin, language="en").language == "en"


def test_a_lesson_is_written_in_its_debriefs_language_unless_told_otherwise():
    nice = add_city("Nice", "FR", ["fr", "en"])[0]
    debrief = make_debrief(nice, language="en")
    assert make_lesson(debrief).language == "en"
    assert make_lesson(debrief, language="fr").language == "fr"


def test_a_city_without_a_known_content_language_writes_in_english():
    city = add_city("Atlantis", "XX", ["tlh"])[0]
    assert make_debrief(city).language == "en"
