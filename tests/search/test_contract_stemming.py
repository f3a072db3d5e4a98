"""The search contract in the lessons' languages: each backend stems, stops and highlights
a lesson in the language it is written in, and trims what the reader may not see."""

import pytest
from django.contrib.auth import get_user_model

from kb.choices import Marking
from search import engine
from search.documents import build_document
from tests.factories import make_city, make_lesson, make_member
from tests.search.contract_helpers import debrief_on, find, ids

pytestmark = pytest.mark.django_db

# (language, title, observation): one lesson per language, the words in other forms than
# the queries below use.
# fmt: off
WRITTEN = {
    "fr": ("Tribunes du stade", "Les stewards évacuaient les tribunes par le nord."),
    "de": ("Halle am Bahnhof", "Die Feuerwehr hat die Halle in zehn Minuten evakuiert."),
    "es": ("Andén de la estación", "La policía tuvo que evacuar el andén y los trenes."),
    "nl": ("Perron van het station", "De brandweer leidde de ontruimingen van de perrons."),
    "it": ("Piazza del mercato", "I vigili hanno dovuto evacuare la piazza del mercato."),
    "ar": ("إخلاء الملعب", "أخلت الشرطة الملعب بسرعة"),
    "el": ("Εκκένωση σταδίου", "Η πυροσβεστική εκκένωσε το στάδιο γρήγορα."),
}
# fmt: on
FOUND_BY = {
    "fr": "évacuation",
    "de": "Evakuierung",
    "es": "evacuación",
    "nl": "ontruiming",
    "it": "evacuazione",
    "ar": "الملعب",
    "el": "σταδίου",
}  # fmt: skip
STOP_WORDS = {"fr": "les", "de": "die", "es": "la", "nl": "de", "it": "del"}


@pytest.fixture
def languages(backend, db):
    lyon, oslo = make_city("Lyon"), make_city("Oslo")
    debrief = debrief_on(lyon, "2023-03-03", "ied")
    lessons = {
        code: make_lesson(debrief, title, observation=text, lesson_identified="—", language=code)
        for code, (title, text) in WRITTEN.items()
    }
    hidden = debrief_on(lyon, "2023-04-04", "ied", Marking.AMBER)
    lessons["hidden"] = make_lesson(
        hidden, "Zqcachée", observation="Il fallut évacuer la gare.", language="fr"
    )
    engine.rebuild()
    member = make_member("oslo-reader", oslo)
    root = get_user_model().objects.create_superuser("polyglot", "p@x.org", "pw")
    return {"lessons": lessons, "member": member, "root": root}


@pytest.mark.parametrize("code", list(FOUND_BY))
def test_a_word_finds_its_other_forms_in_the_lessons_language(languages, code):
    lesson = languages["lessons"][code]
    assert lesson.language == code
    results = find(languages["member"], FOUND_BY[code])
    assert lesson.pk in ids(results)
    hit = next(hit for hit in results.hits if hit.id == lesson.pk)
    assert "<mark>" in hit.highlight


def test_highlights_mark_the_words_as_the_lesson_writes_them(languages):
    results = find(languages["member"], "évacuation")
    hit = next(hit for hit in results.hits if hit.id == languages["lessons"]["fr"].pk)
    assert "<mark>évacuaient</mark>" in hit.highlight


@pytest.mark.parametrize("code", list(STOP_WORDS))
def test_a_stop_word_does_not_match_every_lesson_of_its_language(languages, code):
    assert languages["lessons"][code].pk not in ids(find(languages["root"], STOP_WORDS[code]))


def test_a_word_of_one_language_is_not_a_stop_word_of_another(languages):
    # "die" is a German article but an English verb: German lessons are not all found.
    english = make_lesson(
        debrief_on(make_city("York"), "2023-05-05", "ied"),
        "Crowd safety",
        observation="People could die in a crush at the gates.",
        language="en",
    )
    engine.index_lessons([english.pk])
    found = ids(find(languages["root"], "die"))
    assert english.pk in found and languages["lessons"]["de"].pk not in found


def test_a_hidden_lesson_is_not_found_in_any_language(languages):
    hidden = languages["lessons"]["hidden"].pk
    assert hidden not in ids(find(languages["member"], "évacuation"))
    assert hidden not in ids(find(languages["member"], "zqcachée"))
    assert hidden in ids(find(languages["root"], "évacuation"))


def test_the_index_keeps_the_lessons_language(languages, backend):
    lesson = languages["lessons"]["de"]
    assert backend.get(lesson.pk).language == "de"
    assert backend.get(lesson.pk) == build_document(lesson)
