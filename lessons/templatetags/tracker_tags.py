"""Template tags of the oversight tracker (the lesson page's actions and badge)."""

from __future__ import annotations

from django import template

from kb.choices import vocabulary_label
from lessons.tracking import rules
from lessons.tracking.dashboard import lesson_is_learned
from lessons.tracking.models import Action

register = template.Library()


@register.inclusion_tag("lessons/tracking/lesson_actions.html", takes_context=True)
def lesson_actions(context, lesson) -> dict:
    """Actions per recommendation of a lesson the reader is already allowed to see."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        # Tracking is members' business, even on a public (TLP:CLEAR) lesson.
        return {"hidden": True}
    actions = list(
        Action.objects.filter(recommendation__lesson=lesson)
        .select_related("responsible_organisation")
        .order_by("recommendation__sort_order", "pk")
    )
    by_recommendation: dict[int, list[Action]] = {}
    for action in actions:
        by_recommendation.setdefault(action.recommendation_id, []).append(action)
    rows = [(rec, by_recommendation.get(rec.pk, [])) for rec in lesson.recommendations.all()]
    return {
        "lesson": lesson,
        "rows": rows,
        "has_actions": bool(actions),
        "learned": lesson_is_learned([action.status for action in actions]),
        "can_add": user is not None and rules.is_committee_of(user, lesson.owner_city_id),
    }


@register.simple_tag
def status_class(status: str) -> str:
    return f"status status--{status.replace('_', '-')}"


@register.filter
def status_label(slug: str) -> str:
    """An action status's label in the reader's language ("validated" -> "Validée")."""
    return vocabulary_label("action_status", slug)
