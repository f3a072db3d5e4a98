"""What debrief and lesson pages share: their marking, where they sit, and how they serve."""

from __future__ import annotations

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from kb import access
from kb.admin_permissions import MarkedPagePermissionTester
from kb.choices import CONTENT_LANGUAGES, DEFAULT_CONTENT_LANGUAGE, Marking
from kb.models import City, CityPage

from .translations import link_errors


def marking_panels() -> MultiFieldPanel:
    return MultiFieldPanel(
        [
            FieldPanel("marking"),
            FieldPanel("shared_with", widget=forms.CheckboxSelectMultiple),
            FieldPanel("recipients", widget=forms.SelectMultiple(attrs={"size": 8})),
        ],
        heading=_("Marking (Traffic Light Protocol 2.0)"),
        classname="kb-marking-panel",
    )


class MarkedPageForm(WagtailAdminPageForm):
    """Checks that the sharing lists fit the marking, and that a lesson is never less
    restricted than its debrief."""

    def clean(self):
        cleaned = super().clean()
        marking = cleaned.get("marking")
        shared = cleaned.get("shared_with")
        recipients = cleaned.get("recipients")
        if marking == Marking.RED and not recipients:
            self.add_error("recipients", _("TLP:RED needs at least one named recipient."))
        if marking and marking != Marking.AMBER and shared:
            self.add_error("shared_with", _("Only TLP:AMBER material is shared with other cities."))
        if marking and marking != Marking.RED and recipients:
            self.add_error("recipients", _("Named recipients apply to TLP:RED only."))
        parent = self.parent_page.specific if self.parent_page else None
        parent_marking = getattr(parent, "marking", None)
        if marking and parent_marking and access.less_restricted(marking, parent_marking):
            self.add_error(
                "marking",
                _("A lesson cannot be less restricted than its debrief (%(parent)s).")
                % {"parent": parent_marking},
            )
        self._check_translation_link(cleaned)
        return cleaned

    def _check_translation_link(self, cleaned) -> None:
        if "translation_of" not in self.fields:
            return
        parent = self.parent_page.specific if self.parent_page else None
        city_id = getattr(parent, "owner_city_id", None) or getattr(parent, "city_id", None)
        language = cleaned.get("language") or self.instance.language
        error = link_errors(self.instance, cleaned.get("translation_of"), language, city_id)
        if error:
            self.add_error("translation_of", error)


class MarkedPageMixin:
    """Serves a page only to those the access policy allows; nobody else learns it exists."""

    base_form_class = MarkedPageForm

    def save(self, *args, **kwargs):
        self.sync_placement()
        return super().save(*args, **kwargs)

    def sync_placement(self) -> None:
        """Derive the owning city (and a lesson's debrief) from where the page sits."""
        if not self.path or self.depth < 3:
            return
        city_path = self.path[: Page.steplen * 3]
        city_page = CityPage.objects.filter(path=city_path).only("city_id").first()
        if city_page is not None:
            self.owner_city_id = city_page.city_id
        if hasattr(self, "debrief_id") and self.depth > 4:
            debriefs = self._meta.get_field("debrief").related_model.objects
            debrief = debriefs.filter(path=self.path[: Page.steplen * 4]).first()
            self.debrief_id = debrief.pk if debrief else None
        if not self.language:
            self.language = self.default_language()

    def default_language(self) -> str:
        """A lesson is written in its debrief's language, a debrief in its city's first."""
        debrief = getattr(self, "debrief", None)
        if debrief is not None and debrief.language:
            return debrief.language
        city = City.objects.filter(pk=self.owner_city_id).first() if self.owner_city_id else None
        languages = [
            code for code in (city.language_list if city else []) if code in CONTENT_LANGUAGES
        ]
        return languages[0] if languages else DEFAULT_CONTENT_LANGUAGE

    def serve(self, request, *args, **kwargs):
        if not access.can_view(request.user, self):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        # Sitemaps are read by anonymous crawlers: only public material is listed.
        if not access.can_view(None, self):
            return []
        return super().get_sitemap_urls(request)

    def permissions_for_user(self, user):
        # In the admin too, a page kb.access hides allows nothing (kb/admin_permissions.py).
        return MarkedPagePermissionTester(user, self)

    def get_admin_display_title(self):
        return f"{super().get_admin_display_title()} [{self.marking}]"
