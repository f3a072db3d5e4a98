"""The workspaces of the peer review: the reviewer's and author's page (/reviews/) and the
coordinator's page of open rounds (/reviews/coordinator/)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from wagtail.models import Page, WorkflowState

from kb.directory import current_membership
from lessons.models import DebriefPage, LessonPage

from . import access
from .discussion import GENERAL, sections_of
from .forms import DeclineForm
from .models import ENDORSING, AssignmentState, ReviewAssignment, ReviewRound, RoundState


def with_progress(rounds: QuerySet[ReviewRound]) -> QuerySet[ReviewRound]:
    """Count each round's outstanding and submitted reviews (for its next step)."""
    outstanding = Q(assignments__state__in=[AssignmentState.INVITED, AssignmentState.ACCEPTED])
    return rounds.annotate(
        outstanding=Count("assignments", filter=outstanding, distinct=True),
        submitted=Count(
            "assignments", filter=Q(assignments__state=AssignmentState.SUBMITTED), distinct=True
        ),
    )


def next_step(round: ReviewRound) -> str:
    if round.submitted and not round.outstanding:
        return gettext("ready for a decision")
    if not round.submitted and not round.outstanding:
        return gettext("needs reviewers")
    if round.submitted:
        return gettext("%(submitted)s of %(total)s recommendations in") % {
            "submitted": round.submitted,
            "total": round.submitted + round.outstanding,
        }
    return gettext("waiting for the reviewers")


def _reviewer_groups(user) -> dict[str, list[ReviewAssignment]]:
    mine = ReviewAssignment.objects.filter(reviewer=user)
    # Labelled in the same query (no query per row); the access rule is checked only on the
    # pages of the user's own assignments, not over the whole corpus.
    assignments = (
        access.with_material_labels(
            mine, user, prefix="round__", among=mine.values("round__page_id")
        )
        .select_related("round__page")
        .order_by("-invited_at")
    )
    groups = {"invitations": [], "pending": [], "due_soon": [], "overdue": [], "done": []}
    for assignment in assignments:
        status = assignment.status_on()
        if status == "done":
            groups["done"].append(assignment)
        elif assignment.state == AssignmentState.INVITED:
            _prepare_invitation(assignment, user)
            groups["invitations"].append(assignment)
        else:
            groups[status].append(assignment)
    return groups


def _prepare_invitation(assignment: ReviewAssignment, user) -> None:
    """What a reviewer needs to decide on an invitation: the material's summary when
    kb.access lets them read it (else its CLEAR public summary, if any), and the round's
    scope (the sections to review)."""
    round = assignment.round
    assignment.material = round.material
    assignment.may_read = access.may_see_material(user, round)
    assignment.scope = [label for key, label in sections_of(round.page) if key != GENERAL]


def _author_side(user, membership) -> dict:
    city = membership.city
    city_pages = Page.objects.filter(
        Q(pk__in=LessonPage.objects.filter(owner_city=city).values("pk"))
        | Q(pk__in=DebriefPage.objects.filter(owner_city=city).values("pk"))
    ).filter(access.visible_material_q(user, "pk"))  # TLP:RED: only where named
    own_rounds = (
        ReviewRound.objects.filter(page__in=city_pages)
        .select_related("page")
        .order_by("-state", "-opened_at", "-pk")  # open rounds first
    )
    in_workflow = WorkflowState.objects.active().values_list("object_id", flat=True)
    endorsed = ReviewRound.objects.filter(state=RoundState.CLOSED, decision__in=ENDORSING)
    submittable = (
        city_pages.exclude(pk__in=[int(pk) for pk in in_workflow])
        .exclude(review_rounds__state=RoundState.OPEN)
        .exclude(pk__in=endorsed.values("page_id"))
        .order_by("title")
    )
    return {
        "own_rounds": with_progress(own_rounds)[:50],
        "submittable": submittable[:50],
        "submittable_count": submittable.count(),
    }


@login_required
def workspace(request):
    user = request.user
    membership = current_membership(user)
    groups = _reviewer_groups(user)
    context = {
        "groups": groups,
        "decline_form": DeclineForm(),
        "is_coordinator": access.is_coordinator(user),
        "is_reviewer": bool(membership and membership.is_reviewer) or any(groups.values()),
        "is_member": membership is not None,
    }
    if membership and membership.is_editor:
        context.update(_author_side(user, membership))
    if context["is_coordinator"]:
        rounds = list(with_progress(access.coordinator_rounds(user).filter(state=RoundState.OPEN)))
        steps = [next_step(r) for r in rounds]
        context["coordination"] = {
            "open": len(rounds),
            "mine": sum(1 for r in rounds if r.coordinator_id == user.pk),
            "ready": steps.count("ready for a decision"),
            "unstaffed": steps.count("needs reviewers"),
        }
    return render(request, "peer_review/workspace.html", context)


@login_required
def coordinator(request):
    if not access.is_coordinator(request.user):
        raise Http404
    rounds = with_progress(
        access.coordinator_rounds(request.user)
        .filter(state=RoundState.OPEN)
        .select_related("coordinator")
        .prefetch_related("assignments__reviewer")
        .order_by("opened_at", "pk")
    )
    page_obj = Paginator(rounds, 25).get_page(request.GET.get("page"))
    for round in page_obj.object_list:
        round.next_step = next_step(round)
    return render(
        request,
        "peer_review/coordinator.html",
        {"rounds": page_obj.object_list, "page_obj": page_obj},
    )
