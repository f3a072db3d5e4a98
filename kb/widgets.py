"""Form widgets shared by the member site's filter forms."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class LongSelect(forms.Select):
    """A <select> written in one pass over its choices, not by one template per option.

    Django renders every option through its own template (and builds a dict of attributes
    for each first); with a few hundred options (every city of the network) that took a
    large part of a listing's render. The markup and the choice of the selected option
    follow Django's Select (ChoiceWidget.optgroups); tests/kb/test_widgets.py compares both.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        chosen = self.format_value(value)
        has_selected = False
        rows = []
        for group_value, group_label in self.choices:
            group_value = "" if group_value is None else group_value
            group = isinstance(group_label, list | tuple)
            options = group_label if group else [(group_value, group_label)]
            if group:
                rows.append(f'\n  <optgroup label="{escape(group_value)}">')
            for option_value, label in options:
                selected = (not has_selected or self.allow_multiple_selected) and str(
                    option_value
                ) in chosen
                has_selected |= selected
                mark = " selected" if selected else ""
                rows.append(
                    f'\n  <option value="{escape(option_value)}"{mark}>{escape(label)}</option>'
                )
            if group:
                rows.append("\n  </optgroup>")
        # Every value and label is escaped above.
        options_html = "".join(rows)
        return mark_safe(f'<select name="{escape(name)}"{flatatt(attrs)}>{options_html}\n</select>')
