"""Wherever a debrief or lesson is shown or listed, the reader is told in words which
language it is written in, and its text is marked with that language for screen readers."""

import re

import pytest
from django.template import Context, Template

from kb.directory import add_city
from tests.factories import make_debrief, make_lesson, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def berlin():
    return add_city("Berlin", "DE", ["de", "en"])[0]


@pytest.fixture
def reader(client, berlin):
    client.force_login(make_member("anna", berlin))
    return client


@pytest.fixture
def funk(berlin):
    debrief = make_debrief(berlin, "Weihnachtsmarkt", summary="<p>Ein Lkw fuhr hinein.</p>")
    return make_lesson(
        debrief,
        "Funkgeräte fielen aus",
        observation="Polizei und Feuerwehr konnten nicht miteinander funken.",
        lesson_identified="Gemeinsame Funkgruppen vorher vereinbaren.",
    )


def test_the_lesson_page_says_in_which_language_it_is_written(reader, funk):
    body = reader.get(funk.url).content.decode()
    assert '<span class="language-badge">Written in German</span>' in body
    assert '<h1 lang="de">Funkgeräte fielen aus</h1>' in body
    observation = re.search(r'<div lang="(\w+)"><p>Polizei und Feuerwehr', body)
    assert observation and observation.group(1) == "de"
    # The interface around the content stays in the reader's language.
    assert '<html lang="en"' in body


def test_a_lesson_written_in_another_language_than_its_debrief_says_so(reader, berlin):
    debrief = make_debrief(berlin, "Weihnachtsmarkt")
    lesson = make_lesson(debrief, "Radios failed", language="en")
    body = reader.get(lesson.url).content.decode()
    assert "Written in English" in body
    assert f'<a href="{debrief.url}" lang="de">Weihnachtsmarkt</a>' in body


def test_the_debrief_page_says_its_language_and_that_of_its_lessons(reader, funk):
    make_lesson(funk.debrief, "Crowd control", language="en")
    body = reader.get(funk.debrief.url).content.decode()
    assert '<h1 lang="de">Weihnachtsmarkt</h1>' in body
    assert '<div class="rich-text" lang="de">' in body
    assert body.count("Written in German") == 2  # the debrief and its German lesson
    assert body.count("Written in English") == 1
    assert 'lang="en">Crowd control</a>' in body


@pytest.mark.parametrize("where", ["lessons", "city", "home"])
def test_listings_give_each_lessons_language(reader, funk, where):
    make_lesson(funk.debrief, "Crowd control", language="fr")
    url = {"lessons": "/lessons/", "city": funk.owner_city.page.url, "home": "/"}[where]
    body = reader.get(url).content.decode()
    assert 'lang="de">Funkgeräte fielen aus</a>' in body
    assert 'lang="fr">Crowd control</a>' in body
    assert "Written in German" in body and "Written in French" in body


def test_a_known_code_is_named_an_unknown_one_shown_as_it_is_and_none_shows_nothing():
    labels = "{% load language_tags %}{{ 'nl'|language_label }}|{{ 'tlh'|language_label }}"
    assert Template(labels).render(Context()) == "Dutch|tlh"
    badge = Template("{% load language_tags %}[{% language_badge '' %}]").render(Context())
    assert badge == "[]"


@pytest.mark.parametrize(
    "language, badge",
    [
        ("fr", "Rédigé en allemand"),  # not "Rédigé en Allemand": lower case inside a sentence
        ("es", "Redactado en alemán"),
        ("de", "Verfasst auf Deutsch"),  # German and Dutch capitalise a language's name
        ("nl", "Geschreven in het Duits"),
    ],
)
def test_the_badge_names_the_language_as_a_sentence_of_the_readers_language_does(
    reader, funk, language, badge
):
    body = reader.get(funk.url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<span class="language-badge">{badge}</span>' in body


def test_also_in_names_the_other_versions_in_lower_case_in_french(reader, berlin):
    debrief = make_debrief(berlin, "Weihnachtsmarkt")
    original = make_lesson(debrief, "Funkgeräte fielen aus")
    make_lesson(debrief, "Radios failed", language="en", translation_of=original)
    body = reader.get(original.url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Également en :" in body and ">anglais</a>" in body
