from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerReviewConfig(AppConfig):
    name = "peer_review"
    verbose_name = _("Peer review")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import task_submitted

        from kb import access
        from kb.models import Membership
        from kb.notifications import register_describer
        from lessons.panels import REVIEW_STATUS, register_lesson_panel

        from . import jobs  # noqa: F401  (registers the reminders with `manage.py tick`)
        from .access import assignment_changed, reviewer_grants, round_changed
        from .admin_access import membership_changed
        from .models import ReviewAssignment, ReviewRound
        from .notices import describe_invitation
        from .panels import review_status_panel
        from .workflow import open_round_when_the_task_starts

        access.register_grant_provider(reviewer_grants)
        register_describer("review_invitation", describe_invitation)
        register_lesson_panel(REVIEW_STATUS, review_status_panel())
        for signal in (post_save, post_delete):
            signal.connect(assignment_changed, sender=ReviewAssignment, dispatch_uid="pr_grants")
            signal.connect(round_changed, sender=ReviewRound, dispatch_uid="pr_grants")
            signal.connect(membership_changed, sender=Membership, dispatch_uid="pr_coordinators")
        # The workflow task is a model (models.py) that knows nothing of the rounds; a round
        # opens when it starts, through Wagtail's own signal.
        task_submitted.connect(open_round_when_the_task_starts, dispatch_uid="pr_open_round")
