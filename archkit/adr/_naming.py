"""How real ADR folders name their files and titles, read without regexes.

Usage::

    parse_file_name("adr-007-use-kafka.md")   # FileName("number", 7, "adr-", 3, "use-kafka")
    parse_file_name("20201016-use-kafka.md")  # FileName("date", 20201016, "", 8, "use-kafka")
    parse_file_name("README.md")              # None (not a record); is_skipped() says so
    parse_title("ADR-001: Use Kafka")         # Title(1, "Use Kafka", "ADR-001: ", dotted=False)

File schemes: ``NNNN-title.md`` (adr-tools, MADR), ``adr-NNN-title.md`` /
``ADR-NNN-title.md``, and log4brains' ``YYYYMMDD-title.md`` (numbered by date
order by the store). Title forms: ``# 1. T``, ``# ADR 1: T``, ``# ADR-001: T``,
``# Architecture Decision Record: T``. Every function scans its input once.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

__all__ = ["FileName", "Title", "SKIPPED", "is_skipped", "parse_file_name", "parse_title",
           "file_number", "new_file_name"]

# Files that sit in ADR folders but are not records (log4brains, MADR, adr-tools).
SKIPPED = ("index.md", "template.md", "readme.md", "adr-template.md", "0000-template.md")

_DASHES = "-_"
_TITLE_SEPS = ":.-–—"  # "ADR 1: T", "ADR-001 - T", "ADR 1. T", en/em dashes


@dataclass(frozen=True)
class FileName:
    """A record's file name cut into scheme, number (or YYYYMMDD), prefix and slug."""

    scheme: str  # "number" or "date"
    number: int
    prefix: str  # "" or "adr-" / "ADR_" as written
    width: int  # digits as written ("007" -> 3)
    slug: str


@dataclass(frozen=True)
class Title:
    """A title heading cut into its number (None if unnumbered), text and prefix."""

    number: int | None
    text: str
    prefix: str  # what precedes the text, verbatim ("3. ", "ADR-001: ", "")
    dotted: bool  # adr-tools' "3. Title" form


def is_skipped(name: str) -> bool:
    """Files in an ADR folder that are never records (index, template, README)."""
    return name.lower() in SKIPPED


def _digits(text: str, start: int) -> int:
    end = start
    while end < len(text) and "0" <= text[end] <= "9":
        end += 1
    return end


def parse_file_name(name: str) -> FileName | None:
    """The scheme of a record's file name, or None when ``name`` is not one."""
    if not name.lower().endswith(".md") or is_skipped(name):
        return None
    stem = name[:-3]
    prefix = ""
    if stem[:3].lower() == "adr":
        sep = 4 if stem[3:4] in ("-", "_") else 3
        prefix = stem[:sep]
    start = len(prefix)
    if not prefix and len(stem) >= 10 and stem[4:5] == stem[7:8] == "-" and _is_date(
        stem[:4] + stem[5:7] + stem[8:10]
    ) and stem[10:11] in ("", "-", "_") and _digits(stem, 0) == 4:
        return FileName("date", int(stem[:4] + stem[5:7] + stem[8:10]), "", 10, stem[11:])
    end = _digits(stem, start)
    if end == start or end - start > 18:
        return None
    if end < len(stem) and stem[end] not in _DASHES:
        return None
    number = int(stem[start:end])
    slug = stem[end + 1:]
    scheme = "date" if not prefix and end - start == 8 and _is_date(stem[start:end]) else "number"
    return FileName(scheme, number, prefix, end - start, slug)


def file_number(name: str) -> int | None:
    """The record number a file name states (None for dated and unnumbered names)."""
    parsed = parse_file_name(name.rsplit("/", 1)[-1])
    return parsed.number if parsed and parsed.scheme == "number" else None


def new_file_name(existing: list[FileName], number: int, slug: str, today: str) -> str:
    """A new record's file name in the scheme most of ``existing`` use (else ``NNNN-slug``)."""
    if existing:
        dated = [f for f in existing if f.scheme == "date"]
        if len(dated) * 2 > len(existing):
            dashed = sum(f.width == 10 for f in dated) * 2 > len(dated)
            return f"{today if dashed else today.replace('-', '')}-{slug}.md"
        numbered = [f for f in existing if f.scheme == "number"]
        prefixes = [f.prefix for f in numbered]
        prefix = max(sorted(set(prefixes)), key=prefixes.count)
        width = max(f.width for f in numbered if f.prefix == prefix)
        return f"{prefix}{number:0{min(width, 4) if prefix else 4}d}-{slug}.md"
    return f"{number:04d}-{slug}.md"


def _is_date(digits: str) -> bool:
    if len(digits) != 8 or not digits.isdigit() or not "1970" <= digits[:4] <= "2999":
        return False
    try:
        _dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return True


def parse_title(heading: str) -> Title:
    """A first-level heading's number, text and prefix, in any of the known forms."""
    text = heading
    end = _digits(text, 0)
    if 0 < end <= 18 and text[end:end + 1] == ".":
        rest = text[end + 1:]
        body = rest.lstrip()
        if body != rest:  # "3. T" needs a space after the dot ("3.5 release" is a title)
            return Title(int(text[:end]), body, text[: len(text) - len(body)], True)
    low = text.lower()
    pos = 0
    if low.startswith("architecture decision record"):
        pos = len("architecture decision record")
    elif low.startswith("adr") and not low[3:4].isalpha():
        pos = 3
    else:
        return Title(None, text, "", False)
    while pos < len(text) and text[pos] in " -_#":
        pos += 1
    start = pos
    pos = _digits(text, pos)
    number = int(text[start:pos]) if 0 < pos - start <= 18 else None
    if pos - start > 18:
        return Title(None, text, "", False)
    before_sep = pos
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    if pos < len(text) and text[pos] in _TITLE_SEPS:
        pos += 1
    elif number is None or pos == before_sep:
        return Title(None, text, "", False)  # "ADR tooling" or "ADR1x" is a plain title
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    body = text[pos:]
    if not body.strip():
        return Title(None, text, "", False)
    return Title(number, body, text[:pos], False)
