"""Import debriefs and their lessons from JSON lines (one debrief per line).

The format is described in shared/DESIGN.md. The import is all or nothing: every line is
parsed and checked first, and the first bad line raises ImportFailed with its 1-based line
number and field path; only then is everything written, in one transaction.

Pages are matched by external_id (unique across the site): new ones are created under
their city (lessons under their debrief) and published; existing ones get a new published
revision only when something in the line differs from the live page, so re-running a file
changes nothing. The line is the whole record: an optional field left out means empty.

Decisions:
- A debrief whose city in the line differs from the city it sits under is an error; so is
  a lesson that sits under another debrief. Moving pages changes who may read them and
  belongs in the admin, where the move is audited.
- Lessons under an imported debrief but absent from its line are left as they are (an
  import never deletes pages); they stay readable only by those the debrief allows.
- A lesson's recommendations are replaced by the line's list; rows whose text is
  unchanged are kept (with their ids), so what refers to them survives.
- `language` left out (or blank) means the default the admin would give: a debrief its
  city's first language, a lesson its debrief's. It is resolved while checking, so a
  re-run compares equal and a language removed from the line goes back to the default.
- Blank lines are skipped; unknown keys are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable

from .outcome import ImportFailed, ImportResult
from .parse import Catalogue, decode, parse_debrief, plain_text_to_rich_text
from .write import write

__all__ = ["ImportFailed", "ImportResult", "import_debriefs", "plain_text_to_rich_text"]


def import_debriefs(lines: Iterable[str]) -> ImportResult:
    """Import every line or, on the first bad one, raise ImportFailed and import nothing."""
    decoded = [
        (number, decode(number, text)) for number, text in enumerate(lines, start=1) if text.strip()
    ]
    catalogue = Catalogue.load(record for _, record in decoded)
    seen: dict[str, int] = {}
    debriefs = [parse_debrief(number, record, catalogue, seen) for number, record in decoded]
    return write(debriefs, catalogue)
