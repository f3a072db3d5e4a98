"""Actions in the JSON API: readable by whoever may see their lesson, progress writable
by owners and committees through the same transition functions as the site.

A refusal answers 403 (a missing permission) or 422 (a broken rule) with
`{"detail": message, "rule": name}`; an action the caller may not see answers 404.
Every operation needs a credential (a token or a session).
"""

import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Path, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from kb.api.auth import member_auth
from kb.api.pagination import PagePagination
from kb.api.refusals import answers_refusals
from kb.api.schemas import Message
from kb.choices import ActionStatus

from . import logic, rules, transitions
from .evidence import allowed_types, evidence_response, max_bytes, size_text
from .filters import filter_actions
from .models import Action, ProgressUpdate

# Tracking is members' business: even actions on public lessons need a credential.
router = Router(tags=["actions"], auth=member_auth)
MAX_ID = 2**63 - 1
StatusValue = Literal[tuple(ActionStatus.values)]
TransitionName = Literal[transitions.NAMES]


class ActionOut(Schema):
    id: int
    lesson_id: int
    lesson_title: str
    city: str | None
    recommendation: str
    capability_element: str
    corrective_action: str
    responsible_organisation: str
    point_of_contact: str | None
    priority: str
    status: StatusValue
    status_reason: str
    start_date: datetime.date | None
    due_date: datetime.date | None
    completion_date: datetime.date | None
    last_update_at: datetime.datetime
    overdue: bool
    stale: bool

    @staticmethod
    def resolve_lesson_id(obj) -> int:
        return obj.recommendation.lesson_id

    @staticmethod
    def resolve_lesson_title(obj) -> str:
        return obj.recommendation.lesson.title

    @staticmethod
    def resolve_city(obj) -> str | None:
        lesson = obj.recommendation.lesson
        return lesson.owner_city.name if lesson.owner_city_id else None

    @staticmethod
    def resolve_recommendation(obj) -> str:
        return obj.recommendation.text

    @staticmethod
    def resolve_responsible_organisation(obj) -> str:
        return obj.responsible_organisation.name

    @staticmethod
    def resolve_point_of_contact(obj) -> str | None:
        return obj.point_of_contact.username if obj.point_of_contact_id else None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_stale(obj) -> bool:
        return obj.is_stale()


class UpdateOut(Schema):
    id: int
    author: str | None
    text: str = Field(description="Sanitised HTML.")
    link: str
    has_file: bool
    file_name: str = Field(description="The uploaded file's name, made safe.")
    file_url: str | None = Field(description="Where the API serves the evidence file.")
    status_from: str
    status_to: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_author(obj) -> str | None:
        return obj.author.username if obj.author_id else None

    @staticmethod
    def resolve_has_file(obj) -> bool:
        return bool(obj.file)

    @staticmethod
    def resolve_file_url(obj) -> str | None:
        if not obj.file:
            return None
        return reverse("api-v1:action_evidence_file", args=[obj.action_id, obj.pk])


class UpdateIn(Schema):
    note: str = Field("", max_length=20_000)
    link: str = Field("", max_length=500)


class TransitionIn(UpdateIn):
    transition: TransitionName
    reason: str = Field("", max_length=5_000)


class Refused(Schema):
    detail: str
    rule: str
    field: str = Field("", description="The field at fault, when there is one.")


class ActionFilters(Schema):
    status: StatusValue | None = None
    city: str | None = Field(None, max_length=100)
    late: Literal["overdue", "due_soon", "stale", "open"] | None = None


REFUSED = {403: Refused, 404: Message, 422: Refused}


def _actions(request: HttpRequest):
    return rules.visible_actions(request.user, Action.objects.with_context())


def _refused(error: logic.TransitionRefused):
    body = {"detail": error.message, "rule": error.rule, "field": error.field}
    return Status(403 if error.forbidden else 422, body)


