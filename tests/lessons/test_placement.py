"""A page's city (and so who may read it) follows where it sits in the tree."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kb import access
from kb.choices import Marking
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db


def test_moving_a_debrief_to_another_city_moves_its_readers():
    berlin, nice = make_city("Berlin"), make_city("Nice")
    debrief = make_debrief(berlin, title="Strict debrief", marking=Marking.AMBER_STRICT)
    lesson = make_lesson(debrief, title="Strict lesson")
    berliner, nicois = make_member("b", berlin), make_member("n", nice)
    admin = get_user_model().objects.create_superuser("root", "r@example.org", "pw")
    client = Client()
    client.force_login(admin)

    response = client.post(f"/admin/pages/{debrief.pk}/move/{nice.page.pk}/confirm/")

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.owner_city == nice
    assert access.can_view(nicois, lesson)
    assert not access.can_view(get_user_model().objects.get(pk=berliner.pk), lesson)
