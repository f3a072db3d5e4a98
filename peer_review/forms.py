from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb.models import Membership

from .transitions import decision_choices


class InviteForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        queryset=Membership.objects.none(), empty_label=None, label=_("Reviewer")
    )
    response_due = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label=_("Reply to the invitation by")
    )
    review_due = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label=_("Review due")
    )
    override_reason = forms.CharField(
        required=False,
        label=_("Reason to override the conflict rule"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only to invite a reviewer from the author city: say why (it is logged)."),
    )
    confirm_widening = forms.BooleanField(
        required=False, label=_("Open the material to a reviewer its marking leaves out")
    )

    def clean_confirm_widening(self) -> bool:
        # Only the ticked box's own value confirms (Django's checkbox reads "off" as ticked).
        posted = str(self.data.get(self.add_prefix("confirm_widening"), ""))
        return posted.lower() in {"on", "true", "1", "yes"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["reviewer"].queryset = (
            Membership.objects.active().filter(is_reviewer=True).select_related("user", "city")
        )
        self.fields["response_due"].initial = today + datetime.timedelta(days=7)
        self.fields["review_due"].initial = today + datetime.timedelta(days=28)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RecommendationForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=decision_choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=decision_choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown with the endorsement badge when the material is endorsed."),
    )


COMMENT_LIMIT = 20000
COMMENT_ERRORS = {
    "required": _("Write your comment before sending it."),
    "max_length": _(
        "Your comment is %(show_value)d characters long; the limit is %(limit_value)d. "
        "Your text is kept below: shorten it and send it again."
    ),
}


def _comment_body(**kwargs) -> forms.CharField:
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_LIMIT,
        error_messages=COMMENT_ERRORS,
        **kwargs,
    )


class CommentForm(forms.Form):
    section = forms.CharField(max_length=40, required=False)
    parent = forms.IntegerField(required=False, min_value=1)
    body = _comment_body(
        label=_("Body"),
        help_text=_(
            "You may use <b>, <i>, <em>, <strong>, <p>, lists, <code>, <blockquote> and links."
        ),
    )


class EditCommentForm(forms.Form):
    body = _comment_body(label=_("Body"))
