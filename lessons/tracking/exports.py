"""The improvement-plan matrix (HSEEP columns) as CSV and XLSX.

Callers pass actions already trimmed by rules.visible_actions: an export carries
only material its reader could open, each row with its lesson's marking, and the document
the most restrictive of them (lessons.tracking.markings): the CSV on its first line, the
XLSX in its first row and in the sheet's printed header and footer. `left_out` (how many
rows the reader's markings left out) is stated in the document when there are any.
"""

from __future__ import annotations

import csv
import io

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import markings

# Column widths of the XLSX, in characters (long texts wrap in the cell anyway).
WIDTHS = [10, 14, 30, 36, 18, 44, 18, 44, 26, 20, 10, 14, 12, 12, 15, 12]

COLUMNS = [
    _("Action ID"),
    _("City"),
    _("Debrief"),
    _("Lesson"),
    _("Marking"),
    _("Issue / area for improvement (recommendation)"),
    _("Capability element"),
    _("Corrective action"),
    _("Responsible organisation"),
    _("Point of contact"),
    _("Priority"),
    _("Status"),
    _("Start date"),
    _("Due date"),
    _("Completion date"),
    _("Last update"),
]


def headers() -> list[str]:
    """The column names in the reader's language (the order and meaning stay HSEEP's)."""
    return [str(column) for column in COLUMNS]


def _date(value) -> str:
    return value.isoformat() if value else ""


def rows(actions: QuerySet) -> list[list[str]]:
    out = []
    actions = actions.select_related(
        "recommendation__lesson__owner_city",
        "recommendation__lesson__debrief",
        "responsible_organisation",
        "point_of_contact",
    ).order_by("recommendation__lesson__owner_city__name", "due_date", "pk")
    for action in actions:
        lesson = action.recommendation.lesson
        contact = action.point_of_contact
        out.append(
            [
                str(action.pk),
                lesson.owner_city.name if lesson.owner_city_id else "",
                lesson.debrief.title if lesson.debrief_id else "",
                lesson.title,
                lesson.marking,
                action.recommendation.text,
                action.get_capability_element_display(),
                action.corrective_action,
                action.responsible_organisation.name,
                (contact.get_full_name() or contact.username) if contact else "",
                action.get_priority_display(),
                action.get_status_display(),
                _date(action.start_date),
                _date(action.due_date),
                _date(action.completion_date),
                _date(action.last_update_at.date() if action.last_update_at else None),
            ]
        )
    return out


def _safe_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _preamble(actions: QuerySet, left_out: int) -> list[str]:
    """The lines above the header row: the marking, then what was left out, if anything."""
    lines = [str(markings.of_actions(actions))]
    if left_out:
        lines.append(markings.left_out_text(left_out))
    return lines


def to_csv(actions: QuerySet, left_out: int = 0) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _preamble(actions, left_out):
        writer.writerow([line])
    writer.writerow(headers())
    for row in rows(actions):
        writer.writerow([_safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(actions: QuerySet, left_out: int = 0) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Improvement plan"))
    preamble = _preamble(actions, left_out)
    marking = preamble[0]
    for line in preamble:
        sheet.append([line])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.append(headers())
    header = sheet.max_row
    for cell in sheet[header]:
        cell.font = Font(bold=True)
    for row in rows(actions):
        sheet.append([_safe_cell(cell) for cell in row])
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A{header}:{last}{max(sheet.max_row, header)}"
    sheet.freeze_panes = f"A{header + 1}"
    # TLP 2.0: the label in the header and footer of every printed page.
    for part in (sheet.oddHeader, sheet.evenHeader, sheet.oddFooter, sheet.evenFooter):
        part.right.text = marking
        part.right.bold = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
