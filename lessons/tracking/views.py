"""Member-site pages of the tracker: my actions, one action, the bulk update screen.

Every action is read through rules.visible_actions; every change goes through
lessons.tracking.logic, whose refusal message is shown as it is.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kb.choices import ActionStatus
from kb.directory import current_membership
from lessons import access
from lessons.models import Recommendation

from . import logic, markings, rules, transitions
from .evidence import EVIDENCE_EXTENSIONS, evidence_response
from .filters import ActionFilterForm, filter_actions
from .forms import ActionForm, EvidenceForm, TransitionForm
from .models import Action, ProgressUpdate

PER_PAGE = 30


def _visible(user):
    return rules.visible_actions(user, Action.objects.with_context())


def _my_scope(user):
    """An owner's organisation's actions; a committee member's city's actions."""
    membership = current_membership(user)
    actions = _visible(user)
    if user.is_superuser:
        return actions
    if membership is None:
        return actions.none()
    scope = actions.none()
    if membership.is_owner and membership.organisation_id:
        scope = scope | actions.filter(responsible_organisation_id=membership.organisation_id)
    if membership.is_committee:
        scope = scope | actions.filter(recommendation__lesson__owner_city_id=membership.city_id)
    return scope.distinct()


def _export_left_out(request: HttpRequest) -> str:
    """What the exports offered on a listing leave out, in words ("" when nothing)."""
    everything = filter_actions(
        Action.objects.all(), ActionFilterForm(request.GET or None).values()
    )
    left_out = markings.left_out(rules.visible_actions(request.user, everything), everything)
    return markings.left_out_text(left_out) if left_out else ""


def _listing(request: HttpRequest, actions, template: str, extra: dict) -> HttpResponse:
    form = ActionFilterForm(request.GET or None)
    filters = form.values()
    actions = filter_actions(actions, filters).order_by("due_date", "pk")
    page_obj = Paginator(actions, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "page_obj": page_obj,
        "actions": page_obj.object_list,
        "statuses": ActionStatus.choices,
        "query": query.urlencode(),
        "export_left_out": _export_left_out(request),
        **extra,
    }
    return render(request, template, context)


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    return _listing(request, _my_scope(request.user), "lessons/tracking/my_actions.html", {})


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    """Every action the member may see, filtered: the list behind the dashboard's charts."""
    return _listing(request, _visible(request.user), "lessons/tracking/action_list.html", {})


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(_visible(request.user), pk=pk)
    update_form = EvidenceForm()
    if request.method == "POST":
        update_form = EvidenceForm(request.POST, request.FILES)
        if update_form.is_valid():
            try:
                logic.post_update(request.user, action, update_form.evidence())
            except logic.TransitionRefused as refused:
                messages.error(request, refused.message)
                if refused.field in update_form.fields:
                    update_form.add_error(refused.field, refused.message)
                return _detail(
                    request, action, update_form, status=403 if refused.forbidden else 422
                )
            messages.success(request, _("Progress update posted."))
            return redirect("tracker:action_detail", pk=action.pk)
    return _detail(request, action, update_form)


def _requirements() -> dict[str, str]:
    """Which moves need a reason or evidence, for the forms' hints."""
    return {
        "reason_for": transitions.names_requiring("reason"),
        "evidence_for": transitions.names_requiring("evidence"),
    }


def _detail(request, action, update_form, status: int = 200, transition_form=None) -> HttpResponse:
    """The action's page; a refused transition comes back with what was typed (a file must
    be chosen again: browsers never refill a file input)."""
    context = {
        "action": action,
        "lesson": action.lesson,
        "updates": action.updates.select_related("author"),
        "available": logic.available(request.user, action),
        "can_update": rules.is_owner_of(request.user, action)
        or rules.is_committee_of(request.user, action.city_id),
        "update_form": update_form,
        "transition_form": transition_form or TransitionForm(),
        "evidence_accept": ",".join(EVIDENCE_EXTENSIONS),
        **_requirements(),
    }
    return render(request, "lessons/tracking/action_detail.html", context, status=status)


