"""A city publishes the same lesson in two languages: each page names the other language
the reader may read, and the admin refuses links that are not translations."""

import pytest
from django.test import Client

from kb.choices import Marking
from kb.directory import add_city
from lessons.models import LessonPage
from tests.factories import make_city, make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def brussels():
    return add_city("Brussels", "BE", ["fr", "nl", "en"])[0]


@pytest.fixture
def pair(brussels):
    debrief = make_debrief(brussels, marking=Marking.GREEN, language="fr")
    french = make_lesson(debrief, title="Annonces en une seule langue", language="fr")
    dutch = make_lesson(
        debrief, title="Berichten in één taal", language="nl", translation_of=french
    )
    return french, dutch


def _reader(city, name="reader"):
    client = Client()
    client.force_login(make_member(name, city))
    return client


def test_each_language_version_links_to_the_other(brussels, pair):
    french, dutch = pair
    client = _reader(brussels)

    french_page = client.get(french.url).content.decode()
    dutch_page = client.get(dutch.url).content.decode()

    assert f'Also in: <a href="{dutch.url}" hreflang="nl"' in french_page
    assert ">Dutch</a>" in french_page
    assert f'Also in: <a href="{french.url}" hreflang="fr"' in dutch_page
    assert ">French</a>" in dutch_page


def test_a_version_the_reader_may_not_see_is_not_named(brussels):
    debrief = make_debrief(brussels, marking=Marking.GREEN, language="fr")
    french = make_lesson(debrief, title="Annonces", language="fr")
    make_lesson(
        debrief,
        title="Geheime berichten",
        language="nl",
        marking=Marking.AMBER_STRICT,
        translation_of=french,
    )
    page = _reader(make_city("London")).get(french.url).content.decode()

    assert "Also in:" not in page
    assert "Geheime berichten" not in page


def _link(client, lesson, original):
    return client.post(
        f"/admin/pages/{lesson.pk}/edit/",
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "language": lesson.language,
            "translation_of": original.pk,
            "marking": lesson.marking,
            "phase": lesson.phase,
            "themes": "",
            "keywords": "",
            "observation": lesson.observation,
            "discussion": "",
            "lesson_identified": lesson.lesson_identified,
            "public_summary": "",
            "recommendations-TOTAL_FORMS": "0",
            "recommendations-INITIAL_FORMS": "0",
            "recommendations-MIN_NUM_FORMS": "0",
            "recommendations-MAX_NUM_FORMS": "1000",
        },
    )


@pytest.fixture
def editor(brussels):
    client = Client()
    client.force_login(make_member("brussels-editor", brussels, "editor"))
    return client


def test_the_editor_links_a_dutch_lesson_to_its_french_original(editor, brussels):
    debrief = make_debrief(brussels, marking=Marking.GREEN, language="fr")
    french = make_lesson(debrief, language="fr")
    dutch = make_lesson(debrief, language="nl")

    response = _link(editor, dutch, french)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert (
        LessonPage.objects.get(pk=dutch.pk).get_latest_revision_as_object().translation_of == french
    )


@pytest.mark.parametrize(
    "case, message",
    [
        ("same-language", "The original is written in the same language"),
        ("a-translation", "is itself a translation; choose the original"),
        ("other-city", "Only your own city&#x27;s material can be linked"),
    ],
)
def test_links_that_are_not_translations_are_refused_on_the_field(editor, brussels, case, message):
    debrief = make_debrief(brussels, marking=Marking.GREEN, language="fr")
    dutch = make_lesson(debrief, language="nl")
    if case == "same-language":
        original = make_lesson(debrief, language="nl")
    elif case == "a-translation":
        french = make_lesson(debrief, language="fr")
        original = make_lesson(debrief, language="en", translation_of=french)
    else:
        elsewhere = make_debrief(make_city("Paris"), marking=Marking.CLEAR, language="fr")
        original = make_lesson(elsewhere, language="fr")

    response = _link(editor, dutch, original)

    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert LessonPage.objects.get(pk=dutch.pk).translation_of_id is None
