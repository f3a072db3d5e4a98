"""Notifications: an in-site list and an e-mail, never carrying restricted content.

Callers pass a message that is safe for the recipient; `safe_title` gives a page's title
only when the recipient may see it (through kb.access), and a neutral phrase otherwise.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from kb import access
from kb.models.notifications import Notification


def safe_title(user, page, neutral: str = "an item you follow") -> str:
    """The page's title if this user may see it, else a neutral phrase."""
    if page is not None and access.can_view(user, page):
        return f"“{page.title}”"
    return neutral


def notify(
    recipient, kind: str, message: str, url: str = "", dedupe_key: str = "", email: bool = True
) -> bool:
    """Record a notification and e-mail it (after commit). With a dedupe_key, a second
    call for the same recipient and key does nothing and returns False (idempotent tick)."""
    if recipient is None or not recipient.is_active:
        return False
    if (
        dedupe_key
        and Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists()
    ):
        return False
    try:
        with transaction.atomic():
            Notification.objects.create(
                recipient=recipient,
                kind=kind,
                message=message[:300],
                url=url,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:  # a concurrent tick got there first
        return False
    if email and recipient.email:
        link = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{url}" if url else ""
        body = f"{message}\n\n{link}\n" if link else f"{message}\n"
        transaction.on_commit(
            lambda: send_mail(
                subject=f"[Lessons KB] {message[:120]}",
                message=body,
                from_email=None,
                recipient_list=[recipient.email],
                fail_silently=True,
            )
        )
    return True
