"""Who takes part in a round, what they see of it, and the read grants the round gives.

The page-level rule stays in kb.access (applied to debriefs and lessons by lessons.access);
this module says who is *involved* in a round (and so may read its comments and
recommendations), which rounds each listing shows, and when the title of the material may
be shown. Every channel (member pages, the admin listings and their exports, the API) asks
here, so the rule is written once:

- a reviewer who accepted round N sees rounds 1..N of that material (earlier rounds are
  context); invited, declined and withdrawn reviewers see only their invitation;
- the author side (the submitter, the owning city's editors) sees every round of it;
- a coordinator sees the rounds they coordinate, the rounds on material kb.access lets them
  see, and the open rounds still waiting for a coordinator (so that someone takes charge);
- the coordinator in charge of an open round, like its accepted reviewers, may read the
  material for the life of the round (a kb.access grant; TLP:RED stays with its recipients);
- a title is shown only where kb.access lets the viewer see the material (marking and
  grants, live or draft); elsewhere a neutral label ("a TLP:AMBER+STRICT lesson of Nice").
"""

from __future__ import annotations

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Concat

from kb.access import can_view, grant_allowed, grant_allowed_q, viewer_for
from kb.directory import current_membership, rights_changed
from lessons.access import debrief_q, lesson_q
from lessons.models import DebriefPage, LessonPage

from .models import READING_STATES, ReviewAssignment, ReviewRound, RoundState

MATERIAL_MODELS = (LessonPage, DebriefPage)


def is_coordinator(user) -> bool:
    if user is not None and getattr(user, "is_superuser", False):
        return True
    m = current_membership(user)
    return bool(m and m.is_coordinator)


def is_author_side(user, round: ReviewRound) -> bool:
    """An editor of the city that owns the material (or whoever submitted it)."""
    m = current_membership(user)
    if m is None:
        return False
    if round.submitted_by_id == user.pk:
        return True
    return m.is_editor and m.city_id == getattr(round.material, "owner_city_id", None)


def reviewer_rounds(user, page_id: int):
    """Rounds of this page the user reviews (accepted or submitted)."""
    return ReviewAssignment.objects.filter(
        reviewer_id=user.pk, round__page_id=page_id, state__in=READING_STATES
    )


# --- The material under review, as kb.access sees it ------------------------------------


def visible_material_q(user, prefix: str = "page_id", among=None, owner_city_id=None) -> Q:
    """Rounds whose material (live or draft) kb.access lets this user see: its marking rule
    with the grants, without the "live" condition of the member-site listings.

    `among` (page ids, a list or a values() queryset) names the only pages the rows can
    point to: the rule is then checked on those few pages by their primary key instead of
    over the whole corpus (the same answer, without a scan of every lesson).
    `owner_city_id`: only the material that city owns."""
    viewer = viewer_for(user)
    if viewer.is_superuser:
        return Q()
    lessons = LessonPage.objects.filter(lesson_q(viewer))
    debriefs = DebriefPage.objects.filter(debrief_q(viewer))
    if among is not None:
        lessons = lessons.filter(pk__in=among)
        debriefs = debriefs.filter(pk__in=among)
    if owner_city_id is not None:
        lessons = lessons.filter(owner_city_id=owner_city_id)
        debriefs = debriefs.filter(owner_city_id=owner_city_id)
    lessons, debriefs = lessons.values("pk"), debriefs.values("pk")
    return Q(**{f"{prefix}__in": lessons}) | Q(**{f"{prefix}__in": debriefs})


def coordinator_q(user) -> Q:
    """The rounds a coordinator sees in the coordinator's listings (see the module text)."""
    if getattr(user, "is_superuser", False):
        return Q()
    return (
        Q(coordinator_id=user.pk)
        | visible_material_q(user)
        | Q(state=RoundState.OPEN, coordinator__isnull=True)
    )


def visible_rounds(user) -> QuerySet[ReviewRound]:
    """Every round whose comments and recommendations this user may read, as one query
    (whatever the number of rounds)."""
    rounds = ReviewRound.objects.select_related("page")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return rounds.none()
    if user.is_superuser:
        return rounds
    m = current_membership(user)
    if m is None:
        return rounds.none()
    allowed = Q(submitted_by_id=user.pk)
    if m.is_coordinator:
        allowed |= coordinator_q(user)
    if m.is_editor:
        # The author city's editors: the marking rule lets a member of the owning city read
        # its material, except TLP:RED material they are not named on.
        allowed |= visible_material_q(user, owner_city_id=m.city_id)
    reviewed = ReviewAssignment.objects.filter(
        reviewer_id=user.pk,
        state__in=READING_STATES,
        round__page_id=OuterRef("page_id"),
        round__number__gte=OuterRef("number"),
    )
    return rounds.filter(allowed | Exists(reviewed))


