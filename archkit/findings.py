"""Findings: what checks, lints and validators report, with a stable code.

Usage::

    f = Finding("SC101", Severity.WARNING, "table has no primary key",
                object="orders", line=12, fix="add a PRIMARY KEY column")
    report = Findings([f]);  report.errors  # -> []
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from enum import StrEnum

from archkit.display import markdown_table

__all__ = ["Finding", "Findings", "Severity"]


class Severity(StrEnum):
    """How bad a finding is. Only ``ERROR`` makes the CLI exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: a stable code, a severity, the object concerned and a one-line fix."""

    code: str
    severity: Severity
    message: str
    object: str | None = None
    line: int | None = None
    fix: str | None = None
    file: str | None = None
    col: int | None = None  # 1-based, where the checker knows it

    def to_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    def __str__(self) -> str:
        place = ":".join(str(p) for p in (self.file, self.line) if p)
        if self.line and self.col:
            place += f":{self.col}"
        head = f"{place}: " if place else ""
        obj = f" [{self.object}]" if self.object else ""
        fix = f" — fix: {self.fix}" if self.fix else ""
        return f"{head}{self.code} {self.severity}{obj}: {self.message}{fix}"


class Findings(list[Finding]):
    """A list of findings that shows itself as a table in Jupyter."""

    def __init__(self, items: Iterable[Finding] = ()):
        super().__init__(items)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self if f.severity is Severity.WARNING]

    def codes(self) -> list[str]:
        return [f.code for f in self]

    def by_code(self, code: str) -> Iterator[Finding]:
        return (f for f in self if f.code == code)

    def sorted(self) -> Findings:
        """Findings in a stable order: by line, then code, then object."""
        return Findings(sorted(self, key=lambda f: (f.line or 0, f.code, f.object or "")))

    def to_list(self) -> list[dict]:
        return [f.to_dict() for f in self]

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_markdown(self) -> str:
        """The findings as a Markdown table (every cell escaped), or "No findings."."""
        if not self:
            return "No findings."
        rows = [
            [f.code, str(f.severity), f.object or "", str(f.line or ""), f.message, f.fix or ""]
            for f in self
        ]
        return markdown_table(["code", "severity", "object", "line", "message", "fix"], rows)
