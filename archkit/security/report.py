"""One call from a design folder (or a .dsl file) to triaged threats: :func:`analyse`.

Usage::

    from archkit.security import analyse
    report = analyse("examples/order_platform")
    report.open_high            # the threats that fail CI
    report                      # a sortable table in Jupyter (Markdown)
    report.to_dict()            # {"threats": [{"id", "rule", "stride", "severity", ...}]}
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archkit.display import escape_markdown, markdown_table
from archkit.findings import Finding, Findings, Severity

__all__ = ["ThreatReport", "analyse"]

_FINDING_SEVERITY = {"high": Severity.ERROR, "medium": Severity.WARNING, "low": Severity.INFO}


@dataclass(slots=True)
class ThreatReport:
    """The threat model, its threats (with triage applied) and notes on the inputs."""

    design: Any
    model: Any
    threats: list = field(default_factory=list)
    notes: Findings = field(default_factory=Findings)

    @property
    def open(self) -> list:
        return [t for t in self.threats if t.status == "open"]

    @property
    def open_high(self) -> list:
        return [t for t in self.open if t.severity == "high"]

    def by_rule(self) -> dict[str, int]:
        return dict(sorted(Counter(t.rule for t in self.threats).items()))

    @property
    def raw_hits(self) -> int:
        """Findings before de-duplication: one per C4 relationship (components included) or
        element a cause stands for."""
        return sum(t.merged for t in self.threats)

    def get(self, threat_id: str):
        return next((t for t in self.threats if t.id == threat_id), None)

    def stride(self) -> list[dict]:
        from archkit.security.rules import stride_table

        return stride_table(self.model, self.threats)

    def findings(self) -> Findings:
        """Open threats as findings (high → error), then notes on the triage and inputs."""
        out = Findings(
            Finding(t.rule, _FINDING_SEVERITY[t.severity], f"{t.id}: {t.message}", t.element,
                    fix=t.fix)
            for t in self.open)
        out.extend(self.notes)
        return out

    def to_dict(self) -> dict:
        return {
            "threats": [t.to_dict() for t in self.threats],
            "summary": {"threats": len(self.threats), "raw_hits": self.raw_hits,
                        "open": len(self.open), "open_high": len(self.open_high),
                        "by_rule": self.by_rule(),
                        "by_status": dict(sorted(Counter(t.status for t in self.threats)
                                                 .items()))},
            "notes": [f.to_dict() for f in self.notes],
        }

    def to_text(self) -> str:
        lines = [f"{self.model.name}: {len(self.threats)} threats ({self.raw_hits} raw hits "
                 f"de-duplicated), {len(self.open)} open, {len(self.open_high)} open high"]
        for t in self.threats:
            lines.append(f"{t.id} {t.severity:<6} {t.status:<14} [{t.element}] {t.message}")
        lines += [str(f) for f in self.notes]
        return "\n".join(lines)

    def rows(self) -> list[list[str]]:
        return [[t.id, t.severity, t.status, t.stride, t.element, t.message, t.fix]
                for t in self.threats]

    def to_markdown(self) -> str:
        head = (f"**{escape_markdown(self.model.name)}** — {len(self.threats)} threats "
                f"({self.raw_hits} raw hits de-duplicated), {len(self.open)} open, "
                f"**{len(self.open_high)} open high**")
        table = markdown_table(["id", "severity", "status", "STRIDE", "element", "threat",
                                "fix"], self.rows())
        notes = ("\n\n" + self.notes.to_markdown()) if self.notes else ""
        return f"{head}\n\n{table}{notes}"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def analyse(path: str | Path, *, today: dt.date | None = None) -> ThreatReport:
    """Threats of the design at ``path`` (a folder or a .dsl file), triage applied."""
    from archkit.security.inputs import load_design
    from archkit.security.model import build_threat_model
    from archkit.security.rules import find_threats
    from archkit.security.triage import TRIAGE_FILE, adr_numbers, apply_triage, load_triage

    design = load_design(path)
    model = build_threat_model(design.workspace, design.catalog, design.classifications)
    threats = find_threats(model, design)
    report = ThreatReport(design, model, threats, Findings(design.notes))
    if design.folder is not None:
        triage = load_triage(design.folder)
        report.notes.extend(apply_triage(threats, triage, today=today,
                                         source=str(design.folder / TRIAGE_FILE),
                                         adrs=adr_numbers(design.folder)))
    return report
