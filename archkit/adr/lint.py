"""Lint a folder of decision records: what a reviewer would catch, with stable codes.

Usage::

    findings = lint(AdrStore(Path("doc/adr")).all(), today="2026-11-26", max_open_days=30)
    findings.errors      # -> [] when CI may pass

Codes (severity): ADR001 unreadable record (error) · ADR002 status outside the
vocabulary (warning) · ADR003 date not ISO 8601 (error) · ADR004 section or
field the template requires is missing (error; warning for MADR's optional
status) · ADR005 number in the file name and the title disagree (error) ·
ADR006 file name does not match the title (warning) · ADR007 duplicate number
(error) · ADR008 link to a record that does not exist (error) · ADR009 one-way
link (warning) · ADR010 text kept verbatim (info, from reading) · ADR011
proposal open too long (warning) · ADR012 chosen option not among the
considered options (warning) · ADR013 superseded without a "superseded by"
link (warning) · ADR014 a .md file in the folder that is not a record (info, from reading).
"""

from __future__ import annotations

import datetime as _dt
import re

from archkit.adr._naming import parse_file_name
from archkit.adr.dialects import dialect_of
from archkit.adr.model import STATUSES, Record, relation_of, slugify
from archkit.findings import Finding, Findings, Severity

__all__ = ["lint", "CODES", "REQUIRED"]

CODES = {
    "ADR001": "unreadable record",
    "ADR002": "status outside the vocabulary",
    "ADR003": "date not ISO 8601",
    "ADR004": "required section missing",
    "ADR005": "file number and title number disagree",
    "ADR006": "file name does not match the title",
    "ADR007": "duplicate number",
    "ADR008": "dangling link",
    "ADR009": "one-way link",
    "ADR010": "text kept verbatim",
    "ADR011": "proposal open too long",
    "ADR012": "chosen option not considered",
    "ADR013": "superseded without a link",
    "ADR014": "file not read (no record number in its name)",
}

# Sections each template requires, by section key -> heading to name in the fix.
REQUIRED = {
    "nygard": {"status": "Status", "context": "Context", "outcome": "Decision",
               "consequences": "Consequences"},
    "madr": {"context": "Context and Problem Statement", "options": "Considered Options",
             "outcome": "Decision Outcome"},
}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def lint(records: list[Record], *, today: str | None = None, max_open_days: int = 30,
         findings: Findings | None = None) -> Findings:
    """Every finding about ``records``, sorted by file then code."""
    out = Findings(findings or [])
    by_number: dict[int, list[Record]] = {}
    for rec in records:
        if rec.number is not None:
            by_number.setdefault(rec.number, []).append(rec)
    today_d = _dt.date.fromisoformat(today) if today else _dt.date.today()
    # each record's links as a set: "is there a link back?" in constant time
    backs = {id(rec): {(lk.target, lk.relation) for lk in rec.links} for rec in records}
    for rec in records:
        out.extend(_one(rec, today_d, max_open_days))
        out.extend(_links(rec, by_number, backs))
    for number, recs in sorted(by_number.items()):
        if len(recs) > 1:
            for rec in recs[1:]:
                out.append(_f(rec, "ADR007", Severity.ERROR,
                              f"number {number} is also used by {recs[0].file}",
                              "renumber one of them to the next free number"))
    unique = {(f.file, f.code, f.object, f.message): f for f in out}  # reading may say it too
    return Findings(sorted(unique.values(), key=lambda f: (f.file or "", f.code, f.line or 0,
                                                           f.message)))


def _f(rec: Record, code: str, severity: Severity, message: str, fix: str,
       line: int | None = None) -> Finding:
    return Finding(code, severity, message, object=rec.id, line=line, fix=fix, file=rec.file)


