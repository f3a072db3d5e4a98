"""The author's view of the peer review inside the Wagtail editor: the latest round of the
page, its state, the reviewers' recommendations and comments (sections by their names), and
a link to the round page. Filled into lessons' REVIEW_STATUS place from AppConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from . import access
from .discussion import sections_of
from .models import ReviewRound
from .notices import round_url

LATEST_COMMENTS = 10


class ReviewStatusPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "peer_review/review_status_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            round = (
                ReviewRound.objects.filter(page_id=page.pk).order_by("-number").first()
                if page.pk
                else None
            )
            if round is None or not access.can_see_round(self.request.user, round):
                context["round"] = None
                return context
            labels = dict(sections_of(round.page))
            comments = list(
                round.comments.filter(deleted_at__isnull=True)
                .select_related("author")
                .order_by("-created_at", "-pk")[:LATEST_COMMENTS]
            )
            for comment in comments:
                comment.section_label = labels.get(comment.section, _("General"))
            context.update(
                round=round,
                round_url=round_url(round),
                assignments=round.assignments.select_related("reviewer").order_by("invited_at"),
                comments=comments,
                comment_count=round.comments.filter(deleted_at__isnull=True).count(),
            )
            return context


def review_status_panel() -> ReviewStatusPanel:
    return ReviewStatusPanel(heading=_("Peer review"))
