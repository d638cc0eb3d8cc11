"""The ADR dialects by name: MADR 4 and adr-tools (Nygard); read and write text.

Usage::

    from archkit.adr.dialects import loads, dumps
    record, findings = loads(Path("0002-use-kafka.md").read_text(), file="0002-use-kafka.md")
    print(dumps(record, "nygard"))

Reading accepts MADR 4 front matter, older MADR / log4brains bullet metadata
(``* Status: accepted``) and adr-tools files; the dialect is detected.
"""

from __future__ import annotations

from archkit.adr._codec import DIALECTS, MADR, NYGARD, Dialect, detect, read, write
from archkit.adr.model import Record
from archkit.errors import ArchkitError, Where
from archkit.findings import Findings

__all__ = ["DIALECTS", "MADR", "NYGARD", "Dialect", "detect", "loads", "dumps", "dialect_of"]


def loads(text: str, file: str | None = None, dialect: str | None = None
          ) -> tuple[Record, Findings]:
    """Parse one record's text; ``dialect`` None detects it."""
    if dialect and dialect not in DIALECTS:
        raise ArchkitError(f"unknown ADR dialect '{dialect}'", where=Where(file),
                           hint="use 'madr' or 'nygard' (or leave it out to detect it)")
    return read(text, file, DIALECTS[dialect] if dialect else None)


def dumps(record: Record, dialect: str | None = None) -> str:
    """Render a record; ``dialect`` None keeps the one it was read in (else MADR)."""
    return write(record, dialect or dialect_of(record))


def dialect_of(record: Record) -> str:
    """The dialect a record was read in ('madr' for records built in code)."""
    return record.layout.get("dialect", "madr")
