"""kb.widgets.LongSelect writes the same <select> as Django's Select (whitespace aside):
the chosen option marked selected, labels and values escaped, groups and attributes kept."""

import pytest
from django import forms
from django.test.html import parse_html

from kb.widgets import LongSelect

CHOICES = [
    ("", "Any city"),
    ("Berlin", "Berlin"),
    ("Nice", "Nice"),
    ("A&B <x>", 'Quote " & <tag>'),
    ("Benelux", [("Brussels", "Brussels"), ("Rotterdam", "Rotterdam")]),
]


@pytest.mark.parametrize("value", ["", "Nice", "A&B <x>", "Rotterdam", "Nowhere", None])
def test_long_select_writes_what_django_select_writes(value):
    attrs = {"id": "id_city", "aria-invalid": "true", "disabled": False, "autofocus": True}
    ours = LongSelect(choices=CHOICES).render("city", value, attrs)
    django = forms.Select(choices=CHOICES).render("city", value, attrs)
    assert parse_html(ours) == parse_html(django)  # the same elements, attributes, text


def test_the_chosen_option_is_the_one_marked_selected():
    html = LongSelect(choices=CHOICES).render("city", "Nice", {"id": "id_city"})
    assert '<option value="Nice" selected>Nice</option>' in html
    assert html.count(" selected") == 1
