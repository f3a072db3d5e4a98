from django import template
from django.utils.safestring import mark_safe

from peer_review.models import ENDORSING, ReviewRound, RoundState
from peer_review.sanitize import clean_comment

register = template.Library()


@register.filter
def safe_comment(body: str) -> str:
    """Comment HTML, sanitised again on the way out (stored text is already clean)."""
    return mark_safe(clean_comment(body))  # noqa: S308  (bleach output)


@register.inclusion_tag("peer_review/endorsement_badge.html")
def endorsement_badge(page):
    round = (
        ReviewRound.objects.filter(page_id=page.pk, state=RoundState.CLOSED)
        .order_by("-number")
        .first()
    )
    if round is None or round.decision not in ENDORSING:
        return {"round": None}
    return {"round": round, "cities": round.endorsing_cities()}
