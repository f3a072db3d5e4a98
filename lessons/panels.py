"""What higher apps add to a lesson: a panel in its editor, figures on its page.

lessons sits below search, so LessonPage cannot name search's similar-lessons panel nor
call its engine. It leaves named places instead, and the app that fills one registers in
its `AppConfig.ready()`. Wagtail builds a page type's edit handler on first use, after
every `ready()`, and expands a `PanelSlot` then, as it expands its own placeholders for
the title and slug panels; a slot nobody filled adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wagtail.admin.panels import Panel
from wagtail.models import PanelPlaceholder

# The place in the lesson editor below the lesson's text, before its recommendations.
AFTER_TEXT = "after_text"
# The place at the top of the lesson and debrief editors: peer review, its round and comments.
REVIEW_STATUS = "review_status"

_panels: dict[str, Panel] = {}
_page_context: list[Callable[[Any, Any], dict]] = []


def register_lesson_panel(slot: str, panel: Panel) -> None:
    """Show `panel` in the lesson editor at `slot` (one panel a slot; the last one wins)."""
    _panels[slot] = panel


class PanelSlot(PanelPlaceholder):
    """A named place in `content_panels` that a registered panel fills."""

    def __init__(self, slot: str) -> None:
        super().__init__("", [], {})
        self.slot = slot

    def construct(self) -> Panel | None:
        return _panels.get(self.slot)


def register_lesson_page_context(provider: Callable[[Any, Any], dict]) -> None:
    """Add `provider(user, lesson)`'s dict to the context of every lesson page."""
    if provider not in _page_context:
        _page_context.append(provider)


def lesson_page_context(user, lesson) -> dict:
    context: dict = {}
    for provider in _page_context:
        context.update(provider(user, lesson))
    return context
