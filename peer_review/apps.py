from django.apps import AppConfig


class PeerReviewConfig(AppConfig):
    name = "peer_review"
    verbose_name = "Peer review"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kb import access
        from kb.models import Membership

        from . import jobs  # noqa: F401  (registers the reminders with `manage.py tick`)
        from .access import reviewer_grants

        access.register_grant_provider(reviewer_grants)

        from .admin_access import membership_changed

        post_save.connect(membership_changed, sender=Membership, dispatch_uid="pr_coordinators")
        post_delete.connect(membership_changed, sender=Membership, dispatch_uid="pr_coordinators")

        from wagtail.signals import task_submitted

        from .workflow import open_round_when_the_task_starts

        # The workflow task is a model (models.py) that knows nothing of the rounds; a round
        # opens when it starts, through Wagtail's own signal.
        task_submitted.connect(open_round_when_the_task_starts, dispatch_uid="pr_open_round")
