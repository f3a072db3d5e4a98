import pytest

from lessons import access
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db


def test_lesson_page_knows_its_city_and_debrief():
    berlin = make_city("Berlin")
    debrief = make_debrief(berlin)
    lesson = make_lesson(debrief)
    lesson.refresh_from_db()
    assert lesson.owner_city_id == berlin.pk
    assert lesson.debrief_id == debrief.pk
    member = make_member("anna", berlin)
    assert access.visible_lessons(member).filter(pk=lesson.pk).exists()
