"""Carry the threat model on in other tools: a pytm model file and a Threagile YAML.

Usage::

    from archkit.security import analyse, to_pytm, to_threagile
    report = analyse("examples/order_platform")
    Path("tm.py").write_text(to_pytm(report))        # python tm.py --report ... (pytm 1.4)
    Path("threagile.yaml").write_text(to_threagile(report))

Both are deterministic (sorted, no timestamps but the design's own), every label is
escaped for its target (Python string literals via repr, YAML via the YAML writer).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["to_pytm", "to_threagile"]

_PYTM_CLASS = {"person": "Actor", "system": "ExternalEntity", "database": "Datastore",
               "cache": "Datastore", "broker": "Datastore", "client": "Process",
               "service": "Server"}


def _ident(text: str, used: set[str]) -> str:
    base = re.sub(r"\W+", "_", text).strip("_").lower() or "element"
    if base[0].isdigit() or base in {"tm", "data", "classification"}:
        base = f"e_{base}"
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


def to_pytm(report: Any) -> str:
    """A pytm 1.4 model of the report's threat model; ``python file.py`` runs resolve()."""
    tm = report.model
    used: set[str] = set()
    out = [
        '"""pytm model of ' + repr(tm.name)[1:-1].replace('"""', "'''") + ', written by '
        'archkit (archkit threats DIR --export pytm).\n\nRun: python this_file.py '
        '(resolves pytm\'s threats offline and prints how many findings it has)."""',
        "",
        "from pytm import (TM, Actor, Boundary, Classification, Data, Dataflow, Datastore,",
        "                  ExternalEntity, Process, Server)",
        "",
        f"tm = TM({tm.name!r})",
        f"tm.description = {('Threat model of ' + tm.name + ' from its C4 model')!r}",
        "tm.isOrdered = True",
        "tm.mergeResponses = True",
        "",
    ]
    bvar: dict[str, str] = {}
    for bid in sorted(tm.boundaries):
        b = tm.boundaries[bid]
        var = _ident(f"boundary_{b.name}", used)
        bvar[bid] = var
        out.append(f"{var} = Boundary({b.name!r})")
    out.append("")
    assets: dict[str, tuple[str, str]] = {}
    for node in tm.nodes.values():
        for a in node.assets:
            assets.setdefault(a.name, (a.cls, ""))
    avar: dict[str, str] = {}
    for name in sorted(assets):
        cls = assets[name][0]
        var = _ident(f"data_{name}", used)
        avar[name] = var
        level = "SECRET" if cls in ("credentials", "payment") else "SENSITIVE"
        out.append(f"{var} = Data({name!r}, classification=Classification.{level}, "
                   f"isPII={cls == 'pii'}, isCredentials={cls == 'credentials'})")
    out.append("")
    nvar: dict[str, str] = {}
    for nid in sorted(tm.nodes):
        node = tm.nodes[nid]
        var = _ident(node.id, used)
        nvar[nid] = var
        cls = _PYTM_CLASS[node.role]
        out.append(f"{var} = {cls}({node.name!r})")
        if node.description:
            out.append(f"{var}.description = {node.description!r}")
        if node.boundary in bvar:
            out.append(f"{var}.inBoundary = {bvar[node.boundary]}")
        if cls == "Datastore":
            held = {a.cls for a in node.assets}
            out.append(f"{var}.storesPII = {'pii' in held}")
            out.append(f"{var}.storesSensitiveData = {bool(held)}")
            out.append(f"{var}.isSQL = {node.role == 'database'}")
        if cls in ("Server", "Process") and node.technology:
            out.append(f"{var}.implementsAuthenticationScheme = "
                       f"{bool(re.search('auth|sign', node.text, re.I))}")
    out.append("")
    for i, f in enumerate(sorted(tm.flows, key=lambda f: (f.source, f.destination, f.id))):
        var = f"flow_{i + 1}"
        label = f.description or f"{tm.nodes[f.source].name} to {tm.nodes[f.destination].name}"
        out.append(f"{var} = Dataflow({nvar[f.source]}, {nvar[f.destination]}, {label!r})")
        if f.technology:
            out.append(f"{var}.protocol = {f.technology!r}")
        out.append(f"{var}.isEncrypted = {f.encrypted}")
        sent = sorted({a.name for a in tm.nodes[f.source].assets} &
                      {a.name for a in tm.nodes[f.destination].assets})
        if sent:
            out.append(f"{var}.data = [{', '.join(avar[s] for s in sent)}]")
    out += ["", "", "if __name__ == \"__main__\":",
            "    tm.resolve()",
            "    print(f\"{len(tm.findings)} pytm findings\")", ""]
    return "\n".join(out)


_THREAGILE_TECH = {"person": "browser", "system": "unknown-technology", "database": "database",
                   "cache": "database", "broker": "message-queue", "client": "browser",
                   "service": "web-service-rest"}
_PROTOCOLS = (("https", "https"), ("wss", "wss"), ("http", "http"), ("jdbc", "jdbc"),
              ("sql", "sql-access-protocol"), ("smtp", "smtp"), ("kafka", "binary"),
              ("amqp", "binary"), ("ssh", "ssh"), ("ftp", "ftp"))


