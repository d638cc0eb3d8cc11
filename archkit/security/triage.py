"""Threat triage that lasts: ``security/threats.yaml`` in the design folder.

Usage::

    from archkit.security.triage import load_triage, apply_triage, set_status
    triage = load_triage(folder)                     # {} when there is no file
    notes = apply_triage(threats, triage)            # statuses on the threats; stale entries
    set_status(folder, "TM108-9838d546", "accepted",
               reason="provider refs are global by design", review="2027-06-30")
    accepted_to_adr(folder, threat)                  # a MADR draft for an accepted risk

The file maps threat ids to ``status`` (open | mitigated | accepted | not-applicable)
and its reasons: ``by`` (an ADR or a control) for mitigated, ``reason`` and ``review``
(YYYY-MM-DD) for accepted, ``reason`` for not-applicable. An accepted risk past its
review date counts as open again. Entries whose threat no longer appears are kept.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity

__all__ = ["STATUSES", "TRIAGE_FILE", "accepted_to_adr", "apply_triage", "dump_triage",
           "load_triage", "set_status"]

TRIAGE_FILE = Path("security") / "threats.yaml"
STATUSES = ("open", "mitigated", "accepted", "not-applicable")
_REASONS = ("by", "reason", "review")
_REASONS_FOR = {"open": (), "mitigated": ("by",), "accepted": ("reason", "review"),
                "not-applicable": ("reason",)}
_HEADER = """\
# Threat triage: `archkit threats DIR` keys each threat by its stable id.
# status: open | mitigated (by: an ADR or a control) | accepted (reason, review: YYYY-MM-DD)
#         | not-applicable (reason). Entries for threats that disappear are kept.
"""


def load_triage(folder: Path | None) -> dict[str, dict]:
    """The triage entries of ``folder`` by threat id (errors name the line)."""
    if folder is None or not (Path(folder) / TRIAGE_FILE).is_file():
        return {}
    from archkit.brainstorm.yamlio import line_of, read_yaml

    path = Path(folder) / TRIAGE_FILE
    data = read_yaml(path) or {}
    entries = data.get("threats") if isinstance(data, dict) else None
    if entries is None:
        return {}
    if not isinstance(entries, dict):
        raise ArchkitError("'threats' must map threat ids to their triage",
                           where=Where(str(path), line_of(data)),
                           hint="write 'threats:' then 'TM101-abcd1234: {status: mitigated, ...}'")
    out = {}
    for tid, entry in entries.items():
        where = Where(str(path), line_of(entry) or line_of(entries))
        if not isinstance(entry, dict):
            raise ArchkitError(f"triage of {tid} must be a mapping", where=where,
                               hint="write 'status: mitigated' and 'by: ADR 0005' under it")
        status = str(entry.get("status", "open"))
        if status not in STATUSES:
            raise ArchkitError(f"unknown status {status!r} for {tid}", where=where,
                               hint=f"use one of {', '.join(STATUSES)}")
        clean = {k: _plain(v) for k, v in entry.items()}
        clean["status"] = status
        clean["line"] = line_of(entry)
        out[str(tid)] = clean
    return out


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def apply_triage(threats: list, triage: dict[str, dict], *, source: str = str(TRIAGE_FILE),
                 today: dt.date | None = None, adrs: set[int] | None = None) -> Findings:
    """Set each threat's status from ``triage``; findings for incomplete or stale entries.

    ``adrs`` (the numbers of the design's ADRs), when given, checks ``by: ADR N``.
    """
    today = today or dt.date.today()
    notes = Findings()
    known = {t.id for t in threats}
    for t in threats:
        entry = triage.get(t.id)
        if not entry:
            continue
        t.triage = {k: v for k, v in entry.items() if k != "line"}
        t.status = entry["status"]
        line = entry.get("line")
        if t.status == "mitigated" and not entry.get("by"):
            notes.append(Finding("TM002", Severity.WARNING, f"{t.id} is mitigated by nothing",
                                 t.id, line, "say what mitigates it: by: ADR 0005 or a control",
                                 file=source))
            t.status = "open"
        elif t.status == "mitigated" and adrs is not None and _missing_adr(entry["by"], adrs):
            notes.append(Finding("TM005", Severity.WARNING,
                                 f"{t.id} is mitigated by {entry['by']}, which is not in the "
                                 "design's ADRs", t.id, line,
                                 "write that ADR (archkit adr new) or name the control",
                                 file=source))
        elif t.status == "accepted":
            review = _date(entry.get("review"))
            if not entry.get("reason") or review is None:
                notes.append(Finding("TM002", Severity.WARNING,
                                     f"{t.id} is accepted without a reason and a review date",
                                     t.id, line, "add reason: ... and review: YYYY-MM-DD",
                                     file=source))
                t.status = "open"
            elif review < today:
                notes.append(Finding("TM003", Severity.WARNING,
                                     f"the acceptance of {t.id} was due for review on {review}",
                                     t.id, line, "review the risk and set a new review date",
                                     file=source))
                t.status = "open"
        elif t.status == "not-applicable" and not entry.get("reason"):
            notes.append(Finding("TM002", Severity.WARNING,
                                 f"{t.id} is not applicable, with no reason", t.id, line,
                                 "add reason: ...", file=source))
            t.status = "open"
    for tid in sorted(set(triage) - known):
        notes.append(Finding("TM004", Severity.INFO,
                             f"triage entry {tid} matches no current threat (kept)", tid,
                             triage[tid].get("line"),
                             "delete it if the threat is gone for good", file=source))
    return notes


def _missing_adr(by: Any, adrs: set[int]) -> bool:
    m = re.match(r"\s*ADR[- ]?0*(\d+)\b", str(by), re.I)
    return m is not None and int(m.group(1)) not in adrs


def adr_numbers(folder: Path) -> set[int]:
    """Numbers of the ADRs in the design folder's ADR directory (empty when there is none)."""
    from archkit.adr import find_adr_dir

    adr_dir = find_adr_dir(Path(folder))
    return {int(p.name[:4]) for p in adr_dir.glob("[0-9][0-9][0-9][0-9]-*.md")} \
        if adr_dir.is_dir() else set()


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def dump_triage(entries: dict[str, dict]) -> str:
    """The triage file's text: the header, then entries sorted by id (deterministic)."""
    import yaml

    order = ("rule", "element", "status", "by", "reason", "review", "adr", "note")
    body = {}
    for tid in sorted(entries):
        entry = {k: v for k, v in entries[tid].items() if k != "line" and v not in (None, "")}
        body[tid] = {k: entry[k] for k in [*order, *sorted(set(entry) - set(order))]
                     if k in entry}
    text = yaml.safe_dump({"threats": body}, sort_keys=False, allow_unicode=True, width=96)
    return _HEADER + text


def set_status(folder: Path, threat_id: str, status: str, *, rule: str | None = None,
               element: str | None = None, **fields: str) -> Path:
    """Record the triage of one threat in ``folder/security/threats.yaml`` (atomic write)."""
    from archkit.fsio import atomic_write

    if status not in STATUSES:
        raise ArchkitError(f"unknown status {status!r}", hint=f"use one of {', '.join(STATUSES)}")
    if not re.fullmatch(r"TM\d{3}-[0-9a-f]{8}", threat_id):
        raise ArchkitError(f"{threat_id!r} is not a threat id",
                           hint="ids look like TM101-5a1565a7 (archkit threats DIR --json)")
    entries = load_triage(folder)
    entry = dict(entries.get(threat_id, {}))
    entry.update({"rule": rule or entry.get("rule") or threat_id.split("-")[0],
                  "element": element or entry.get("element"), "status": status})
    entry.update({k: v for k, v in fields.items() if v is not None})
    for key in set(_REASONS) - set(_REASONS_FOR[status]) - set(fields):
        entry.pop(key, None)  # a mitigation's "by" says nothing about an acceptance
    entries[threat_id] = entry
    path = Path(folder) / TRIAGE_FILE
    if path.is_file() and re.search(r"^threats:[ \t]*$", path.read_text(encoding="utf-8"), re.M):
        # Rewrite only this entry's lines: comments and other entries stay as written.
        atomic_write(path, _put_entry(path.read_text(encoding="utf-8"), threat_id, entry))
    else:
        atomic_write(path, dump_triage(entries))
    return path


def _put_entry(text: str, threat_id: str, entry: dict) -> str:
    """``text`` with the block of ``threat_id`` under ``threats:`` replaced (or appended)."""
    block = dump_triage({threat_id: entry}).split("threats:\n", 1)[1]
    lines = text.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines)
                  if re.match(rf"^(\s+){re.escape(threat_id)}\s*:", ln)), None)
    if start is None:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        return "".join(lines) + block
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines):
        ln = lines[end]
        if ln.strip() and len(ln) - len(ln.lstrip()) <= indent:
            break
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # blank lines before the next entry stay with it
    pad = " " * (indent - 2) if indent > 2 else ""
    block = "".join(pad + ln for ln in block.splitlines(keepends=True))
    return "".join(lines[:start]) + block + "".join(lines[end:])


def accepted_to_adr(folder: Path, threat: Any, *, date: str | None = None) -> Path:
    """A MADR draft recording an accepted risk (rerun: the same record, not a second one)."""
    from archkit.adr import AdrStore, Record, md

    entry = threat.triage or {}
    if threat.status != "accepted":
        raise ArchkitError(f"{threat.id} is {threat.status}, not accepted",
                           hint="accept it first: set_status(folder, id, 'accepted', ...)")
    title = f"Accept the risk {threat.id}: {threat.title}"
    store = AdrStore.open(Path(folder))
    found = store.find(title)
    if found is None:
        record = Record(
            number=None, title=md(title),
            context=md(f"Threat {threat.id} ({threat.rule}, STRIDE {threat.stride}, "
                       f"{threat.severity}): {threat.message}. Why it matters: "
                       f"{_rules()[threat.rule].why}."),
            decision=md(f"We accept this risk: {entry.get('reason', '')}. "
                        f"We review it by {entry.get('review', '?')}."),
            consequences_text=md(f"The usual fix stays open: {threat.fix}."),
        )
        found = store.new(title, status="proposed", record=record, date=date)
    return store.folder / found.file


def _rules():
    from archkit.security.rules import RULES

    return RULES
