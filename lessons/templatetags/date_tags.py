"""Dates that arrive as ISO text (a search hit's incident date, as the index and the API keep
it), written the way the reader's language writes a date: `{{ hit.date|iso_date }}`."""

from __future__ import annotations

import datetime

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def iso_date(value: str | None) -> str:
    """ "2019-02-27" as "27/02/2019" in French, "27 Feb 2019" in English; anything that is not
    an ISO date is shown as it is."""
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return value or ""
    return date_format(day, "SHORT_DATE_FORMAT")
