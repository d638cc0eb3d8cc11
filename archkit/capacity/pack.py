"""The capacity stage's part of ``archkit check`` and of the design pack.

Usage::

    from archkit.capacity.pack import consistency_findings, write_pack_section
    consistency_findings(folder)                 # CP101 where the deployment view disagrees
    write_pack_section(folder, Path("out"))      # out/capacity/plan.md, plan.json, latency.svg
"""

from __future__ import annotations

import json
from pathlib import Path

from archkit.design import DesignFolder
from archkit.findings import Findings
from archkit.pack_section import PackSection

__all__ = ["consistency_findings", "write_pack_section"]


def consistency_findings(folder: Path) -> Findings:
    """What ``archkit check`` reports for capacity: budgets no instance count can meet
    (CP105), pools beyond the database's connection limit (CP102), and capacity.yaml entries
    it could not use (CP100). Instance counts against the deployment view (CP101) are
    ``archkit capacity``'s and the pack's: ``archkit check`` compares them already (DC401)."""
    from archkit.capacity.plan import ASSUMPTIONS_FILE, plan_capacity
    from archkit.errors import ArchkitError
    from archkit.findings import Finding, Severity

    try:
        plan = plan_capacity(folder)
    except ArchkitError as err:
        where = err.where
        if where is None or not str(where.file or "").endswith(ASSUMPTIONS_FILE):
            return Findings()  # an unreadable workspace or requirements is archkit check's own
        return Findings([Finding("CP100", Severity.ERROR, err.message, ASSUMPTIONS_FILE,
                                 where.line, err.hint, file=ASSUMPTIONS_FILE)])
    return Findings(f for f in plan.findings if f.code in ("CP100", "CP102", "CP105"))


def write_pack_section(folder: Path, out: Path) -> PackSection | None:
    """Write ``out/capacity/`` (plan.md, plan.json, latency.svg) and return a summary
    (None when the folder has no C4 model)."""
    from archkit.capacity.chart import latency_chart
    from archkit.capacity.plan import plan_capacity
    from archkit.errors import ArchkitError
    from archkit.fsio import atomic_write

    if DesignFolder(Path(folder)).workspace is None:
        return None  # no C4 model: no containers to size
    section = PackSection("capacity")
    try:
        plan = plan_capacity(folder)
    except ArchkitError as err:
        section.summary = [f"Capacity: not planned ({err})"]
        return section
    base = Path(out) / "capacity"
    for name, text in (("plan.md", plan.to_markdown() + "\n"),
                       ("plan.json", json.dumps(plan.to_dict(), indent=2,
                                                ensure_ascii=False) + "\n"),
                       ("latency.svg", latency_chart(plan).svg + "\n")):
        atomic_write(base / name, text)
        section.files.append(f"capacity/{name}")
    mismatches = plan.mismatches
    section.summary = [f"Capacity: {len(plan.containers)} containers sized, "
                       f"{len(mismatches)} mismatch(es) with the deployment view"]
    section.summary += [f"Capacity mismatch: {f.message}" for f in mismatches]
    section.data = {"containers": {c.id: {"planned": c.planned, "deployed": c.deployed}
                                   for c in plan.containers},
                    "mismatches": [f.to_dict() for f in mismatches]}
    return section
