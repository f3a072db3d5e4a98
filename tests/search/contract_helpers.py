"""What the search contract tests share: a debrief on a date, and a search as a member."""

import datetime

from kb.choices import Marking
from search import engine
from search.backends.base import SearchQuery
from tests.factories import make_debrief


def date_of(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def debrief_on(city, date: str, attack_type: str, marking=Marking.GREEN, **extra):
    return make_debrief(
        city, marking=marking, date=date_of(date), attack_types=[attack_type], **extra
    )


def find(user, text="", **options):
    return engine.search(
        user, SearchQuery(text=text, per_page=options.pop("per_page", 100), **options)
    )


def ids(results) -> list[int]:
    return [hit.id for hit in results.hits]
