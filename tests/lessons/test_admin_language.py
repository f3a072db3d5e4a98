"""A page written in the Wagtail admin with its language left empty takes the default: a
lesson its debrief's, a debrief its city's first language; and keeps it once published."""

import pytest
from django.test import Client
from wagtail.test.utils.form_data import rich_text

from kb.choices import Marking
from kb.directory import add_city
from lessons.models import DebriefPage, LessonPage
from tests.factories import make_debrief, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def berlin():
    return add_city("Berlin", "DE", ["de", "en"])[0]


@pytest.fixture
def editor(berlin):
    client = Client()
    client.force_login(make_member("berlin-editor", berlin, "editor"))
    return client


def _add_lesson(client, debrief, slug: str, language: str):
    return client.post(
        f"/admin/pages/add/lessons/lessonpage/{debrief.pk}/",
        {
            "title": "Radios",
            "slug": slug,
            "language": language,
            "marking": Marking.GREEN,
            "phase": "respond",
            "themes": "",
            "keywords": "",
            "observation": "Les radios ne passaient pas.",
            "discussion": "",
            "lesson_identified": "Prévoir un canal commun.",
            "public_summary": "",
            "recommendations-TOTAL_FORMS": "0",
            "recommendations-INITIAL_FORMS": "0",
            "recommendations-MIN_NUM_FORMS": "0",
            "recommendations-MAX_NUM_FORMS": "1000",
        },
    )


def test_the_add_lesson_form_offers_the_language_in_the_readers_words(editor, berlin):
    debrief = make_debrief(berlin, marking=Marking.GREEN)
    body = editor.get(f"/admin/pages/add/lessons/lessonpage/{debrief.pk}/").content.decode()
    assert 'name="language"' in body
    assert '<option value="fr">French</option>' in body


def test_a_lesson_left_without_a_language_is_written_in_its_debriefs(editor, berlin):
    debrief = make_debrief(berlin, marking=Marking.GREEN, language="fr")

    response = _add_lesson(editor, debrief, "radios", "")

    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(slug="radios")
    assert lesson.language == "fr"
    # Publishing restores the page from its revision: the default must be in it too.
    assert lesson.get_latest_revision().content["language"] == "fr"
    lesson.get_latest_revision().publish()
    assert LessonPage.objects.get(slug="radios").language == "fr"


def test_a_language_chosen_in_the_admin_is_kept(editor, berlin):
    debrief = make_debrief(berlin, marking=Marking.GREEN, language="fr")
    assert _add_lesson(editor, debrief, "radios", "es").status_code == 302
    assert LessonPage.objects.get(slug="radios").language == "es"


def test_a_debrief_left_without_a_language_is_written_in_its_citys_first(editor, berlin):
    response = editor.post(
        f"/admin/pages/add/lessons/debriefpage/{berlin.page.pk}/",
        {
            "title": "Übung Laterne",
            "slug": "uebung-laterne",
            "language": "",
            "marking": Marking.GREEN,
            "incident_type": "exercise",
            "incident_date": "2024-03-02",
            "attack_types": "",
            "keywords": "",
            "agencies": "",
            "summary": rich_text("<p>Zusammenfassung</p>"),
            "public_summary": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    debrief = DebriefPage.objects.get(slug="uebung-laterne")
    assert debrief.language == "de"
    assert debrief.get_latest_revision().content["language"] == "de"
