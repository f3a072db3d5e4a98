"""Writing Wagtail pages in bulk: tree paths computed here, rows inserted in batches.

`Page.add_child` costs several queries per page (it locks and re-reads the parent); a corpus
of 100,000 lessons needs the rows written a batch at a time instead. Each page gets a valid
treebeard path, depth and numchild and a url_path, so the site serves it like any other.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from wagtail.models import Page

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = Page.steplen
BATCH = 2000
_PAGE_FIELDS = [f for f in Page._meta.concrete_fields if not f.primary_key]


def step(position: int) -> str:
    """The treebeard path segment of the `position`-th child (1-based)."""
    digits = ""
    while position:
        position, rest = divmod(position, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def position_of(path: str) -> int:
    return int(path[-STEPLEN:], len(ALPHABET))


class ChildSlots:
    """Hands out the next free tree position under a parent that may already have children."""

    def __init__(self, parent: Page):
        self.parent = parent
        last = (
            Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        self.next = position_of(last) + 1 if last else 1
        self.added = 0

    @classmethod
    def fresh(cls, parent: Page) -> ChildSlots:
        """Slots under a page that is itself new (no query: it has no children yet)."""
        slots = cls.__new__(cls)
        slots.parent, slots.next, slots.added = parent, 1, 0
        return slots

    def place(self, page: Page, slug: str) -> None:
        page.path = self.parent.path + step(self.next)
        page.depth = self.parent.depth + 1
        page.numchild = 0
        page.slug = slug
        page.url_path = f"{self.parent.url_path}{slug}/"
        page.locale_id = self.parent.locale_id
        self.next += 1
        self.added += 1


def new_translation_key(rng) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def insert_pages(model: type[Page], pages: list[Page]) -> None:
    """Insert specific pages (their Page row, then their own table's row); sets their pk."""
    content_type = ContentType.objects.get_for_model(model)
    own_fields = [f for f in model._meta.local_concrete_fields if not f.primary_key]
    table = model._meta.db_table
    ptr = model._meta.pk.column
    columns = ", ".join([connection.ops.quote_name(ptr)] + [f.column for f in own_fields])
    marks = ", ".join(["%s"] * (len(own_fields) + 1))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    for start in range(0, len(pages), BATCH):
        chunk = pages[start : start + BATCH]
        bases = []
        for page in chunk:
            base = Page(**{f.attname: getattr(page, f.attname) for f in _PAGE_FIELDS})
            base.content_type_id = content_type.pk
            bases.append(base)
        Page.objects.bulk_create(bases)
        rows = []
        for page, base in zip(chunk, bases, strict=True):
            page.pk = page.page_ptr_id = base.pk
            page.id = base.pk
            rows.append(
                [base.pk]
                + [f.get_db_prep_save(getattr(page, f.attname), connection) for f in own_fields]
            )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def count_children(parents: Iterable[ChildSlots]) -> None:
    """Add the new children to each parent's numchild."""
    for slots in parents:
        if slots.added:
            Page.objects.filter(pk=slots.parent.pk).update(numchild=F("numchild") + slots.added)
