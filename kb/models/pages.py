"""The site's top pages: the home page and one page per member city.

What they list of debriefs and lessons is filled in by the lessons app (a higher layer)
through two Wagtail hooks, each function called as fn(page, request, context):
- "home_page_context": `recent_lessons`, `lesson_count`, `total_lessons`;
- "city_page_context": `debriefs` (a page of them) and `recent_lessons` of the city.
lessons/wagtail_hooks.py registers them.
"""

from __future__ import annotations

from django.db import models
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

HOME_PAGE_CONTEXT = "home_page_context"
CITY_PAGE_CONTEXT = "city_page_context"


def _run_context_hooks(name: str, page: Page, request, context: dict) -> dict:
    for fill in hooks.get_hooks(name):
        fill(page, request, context)
    return context


class HomePage(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["kb.CityPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cities"] = CityPage.objects.live().select_related("city").order_by("title")
        return _run_context_hooks(HOME_PAGE_CONTEXT, self, request, context)


class CityPage(Page):
    """A member city's section of the site; its debriefs live beneath it."""

    city = models.OneToOneField("kb.City", on_delete=models.PROTECT, related_name="page")
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("city"), FieldPanel("intro")]
    parent_page_types = ["kb.HomePage"]
    subpage_types = ["lessons.DebriefPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        return _run_context_hooks(CITY_PAGE_CONTEXT, self, request, context)
