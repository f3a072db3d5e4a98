"""The words a synthetic corpus is written in: real response topics, each with the sentences
a debrief team would write about it, and the cities, agencies and venues they mention.

Every topic names the themes, phases and attack types it usually goes with, so facets and
similar cases behave as they would on real material.
"""

from __future__ import annotations

from . import topics_more, topics_respond
from .places import AGENCIES, CITY_NAMES, COMMENTS, DISTRICTS, SECTORS, VENUES
from .topic import Topic

TOPICS: list[Topic] = [*topics_respond.TOPICS, *topics_more.TOPICS]

__all__ = [
    "AGENCIES",
    "CITY_NAMES",
    "COMMENTS",
    "DISTRICTS",
    "SECTORS",
    "TOPICS",
    "Topic",
    "VENUES",
]
