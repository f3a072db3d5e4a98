"""Forms of the tracker's member-site pages. Rules are checked by logic.py, not here."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kb.models import Organisation

from . import checks, transitions
from .evidence import EVIDENCE_EXTENSIONS, allowed_types, max_bytes, size_text
from .logic import Evidence
from .models import Action


class EvidenceForm(forms.Form):
    note = forms.CharField(
        label=_("Progress note"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    link = forms.CharField(label=_("Evidence link"), required=False, max_length=500)
    file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ",".join(EVIDENCE_EXTENSIONS)}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "%(types)s; at most %(size)s. Web pages and SVG images are refused."
        ) % {"types": allowed_types(), "size": size_text(max_bytes())}

    def evidence(self) -> Evidence:
        data = self.cleaned_data
        return Evidence(note=data.get("note", ""), link=data.get("link", ""), file=data.get("file"))


class TransitionForm(EvidenceForm):
    transition = forms.ChoiceField(label=_("Transition"), choices=transitions.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "corrective_action",
            "responsible_organisation",
            "point_of_contact",
            "start_date",
            "due_date",
            "priority",
        ]
        # The model's fields carry no verbose names: without these the form spoke English.
        labels = {
            "responsible_organisation": _("Responsible organisation"),
            "point_of_contact": _("Point of contact"),
            "start_date": _("Start date"),
            "due_date": _("Due date"),
            "priority": _("Priority"),
        }
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "corrective_action": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, city=None, recommendation=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if recommendation is not None:
            # Offer only who may see the action; the model's clean() checks the same.
            self.instance.recommendation = recommendation
            contact = self.fields["point_of_contact"]
            contact.queryset = checks.contact_candidates(recommendation.lesson)
            contact.error_messages["invalid_choice"] = _(
                "Point of contact: choose a member who may see this action."
            )
        if city is not None:
            self.fields["responsible_organisation"].queryset = Organisation.objects.filter(
                city__in=[city]
            ) | Organisation.objects.filter(city__isnull=True)


class ImportForm(forms.Form):
    transition_names = ", ".join(transitions.NAMES)  # what the CSV's column may say
    file = forms.FileField(label=_("CSV file of status updates"))
    dry_run = forms.BooleanField(
        label=_("Dry run: only show what would change"), required=False, initial=True
    )
