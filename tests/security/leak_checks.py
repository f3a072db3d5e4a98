"""Checking one response of one channel against every item of the leak world.

A cell is (kind of user, channel, item): the item's words must be absent when the user may
not see it, and present when the user may see it and the channel is one that lists it
(title) or shows its text (sentinel)."""

from __future__ import annotations

import io
from collections.abc import Iterable

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from tests.security.leak_world import Item, World, build_world

# Session-wide total, printed by tests/security/conftest.py at the end of the run.
CELLS = {"checked": 0}


class Matrix:
    """The checks of one kind of user; failures are collected so one run reports them all."""

    def __init__(self, world: World, who: str) -> None:
        self.world, self.who = world, who
        self.failures: list[str] = []
        self.client = Client()
        if who != "anonymous":
            user = get_user_model().objects.get(pk=world.users[who].pk)
            self.client.force_login(user)

    def may_see(self, item: Item) -> bool:
        return self.who in item.visible_to

    def check(
        self,
        channel: str,
        body: str,
        lists: Iterable[Item] = (),
        shows_text: Iterable[Item] = (),
        may_see=None,
    ) -> None:
        """`may_see` replaces the current policy answer (e-mails are judged by the answer at
        the time they were sent)."""
        may_see = may_see or self.may_see
        text = body.lower()
        lists, shows_text = list(lists), list(shows_text)
        for item in self.world.items:
            CELLS["checked"] += 1
            where = f"{self.who} / {channel} / {item.kind} {item.key}"
            if not may_see(item):
                for word in item.words:
                    if word in text:
                        self.failures.append(f"LEAK {where}: {word!r} is shown")
                continue
            if item in lists and item.title_word not in text:
                self.failures.append(f"MISSING {where}: title {item.title_word!r} not listed")
            if item in shows_text and item.sentinel not in text:
                self.failures.append(f"MISSING {where}: text {item.sentinel!r} not shown")

    def visible(self, items: Iterable[Item]) -> list[Item]:
        return [item for item in items if self.may_see(item)]

    def get(self, channel: str, url: str, data=None, lists=(), shows_text=(), **expect):
        """Fetch once, check every item against the answer, and return the response."""
        response = self.client.get(url, data or {})
        status = expect.get("status")
        if status is not None and response.status_code not in _as_tuple(status):
            self.failures.append(
                f"STATUS {self.who} / {channel}: {url} answered {response.status_code},"
                f" expected {status}"
            )
        self.check(channel, body_text(response), lists, shows_text)
        return response

    def hidden_status(self) -> tuple[int, ...]:
        # Anonymous visitors (an inactive user is one) get the login page; members a 404.
        return (302,) if self.who in ("anonymous", "inactive") else (404,)

    def assert_clean(self) -> None:
        assert not self.failures, "\n".join(self.failures)


def _as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def body_text(response) -> str:
    """Everything a response carries that a person could read: body and headers (but the
    login redirect's Location, which only echoes the address the visitor asked for)."""
    headers = " ".join(f"{k}: {v}" for k, v in response.items() if k != "Location")
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        return headers + " " + xlsx_text(response.content)
    if getattr(response, "streaming", False):
        return headers + " " + b"".join(response.streaming_content).decode(errors="replace")
    return headers + " " + response.content.decode(errors="replace")


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    cells = []
    for sheet in book.worksheets:
        cells.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            cells.extend(str(value) for value in row if value is not None)
    return " ".join(cells)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module and rolled back after it (the matrix has thousands of cells)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def indexed(world, db) -> World:
    """The world in the search index of the backend active for this test (on PostgreSQL
    each test gets a fresh Elasticsearch index)."""
    from search.engine import index_lessons

    index_lessons([item.page.pk for item in world.lessons] + [world.probe.pk])
    return world
