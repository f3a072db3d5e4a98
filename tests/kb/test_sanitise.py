"""The one rule for member-written HTML (kb.sanitise), shared by review comments and
progress notes: harmless tags only, links only to absolute http(s) and mailto addresses."""

import pytest

from kb.sanitise import clean_html, plain_text


def test_progress_text_is_made_harmless():
    html = clean_html(
        '<script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">click</a> see https://example.org/report',
        paragraphs=True,
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<img" not in html
    assert 'href="https://example.org/report"' in html
    assert 'rel="nofollow noopener"' in html


@pytest.mark.parametrize(
    "link",
    [
        '<a href="https://example.org/report">report</a>',
        '<a href="HTTP://EXAMPLE.ORG/">report</a>',
        '<a href="mailto:coordinator@example.org">report</a>',
    ],
)
def test_an_absolute_link_is_kept_and_passes_no_authority(link):
    html = clean_html(link)
    assert html.startswith("<a href=") and html.endswith('rel="nofollow noopener">report</a>')


@pytest.mark.parametrize(
    "href", ["/admin/logout/", "../reviews/rounds/1/decide/", "//evil.example/", "#top", "?a=1"]
)
def test_a_relative_link_is_refused_and_its_text_kept(href):
    # The review comments' old rule kept these (with rel added); the stricter rule does not.
    assert clean_html(f'Please <a href="{href}">confirm here</a>.') == "Please confirm here."


def test_the_writer_sets_no_attribute_of_a_link_but_its_address():
    html = clean_html(
        '<a href="https://example.org" title="t" target="_blank" rel="opener" id="x">x</a>'
    )
    assert html == '<a href="https://example.org" rel="nofollow noopener">x</a>'


def test_cleaning_twice_changes_nothing():
    # Comments are cleaned when stored and again when shown.
    once = clean_html('<p>See https://example.org <a href="/x">y</a><br><b>z</b></p>')
    assert clean_html(once) == once


def test_plain_text_keeps_line_breaks_as_paragraphs_when_asked():
    assert clean_html("first\nsecond\n\nthird", paragraphs=True) == (
        "<p>first<br>second</p><p>third</p>"
    )
    assert clean_html("first\nsecond") == "first\nsecond"


def test_plain_text_strips_every_tag():
    assert plain_text("<script>x()</script><b>Good</b>") == "x()Good"
