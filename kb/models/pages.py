"""The site's top pages: the home page and one page per member city."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from kb import access


class HomePage(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["kb.CityPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from lessons.models import LessonPage

        context = super().get_context(request, *args, **kwargs)
        context["recent_lessons"] = (
            access.visible_lessons(request.user)
            .select_related("owner_city")
            .order_by("-first_published_at", "-pk")[:8]
        )
        context["cities"] = CityPage.objects.live().select_related("city").order_by("title")
        context["lesson_count"] = access.visible_lessons(request.user).count()
        context["total_lessons"] = LessonPage.objects.live().count()
        return context


class CityPage(Page):
    """A member city's section of the site; its debriefs live beneath it."""

    city = models.OneToOneField("kb.City", on_delete=models.PROTECT, related_name="page")
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("city"), FieldPanel("intro")]
    parent_page_types = ["kb.HomePage"]
    subpage_types = ["lessons.DebriefPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        debriefs = (
            access.visible_debriefs(request.user)
            .filter(owner_city_id=self.city_id)
            .prefetch_related("attack_types")
            .order_by("-incident_date", "-pk")
        )
        context["debriefs"] = Paginator(debriefs, 20).get_page(request.GET.get("page"))
        context["recent_lessons"] = (
            access.visible_lessons(request.user)
            .filter(owner_city_id=self.city_id)
            .select_related("debrief")
            .prefetch_related("themes", "debrief__attack_types")
            .order_by("-first_published_at", "-pk")[:10]
        )
        return context
