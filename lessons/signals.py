from django.dispatch import receiver
from wagtail.signals import post_page_move

from kb import dataversion

from .models import DebriefPage, LessonPage


@receiver(post_page_move)
def resync_placement_after_move(sender, instance, **kwargs):
    """A moved debrief (or lesson) takes its new city, and its lessons their debrief:
    who may read them depends on it. Wagtail saves the moved page as a plain Page, so
    the pages' own save() does not run."""
    cities = set()
    for model in (DebriefPage, LessonPage):
        moved = model.objects.filter(path__startswith=instance.path)
        for page in moved:
            cities.add(page.owner_city_id)
            before = (page.owner_city_id, getattr(page, "debrief_id", None))
            page.sync_placement()
            if (page.owner_city_id, getattr(page, "debrief_id", None)) != before:
                fields = ["owner_city"] + (["debrief"] if model is LessonPage else [])
                model.objects.filter(pk=page.pk).update(
                    **{f"{name}_id": getattr(page, f"{name}_id") for name in fields}
                )
                cities.add(page.owner_city_id)
    # These fields were written with update(): the cities the pages left and joined.
    dataversion.bump_cities(cities)
