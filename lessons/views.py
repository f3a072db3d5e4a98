"""Member-site listings of lessons: the filtered index and the RSS feed.

Both read lessons only through `lessons.access.visible_lessons`, so what a list or a feed
shows is exactly what the reader could open.
"""

from __future__ import annotations

from django import forms
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from kb.choices import Phase, vocabulary_choices
from kb.directory import city_name
from kb.models import City
from kb.widgets import LongSelect
from lessons import access
from lessons.listing import KeysetPaginator, listing_key, newest_first
from lessons.models import DebriefAttackType, LessonTheme

LESSONS_PER_PAGE = 20
FEED_SIZE = 30
PAGE_ID = RawSQL('"wagtailcore_page"."id"', ())


def _any(label: str) -> list[tuple[str, str]]:
    return [("", label)]


class LessonFilterForm(forms.Form):
    """The index's GET filters; every field is optional and they combine with AND.

    `city` takes the city's name (unique, case-insensitive), the same way cities are
    named by the import file and the management commands, so links stay readable:
    /lessons/?city=Berlin&theme=information-sharing.
    """

    attack_type = forms.ChoiceField(label=_("Attack type"), required=False, widget=LongSelect)
    theme = forms.ChoiceField(label=_("Theme"), required=False, widget=LongSelect)
    # Free text behind a select, so hand-written links may use any capitalisation.
    city = forms.CharField(label=_("City"), required=False, widget=LongSelect)
    phase = forms.ChoiceField(
        label=_("Phase"),
        required=False,
        choices=_any(_("Any phase")) + Phase.choices,
        widget=LongSelect,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attack_type"].choices = _any(_("Any attack type")) + vocabulary_choices(
            "attack_type"
        )
        self.fields["theme"].choices = _any(_("Any theme")) + vocabulary_choices("theme")
        self.fields["city"].widget.choices = _any(_("Any city")) + [
            (name, name) for name in City.objects.values_list("name", flat=True)
        ]

    def clean_city(self) -> str:
        return city_name(self.cleaned_data.get("city"))

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)

    def filter(self, lessons: QuerySet) -> QuerySet:
        data = self.cleaned_data
        # Tags as subqueries, not joins: a join could repeat a lesson, and the DISTINCT
        # that would fix it makes the database sort every match before cutting a page.
        if data.get("attack_type"):
            tagged = DebriefAttackType.objects.filter(tag__slug=data["attack_type"])
            lessons = lessons.filter(debrief_id__in=tagged.values("content_object_id"))
        if data.get("theme"):
            tagged = LessonTheme.objects.filter(tag__slug=data["theme"])
            lessons = lessons.filter(pk__in=tagged.values("content_object_id"))
        if data.get("city"):
            lessons = lessons.filter(owner_city__name=data["city"])
        if data.get("phase"):
            lessons = lessons.filter(phase=data["phase"])
        return lessons


def recent_lessons(user) -> QuerySet:
    """Lessons the user may see, newest first, with what a listing row shows.

    A page of them is read in the order of the index on first_published_at, stopping after
    the page: the rule is one condition for that (kb.access.visible), and ties are broken
    by Wagtail's page id, which that index holds (the lesson's own page_ptr_id, the same
    number, is in another table's and would make the database sort every visible lesson).
    """
    return (
        access.visible_lessons(user, as_one_condition=True)
        .select_related("owner_city", "debrief")
        .prefetch_related("themes", "debrief__attack_types")
        .order_by(newest_first(), PAGE_ID.desc())
    )


def lesson_index(request: HttpRequest) -> HttpResponse:
    form = LessonFilterForm(request.GET or None)
    lessons = recent_lessons(request.user)
    if form.is_bound:
        lessons = form.filter(lessons) if form.is_valid() else lessons.none()
    # Unbound and bound-without-filters list the same lessons: one count serves both.
    filters = {"invalid": True} if form.is_bound and not form.is_valid() else {}
    if form.is_bound and form.is_valid():
        filters = {name: value for name, value in form.cleaned_data.items() if value}
    key = listing_key(request.user, filters)
    page_obj = KeysetPaginator(lessons, LESSONS_PER_PAGE, key).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filtered": form.active,
        "page_obj": page_obj,
        "lessons": page_obj.object_list,
    }
    return render(request, "lessons/lesson_index.html", context)


class LatestLessonsFeed(Feed):
    """RSS of the newest lessons, trimmed for whoever asks (anonymous: TLP:CLEAR only)."""

    title = _("Latest lessons")
    link = "/lessons/"
    description = _("Lessons identified most recently in the network's debriefs.")

    def get_object(self, request: HttpRequest, *args, **kwargs):
        # The feed instance is shared by every request: pass the user along, don't store it.
        return request.user

    def items(self, user) -> list:
        return list(recent_lessons(user)[:FEED_SIZE])

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        # Readers render a description as HTML; the lesson is plain text, so escape it.
        return escape(item.lesson_identified)

    def item_link(self, item) -> str:
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item) -> list[str]:
        # The marking travels with the item, as TLP asks of anyone passing material on.
        return [item.marking, *(theme.label for theme in item.themes.all())]
