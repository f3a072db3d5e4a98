from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.sync import enqueue, lesson_ids_under


def _is_marked(page) -> bool:
    from lessons.models import DebriefPage, LessonPage

    return isinstance(page, DebriefPage | LessonPage)


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    if _is_marked(instance):
        enqueue(lesson_ids_under(instance), now=True)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    # After commit: the pages' new city and debrief are written by lessons' own handler.
    enqueue(lesson_ids_under(instance))


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        enqueue([instance.pk], now=True)


@receiver(post_save)
def page_saved(sender, instance, raw=False, **kwargs):
    # Direct saves (not through a revision) are caught here; the after-commit drain sees
    # their tags and sharing lists, which are written after this signal.
    if not raw and _is_marked(instance):
        enqueue(lesson_ids_under(instance))


@receiver(m2m_changed)
def sharing_changed(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and _is_marked(instance):
        enqueue(lesson_ids_under(instance), now=True)


@receiver(post_save, sender="lessons.Action")
@receiver(post_delete, sender="lessons.Action")
def action_changed(sender, instance, raw=False, **kwargs):
    # The lesson's "action status" facet follows its actions.
    if not raw:
        from lessons.models import Recommendation

        lesson_id = (
            Recommendation.objects.filter(pk=instance.recommendation_id)
            .values_list("lesson_id", flat=True)
            .first()
        )
        if lesson_id:
            enqueue([lesson_id], now=True)
