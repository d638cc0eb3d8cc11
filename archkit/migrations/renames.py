"""Declared renames for a diff: ``-- archkit: renamed from`` hints and ``OLD=NEW`` items.

Usage::

    from archkit.migrations.renames import parse_renames, rename_hints
    renames = rename_hints(new_ddl).merge(parse_renames(["carts=baskets", "users.mail=email"]))
    renames.tables, renames.columns, renames.indexes
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from archkit.errors import ArchkitError
from archkit.migrations.source import CREATE_TABLE_LINE

__all__ = ["Renames", "parse_renames", "rename_hints"]


@dataclass(slots=True)
class Renames:
    """Declared renames: ``tables`` old → new, ``columns`` (new table, old column) → new."""

    tables: dict[str, str] = field(default_factory=dict)
    columns: dict[tuple[str, str], str] = field(default_factory=dict)
    indexes: dict[str, str] = field(default_factory=dict)

    def merge(self, other: Renames) -> Renames:
        return Renames({**self.tables, **other.tables}, {**self.columns, **other.columns},
                       {**self.indexes, **other.indexes})


_HINT = re.compile(
    r"(?:--|/\*)\s*(?:archkit:\s*renamed\s+from\s+|@renamed\s+from\s*=\s*)"
    r"(\"[^\"]+\"|`[^`]+`|[\w$.]+)", re.I)


_CREATE_INDEX_LINE = re.compile(
    r"CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"
    r"([\w$\"`]+)", re.I)


def _stored(name: str) -> str:
    """A name as the catalog stores it: quoted keeps its case, unquoted folds; no schema."""
    from archkit.schema.parse import _split_name

    return _split_name(name)[0]


def rename_hints(text: str) -> Renames:
    """Renames declared in a schema with ``-- archkit: renamed from old_name``.

    On (or just above) a ``CREATE TABLE`` line it renames the table; on (or just
    above) a column's line it renames that column.
    """
    out = Renames()
    table: str | None = None
    pending: str | None = None
    for raw in text.splitlines():
        hint = _HINT.search(raw)
        code = raw[: hint.start()] if hint else raw.split("--")[0]
        m = CREATE_TABLE_LINE.search(code)
        index = _CREATE_INDEX_LINE.search(code)
        if m:
            table = _stored(m.group(1))
        elif re.match(r"(?i)\s*(CREATE|ALTER|DROP|COMMENT)\b", code):
            table = None  # a statement after the table: no longer inside its columns
        old = _stored(hint.group(1)) if hint else None
        target = old or pending
        if not code.strip():
            pending = target
            continue
        pending = None
        if target is None:
            continue
        if index:
            out.indexes[target] = _stored(index.group(1))
        elif m:
            out.tables[target] = table
        elif table and (inline := re.match(
                r"(?i)\s*(?:UNIQUE\s+)?(?:INDEX|KEY)\s+([\w$]+|\"[^\"]+\"|`[^`]+`)", code)):
            out.indexes[target] = _stored(inline.group(1))
        elif table:
            col = re.match(r"\s*([\w$]+|\"[^\"]+\"|`[^`]+`)", code)
            if col and col.group(1).upper() not in {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK",
                                                     "FOREIGN", "KEY", "INDEX"}:
                out.columns[(table, _stored(col.group(1)))] = _stored(target)
    # columns map (table, new) -> old; turn it into (table, old) -> new
    out.columns = {(t, old): new for (t, new), old in out.columns.items()}
    return out


def parse_renames(items: Iterable[str]) -> Renames:
    """``["carts=baskets", "users.mail=email"]`` → table and column renames."""
    out = Renames()
    for item in items:
        if "=" not in item:
            raise ArchkitError(f"cannot read rename {item!r}",
                               hint="write OLD=NEW for a table or TABLE.OLD=NEW for a column")
        left, new = (s.strip().lower() for s in item.split("=", 1))
        if "." in left:
            table, old = left.rsplit(".", 1)
            out.columns[(table, old)] = new
        else:
            out.tables[left] = new
    return out
