"""Weak similar-case matches are hidden: one shared common word is not a reason."""

from search.engine import MIN_SHARED_TERMS, is_strong_match


def test_one_shared_common_word_is_not_a_match():
    assert MIN_SHARED_TERMS == 2
    assert not is_strong_match(["told"], meaning=False)
    assert not is_strong_match([], meaning=False)


def test_two_shared_key_terms_or_a_similar_meaning_are():
    assert is_strong_match(["radio", "talk group"], meaning=False)
    assert is_strong_match([], meaning=True)
