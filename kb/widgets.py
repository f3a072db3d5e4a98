"""Form widgets shared by the member site's filter forms."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class LongSelect(forms.Select):
    """A <select> whose options are written here rather than by one template each.

    Django renders every option through its own template; with a few hundred options
    (every city of the network) that took a large part of a listing's render. The markup
    is Django's own, and which option is selected is still Django's choice (optgroups()).
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            rows = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>',
                (
                    (option["value"], flatatt(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            groups.append(
                format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, rows)
                if group_name
                else rows
            )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            name,
            flatatt(widget["attrs"]),
            mark_safe("".join(groups)),  # each group is escaped above
        )
