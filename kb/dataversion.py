"""A version of the data, for exact caches.

Every save or delete of a tracked model, every change to one of its many-to-many lists,
and every bulk write that calls bump() adds a DataChange; current() names the newest. A
cache keyed by current() is therefore never read after the data it was computed from
changed: the committee dashboard's figures use it. Bulk writes (QuerySet.update,
bulk_create, raw SQL) send no signal, so the code doing them calls bump() itself.

The apps name the models their cached figures read with track(), in their
AppConfig.ready(). Nothing else gets a receiver: bookkeeping written often (sessions, the
search outbox, log entries, revisions, review comments) adds no DataChange and keeps
Django's fast delete, which any post_delete receiver on a model turns off.
"""

from __future__ import annotations

import secrets

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from kb.models import DataChange

KEEP = 1000  # rows kept when pruning: only the newest one is ever read

_tracked: set[type[Model]] = set()


def current() -> str:
    newest = DataChange.objects.order_by("-pk").values_list("pk", "token").first()
    return f"{newest[0]}-{newest[1]}" if newest else "0"


def bump() -> None:
    change = DataChange.objects.create(token=secrets.token_hex(8))
    if change.pk % KEEP == 0:
        DataChange.objects.filter(pk__lte=change.pk - KEEP).delete()


def _on_write(sender, raw=False, update_fields=None, **kwargs) -> None:
    if raw:
        return  # loaddata; migrate bumps once at the end
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login
    bump()


def _on_m2m(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        bump()


def _after_migrate(sender, **kwargs) -> None:
    if sender.name == "kb":
        bump()


def track(*models: type[Model]) -> None:
    """A write to any of these models (or to their many-to-many lists) changes the data
    version. Call from AppConfig.ready()."""
    for model in models:
        uid = f"kb.dataversion.{model._meta.label_lower}"
        post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}.delete")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _on_m2m, sender=through, dispatch_uid=f"{uid}.{through._meta.label_lower}"
            )
        _tracked.add(model)


def tracked() -> frozenset[type[Model]]:
    return frozenset(_tracked)


def connect() -> None:
    post_migrate.connect(_after_migrate, dispatch_uid="kb.dataversion.migrate")
