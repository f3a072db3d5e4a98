"""Peer review through the API: rounds and assignments readable by those involved; reviewers
post comments and recommendations through the same rules as the member site (logic.py)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router, Schema
from ninja.responses import Status

from kb.api.auth import member_auth
from kb.api.refusals import answers_refusals

from . import access, logic, transitions
from .models import Comment, ReviewAssignment, ReviewRound

router = Router(tags=["peer review"])
MAX_ID = 2**63 - 1


class Message(Schema):
    detail: str


class Refusal(Schema):
    """Why a change was refused: the message and the name of the rule that refused it."""

    detail: str
    rule: str


class AssignmentOut(Schema):
    id: int
    round_id: int
    reviewer: str
    state: str
    response_due: datetime.date
    review_due: datetime.date
    recommendation: str
    summary: str


class CommentOut(Schema):
    id: int
    parent_id: int | None
    section: str
    author: str
    body: str
    created_at: datetime.datetime
    resolved: bool


class RoundOut(Schema):
    id: int
    page_id: int
    title: str
    number: int
    state: str
    decision: str
    rationale: str
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None


class RoundDetail(RoundOut):
    assignments: list[AssignmentOut]
    comments: list[CommentOut]


class CommentIn(Schema):
    body: str = Field(..., max_length=20_000)  # the member site's comment form's limit
    section: str = Field(logic.GENERAL, max_length=40)
    parent_id: int | None = None


# A plain string, not an enum: an unknown one is refused by logic's rule (known_recommendation).
RECOMMENDATIONS = ", ".join(transitions.DECISIONS)


class RecommendationIn(Schema):
    recommendation: str = Field(..., description=f"One of: {RECOMMENDATIONS}.")
    summary: str


class DeclineIn(Schema):
    reason: str


def _round_out(round: ReviewRound, user) -> dict:
    return {
        "id": round.pk,
        "page_id": round.page_id,
        # The title only where kb.access lets the caller see the material (grants included).
        "title": access.material_title(user, round),
        "number": round.number,
        "state": round.state,
        "decision": round.decision,
        "rationale": round.rationale,
        "opened_at": round.opened_at,
        "closed_at": round.closed_at,
    }


def _assignment_out(a: ReviewAssignment) -> dict:
    return {
        "id": a.pk,
        "round_id": a.round_id,
        "reviewer": a.reviewer.get_username(),
        "state": a.state,
        "response_due": a.response_due,
        "review_due": a.review_due,
        "recommendation": a.recommendation,
        "summary": a.summary,
    }


def _comment_out(c: Comment) -> dict:
    return {
        "id": c.pk,
        "parent_id": c.parent_id,
        "section": c.section,
        "author": c.author.get_username(),
        "body": "" if c.deleted_at else c.body,
        "created_at": c.created_at,
        "resolved": c.resolved,
    }


def _visible_round(request: HttpRequest, id: int) -> ReviewRound:
    round = get_object_or_404(ReviewRound.objects.select_related("page"), pk=id)
    if not access.can_see_round(request.user, round):
        raise Http404
    return round


def _refused(exc: Exception) -> Status:
    """The refusal of a rule in peer_review.logic, naming the rule."""
    if isinstance(exc, ValidationError):
        codes = [error.code for error in exc.error_list if error.code]
        return Status(422, {"detail": "; ".join(exc.messages), "rule": codes[0] if codes else ""})
    return Status(
        403, {"detail": str(exc) or "Not allowed.", "rule": getattr(exc, "rule", "permission")}
    )


def _own_assignment(request: HttpRequest, id: int) -> ReviewAssignment:
    """The caller's own assignment; anyone else's answers 404 (it is not theirs to know)."""
    return get_object_or_404(
        ReviewAssignment.objects.select_related("round", "reviewer"), pk=id, reviewer=request.user
    )


@router.get(
    "/reviews/rounds",
    response=list[RoundOut],
    auth=member_auth,
    summary="Review rounds the caller takes part in",
)
def list_rounds(request: HttpRequest):
    return [_round_out(r, request.user) for r in access.visible_rounds(request.user)]


@router.get(
    "/reviews/rounds/{id}",
    response={200: RoundDetail, 404: Message},
    auth=member_auth,
    summary="One review round, with its assignments and comments",
)
def get_round(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):
    round = _visible_round(request, id)
    data = _round_out(round, request.user)
    data["assignments"] = [_assignment_out(a) for a in round.assignments.select_related("reviewer")]
    data["comments"] = [_comment_out(c) for c in round.comments.select_related("author")]
    return data


@router.get(
    "/reviews/assignments",
    response=list[AssignmentOut],
    auth=member_auth,
    summary="The caller's own review assignments",
)
def list_assignments(request: HttpRequest):
    mine = ReviewAssignment.objects.filter(reviewer=request.user).select_related("reviewer")
    return [_assignment_out(a) for a in mine]


@router.post(
    "/reviews/rounds/{id}/comments",
    response={201: CommentOut, 403: Refusal, 404: Message, 422: Refusal},
    auth=member_auth,
    summary="Comment on a round",
)
@answers_refusals(_refused, PermissionDenied, ValidationError)
def post_comment(request: HttpRequest, payload: CommentIn, id: int = Path(..., ge=1, le=MAX_ID)):
    round = _visible_round(request, id)
    parent = None
    if payload.parent_id:
        parent = get_object_or_404(Comment, pk=payload.parent_id, round=round)
    comment = logic.add_comment(
        round, by=request.user, body=payload.body, section=payload.section, parent=parent
    )
    return Status(201, _comment_out(comment))


@router.post(
    "/reviews/assignments/{id}/recommendation",
    response={200: AssignmentOut, 403: Refusal, 404: Message, 422: Refusal},
    auth=member_auth,
    summary="Submit the caller's recommendation",
)
@answers_refusals(_refused, PermissionDenied, ValidationError)
def post_recommendation(
    request: HttpRequest, payload: RecommendationIn, id: int = Path(..., ge=1, le=MAX_ID)
):
    assignment = _own_assignment(request, id)
    logic.submit_recommendation(
        assignment,
        by=request.user,
        recommendation=payload.recommendation,
        summary=payload.summary,
    )
    return Status(200, _assignment_out(assignment))


@router.post(
    "/reviews/assignments/{id}/accept",
    response={200: AssignmentOut, 403: Refusal, 404: Message},
    auth=member_auth,
    summary="Accept the caller's invitation to review",
)
@answers_refusals(_refused, PermissionDenied, ValidationError)
def accept_assignment(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):
    assignment = _own_assignment(request, id)
    logic.accept(assignment, by=request.user)
    return Status(200, _assignment_out(assignment))


@router.post(
    "/reviews/assignments/{id}/decline",
    response={200: AssignmentOut, 403: Refusal, 404: Message, 422: Refusal},
    auth=member_auth,
    summary="Decline the caller's invitation to review, with a reason",
)
@answers_refusals(_refused, PermissionDenied, ValidationError)
def decline_assignment(
    request: HttpRequest, payload: DeclineIn, id: int = Path(..., ge=1, le=MAX_ID)
):
    assignment = _own_assignment(request, id)
    logic.decline(assignment, by=request.user, reason=payload.reason)
    return Status(200, _assignment_out(assignment))
