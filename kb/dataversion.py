"""A version of the data, for exact caches.

Every save or delete (other than the bookkeeping listed in IGNORED) and every bulk write
that calls bump() adds a DataChange; current() names the newest. A cache keyed by current()
is therefore never read after the data it was computed from changed: the committee
dashboard's figures use it. Bulk writes (QuerySet.update, bulk_create, raw SQL) send no
signal, so the code doing them calls bump() itself.
"""

from __future__ import annotations

import secrets

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

KEEP = 1000  # rows kept when pruning: only the newest one is ever read

# Bookkeeping that no cached figure reads, written often.
IGNORED = {
    "kb.datachange",
    "kb.notification",
    "migrations.migration",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.revision",
    "search.outboxentry",
    # Peer review's own records and Wagtail's workflow states: no cached figure reads them
    # (a reviewer's read grant is part of the viewer, which every cache key names).
    "peer_review.comment",
    "peer_review.reviewassignment",
    "peer_review.reviewround",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
}


def current() -> str:
    from kb.models import DataChange

    newest = DataChange.objects.order_by("-pk").values_list("pk", "token").first()
    return f"{newest[0]}-{newest[1]}" if newest else "0"


def bump() -> None:
    from kb.models import DataChange

    change = DataChange.objects.create(token=secrets.token_hex(8))
    if change.pk % KEEP == 0:
        DataChange.objects.filter(pk__lte=change.pk - KEEP).delete()


def _on_write(sender, raw=False, update_fields=None, **kwargs) -> None:
    if raw or sender._meta.label_lower in IGNORED or sender.__module__ == "__fake__":
        return  # ("__fake__": a migration's historical model; migrate bumps once at the end)
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login
    bump()


def _on_m2m(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        _on_write(sender)


def _after_migrate(sender, **kwargs) -> None:
    if sender.name == "kb":
        bump()


def connect() -> None:
    post_save.connect(_on_write, dispatch_uid="kb.dataversion.save")
    post_delete.connect(_on_write, dispatch_uid="kb.dataversion.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="kb.dataversion.m2m")
    post_migrate.connect(_after_migrate, dispatch_uid="kb.dataversion.migrate")
