"""The editor's form names the controlled vocabularies as the network does, with help."""

import re

import pytest
from django.test import Client

from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db


def _labels(page: str) -> dict[str, str]:
    found = re.findall(r'<label class="w-field__label" for="id_(\w+)"[^>]*>\s*(.*?)\s*<', page)
    return dict(found)


def test_the_lesson_form_labels_themes_and_keywords_not_tags():
    nice = make_city("Nice")
    lesson = make_lesson(make_debrief(nice), title="Radios")
    client = Client()
    client.force_login(make_member("nice-editor", nice, "editor"))
    page = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    labels = _labels(page)
    assert labels["themes"] == "Themes" and labels["keywords"] == "Keywords"
    assert "Tags" not in labels.values()
    assert "become search filters and help find similar cases" in page


def test_the_debrief_form_labels_attack_types_with_help():
    nice = make_city("Nice")
    debrief = make_debrief(nice)
    client = Client()
    client.force_login(make_member("nice-editor", nice, "editor"))
    page = client.get(f"/admin/pages/{debrief.pk}/edit/").content.decode()
    assert _labels(page)["attack_types"] == "Attack types"
    assert "The kinds of attack from the network" in page