def _one(rec: Record, today: _dt.date, max_open_days: int) -> list[Finding]:
    out: list[Finding] = []
    dialect = dialect_of(rec)
    if "order" not in rec.layout:  # built in code: lint what the writer would put on disk
        from archkit.adr.dialects import dumps, loads

        number = rec.number
        rec = loads(dumps(rec), file=rec.file)[0]
        rec.number = number
    present = {key for key, _ in rec.layout.get("order", [])}
    for key, heading in REQUIRED.get(dialect, {}).items():
        if key not in present:
            out.append(_f(rec, "ADR004", Severity.ERROR, f"no '## {heading}' section",
                          f"add a '## {heading}' section as in the template"))
    if not rec.status:
        severity = Severity.ERROR if dialect == "nygard" else Severity.WARNING
        out.append(_f(rec, "ADR004", severity, "no status",
                      "give the record a status: " + ", ".join(STATUSES)))
    elif rec.status_kind not in STATUSES:
        out.append(_f(rec, "ADR002", Severity.WARNING,
                      f"status '{rec.status}' is not in the vocabulary (kept as written)",
                      "use one of: " + ", ".join(STATUSES)))
    if rec.date is None:
        if dialect == "nygard":
            out.append(_f(rec, "ADR004", Severity.ERROR, "no 'Date:' line",
                          "add 'Date: YYYY-MM-DD' under the title"))
    elif not _ISO.match(rec.date) or not _valid_date(rec.date):
        out.append(_f(rec, "ADR003", Severity.ERROR, f"date '{rec.date}' is not YYYY-MM-DD",
                      "write the date as ISO 8601, e.g. 2026-11-26"))
    elif rec.status_kind in ("proposed", "draft"):
        age = (today - _dt.date.fromisoformat(rec.date)).days
        if age > max_open_days:
            out.append(_f(rec, "ADR011", Severity.WARNING,
                          f"{rec.status_kind} for {age} days (limit {max_open_days})",
                          "accept or reject it, or update its date"))
    title_number = rec.layout.get("title_number")
    if title_number is not None:
        out.append(_f(rec, "ADR005", Severity.ERROR,
                      f"title says {title_number}, file name says {rec.number}",
                      "make the file name and the title use the same number", line=1))
    if rec.file and rec.number is not None:
        from archkit.adr.index import plain_title

        name = rec.file.rsplit("/", 1)[-1]
        named = parse_file_name(name)
        want = slugify(plain_title(rec.title))
        if named is not None and named.slug.lower() != want:
            prefix = name[: len(name) - 3 - len(named.slug)]  # "adr-007-", "20201016-"
            if not prefix.endswith(("-", "_")):
                prefix += "-"
            out.append(_f(rec, "ADR006", Severity.WARNING,
                          f"file name '{rec.file}' does not match the title",
                          f"rename to {prefix}{want}.md"))
    if rec.chosen and rec.options and rec.chosen_option() is None:
        out.append(_f(rec, "ADR012", Severity.WARNING,
                      f"chosen option '{rec.chosen}' is not among the considered options",
                      "list it under 'Considered Options' or fix its name"))
    if rec.status_kind == "superseded" and not rec.superseded_by and not re.search(
        r"\d", rec.status
    ):
        out.append(_f(rec, "ADR013", Severity.WARNING,
                      "superseded, but no record says what supersedes it",
                      "add a 'Superseded by' link to the newer record"))
    return out


def _links(rec: Record, by_number: dict[int, list[Record]],
           backs: dict[int, set[tuple[int, str]]]) -> list[Finding]:
    out: list[Finding] = []
    for link in rec.links:
        targets = by_number.get(link.target)
        if not targets:
            out.append(_f(rec, "ADR008", Severity.ERROR,
                          f"'{link.kind}' links to ADR {link.target}, which does not exist",
                          "fix the number or remove the link"))
            continue
        target = targets[0]
        if link.target_file and target.file and link.target_file.rsplit("/", 1)[-1] != (
            target.file
        ):
            out.append(_f(rec, "ADR008", Severity.ERROR,
                          f"'{link.kind}' points at {link.target_file}, but ADR "
                          f"{link.target} is {target.file}",
                          f"point the link at {target.file}"))
        back = relation_of(link.reverse_kind)
        if (rec.number, back) not in backs.get(id(target), ()):
            out.append(_f(rec, "ADR009", Severity.WARNING,
                          f"'{link.kind}' ADR {link.target}, but ADR {link.target} has no "
                          f"'{link.reverse_kind}' link back",
                          f"add '{link.reverse_kind}' to {target.file or target.id}"))
    return out


def _valid_date(text: str) -> bool:
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