@login_required
@require_POST
def action_transition(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(_visible(request.user), pk=pk)
    form = TransitionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed transitions."))
        return _detail(request, action, EvidenceForm(), status=422, transition_form=form)
    name = form.cleaned_data["transition"]
    try:
        logic.apply(name, request.user, action, form.evidence(), form.cleaned_data["reason"])
    except logic.TransitionRefused as refused:
        messages.error(request, refused.message)
        action.refresh_from_db()
        status = 403 if refused.forbidden else 422
        return _detail(request, action, EvidenceForm(), status=status, transition_form=form)
    messages.success(
        request,
        _("Action is now %(status)s.") % {"status": action.get_status_display().lower()},
    )
    return redirect("tracker:action_detail", pk=action.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int, update_pk: int) -> HttpResponse:
    """Evidence files are never served directly: only here, to who may see the action."""
    action = get_object_or_404(_visible(request.user), pk=pk)
    return evidence_response(get_object_or_404(ProgressUpdate, pk=update_pk, action=action))


@login_required
def action_create(request: HttpRequest, recommendation_pk: int) -> HttpResponse:
    lessons = access.visible_lessons(request.user)
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("lesson"),
        pk=recommendation_pk,
        lesson__in=lessons.values("pk"),
    )
    lesson = recommendation.lesson
    if not rules.is_committee_of(request.user, lesson.owner_city_id):
        messages.error(
            request,
            _("Only the oversight committee of %(city)s may add actions.")
            % {"city": lesson.owner_city},
        )
        return redirect(lesson.url)
    form = ActionForm(request.POST or None, city=lesson.owner_city, recommendation=recommendation)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            action = logic.create_action(request.user, recommendation, **fields)
        except logic.TransitionRefused as refused:  # the form's checks passed a moment ago
            form.add_error(refused.field or None, refused.message)
        else:
            messages.success(request, _("Action proposed."))
            return redirect("tracker:action_detail", pk=action.pk)
    context = {"form": form, "recommendation": recommendation, "lesson": lesson}
    return render(request, "lessons/tracking/action_form.html", context)


@login_required
def bulk_update(request: HttpRequest) -> HttpResponse:
    """One screen for an organisation with many actions: a status change and a note per row."""
    membership = current_membership(request.user)
    actions = _visible(request.user).open()
    if membership and membership.is_owner and membership.organisation_id:
        actions = actions.filter(responsible_organisation_id=membership.organisation_id)
    elif not request.user.is_superuser:
        actions = actions.none()
    actions = list(actions.order_by("due_date", "pk"))
    results: list[tuple[Action, str, bool]] = []
    kept: dict[int, dict] = {}  # a refused row keeps what was typed, to be corrected
    if request.method == "POST":
        for action in actions:
            name = request.POST.get(f"transition-{action.pk}", "")
            note = request.POST.get(f"note-{action.pk}", "").strip()
            reason = request.POST.get(f"reason-{action.pk}", "").strip()
            evidence = logic.Evidence(note=note)
            try:
                if name:
                    logic.apply(name, request.user, action, evidence, reason)
                    results.append((action, f"now {action.get_status_display().lower()}", True))
                elif note:
                    logic.post_update(request.user, action, evidence)
                    results.append((action, "update posted", True))
            except logic.TransitionRefused as refused:
                results.append((action, refused.message, False))
                kept[action.pk] = {
                    "chosen": name,
                    "note": note,
                    "reason": reason,
                    "error": refused.message,
                }
        if results and not kept:
            messages.success(request, f"{len(results)} action(s) updated.")
            return redirect("tracker:bulk_update")
    rows = [
        {
            "action": action,
            "moves": logic.available(request.user, action),
            **kept.get(action.pk, {}),
        }
        for action in actions
    ]
    context = {
        "actions": actions,
        "results": results,
        "rows": rows,
        "organisation": membership.organisation if membership else None,
        **_requirements(),
    }
    return render(
        request, "lessons/tracking/bulk_update.html", context, status=422 if kept else 200
    )
