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
from dataclasses import dataclass, field
from pathlib import Path

from archkit.display import markdown_table
from archkit.findings import Findings

__all__ = ["PackSection", "consistency_findings", "write_pack_section"]


@dataclass(slots=True)
class PackSection:
    """What a stage added to the pack: files (relative to out), summary lines, summary data."""

    name: str
    files: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)


def consistency_findings(folder: Path) -> Findings:
    """Open threats of the design folder (open high → error), plus notes on its triage file."""
    from archkit.security.report import analyse

    return analyse(folder).findings()


def write_pack_section(folder: Path, out: Path) -> PackSection:
    """Write ``out/security/`` for the design in ``folder``; return the files and a summary."""
    from archkit.fsio import atomic_write
    from archkit.security.dfd import dfd_dot, dfd_svg
    from archkit.security.export import to_pytm, to_threagile
    from archkit.security.report import analyse

    report = analyse(folder)
    section = PackSection("security")
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
