"""The JSON API's debriefs and lessons, read through the access policy.

Every queryset starts from lessons.access; an item the caller may not see answers exactly
like one that does not exist, so the API never reveals that restricted material exists.
"""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router
from ninja.pagination import paginate

from kb.api.filters import DebriefFilters, LessonFilters
from kb.api.pagination import PagePagination
from kb.api.schemas import (
    DebriefDetail,
    DebriefSummary,
    LessonDetail,
    LessonResult,
    Message,
    lesson_results,
)
from lessons import access

router = Router()

# Ids beyond a 64-bit integer cannot exist; refusing them keeps them away from the database.
MAX_ID = 2**63 - 1
NOT_FOUND = {404: Message}


def _debriefs(request: HttpRequest):
    return (
        access.visible_debriefs(request.user)
        .select_related("owner_city")
        .prefetch_related("attack_types")
    )


@router.get("/debriefs", response=list[DebriefSummary], tags=["debriefs"], summary="List debriefs")
@paginate(PagePagination)
def list_debriefs(request: HttpRequest, filters: Query[DebriefFilters]):
    return filters.filter(_debriefs(request)).order_by("-incident_date", "-pk")


@router.get(
    "/debriefs/{id}",
    response={200: DebriefDetail, **NOT_FOUND},
    tags=["debriefs"],
    summary="One debrief, with the lessons the caller may see",
)
def get_debrief(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):
    debrief = get_object_or_404(_debriefs(request).prefetch_related("keywords"), pk=id)
    lessons = access.visible_lessons(request.user).filter(debrief_id=debrief.pk)
    debrief.visible_lesson_refs = list(lessons.order_by("path").values("id", "title"))
    return debrief


@router.get("/lessons", response=list[LessonResult], tags=["lessons"], summary="List lessons")
@paginate(PagePagination)
def list_lessons(request: HttpRequest, filters: Query[LessonFilters]):
    lessons = lesson_results(access.visible_lessons(request.user))
    return filters.filter(lessons).order_by("-first_published_at", "-pk")


@router.get(
    "/lessons/{id}",
    response={200: LessonDetail, **NOT_FOUND},
    tags=["lessons"],
    summary="One lesson in the NATO form, with its recommendations",
)
def get_lesson(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):
    lessons = lesson_results(access.visible_lessons(request.user)).prefetch_related(
        "recommendations", "keywords"
    )
    return get_object_or_404(lessons, pk=id)
