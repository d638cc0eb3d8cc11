"""The capacity stage's part of ``archkit check`` and of the design pack.

Usage::

    from archkit.capacity.pack import consistency_findings, write_pack_section
    consistency_findings(folder)                 # CP101 where the deployment view disagrees
    write_pack_section(folder, Path("out"))      # out/capacity/plan.md, plan.json, latency.svg
"""

from __future__ import annotations

import json
from pathlib import Path

from archkit.findings import Findings
from archkit.security.pack import PackSection

__all__ = ["consistency_findings", "write_pack_section"]


def consistency_findings(folder: Path) -> Findings:
    """The capacity plan's findings: mismatches with the deployment view, pools, budgets."""
    from archkit.capacity.plan import plan_capacity

    return Findings(plan_capacity(folder).findings)


def write_pack_section(folder: Path, out: Path) -> PackSection:
    """Write ``out/capacity/`` (plan.md, plan.json, latency.svg) and return a summary."""
    from archkit.capacity.chart import latency_chart
    from archkit.capacity.plan import plan_capacity
    from archkit.fsio import atomic_write

    plan = plan_capacity(folder)
    section = PackSection("capacity")
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
