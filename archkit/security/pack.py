"""The security stage's part of ``archkit check`` and of the design pack.

Usage::

    from archkit.security.pack import consistency_findings, write_pack_section
    consistency_findings(Path("examples/order_platform"))    # open threats as findings
    section = write_pack_section(folder, Path("out"))        # out/security/...
    section.summary                                          # lines for the summary page

Files written under ``out/security/``: ``threats.md`` (table and STRIDE per element),
``threats.json``, ``dfd.dot`` (+ ``dfd.svg`` when Graphviz is installed),
``pytm_model.py`` and ``threagile.yaml``. Writes are atomic and deterministic.
"""

from __future__ import annotations

import json
from pathlib import Path

from archkit.design import DesignFolder
from archkit.display import markdown_table
from archkit.findings import Findings
from archkit.pack_section import PackSection

__all__ = ["PackSection", "consistency_findings", "write_pack_section"]


def consistency_findings(folder: Path) -> Findings:
    """What ``archkit check`` reports for security: where the triage and the design disagree.

    Only for a folder that keeps a triage file (``security/threats.yaml``): each open
    high-severity threat (error: nothing in the triage answers it), and triage entries that
    no longer hold (an acceptance past its review date, a mitigation by an ADR that does
    not exist, an entry without its reason). Medium and low threats, and the full list,
    are ``archkit threats``'s to show.
    """
    from archkit.errors import ArchkitError
    from archkit.findings import Finding, Severity
    from archkit.security.report import analyse
    from archkit.security.triage import TRIAGE_FILE, load_triage

    if not (Path(folder) / TRIAGE_FILE).is_file():
        return Findings()
    try:
        load_triage(Path(folder))
    except ArchkitError as err:
        where = err.where
        return Findings([Finding("TM006", Severity.ERROR, f"the triage cannot be read: "
                                 f"{err.message}", str(TRIAGE_FILE), where.line if where else None,
                                 err.hint, file=str(TRIAGE_FILE))])
    try:
        report = analyse(folder)
    except ArchkitError:
        return Findings()  # an unreadable workspace or schema is archkit check's own finding
    found = Findings(f for f in report.findings() if f.code in {t.rule for t in report.open_high}
                     and f.severity.value == "error")
    found.extend(n for n in report.notes if n.code in ("TM002", "TM003", "TM005"))
    return found


def write_pack_section(folder: Path, out: Path) -> PackSection | None:
    """Write ``out/security/`` for the design in ``folder``; return the files and a summary
    (None when the folder has no C4 model)."""
    from archkit.errors import ArchkitError
    from archkit.fsio import atomic_write
    from archkit.security.dfd import dfd_dot, dfd_svg
    from archkit.security.export import to_pytm, to_threagile
    from archkit.security.report import analyse

    if DesignFolder(Path(folder)).workspace is None:
        return None  # no C4 model: nothing to derive threats from (the pack says so)
    section = PackSection("security")
    try:
        report = analyse(folder)
    except ArchkitError as err:
        section.summary = [f"Threats: not analysed ({err})"]
        return section
    base = Path(out) / "security"

    def write(name: str, text: str | bytes) -> None:
        atomic_write(base / name, text)
        section.files.append(f"security/{name}")

    write("threats.md", _markdown(report))
    write("threats.json", json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    write("dfd.dot", dfd_dot(report))
    svg = dfd_svg(report)
    if svg is not None:
        write("dfd.svg", svg)
    write("pytm_model.py", to_pytm(report))
    write("threagile.yaml", to_threagile(report))
    high = report.open_high
    section.summary = [f"Threats: {len(report.threats)} ({len(report.open)} open, "
                       f"{len(high)} open high)"]
    section.summary += [f"Open high threat {t.id}: {t.message}" for t in high]
    section.data = {"threats": len(report.threats), "open": len(report.open),
                    "open_high": [t.to_dict() for t in high]}
    return section


def _markdown(report) -> str:
    from archkit.security.rules import STRIDE

    out = [f"# Threat model: {report.model.name}", "",
           "Derived from the C4 model, the schema and the decisions by `archkit threats`; "
           "triage lives in `security/threats.yaml`.", "", report.to_markdown(), "",
           "## STRIDE per element", "",
           "Applies: the STRIDE categories that apply to the element's kind; raised: the rules "
           "that found a threat there.", ""]
    rows = [[r["name"], r["kind"], r["applies"],
             "; ".join(f"{STRIDE[k]}: {', '.join(v)}" for k, v in r["raised"].items())]
            for r in report.stride()]
    out += [markdown_table(["element", "kind", "applies", "raised"], rows), ""]
    return "\n".join(out)
