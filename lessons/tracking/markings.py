"""The marking a tracker document carries as a whole: the most restrictive marking of the
lessons (and their debriefs) it names, shown the TLP 2.0 way ("TLP:AMBER+STRICT") in the
header and footer of every page; and how many rows the reader's markings left out.

kb.access says which marking is the more restrictive (`most_restrictive`); this module only
collects the markings of what a document names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import ngettext

from kb.access import most_restrictive
from kb.choices import Marking
from lessons.models import DebriefPage


@dataclass(frozen=True)
class DocumentMarking:
    """A document's marking, shaped like a marked page for includes/marking_banner.html."""

    marking: str

    @property
    def marking_enum(self) -> Marking:
        return Marking(self.marking)


def of_actions(actions: QuerySet) -> Marking:
    """The most restrictive marking of these actions' lessons and debriefs."""
    pairs = actions.values_list(
        "recommendation__lesson__marking", "recommendation__lesson__debrief__marking"
    ).distinct()
    return most_restrictive(m for pair in pairs for m in pair if m)


def of_lessons(lessons: Iterable) -> Marking:
    """The most restrictive marking of these lessons and their debriefs (one query for the
    debriefs, whatever the number of lessons)."""
    lessons = list(lessons)
    markings = [lesson.marking for lesson in lessons]
    debrief_ids = {lesson.debrief_id for lesson in lessons if lesson.debrief_id}
    if debrief_ids:
        debriefs = DebriefPage.objects.filter(pk__in=debrief_ids)
        markings += debriefs.values_list("marking", flat=True)
    return most_restrictive(markings)


def of_report(context: dict) -> Marking:
    """The committee report names the overdue and stale actions and the lessons not yet
    learned that the reader may open. Its figures count the network's actions, whatever
    their marking: for members only, so never less than TLP:GREEN."""
    lessons = [a.recommendation.lesson for a in [*context["overdue"], *context["stale"]]]
    for row in context.get("not_learned", []):
        lessons.extend(row["visible"])
    return most_restrictive([Marking.GREEN, of_lessons(lessons)])


def left_out(actions: QuerySet, everything: QuerySet) -> int:
    """How many of `everything` (the same filters, before the access policy) `actions`
    leaves out."""
    return everything.count() - actions.count()


def left_out_text(count: int) -> str:
    return ngettext(
        "%(count)d action is not included because of its marking.",
        "%(count)d actions are not included because of their marking.",
        count,
    ) % {"count": count}


def file_label(marking: str) -> str:
    """The marking as a file-name part: "TLP-AMBER+STRICT"."""
    return str(marking).replace(":", "-")
