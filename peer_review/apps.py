from django.apps import AppConfig


class PeerReviewConfig(AppConfig):
    name = "peer_review"
    verbose_name = "Peer review"

    def ready(self) -> None:
        from kb import access

        from . import jobs  # noqa: F401  (registers the reminders with `manage.py tick`)
        from .access import reviewer_grants

        access.register_grant_provider(reviewer_grants)
