"""The analysers both backends share: stems, stop words and folding per language, key terms
in a lesson's language, and highlighted fragments cut from the original text."""

import pytest

from search.languages import ANALYSES, PLAIN, analyse, analysis_for, fold
from search.text import highlight, key_terms, query_terms, query_variants, stem, stems_of


@pytest.mark.parametrize(
    "language, written, searched",
    [
        ("en", "evacuated", "evacuation"),
        ("en", "evacuated", "évacuation"),
        ("fr", "évacuaient", "évacuation"),
        ("de", "evakuiert", "Evakuierung"),
        ("de", "evakuieren", "Evakuierung"),
        ("es", "evacuar", "evacuación"),
        ("nl", "ontruimingen", "ontruiming"),
        ("it", "evacuare", "evacuazione"),
        ("pt", "evacuar", "evacuação"),
    ],
)
def test_the_forms_of_a_word_share_one_stem_in_their_language(language, written, searched):
    assert stem(written, language) == stem(searched, language)


def test_each_language_leaves_out_its_own_stop_words_only():
    assert analyse("Die Feuerwehr und die Polizei", analysis_for("de")) == ["feuerwehr", "polizei"]
    assert analyse("They will die", analysis_for("en")) == ["die"]
    assert analyse("L'évacuation de la gare", analysis_for("fr")) == ["evacu", "gar"]
    assert analyse("dell'evacuazione della piazza", analysis_for("it")) == ["evacu", "piazz"]
    assert analyse("la policía y el andén", analysis_for("es")) == ["polic", "anden"]
    assert analyse("de brandweer en het perron", analysis_for("nl")) == ["brandwer", "perron"]


@pytest.mark.parametrize("language", ["ar", "el", "pl", "xx", "", None])
def test_a_language_without_a_stemmer_is_lower_cased_and_folded_only(language):
    expected = PLAIN if language else analysis_for("en")  # no language: the default's
    assert analysis_for(language) == expected
    if language:
        assert analyse("Εκκένωση ΣΤΑΔΊΟΥ", analysis_for(language)) == ["εκκενωση", "σταδιου"]
        # Marks above and below letters go, in every script (the hamza of إ too).
        assert analyse("إخلاء الملعب", analysis_for(language)) == ["اخلاء", "الملعب"]


def test_a_regional_tag_is_analysed_as_its_language():
    assert analysis_for("fr-BE") == analysis_for("fr") and analysis_for("DE") == analysis_for("de")


def test_folding_spells_out_what_elasticsearch_asciifolding_does():
    assert fold("Straße sikkerhed æble øre cœur àéîõü") == "Strasse sikkerhed aeble ore coeur aeiou"


def test_every_language_has_an_elasticsearch_analyser_that_ends_folded():
    for analysis in ANALYSES:
        filters = analysis.es_filters()
        assert "lowercase" in filters and "asciifolding" in filters[-2:]
        assert bool(analysis.snowball) == bool(analysis.es_stemmer)


def test_a_query_keeps_every_word_and_each_language_drops_its_stop_words():
    words, phrases = query_terms('die Evakuierung "der Halle" OR title:x')
    assert words == ["die", "evakuierung", "or", "title", "x"]
    assert phrases == [["der", "halle"]]
    assert query_variants(["die", "evakuierung"], analysis_for("de")) == ["evakui"]
    assert query_variants(["die", "evakuierung"], analysis_for("en")) == ["die", "evakuierung"]


def test_key_terms_are_stemmed_in_the_lessons_language():
    text = "Die Feuerwehr hat die Halle evakuiert. Die Evakuierung dauerte zehn Minuten."
    terms = key_terms(text, lambda stems: {}, total_docs=10, language="de")
    by_stem = {term: word for term, word, _ in terms}
    assert "evakui" in by_stem and "die" not in by_stem and "hat" not in by_stem
    assert stems_of("Les pompiers évacuaient la gare", "fr") == {"pompi", "evacu", "gar"}


def test_a_highlight_marks_the_matching_words_as_written_and_cuts_around_them():
    german = analysis_for("de")
    count, fragment = highlight(
        "Die Feuerwehr hat die Halle evakuiert.", {"evakui"}, german, "[", "]"
    )
    assert count == 1 and fragment == "Die Feuerwehr hat die Halle [evakuiert]."
    long = " ".join(f"w{i}" for i in range(100)) + " evacuated " + " ".join(["x"] * 100)
    count, fragment = highlight(long, {stem("evacuation")}, analysis_for("en"), "[", "]")
    assert count == 1 and fragment.startswith("…w") and fragment.endswith("…")
    assert "[evacuated]" in fragment and len(fragment.split()) == 24
    assert highlight("nothing here", {"evacu"}, analysis_for("en"), "[", "]") == (0, "")
