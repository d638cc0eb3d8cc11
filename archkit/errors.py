"""One error family for every stage: what went wrong, where, and how to fix it.

Usage::

    raise ArchkitError("unknown dialect 'pg'", where=Where("schema.sql", 3, 1),
                       hint="use one of: postgres, mysql, sqlite")
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ArchkitError", "Where"]


@dataclass(frozen=True, slots=True)
class Where:
    """A place in an input: file, and line / column (1-based) where known."""

    file: str | None = None
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


class ArchkitError(Exception):
    """Bad input or a failed operation, told as one clear message.

    ``str(err)`` reads ``file:line:col: message (hint: ...)``; notebooks show it
    as a short message and the CLI prints it and exits 2.
    """

    def __init__(self, message: str, *, where: Where | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def _repr_markdown_(self) -> str:
        from archkit.display import escape_markdown

        text = f"**archkit error:** {escape_markdown(str(self))}"
        return text

    def to_dict(self) -> dict:
        """A JSON-ready form: ``{"error", "file", "line", "col", "hint"}``."""
        where = self.where or Where()
        return {
            "error": self.message,
            "file": where.file,
            "line": where.line,
            "col": where.col,
            "hint": self.hint,
        }
