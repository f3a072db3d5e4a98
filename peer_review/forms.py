from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb.models import Membership

from .transitions import decision_choices


class InviteForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=Membership.objects.none(), empty_label=None)
    response_due = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    review_due = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only to invite a reviewer from the author city: say why (it is logged).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["reviewer"].queryset = (
            Membership.objects.active().filter(is_reviewer=True).select_related("user", "city")
        )
        self.fields["response_due"].initial = today + datetime.timedelta(days=7)
        self.fields["review_due"].initial = today + datetime.timedelta(days=28)


class DeclineForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class RecommendationForm(forms.Form):
    recommendation = forms.ChoiceField(choices=decision_choices, widget=forms.RadioSelect)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=decision_choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown with the endorsement badge when the material is endorsed.",
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
        help_text="You may use <b>, <i>, <em>, <strong>, <p>, lists, <code>, <blockquote> "
        "and links.",
    )


class EditCommentForm(forms.Form):
    body = _comment_body()
