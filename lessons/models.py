"""Debriefs and the lessons identified in them, as Wagtail pages under their city."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from kb import access
from kb.choices import CapabilityElement, IncidentType, Phase
from kb.models.marking import MarkedContent

from .pages import MarkedPageMixin, marking_panels
from .panels import AFTER_TEXT, REVIEW_STATUS, PanelSlot, lesson_page_context
from .translations import translation_link, translations


class DebriefAttackType(TaggedItemBase):
    tag = models.ForeignKey("kb.AttackType", on_delete=models.PROTECT, related_name="+")
    content_object = ParentalKey(
        "lessons.DebriefPage", on_delete=models.CASCADE, related_name="attack_type_items"
    )


class DebriefKeyword(TaggedItemBase):
    content_object = ParentalKey(
        "lessons.DebriefPage", on_delete=models.CASCADE, related_name="keyword_items"
    )


class LessonTheme(TaggedItemBase):
    tag = models.ForeignKey("kb.Theme", on_delete=models.PROTECT, related_name="+")
    content_object = ParentalKey(
        "lessons.LessonPage", on_delete=models.CASCADE, related_name="theme_items"
    )


class LessonKeyword(TaggedItemBase):
    content_object = ParentalKey(
        "lessons.LessonPage", on_delete=models.CASCADE, related_name="keyword_items"
    )


class DebriefPage(MarkedPageMixin, MarkedContent, Page):
    """One joint multi-agency debrief of an attack, exercise or near miss."""

    external_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    incident_type = models.CharField(max_length=20, choices=IncidentType.choices)
    incident_date = models.DateField(_("date"))
    attack_types = ClusterTaggableManager(
        _("attack types"),
        through=DebriefAttackType,
        related_name="debriefs",
        blank=True,
        help_text=_(
            "The kinds of attack from the network's list (e.g. vehicle-ramming, ied): "
            "type to choose; they become search filters."
        ),
    )
    keywords = ClusterTaggableManager(
        _("keywords"),
        through=DebriefKeyword,
        related_name="debriefs",
        blank=True,
        help_text=_("Free keywords, beside the controlled attack types."),
    )
    agencies = models.TextField(
        blank=True, help_text=_("The agencies that took part in the debrief, one per line.")
    )
    summary = RichTextField(features=["h3", "bold", "italic", "ol", "ul", "link"])
    translation_of = translation_link("debrief")

    content_panels = Page.content_panels + [
        PanelSlot(REVIEW_STATUS),  # peer_review: the round, its state and comments
        marking_panels(),
        MultiFieldPanel(
            [
                FieldPanel("language"),
                FieldPanel("translation_of"),
                FieldPanel("incident_type"),
                FieldPanel("incident_date"),
                FieldPanel("attack_types"),
                FieldPanel("keywords"),
                FieldPanel("agencies"),
            ],
            heading=_("Incident"),
        ),
        FieldPanel("summary"),
        FieldPanel("public_summary"),
    ]
    parent_page_types = ["kb.CityPage"]
    subpage_types = ["lessons.LessonPage"]

    class Meta:
        verbose_name = _("debrief")

    @property
    def agency_list(self) -> list[str]:
        return [line.strip() for line in self.agencies.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["translations"] = translations(request.user, self)
        context["lessons"] = (
            access.visible(request.user, LessonPage.objects.filter(debrief_id=self.pk))
            .prefetch_related("themes")
            .order_by("path")
        )
        return context


class LessonPage(MarkedPageMixin, MarkedContent, Page):
    """A lesson identified in a debrief, in the NATO form."""

    external_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    debrief = models.ForeignKey(
        DebriefPage, on_delete=models.SET_NULL, related_name="lessons", null=True, editable=False
    )
    observation = models.TextField(help_text=_("What happened: the facts observed."))
    discussion = models.TextField(blank=True, help_text=_("Why it happened; its effects."))
    lesson_identified = models.TextField(help_text=_("The lesson, stated as a general rule."))
    phase = models.CharField(max_length=20, choices=Phase.choices)
    themes = ClusterTaggableManager(
        _("themes"),
        through=LessonTheme,
        related_name="lessons",
        blank=True,
        help_text=_(
            "The network's themes this lesson is about (e.g. information-sharing, "
            "crowded-places): type to choose; they become search filters and help find "
            "similar cases."
        ),
    )
    keywords = ClusterTaggableManager(
        _("keywords"),
        through=LessonKeyword,
        related_name="lessons",
        blank=True,
        help_text=_("Free keywords, beside the controlled themes."),
    )
    translation_of = translation_link("lesson")

    content_panels = Page.content_panels + [
        PanelSlot(REVIEW_STATUS),  # peer_review: the round, its state and comments
        marking_panels(),
        MultiFieldPanel(
            [
                FieldPanel("language"),
                FieldPanel("translation_of"),
                FieldPanel("phase"),
                FieldPanel("themes"),
                FieldPanel("keywords"),
            ],
            heading=_("Classification"),
        ),
        FieldPanel("observation"),
        FieldPanel("discussion"),
        FieldPanel("lesson_identified"),
        PanelSlot(AFTER_TEXT),  # search: similar lessons from other cities
        InlinePanel("recommendations", heading=_("Recommendations"), label=_("Recommendation")),
        FieldPanel("public_summary"),
    ]
    parent_page_types = ["lessons.DebriefPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def full_clean(self, *args, **kwargs):
        parent = self.get_parent() if self.pk or self.path else None
        if parent is not None:
            self.debrief_id = parent.pk
        return super().full_clean(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["debrief"] = self.debrief
        context["translations"] = translations(request.user, self)
        context["siblings"] = (
            access.visible(request.user, LessonPage.objects.filter(debrief_id=self.debrief_id))
            .exclude(pk=self.pk)
            .order_by("path")
        )
        context.update(lesson_page_context(request.user, self))  # search: similar cases
        return context


class Recommendation(Orderable):
    lesson = ParentalKey(LessonPage, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommendation"))
    capability_element = models.CharField(
        max_length=20,
        choices=CapabilityElement.choices,
        help_text=_("HSEEP capability element (POETE) the change belongs to."),
    )

    panels = [FieldPanel("text"), FieldPanel("capability_element")]

    def __str__(self) -> str:
        return self.text[:80]