@router.get("/actions", response=list[ActionOut], summary="List actions the caller may see")
@paginate(PagePagination)
def list_actions(request: HttpRequest, filters: Query[ActionFilters]):
    values = {key: value for key, value in filters.dict().items() if value}
    return filter_actions(_actions(request), values).order_by("due_date", "pk")


@router.get("/actions/{id}", response={200: ActionOut, 404: Message}, summary="One action")
def get_action(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):
    return get_object_or_404(_actions(request), pk=id)


@router.get(
    "/actions/{id}/updates",
    response={200: list[UpdateOut], 404: Message},
    summary="An action's progress history, newest first",
)
def list_updates(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):
    action = get_object_or_404(_actions(request), pk=id)
    return list(action.updates.select_related("author"))


@router.post(
    "/actions/{id}/updates",
    response={201: UpdateOut, **REFUSED},
    summary="Post a progress update (owners of the responsible organisation, the committee)",
)
@answers_refusals(_refused, logic.TransitionRefused)
def post_update(request: HttpRequest, body: UpdateIn, id: int = Path(..., ge=1, le=MAX_ID)):
    action = get_object_or_404(_actions(request), pk=id)
    update = logic.post_update(request.user, action, logic.Evidence(note=body.note, link=body.link))
    return Status(201, update)


@router.post(
    "/actions/{id}/transition",
    response={200: ActionOut, **REFUSED},
    summary=f"Move an action along its lifecycle ({', '.join(transitions.NAMES)})",
)
@answers_refusals(_refused, logic.TransitionRefused)
def transition(request: HttpRequest, body: TransitionIn, id: int = Path(..., ge=1, le=MAX_ID)):
    action = get_object_or_404(_actions(request), pk=id)
    evidence = logic.Evidence(note=body.note, link=body.link)
    action = logic.apply(body.transition, request.user, action, evidence, body.reason)
    return Status(200, action)


BINARY = {"type": "string", "format": "binary"}
UPLOAD_HELP = (
    f"Multipart form: `file` ({allowed_types()}; at most {size_text(max_bytes())}; "
    "the content must match the extension) with the same fields as the JSON operation."
)


@router.post(
    "/actions/{id}/updates/upload",
    response={201: UpdateOut, **REFUSED},
    summary="Post a progress update with an evidence file (multipart)",
    description=UPLOAD_HELP,
)
@answers_refusals(_refused, logic.TransitionRefused)
def post_update_with_file(
    request: HttpRequest,
    body: Form[UpdateIn],
    file: File[UploadedFile],
    id: int = Path(..., ge=1, le=MAX_ID),
):
    action = get_object_or_404(_actions(request), pk=id)
    evidence = logic.Evidence(note=body.note, link=body.link, file=file)
    update = logic.post_update(request.user, action, evidence)
    return Status(201, update)


@router.post(
    "/actions/{id}/transition/upload",
    response={200: ActionOut, **REFUSED},
    summary="Move an action along its lifecycle with an evidence file (multipart)",
    description=UPLOAD_HELP,
)
@answers_refusals(_refused, logic.TransitionRefused)
def transition_with_file(
    request: HttpRequest,
    body: Form[TransitionIn],
    file: File[UploadedFile],
    id: int = Path(..., ge=1, le=MAX_ID),
):
    action = get_object_or_404(_actions(request), pk=id)
    evidence = logic.Evidence(note=body.note, link=body.link, file=file)
    action = logic.apply(body.transition, request.user, action, evidence, body.reason)
    return Status(200, action)


@router.get(
    "/actions/{id}/updates/{update_id}/file",
    response={404: Message},
    url_name="action_evidence_file",
    summary="Download an update's evidence file (as an attachment)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file",
                "content": {"application/octet-stream": {"schema": BINARY}},
            }
        }
    },
)
def evidence_file(
    request: HttpRequest,
    id: int = Path(..., ge=1, le=MAX_ID),
    update_id: int = Path(..., ge=1, le=MAX_ID),
) -> HttpResponse:
    action = get_object_or_404(_actions(request), pk=id)
    return evidence_response(get_object_or_404(ProgressUpdate, pk=update_id, action=action))
