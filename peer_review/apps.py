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
