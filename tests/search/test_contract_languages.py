"""The search contract for text written with marks: Greek accents and breathings, Cyrillic
stress marks and ё, Hebrew niqqud, Arabic harakat, hamza and tatweel. A reader types the
word as a keyboard gives it, without marks; the lesson is found on both backends, and the
highlight shows the word as the lesson writes it."""

import pytest

from search import engine
from tests.factories import make_city, make_lesson, make_member
from tests.search.contract_helpers import debrief_on, find, ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(backend):
    athens = make_city("Athens")
    debrief = debrief_on(athens, "2023-03-01", "vehicle-ramming")
    lessons = {
        "greek": make_lesson(
            debrief,
            "Η εκκένωση του σταδίου",
            language="el",
            observation="Οι υπεύθυνοι ΑΣΦΑΛΕΙΑΣ άνοιξαν τις ΠΎΛΕΣ για την εκκένωση.",
        ),
        "arabic": make_lesson(
            debrief,
            "إخلاء الملعب",
            language="ar",
            observation="فَتَحَ المُشْرِفُونَ الأَبْوَابَ لِلإِخْلَاءِ؛ كـتـاب التعليمات مفقود.",
        ),
        # A Polish lesson quoting the signs of a Russian and an Israeli delegation.
        "quoted": make_lesson(
            debrief,
            "Tablice ewakuacyjne delegacji",
            language="pl",
            observation="Napisy: «Вы́ход ещё закрыт» i «יְצִיאָה».",
        ),
    }
    return {"lessons": lessons, "reader": make_member("athens-reader", athens)}


@pytest.fixture
def indexed(world, settings):
    # The words' contract: by meaning, a search for the Greek evacuation also lists the Polish
    # lesson on evacuation signs (search by meaning has its own tests, test_search_meaning.py).
    settings.KB_SEMANTIC_MODEL = "/nonexistent/embedding_model.onnx"
    engine.rebuild()
    return world


@pytest.mark.parametrize(
    "typed, lesson",
    [
        ("εκκενωση", "greek"),  # without the tonos
        ("ΕΚΚΈΝΩΣΗ", "greek"),  # capitals, with it
        ("πυλες", "greek"),  # the lesson writes ΠΎΛΕΣ: final sigma, accent, capitals
        ("σταδιου", "greek"),
        ("اخلاء", "arabic"),  # the title writes إخلاء: hamza below the alef
        ("المشرفون", "arabic"),  # the text is vowelled (harakat)
        ("كتاب", "arabic"),  # the text stretches it with tatweel
        ("выход", "quoted"),  # the sign marks the stress
        ("еще", "quoted"),  # and writes ё
        ("יציאה", "quoted"),  # and points the Hebrew (niqqud)
    ],
)
def test_a_word_typed_without_its_marks_finds_the_lesson_that_writes_them(indexed, typed, lesson):
    assert ids(find(indexed["reader"], typed)) == [indexed["lessons"][lesson].pk]


def test_a_word_typed_with_marks_finds_the_lesson_that_writes_it_without(indexed):
    reader, lessons = indexed["reader"], indexed["lessons"]
    assert ids(find(reader, "ασφαλείας")) == [lessons["greek"].pk]
    assert ids(find(reader, "المَلْعَب")) == [lessons["arabic"].pk]


def test_the_highlight_marks_the_word_as_the_lesson_writes_it(indexed):
    reader = indexed["reader"]
    (hit,) = find(reader, "υπευθυνοι").hits
    assert "<mark>υπεύθυνοι</mark>" in hit.highlight, hit.highlight
    (hit,) = find(reader, "יציאה").hits
    assert "<mark>יְצִיאָה</mark>" in hit.highlight, hit.highlight
