from django.apps import AppConfig


class PeerReviewConfig(AppConfig):
    name = "peer_review"
    verbose_name = "Peer review"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kb import access, directory
        from kb.models import Membership

        from . import jobs  # noqa: F401  (registers the reminders with `manage.py tick`)
        from .access import reviewer_grants
        from .admin_access import membership_changed
        from .models import ReviewAssignment, ReviewRound

        access.register_grant_provider(reviewer_grants)
        # Accepting, withdrawing, taking charge of or closing a round changes who may read
        # the material: every kept answer about readers is void (kb.directory).
        for model in (ReviewAssignment, ReviewRound):
            uid = f"pr_grants_{model.__name__}"
            post_save.connect(directory.rights_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(directory.rights_changed, sender=model, dispatch_uid=uid)

        post_save.connect(membership_changed, sender=Membership, dispatch_uid="pr_coordinators")
        post_delete.connect(membership_changed, sender=Membership, dispatch_uid="pr_coordinators")
