"""The member-site pages of the peer review: thin views over peer_review.logic."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import strip_tags
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.models import Page, WorkflowState

from kb.models import Membership

from . import access, logic, transitions, widening
from .forms import (
    CommentForm,
    DecisionForm,
    EditCommentForm,
    InviteForm,
    RecommendationForm,
)
from .models import (
    READING_STATES,
    AssignmentState,
    Comment,
    ReviewAssignment,
    ReviewRound,
    RoundState,
)
from .notices import round_url


def _acting(view):
    """POST-only, logged in; rule violations become a message on the round page."""

    @wraps(view)
    @login_required
    @require_POST
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (PermissionDenied, ValidationError) as exc:
            text = _error_text(exc)
            messages.error(request, text or _("You may not do that."))
            target = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = "peer_review:workspace"
            return redirect(target)

    return wrapper


def _error_text(exc: Exception) -> str:
    """A refusal as the member reads it; a refusal about one field names the field."""
    if not isinstance(exc, ValidationError):
        return str(exc)
    if not hasattr(exc, "error_dict"):
        return "; ".join(exc.messages)
    fields = InviteForm.base_fields
    return "; ".join(
        f"{fields[name].label if name in fields else name}: {message}"
        for name, messages_ in exc.message_dict.items()
        for message in messages_
    )


def _visible_round(request, round_id: int) -> ReviewRound:
    round = get_object_or_404(ReviewRound.objects.select_related("page"), pk=round_id)
    if not access.can_see_round(request.user, round):
        raise Http404  # nobody outside the round learns it exists
    return round


def candidates(round: ReviewRound) -> list[dict]:
    """Every current reviewer, with city, load and past response record, for the picker."""
    author_city_id = round.material.owner_city_id
    memberships = (
        Membership.objects.active()
        .filter(is_reviewer=True)
        .select_related("user", "city")
        .annotate(
            load=Count(
                "user__review_assignments",
                filter=Q(
                    user__review_assignments__state__in=[
                        AssignmentState.INVITED,
                        AssignmentState.ACCEPTED,
                    ],
                    user__review_assignments__round__state=RoundState.OPEN,
                ),
                distinct=True,
            )
        )
    )
    assigned = set(round.assignments.active().values_list("reviewer_id", flat=True))
    # Every reviewer's record in one query: {reviewer id: {state: count}}.
    records: dict[int, dict[str, int]] = {}
    history = (
        ReviewAssignment.objects.exclude(round=round)
        .values_list("reviewer_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for reviewer_id, state, n in history:
        records.setdefault(reviewer_id, {})[state] = n
    rows = []
    page = round.material
    for m in memberships:
        counts = records.get(m.user_id, {})
        rows.append(
            {
                "membership": m,
                "conflict": m.city_id == author_city_id,
                "never_opened": widening.never_opened(page, m.user),
                "widens": widening.widens(page, m.user),
                "assigned": m.user_id in assigned,
                "load": m.load,
                "invited": sum(counts.values()),
                "accepted": counts.get(AssignmentState.ACCEPTED, 0)
                + counts.get(AssignmentState.SUBMITTED, 0),
                "declined": counts.get(AssignmentState.DECLINED, 0),
                "submitted": counts.get(AssignmentState.SUBMITTED, 0),
            }
        )
    return sorted(rows, key=lambda r: (r["conflict"], r["load"], r["membership"].city.name))


def _section_texts(page) -> dict[str, str]:
    if page._meta.model_name == "lessonpage":
        texts = {
            "observation": page.observation,
            "discussion": page.discussion,
            "lesson_identified": page.lesson_identified,
        }
        for rec in page.recommendations.all():
            texts[f"recommendation:{rec.pk}"] = (
                f"{rec.text} ({rec.get_capability_element_display()})"
            )
        return texts
    return {"summary": strip_tags(page.summary)}


def _sections(round: ReviewRound, with_text: bool, user) -> list[dict]:
    comments = list(
        round.comments.select_related("author", "resolved_by").order_by("created_at", "pk")
    )
    children: dict[int | None, list[Comment]] = {}
    for c in comments:
        children.setdefault(c.parent_id, []).append(c)
    for c in comments:
        c.children = children.get(c.pk, [])
        c.editable = round.is_open and c.editable_by(user)
    # Reviewers read the revision under review, which may not be published yet.
    texts = _section_texts(round.page.get_latest_revision_as_object()) if with_text else {}
    result = []
    for key, label in logic.sections_of(round.page):
        roots = [c for c in children.get(None, []) if c.section == key]
        result.append({"key": key, "label": label, "threads": roots, "text": texts.get(key, "")})
    return result


@login_required
def round_detail(request, round_id: int):
    round = _visible_round(request, round_id)
    return render(request, "peer_review/round.html", round_context(request, round))


def round_context(request, round: ReviewRound, **forms) -> dict:
    """What the round page shows this user; `forms` replaces a blank form with the one the
    user sent back with errors (comment_form, edit_form, recommendation_form)."""
    user = request.user
    my_assignment = round.assignments.filter(reviewer=user, state__in=READING_STATES).first()
    is_coordinator = access.is_coordinator(user)
    is_author = access.is_author_side(user, round)
    page = round.material
    can_read = access.can_read_material(user, round)
    context = {
        "round": round,
        "material": page,
        "can_read_material": can_read,
        "sections": _sections(round, with_text=can_read, user=user),
        "material_title": access.material_title(user, round),
        "rounds": access.visible_rounds(user).filter(page_id=round.page_id).order_by("number"),
        "my_assignment": my_assignment,
        "is_coordinator": is_coordinator,
        "is_author": is_author,
        "can_discuss": round.is_open and (is_coordinator or is_author or my_assignment),
        "comment_form": CommentForm(),
        "assignments": round.assignments.select_related("reviewer").order_by("invited_at"),
        "moves": {**transitions.ROUND_MOVES, **transitions.ASSIGNMENT_MOVES},
    }
    if round.is_open and my_assignment and my_assignment.state == AssignmentState.ACCEPTED:
        context["recommendation_form"] = RecommendationForm()
    if round.is_open and is_coordinator:
        context["invite_form"] = InviteForm()
        context["candidates"] = candidates(round)
        context["marking_described"] = widening.describe_marking(page)
        context["any_widening"] = any(
            c["widens"] and not c["never_opened"] for c in context["candidates"]
        )
        context["decision_form"] = DecisionForm()
        context["recommendations_in"] = round.assignments.filter(
            state=AssignmentState.SUBMITTED
        ).count()
    if not round.is_open and is_author and not round.is_endorsed:
        state = WorkflowState.objects.active().for_instance(page).first()
        context["can_resubmit"] = (
            state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES
        )
    context.update(forms)
    return context


@_acting
def submit(request, page_id: int):
    page = get_object_or_404(Page, pk=page_id).specific
    round = logic.submit_for_review(page, by=request.user)
    messages.success(
        request,
        _("Submitted for peer review: round %(number)s is open.") % {"number": round.number},
    )
    return redirect(round_url(round))


@_acting
def resubmit(request, round_id: int):
    round = _visible_round(request, round_id)
    new_round = logic.resubmit(round.page, by=request.user)
    messages.success(
        request, _("Resubmitted: round %(number)s is open.") % {"number": new_round.number}
    )
    return redirect(round_url(new_round))


@_acting
def invite(request, round_id: int):
    round = _visible_round(request, round_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    data = form.cleaned_data
    logic.invite(
        round,
        data["reviewer"].user,
        by=request.user,
        response_due=data["response_due"],
        review_due=data["review_due"],
        override_reason=data["override_reason"],
        confirm_widening=data["confirm_widening"],
    )
    messages.success(request, f"{data['reviewer'].user} is invited.")
    return redirect(round_url(round))


@_acting
def decide(request, round_id: int):
    round = _visible_round(request, round_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose a decision and give its rationale."))
    logic.decide(round, by=request.user, **form.cleaned_data)
    messages.success(
        request,
        _("Round %(number)s decided: %(decision)s.")
        % {"number": round.number, "decision": round.get_decision_display()},
    )
    return redirect(round_url(round))


def _recommend(item: ReviewAssignment, user, post) -> None:
    form = RecommendationForm(post)
    if not form.is_valid():
        raise ValidationError(_("Choose a recommendation and summarise your review."))
    logic.submit_recommendation(item, by=user, **form.cleaned_data)


def _confirm_recommendation(request, item: ReviewAssignment):
    """A recommendation cannot be taken back: show it once more before it is sent (no
    JavaScript needed). "Change it" returns to the round page with the text kept."""
    form = RecommendationForm(request.POST)
    valid = form.is_valid()
    if not valid or "change" in request.POST:
        context = round_context(request, item.round, recommendation_form=form)
        return render(request, "peer_review/round.html", context, status=200 if valid else 422)
    choice = dict(form.fields["recommendation"].choices)[form.cleaned_data["recommendation"]]
    context = {
        "assignment": item,
        "round": item.round,
        "material": item.round.material,
        "material_title": access.material_title(request.user, item.round),
        "form": form,
        "choice": choice,
    }
    return render(request, "peer_review/confirm_recommendation.html", context)


# The logic function of each assignment move the site offers, by its name in the URL.
_ASSIGNMENT_STEPS = {
    "accept": lambda item, user, post: logic.accept(item, by=user),
    "decline": lambda item, user, post: logic.decline(item, by=user, reason=post.get("reason", "")),
    "withdraw": lambda item, user, post: logic.withdraw(item, by=user),
    "recommend": _recommend,
}


@_acting
def assignment(request, assignment_id: int, action: str):
    item = get_object_or_404(ReviewAssignment.objects.select_related("round"), pk=assignment_id)
    user = request.user
    if user.pk != item.reviewer_id and not access.is_coordinator(user):
        raise Http404
    if action not in _ASSIGNMENT_STEPS:
        raise Http404
    if action == transitions.RECOMMEND.name and request.POST.get("confirm") != "yes":
        return _confirm_recommendation(request, item)
    _ASSIGNMENT_STEPS[action](item, user, request.POST)
    messages.success(request, transitions.ASSIGNMENT_MOVES[action].done)
    if action == transitions.DECLINE.name:
        # Who declined no longer sees the round.
        return redirect("peer_review:workspace")
    return redirect(round_url(item.round))


def _form_errors(form) -> list[str]:
    return [message for messages_ in form.errors.values() for message in messages_]


@_acting
def comment(request, round_id: int):
    round = _visible_round(request, round_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        # The page comes back with the text kept and the reason beside the box it was typed in.
        parent = form.cleaned_data.get("parent")
        context = round_context(
            request,
            round,
            comment_form=form,
            comment_reply=parent,
            comment_section="" if parent else request.POST.get("section") or logic.GENERAL,
            comment_errors=_form_errors(form),
        )
        return render(request, "peer_review/round.html", context, status=422)
    parent = None
    if form.cleaned_data["parent"]:
        parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"], round=round)
    new = logic.add_comment(
        round,
        by=request.user,
        body=form.cleaned_data["body"],
        section=form.cleaned_data["section"] or logic.GENERAL,
        parent=parent,
    )
    return redirect(round_url(round) + f"#comment-{new.pk}")


def _visible_comment(request, comment_id: int) -> Comment:
    item = get_object_or_404(Comment.objects.select_related("round"), pk=comment_id)
    if not access.can_see_round(request.user, item.round):
        raise Http404
    return item


@_acting
def edit_comment(request, comment_id: int):
    item = _visible_comment(request, comment_id)
    form = EditCommentForm(request.POST)
    if not form.is_valid():
        context = round_context(
            request,
            item.round,
            edit_form=form,
            edit_target=item.pk,
            comment_errors=_form_errors(form),
        )
        return render(request, "peer_review/round.html", context, status=422)
    logic.edit_comment(item, by=request.user, body=form.cleaned_data["body"])
    return redirect(round_url(item.round) + f"#comment-{item.pk}")


@_acting
def resolve_comment(request, comment_id: int):
    item = _visible_comment(request, comment_id)
    logic.set_resolved(item, by=request.user, resolved=request.POST.get("resolved") == "1")
    return redirect(round_url(item.round) + f"#comment-{item.pk}")
