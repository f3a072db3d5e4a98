from django import template
from django.db.models import Exists, OuterRef
from django.utils.safestring import mark_safe

from kb.sanitise import clean_html
from peer_review.models import ENDORSING, ReviewRound, RoundState

register = template.Library()


@register.filter
def safe_comment(body: str) -> str:
    """Comment HTML, sanitised again on the way out (stored text is already clean)."""
    return mark_safe(clean_html(body))  # noqa: S308  (bleach output)


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


def endorsed_page_ids() -> set[int]:
    """Pages whose latest decided round endorsed them (one query for a whole listing)."""
    later = ReviewRound.objects.filter(
        page_id=OuterRef("page_id"), state=RoundState.CLOSED, number__gt=OuterRef("number")
    )
    endorsed = ReviewRound.objects.filter(state=RoundState.CLOSED, decision__in=ENDORSING)
    return set(endorsed.exclude(Exists(later)).values_list("page_id", flat=True))


@register.inclusion_tag("peer_review/endorsed_mark.html", takes_context=True)
def endorsed_mark(context, page_id: int) -> dict:
    """The short "Endorsed by peer review" mark of a listing row. The set of endorsed pages
    is read once per request, so a listing costs one query whatever its length."""
    request = context.get("request")
    ids = getattr(request, "_endorsed_page_ids", None)
    if ids is None:
        ids = endorsed_page_ids()
        if request is not None:
            request._endorsed_page_ids = ids
    return {"endorsed": page_id in ids}
