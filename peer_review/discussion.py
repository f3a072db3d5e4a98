"""The discussion of a round: comments anchored to sections, replies, edits within 15
minutes, resolve/reopen and withdrawal (nothing is ever erased). One function per change,
like the rest of peer_review.logic."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb.sanitise import clean_html, plain_text

from . import access, notices
from .models import READING_STATES, Comment, ReviewRound
from .rules import log_step, require

GENERAL = "general"


def sections_of(page) -> list[tuple[str, str]]:
    """The anchors a comment may point at, with their labels."""
    page = page.specific
    if page._meta.model_name == "lessonpage":
        sections = [
            ("observation", _("Observation")),
            ("discussion", _("Discussion")),
            ("lesson_identified", _("Lesson identified")),
        ]
        for i, rec in enumerate(page.recommendations.all(), start=1):
            sections.append((f"recommendation:{rec.pk}", _("Recommendation %(n)s") % {"n": i}))
    else:
        sections = [("summary", _("Summary"))]
    return [*sections, (GENERAL, _("General"))]


def _may_discuss(round: ReviewRound, user) -> bool:
    if access.is_coordinator(user) or access.is_author_side(user, round):
        return True
    return round.assignments.filter(reviewer_id=user.pk, state__in=READING_STATES).exists()


def add_comment(
    round: ReviewRound, *, by, body: str, section: str = GENERAL, parent: Comment | None = None
) -> Comment:
    require(round.is_open, _("The discussion of a closed round is read-only."), "round_open")
    require(
        _may_discuss(round, by),
        _("Only those taking part in the round comment."),
        "round_participant",
    )
    if parent is not None:
        require(parent.round_id == round.pk, _("Reply within the same round."), "same_round")
        section = parent.section
    if section not in dict(sections_of(round.page)):
        raise ValidationError(
            _("Anchor the comment to a section of the material."), code="known_section"
        )
    body = clean_html(body)
    if not plain_text(body).strip():
        raise ValidationError(_("Write something."), code="body_required")
    # The comment, its audit-log entry and its notifications (sent on commit by
    # kb.notifications) stand or fall together; the round is re-read under lock so a comment
    # cannot land in a round a coordinator has just decided.
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=round.pk)
        require(locked.is_open, _("The discussion of a closed round is read-only."), "round_open")
        comment = Comment.objects.create(
            round=round, author=by, parent=parent, section=section, body=body
        )
        log_step(round, "peer_review.comment", by, comment=comment.pk, section=section)
        notices.new_comment(comment)
    return comment


def edit_comment(comment: Comment, *, by, body: str) -> Comment:
    require(
        comment.round.is_open, _("The discussion of a closed round is read-only."), "round_open"
    )
    require(
        comment.editable_by(by),
        _("A comment is editable by its author for 15 minutes."),
        "edit_window",
    )
    body = clean_html(body)
    if not plain_text(body).strip():
        raise ValidationError(_("Write something."), code="body_required")
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=comment.round_id)
        require(locked.is_open, _("The discussion of a closed round is read-only."), "round_open")
        fresh = Comment.objects.select_for_update().get(pk=comment.pk)
        require(
            fresh.editable_by(by),
            _("A comment is editable by its author for 15 minutes."),
            "edit_window",
        )
        comment.body = body
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at"])
    return comment


def set_resolved(comment: Comment, *, by, resolved: bool) -> Comment:
    """Resolve or reopen a thread (its first comment)."""
    round = comment.round
    require(round.is_open, _("The discussion of a closed round is read-only."), "round_open")
    require(
        _may_discuss(round, by),
        _("Only those taking part in the round resolve threads."),
        "round_participant",
    )
    root = comment.thread_root
    root.resolved = resolved
    root.resolved_by = by if resolved else None
    root.save(update_fields=["resolved", "resolved_by"])
    log_step(
        round, "peer_review.resolved" if resolved else "peer_review.reopened", by, comment=root.pk
    )
    return root


def withdraw_comment(comment: Comment, *, by) -> Comment:
    """Hide a comment's text; nothing is ever erased (the row and its replies stay)."""
    require(
        by.pk == comment.author_id or access.is_coordinator(by),
        _("Only the author or a coordinator withdraws a comment."),
        "comment_author_or_coordinator",
    )
    comment.delete()
    return comment
