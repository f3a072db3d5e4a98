"""What sends a lesson to the outbox: publishing, unpublishing, moving, saving, deleting
and re-sharing its page or its debrief, and any change to one of its actions.

Each receiver is connected in SearchConfig.ready() for the models it concerns, so that
the writes of every other model (sessions, the outbox itself, log entries) pass by."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from lessons.models import DebriefPage, LessonPage, Recommendation
from lessons.tracking.models import Action
from search.sync import enqueue, lesson_ids_under

MARKED_PAGES = (DebriefPage, LessonPage)


def page_changed(sender, instance, **kwargs) -> None:
    enqueue(lesson_ids_under(instance), now=True)


def page_moved(sender, instance, **kwargs) -> None:
    # Any page: moving a city (or anything above it) moves its debriefs and lessons.
    # After commit: the pages' new city and debrief are written by lessons' own handler.
    enqueue(lesson_ids_under(instance))


def page_deleted(sender, instance, **kwargs) -> None:
    # Every page's base row is deleted with it, so Page alone sees each deletion once.
    enqueue([instance.pk], now=True)


def page_saved(sender, instance, raw=False, **kwargs) -> None:
    # Direct saves (not through a revision) are caught here; the after-commit drain sees
    # their tags and sharing lists, which are written after this signal.
    if not raw:
        enqueue(lesson_ids_under(instance))


def sharing_changed(sender, instance, action, reverse, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and not reverse:
        enqueue(lesson_ids_under(instance), now=True)


def action_changed(sender, instance, raw=False, **kwargs) -> None:
    # The lesson's "action status" facet follows its actions.
    if not raw:
        lesson_id = (
            Recommendation.objects.filter(pk=instance.recommendation_id)
            .values_list("lesson_id", flat=True)
            .first()
        )
        if lesson_id:
            enqueue([lesson_id], now=True)


def connect() -> None:
    for model in MARKED_PAGES:
        uid = f"search.{model._meta.model_name}"
        page_published.connect(page_changed, sender=model, dispatch_uid=f"{uid}.published")
        page_unpublished.connect(page_changed, sender=model, dispatch_uid=f"{uid}.unpublished")
        post_save.connect(page_saved, sender=model, dispatch_uid=f"{uid}.saved")
        for through in (model.shared_with.through, model.recipients.through):
            m2m_changed.connect(
                sharing_changed, sender=through, dispatch_uid=f"{uid}.{through._meta.model_name}"
            )
    post_page_move.connect(page_moved, dispatch_uid="search.page.moved")
    post_delete.connect(page_deleted, sender=Page, dispatch_uid="search.page.deleted")
    post_save.connect(action_changed, sender=Action, dispatch_uid="search.action.saved")
    post_delete.connect(action_changed, sender=Action, dispatch_uid="search.action.deleted")
