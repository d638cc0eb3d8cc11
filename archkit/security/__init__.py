"""Security review of a design: a threat model from the C4 model, rules, triage, exports.

Usage::

    from archkit.security import analyse, set_status
    report = analyse("examples/order_platform")     # or a Structurizr .dsl file
    report.open_high                                 # open high-severity threats
    set_status(folder, report.threats[0].id, "mitigated", by="ADR 0005")
    to_pytm(report), to_threagile(report)            # carry on in pytm or Threagile

Modules: ``inputs`` (the design folder), ``model`` (C4 → data-flow diagram), ``assets``
(PII, credentials, payment data from the schema), ``rules`` (TM101–TM120), ``triage``
(security/threats.yaml), ``report``, ``export``, ``dfd`` (the diagram), ``pack``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover
    from archkit.security.dfd import dfd_diagram, dfd_dot, dfd_svg
    from archkit.security.export import to_pytm, to_threagile
    from archkit.security.inputs import Design, load_design
    from archkit.security.model import ThreatModel, build_threat_model
    from archkit.security.pack import consistency_findings, write_pack_section
    from archkit.security.report import ThreatReport, analyse
    from archkit.security.rules import RULES, Threat
    from archkit.security.triage import accepted_to_adr, load_triage, set_status

__all__ = [
    "RULES",
    "Design",
    "Threat",
    "ThreatModel",
    "ThreatReport",
    "accepted_to_adr",
    "analyse",
    "build_threat_model",
    "consistency_findings",
    "dfd_diagram",
    "dfd_dot",
    "dfd_svg",
    "load_design",
    "load_triage",
    "set_status",
    "to_pytm",
    "to_threagile",
    "write_pack_section",
]

_LAZY = {
    "RULES": "archkit.security.rules",
    "Design": "archkit.security.inputs",
    "Threat": "archkit.security.rules",
    "ThreatModel": "archkit.security.model",
    "ThreatReport": "archkit.security.report",
    "accepted_to_adr": "archkit.security.triage",
    "analyse": "archkit.security.report",
    "build_threat_model": "archkit.security.model",
    "consistency_findings": "archkit.security.pack",
    "dfd_diagram": "archkit.security.dfd",
    "dfd_dot": "archkit.security.dfd",
    "dfd_svg": "archkit.security.dfd",
    "load_design": "archkit.security.inputs",
    "load_triage": "archkit.security.triage",
    "set_status": "archkit.security.triage",
    "to_pytm": "archkit.security.export",
    "to_threagile": "archkit.security.export",
    "write_pack_section": "archkit.security.pack",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