def coordinator_rounds(user) -> QuerySet[ReviewRound]:
    """The rounds of the coordinator's listings (member page, admin, exports), labelled."""
    if not is_coordinator(user):
        return ReviewRound.objects.none()
    return with_material_labels(ReviewRound.objects.filter(coordinator_q(user)), user)


def can_see_round(user, round: ReviewRound) -> bool:
    """May this user read the round's comments and recommendations?"""
    return visible_rounds(user).filter(pk=round.pk).exists()


def with_material_labels(queryset: QuerySet, user, prefix: str = "", among=None) -> QuerySet:
    """Annotate each round (or, with prefix "round__", each assignment) with what the user
    may be told of its material: `material_title` (the title, or a neutral label where
    kb.access hides the material), `material_marking`, `material_city`, `material_kind`.
    `among`: the page ids the rows can point to, if known (see visible_material_q)."""
    page = f"{prefix}page__"
    kind = Case(
        When(**{f"{page}lessonpage__isnull": False}, then=Value("lesson")),
        default=Value("debrief"),
    )
    marking = Coalesce(f"{page}lessonpage__marking", f"{page}debriefpage__marking")
    city = Coalesce(f"{page}lessonpage__owner_city__name", f"{page}debriefpage__owner_city__name")
    queryset = queryset.annotate(material_kind=kind, material_marking=marking, material_city=city)
    neutral = Concat(
        Value("A "),
        F("material_marking"),
        Value(" "),
        F("material_kind"),
        Value(" of "),
        F("material_city"),
    )
    visible = visible_material_q(user, f"{prefix}page_id", among)
    title = F(f"{page}title")
    if visible:  # an empty Q (a platform administrator) cannot be a When() condition
        title = Case(When(visible, then=title), default=neutral)
    return queryset.annotate(material_title=title)


def coordinator_assignments(user) -> QuerySet[ReviewAssignment]:
    """The assignments of the coordinator's rounds, labelled like the rounds."""
    if not is_coordinator(user):
        return ReviewAssignment.objects.none()
    rounds = ReviewRound.objects.filter(coordinator_q(user))
    assignments = ReviewAssignment.objects.filter(round__in=rounds)
    return with_material_labels(assignments, user, prefix="round__")


def material_title(user, round: ReviewRound) -> str:
    """The title of the round's material for this user, or its neutral label."""
    labelled = with_material_labels(
        ReviewRound.objects.filter(pk=round.pk), user, among=[round.page_id]
    )
    return labelled.values_list("material_title", flat=True).first() or ""


def may_see_material(user, round: ReviewRound) -> bool:
    """Does kb.access let this user see the material (live or draft, grants included)?"""
    visible = visible_material_q(user, among=[round.page_id])
    return ReviewRound.objects.filter(Q(pk=round.pk) & visible).exists()


def can_read_material(user, round: ReviewRound) -> bool:
    """May the user read the material under review on the round page?"""
    page = round.material
    if page.live and can_view(user, page):
        return True
    if user.is_superuser:
        return True
    if is_author_side(user, round) and reviewer_page_grant_allowed(user, page):
        return True
    if not round.is_open or not may_see_material(user, round):
        return False
    return is_coordinator(user) or reviewer_rounds(user, page.pk).filter(round=round).exists()


# --- The read grant of an open round ----------------------------------------------------


def reviewer_page_grant_allowed(user, page) -> bool:
    # TLP:RED stays with its named recipients, reviewers and coordinators included (the
    # recipients are read only for a marking that names them).
    named = page.recipients.filter(pk=user.pk).values_list("pk", flat=True)
    return grant_allowed(page.marking, named, user.pk)


def reviewer_grants(user) -> set[int]:
    """kb.access grant provider: the material of open rounds the user reviews (accepted)
    or coordinates."""
    involved = ReviewAssignment.objects.filter(reviewer_id=user.pk, state__in=READING_STATES)
    page_ids = ReviewRound.objects.filter(
        Q(pk__in=involved.values("round_id")) | Q(coordinator_id=user.pk),
        state=RoundState.OPEN,
    ).values("page_id")
    granted: set[int] = set()
    for model in MATERIAL_MODELS:
        pages = model.objects.filter(pk__in=page_ids).filter(grant_allowed_q(user.pk, model))
        granted |= set(pages.values_list("pk", flat=True))
    return granted


# Receivers (connected in PeerReviewConfig.ready()): accepting, withdrawing, taking charge
# of or closing a round changes who may read its material.


def assignment_changed(sender, instance: ReviewAssignment, **kwargs) -> None:
    rights_changed(instance.reviewer_id)


def round_changed(sender, instance: ReviewRound, **kwargs) -> None:
    reviewers = ReviewAssignment.objects.filter(round_id=instance.pk).values_list(
        "reviewer_id", flat=True
    )
    rights_changed(instance.coordinator_id, *reviewers)
