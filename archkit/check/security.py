"""Workshop check cell for the security stage: does your partner link cross boundaries safely?

Usage (in a notebook)::

    import archkit.check
    archkit.check.secure_partner_flows(my_workspace)
"""

from __future__ import annotations

from archkit.check.result import CheckResult

__all__ = ["secure_partner_flows"]


def secure_partner_flows(workspace) -> CheckResult:
    """External systems reach you over TLS, through a service, never straight to a store."""
    from archkit.security.model import build_threat_model
    from archkit.security.rules import find_threats

    ws = workspace.build() if hasattr(workspace, "build") else workspace
    result = CheckResult("secure_partner_flows")
    tm = build_threat_model(ws)
    partners = [n for n in tm.nodes.values() if n.role == "system"]
    if not result.expect(bool(partners), "there is an external system",
                         "add the partner: mine.system('Warehouse System', ..., external=True)"):
        return result
    inbound = [f for f in tm.flows if tm.nodes[f.source].role == "system"
               and tm.nodes[f.destination].kind != "external"]
    result.expect(bool(inbound), "the partner sends something into your system",
                  "keep the partner's link: warehouse.uses(<a container>, '...', '...')")
    found = {t.rule: t for t in find_threats(tm)}
    result.expect("TM104" not in found, "no data store is reached from outside its boundary",
                  "let the partner call a service (the API), not the database: "
                  + (found["TM104"].message if "TM104" in found else ""))
    plain = [t for t in found.values() if t.rule in ("TM101", "TM102")]
    result.expect(not plain, "every flow across a trust boundary says it uses TLS",
                  "name an encrypted protocol, e.g. 'JSON/HTTPS': "
                  + "; ".join(t.message for t in plain))
    return result