def _protocol(flow: Any) -> str:
    tech = flow.technology.lower()
    for word, proto in _PROTOCOLS:
        if word in tech:
            if proto in ("smtp", "binary", "sql-access-protocol", "jdbc") and flow.encrypted:
                return {"smtp": "smtp-encrypted", "binary": "binary-encrypted",
                        "sql-access-protocol": "sql-access-protocol-encrypted",
                        "jdbc": "jdbc-encrypted"}[proto]
            return proto
    return "https" if flow.encrypted else "unknown-protocol"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _unique(title: str, ident: str, taken: dict) -> str:
    """Threagile keys assets and boundaries by title: two of the same name must both survive."""
    return title if title not in taken else f"{title} ({ident})"


def to_threagile(report: Any) -> str:
    """A Threagile model (YAML) of the report's threat model, sorted and deterministic."""
    import yaml

    tm = report.model
    data_assets = {}
    for node in sorted(tm.nodes.values(), key=lambda n: n.id):
        for a in node.assets:
            conf = "strictly-confidential" if a.cls in ("credentials", "payment") \
                else "confidential"
            data_assets.setdefault(a.name, {
                "id": _slug(a.name), "description": f"{a.cls} ({a.why})", "usage": "business",
                "quantity": "many", "confidentiality": conf, "integrity": "critical",
                "availability": "operational",
                "justification_cia_rating": f"classified as {a.cls} by archkit"})
    assets = {}
    for nid in sorted(tm.nodes):
        node = tm.nodes[nid]
        links = {}
        for f in sorted(tm.outbound(nid), key=lambda f: (f.destination, f.id)):
            title = f.description or f"to {tm.nodes[f.destination].name}"
            if title in links:
                title = f"{title} ({f.destination})"
            sent = sorted({_slug(a.name) for a in node.assets} &
                          {_slug(a.name) for a in tm.nodes[f.destination].assets})
            links[title] = {
                "target": _slug(f.destination), "description": title,
                "protocol": _protocol(f), "authentication": "none", "authorization": "none",
                "tags": [], "vpn": False, "ip_filtered": False, "readonly": False,
                "usage": "business", "data_assets_sent": sent, "data_assets_received": []}
        kind = {"external": "external-entity", "process": "process",
                "datastore": "datastore"}[node.kind]
        stored = sorted({_slug(a.name) for a in node.assets}) if node.kind == "datastore" else []
        assets[_unique(node.name, node.id, assets)] = {
            "id": _slug(nid), "description": node.description or node.name,
            "type": kind, "usage": "business",
            "used_as_client_by_human": node.role in ("person", "client"),
            "out_of_scope": node.kind == "external", "justification_out_of_scope": "",
            "size": "system" if node.kind == "external" else "service",
            "technology": _THREAGILE_TECH[node.role], "tags": [],
            "internet": node.untrusted, "machine": "container", "encryption": "none",
            "owner": "", "confidentiality": "confidential" if node.assets else "internal",
            "integrity": "important", "availability": "important",
            "justification_cia_rating": "",
            "multi_tenant": bool(getattr(report.design, "multi_tenant", False)),
            "redundant": (node.instances or 1) > 1,
            "custom_developed_parts": node.kind != "external",
            "data_assets_processed": sorted({_slug(a.name) for a in node.assets}),
            "data_assets_stored": stored, "data_formats_accepted": ["json"],
            "communication_links": links}
    boundaries = {}
    for bid in sorted(tm.boundaries):
        b = tm.boundaries[bid]
        inside = sorted(_slug(n.id) for n in tm.nodes.values() if n.boundary == bid)
        nested = sorted(_slug(o) for o in tm.boundaries
                        if o != bid and any(n.boundaries[-1:] == [o] and bid in n.boundaries
                                            for n in tm.nodes.values()))
        boundaries[_unique(b.name, b.id, boundaries)] = {
            "id": _slug(bid), "description": f"{b.kind} boundary",
            "type": {"internet": "network-dedicated-hoster", "deployment":
                     "network-cloud-provider"}.get(b.kind, "network-policy-namespace-isolation"),
            "tags": [], "technical_assets_inside": inside, "trust_boundaries_nested": nested}
    model = {
        "threagile_version": "1.0.0",
        "title": tm.name,
        "author": {"name": "archkit", "homepage": ""},
        "management_summary_comment": f"Exported by archkit from the C4 model of {tm.name}; "
                                      f"{len(report.threats)} archkit threats.",
        "business_criticality": "important",
        "business_overview": {"description": tm.name, "images": []},
        "technical_overview": {"description": "Data flows derived from the C4 model.",
                               "images": []},
        "questions": {}, "abuse_cases": {}, "security_requirements": {},
        "tags_available": [],
        "data_assets": data_assets,
        "technical_assets": assets,
        "trust_boundaries": boundaries,
        "shared_runtimes": {},
        "individual_risk_categories": {},
        "risk_tracking": {},
    }
    return yaml.safe_dump(model, sort_keys=False, allow_unicode=True, width=100)
