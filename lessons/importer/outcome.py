"""What an import reports: the first bad line, or how many pages it created and updated."""

from __future__ import annotations

from dataclasses import dataclass, field


class ImportFailed(Exception):
    """A line that cannot be imported; nothing was written.

    `field` is the path inside the line (``"city"``, ``"lessons[0].marking"``), or ``""``
    when the line as a whole is wrong (not JSON, not an object).
    """

    def __init__(self, line: int, field: str, message: str) -> None:
        self.line = line
        self.field = field
        self.message = message
        super().__init__(line, field, message)

    def __str__(self) -> str:
        where = f"line {self.line}, field {self.field}" if self.field else f"line {self.line}"
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created_debriefs: int = 0
    updated_debriefs: int = 0
    unchanged_debriefs: int = 0
    created_lessons: int = 0
    updated_lessons: int = 0
    unchanged_lessons: int = 0
    # One (outcome, description) per page, in file order, for a verbose report.
    details: list[tuple[str, str]] = field(default_factory=list)

    def record(self, kind: str, outcome: str, description: str) -> None:
        """Count one page; kind is "debrief" or "lesson", outcome "created", "updated" or
        "unchanged"."""
        counter = f"{outcome}_{kind}s"
        setattr(self, counter, getattr(self, counter) + 1)
        self.details.append((outcome, f"{outcome} {kind} {description}"))

    @property
    def changed(self) -> bool:
        return any(
            (
                self.created_debriefs,
                self.updated_debriefs,
                self.created_lessons,
                self.updated_lessons,
            )
        )

    def summary(self) -> str:
        return (
            f"Debriefs: {self.created_debriefs} created, {self.updated_debriefs} updated, "
            f"{self.unchanged_debriefs} unchanged. "
            f"Lessons: {self.created_lessons} created, {self.updated_lessons} updated, "
            f"{self.unchanged_lessons} unchanged."
        )
