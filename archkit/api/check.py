"""``check_spec``: read, validate and lint one API document — the library face of ``api check``.

Usage::

    report = check_spec("examples/order_platform/api/openapi.yaml")
    report.findings          # a table in Jupyter; report.valid is False on validity errors
    report.to_dict()   # {"findings": [{"code", "kind", "severity", "message", "path", ...}]}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archkit.api.lint import LintConfig, lint_spec
from archkit.api.rules import RULES, kind_of
from archkit.api.source import Spec, load_spec
from archkit.api.validate import validate_spec
from archkit.findings import Finding, Findings

__all__ = ["ApiReport", "check_spec", "finding_dict"]


def finding_dict(f: Finding) -> dict:
    """One finding in the JSON shape of ``api check --json``."""
    rule = RULES.get(f.code)
    return {"code": f.code, "kind": kind_of(f.code), "severity": str(f.severity),
            "message": f.message, "path": f.object, "line": f.line, "file": f.file,
            "why": rule.why if rule else None, "fix": f.fix}


@dataclass
class ApiReport:
    """What ``check_spec`` found: the document and its validity and lint findings."""

    spec: Spec
    findings: Findings

    @property
    def valid(self) -> bool:
        """True when no validity finding is an error (lint does not make a document invalid)."""
        return not any(kind_of(f.code) == "validity" and f.severity == "error"
                       for f in self.findings)

    def to_dict(self) -> dict:
        return {"findings": [finding_dict(f) for f in self.findings]}

    def _headline(self) -> str:
        return (f"{self.spec.kind} {self.spec.version} — "
                f"{'valid' if self.valid else 'not valid'}, {len(self.findings)} finding(s)")

    def _repr_markdown_(self) -> str:
        return f"**{self._headline()}**\n\n" + self.findings.to_markdown()

    def _repr_html_(self) -> str:
        """The headline and the findings table; JSON pointers' ``$ref`` never typeset as maths."""
        from archkit.display import NO_MATHS, escape_html_text

        return (f'<p class="{NO_MATHS}"><b>{escape_html_text(self._headline())}</b></p>'
                + self.findings._repr_html_())


def check_spec(spec: str | Path | Spec, config: LintConfig | None = None, *,
               lint: bool = True) -> ApiReport:
    """Validate (API0xx) then lint (API1xx) a document (OpenAPI or AsyncAPI)."""
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    found = validate_spec(spec)
    if lint:
        disabled = config.disable if config else set()
        found = Findings([f for f in found if f.code not in disabled])
        found.extend(lint_spec(spec, config))
    return ApiReport(spec, found)
