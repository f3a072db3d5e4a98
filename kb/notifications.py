"""Notifications: an in-site list and an e-mail, never carrying restricted content.

Callers pass a message that is safe for the recipient; `safe_title` gives a page's title
only when the recipient may see it (through kb.access), and a neutral phrase otherwise.
A higher app may describe its notices afresh when they are read (`register_describer`):
the stored message stays the neutral one the e-mail carried, and the site says more to a
reader who may, at the time of reading, see more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from kb import access
from kb.directory import language_for
from kb.models.notifications import Notification


@contextmanager
def in_language_of(user) -> Iterator[str]:
    """Render what this user will read (a notice, an e-mail) in their language, not in
    the language of whoever caused it. Yields the language code."""
    language = language_for(user, default=settings.LANGUAGE_CODE)
    with translation.override(language):
        yield language


def safe_title(user, page, neutral: str | None = None) -> str:
    """The page's title if this user may see it, else a neutral phrase."""
    if page is not None and access.can_view(user, page):
        return _("“%(title)s”") % {"title": page.title}
    return str(neutral) if neutral is not None else _("an item you follow")


Describer = Callable[[object, object], "str | None"]
_describers: dict[str, Describer] = {}


def register_describer(kind: str, describe: Describer) -> None:
    """`describe(subject, reader)` gives the text of a notice of this kind for its reader,
    or None to keep the stored message (e.g. when the subject is gone)."""
    _describers[kind] = describe


def describe(notification: Notification, reader) -> str:
    describer = _describers.get(notification.kind)
    subject = notification.subject if describer and notification.subject_id else None
    if subject is not None:
        return describer(subject, reader) or notification.message
    return notification.message


def notifications_for(user) -> QuerySet[Notification]:
    """The notices a user may read: none once their membership ends, as the messages name
    material read while a member."""
    notifications = Notification.objects.filter(recipient=user)
    if not access.viewer_for(user).is_member and not user.is_superuser:
        return notifications.none()
    return notifications


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return notifications_for(user).filter(read_at__isnull=True).count()


def notify(
    recipient,
    kind: str,
    message: str,
    url: str = "",
    dedupe_key: str = "",
    email: bool = True,
    subject=None,
) -> bool:
    """Record a notification and e-mail it (after commit). With a dedupe_key, a second
    call for the same recipient and key does nothing and returns False (idempotent tick).
    The caller words `message` inside `in_language_of(recipient)`; a lazy message is
    worded here, in the recipient's language."""
    if recipient is None or not recipient.is_active:
        return False
    with in_language_of(recipient):
        message = str(message)
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
                subject=subject,
            )
    except IntegrityError:  # a concurrent tick got there first
        return False
    if email and recipient.email:
        link = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{url}" if url else ""
        body = f"{message}\n\n{link}\n" if link else f"{message}\n"
        with in_language_of(recipient):
            subject = _("[Lessons KB] %(message)s") % {"message": message[:120]}
        transaction.on_commit(
            lambda: send_mail(
                subject=subject,
                message=body,
                from_email=None,
                recipient_list=[recipient.email],
                fail_silently=True,
            )
        )
    return True
