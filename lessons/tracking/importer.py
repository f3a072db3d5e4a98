"""CSV import of status updates: one row per action, through the same transition functions.

Columns: action_id, transition (accept, decline, start, implement, validate, reopen, or
empty for a plain progress note), note, reason, link. All or nothing: a bad row is reported
with its row number and nothing is applied. A dry run shows what would change and applies
nothing (it runs the real rules inside a transaction that is rolled back).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from kb.choices import vocabulary_label

from . import logic, rules, transitions
from .models import Action

REQUIRED = {"action_id"}
KNOWN = {"action_id", "transition", "note", "reason", "link"}


@dataclass
class RowResult:
    row: int
    action_id: str
    before: str = ""
    after: str = ""
    message: str = ""
    ok: bool = True


@dataclass
class ImportResult:
    rows: list[RowResult] = field(default_factory=list)
    applied: bool = False

    @property
    def errors(self) -> list[RowResult]:
        return [row for row in self.rows if not row.ok]


class _Rollback(Exception):
    pass


def _decode(data: bytes | str) -> str:
    if isinstance(data, bytes):
        return data.decode("utf-8-sig")
    return data.lstrip("\ufeff")


def import_updates(user, data: bytes | str, dry_run: bool = True) -> ImportResult:
    result = ImportResult()
    try:
        text = _decode(data)
    except UnicodeDecodeError:
        result.rows.append(RowResult(1, "", message=_("The file is not UTF-8 text."), ok=False))
        return result
    reader = csv.DictReader(io.StringIO(text))
    headers = {name.strip() for name in (reader.fieldnames or [])}
    if not REQUIRED <= headers:
        result.rows.append(
            RowResult(1, "", message=_("The header row must name the column action_id."), ok=False)
        )
        return result
    visible = rules.visible_actions(user)
    try:
        with transaction.atomic():
            for number, raw in enumerate(reader, start=2):
                row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
                result.rows.append(_apply_row(user, visible, number, row))
            if dry_run or result.errors:
                raise _Rollback
    except _Rollback:
        return result
    result.applied = True
    return result


def _apply_row(user, visible, number: int, row: dict) -> RowResult:
    ident = row.get("action_id", "")
    out = RowResult(number, ident)
    action = None
    if ident.isdigit():
        action = visible.select_related("responsible_organisation").filter(pk=int(ident)).first()
    if action is None:
        out.ok, out.message = (
            False,
            _("Row %(number)s: no action %(ident)r that you may see.")
            % {"number": number, "ident": ident},
        )
        return out
    out.before = action.status
    name = row.get("transition", "").lower()
    evidence = logic.Evidence(note=row.get("note", ""), link=row.get("link", ""))
    try:
        if name:
            logic.apply(name, user, action, evidence, row.get("reason", ""))
            out.message = _("%(transition)s: %(before)s → %(after)s") % {
                "transition": dict(transitions.choices()).get(name, name),
                "before": vocabulary_label("action_status", out.before),
                "after": vocabulary_label("action_status", action.status),
            }
        else:
            logic.post_update(user, action, evidence)
            out.message = _("Progress update posted.")
    except logic.TransitionRefused as refused:
        out.ok, out.message = (
            False,
            _("Row %(number)s: %(message)s") % {"number": number, "message": refused.message},
        )
    out.after = action.status
    return out


__all__ = ["Action", "ImportResult", "import_updates"]
