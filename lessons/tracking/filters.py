"""The filters shared by the action list, the dashboard and the exports: all in the URL,
so a view can be shared (/tracker/actions/all/?city=Nice&status=in_progress&late=overdue)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kb.choices import ActionStatus, CapabilityElement, vocabulary_choices
from kb.directory import city_name
from kb.models import City
from kb.widgets import LongSelect

LATE_CHOICES = [
    ("", _("Any")),
    ("overdue", _("Overdue")),
    ("due_soon", _("Due within 14 days")),
    ("stale", _("Not updated for 60 days")),
    ("open", _("Open")),
]


class ActionFilterForm(forms.Form):
    city = forms.CharField(label=_("City"), required=False, widget=LongSelect)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status"))] + ActionStatus.choices
    )
    late = forms.ChoiceField(label=_("Late"), required=False, choices=LATE_CHOICES)
    capability_element = forms.ChoiceField(
        label=_("Capability element"),
        required=False,
        choices=[("", _("Any element"))] + CapabilityElement.choices,
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False, widget=LongSelect)
    attack_type = forms.ChoiceField(label=_("Attack type"), required=False, widget=LongSelect)
    debrief = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    lesson = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].widget.choices = [("", _("All cities"))] + [
            (name, name) for name in City.objects.values_list("name", flat=True)
        ]
        self.fields["theme"].choices = [("", _("Any theme"))] + vocabulary_choices("theme")
        self.fields["attack_type"].choices = [("", _("Any attack type"))] + vocabulary_choices(
            "attack_type"
        )

    def clean_city(self) -> str:
        return city_name(self.cleaned_data.get("city"))

    def values(self) -> dict:
        """The valid filters (empty when the form is unbound or invalid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


def filter_actions(actions: QuerySet, filters: dict, today=None, now=None) -> QuerySet:
    if filters.get("city"):
        actions = actions.filter(recommendation__lesson__owner_city__name=filters["city"])
    if filters.get("status"):
        actions = actions.filter(status=filters["status"])
    late = filters.get("late")
    if late == "overdue":
        actions = actions.overdue(today)
    elif late == "due_soon":
        actions = actions.due_soon(today)
    elif late == "stale":
        actions = actions.stale(now)
    elif late == "open":
        actions = actions.open()
    if filters.get("capability_element"):
        actions = actions.filter(capability_element=filters["capability_element"])
    if filters.get("theme"):
        actions = actions.filter(recommendation__lesson__themes__slug=filters["theme"])
    if filters.get("attack_type"):
        actions = actions.filter(
            recommendation__lesson__debrief__attack_types__slug=filters["attack_type"]
        )
    if filters.get("debrief"):
        actions = actions.filter(recommendation__lesson__debrief_id=filters["debrief"])
    if filters.get("lesson"):
        actions = actions.filter(recommendation__lesson_id=filters["lesson"])
    if filters.get("organisation"):
        actions = actions.filter(responsible_organisation_id=filters["organisation"])
    if filters.get("theme") or filters.get("attack_type"):
        actions = actions.distinct()
    return actions
