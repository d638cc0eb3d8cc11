"""Threat rules over the data-flow model: STRIDE, each with a stable code, why, and fix.

Usage::

    from archkit.security.rules import RULES, find_threats
    threats = find_threats(threat_model, design)     # -> [Threat, ...], one per cause
    RULES["TM101"].title

A threat's id is the rule code and a hash of the rule and the element ids it concerns,
so it stays the same across runs and survives unrelated edits (triage keys on it).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from archkit.security.model import Flow, Node, ThreatModel

__all__ = ["RULES", "Rule", "Threat", "find_threats", "stride_table", "threat_id"]

SEVERITIES = ("high", "medium", "low")
STRIDE = {"S": "Spoofing", "T": "Tampering", "R": "Repudiation", "I": "Information disclosure",
          "D": "Denial of service", "E": "Elevation of privilege"}
# Microsoft's STRIDE-per-element: which threats apply to which kind of element.
PER_ELEMENT = {"external": "SR", "process": "STRIDE", "datastore": "TRID", "flow": "TID"}


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    title: str
    stride: str  # letters of STRIDE
    why: str
    fix: str


@dataclass(slots=True)
class Threat:
    """One cause of risk: the rule, the elements it concerns, and what to do."""

    rule: str
    severity: str
    element: str  # the element (or flow "a->b") the threat is filed under
    message: str
    elements: tuple[str, ...] = ()
    status: str = "open"
    triage: dict = field(default_factory=dict)
    merged: int = 1  # raw hits (element pairs, flows) this one cause stands for

    @property
    def id(self) -> str:
        return threat_id(self.rule, self.elements or (self.element,))

    @property
    def stride(self) -> str:
        return RULES[self.rule].stride

    @property
    def title(self) -> str:
        return RULES[self.rule].title

    @property
    def fix(self) -> str:
        return RULES[self.rule].fix

    def to_dict(self) -> dict:
        return {"id": self.id, "rule": self.rule, "stride": self.stride,
                "severity": self.severity, "element": self.element, "status": self.status,
                "message": self.message, "elements": list(self.elements),
                "title": self.title, "fix": self.fix,
                **({"triage": dict(self.triage)} if self.triage else {})}


def threat_id(rule: str, elements: tuple[str, ...] | list[str]) -> str:
    digest = hashlib.sha1("|".join([rule, *sorted(elements)]).encode()).hexdigest()
    return f"{rule}-{digest[:8]}"


RULES: dict[str, Rule] = {r.code: r for r in [
    Rule("TM101", "Unencrypted flow across a trust boundary", "TI",
         "data crossing a boundary in clear text can be read or changed on the way",
         "use TLS (HTTPS, SMTPS, SASL_SSL, TLS for SQL) and say so in the technology"),
    Rule("TM102", "Flow across a trust boundary with no technology", "TI",
         "nobody can tell whether it is encrypted or authenticated",
         "state the protocol, e.g. 'JSON/HTTPS'"),
    Rule("TM103", "Unauthenticated flow from the internet", "S",
         "anyone on the internet can call a public process when nothing says who they are",
         "decide on authentication (OIDC, API keys, sessions) and record it as an ADR"),
    Rule("TM104", "Data store reachable from outside its boundary", "TID",
         "a store reached across a boundary is exposed to what lies outside it",
         "put a service in front of it, or move the caller inside the boundary"),
    Rule("TM105", "Sensitive data with no encryption-at-rest decision", "I",
         "credentials, payment data and PII leak from backups, snapshots and stolen disks",
         "decide on encryption at rest (managed KMS keys, TDE) and record it"),
    Rule("TM106", "Personal or payment data sent to an external system", "I",
         "data leaves your control; the receiver must be bound by a processing agreement",
         "send only the fields needed, and record the data processing agreement"),
    Rule("TM107", "Multi-tenant table without a tenant key", "IE",
         "rows without a tenant column cannot be isolated per tenant",
         "add the tenant column (NOT NULL, leading every key) or mark the table as global"),
    Rule("TM108", "Unique key that ignores the tenant", "TI",
         "a global unique key lets one tenant learn of, or block, another tenant's values",
         "lead the unique key with the tenant column, or accept it with a reason"),
    Rule("TM109", "Webhook endpoint with no signature check", "ST",
         "anyone who finds the URL can post forged callbacks (a fake 'payment succeeded')",
         "verify the sender's signature (HMAC) and a timestamp; mention it on the flow"),
    Rule("TM110", "No rate limiting on a public API", "D",
         "one client can exhaust the service for every tenant",
         "decide on rate limits per client and tenant (gateway, WAF) and answer 429"),
    Rule("TM111", "Single instance on the critical path", "D",
         "one crash or deploy takes the request path down",
         "run at least two instances (N+1) or a managed multi-AZ service"),
    Rule("TM112", "Secrets with no vault decision", "IE",
         "database passwords and provider keys end up in code, images or env files",
         "decide on a secret store (Vault, AWS Secrets Manager, Key Vault) and rotation"),
    Rule("TM113", "Admin functions exposed with the public entry point", "E",
         "admin paths on the public entry point are one stolen session away from full control",
         "serve admin separately (own host, network allow-list, MFA) or accept with a reason"),
    Rule("TM114", "Unencrypted flow to a store of sensitive data", "I",
         "inside the boundary, clear-text connections to a store of secrets can be sniffed",
         "require TLS on the database and broker connections"),
    Rule("TM115", "No tenant isolation decision", "IE",
         "a multi-tenant system without a decided isolation model leaks across tenants",
         "decide on isolation (row-level security, schema or database per tenant)"),
    Rule("TM116", "Event broker without authenticated producers", "ST",
         "any process on the network can publish forged events into the pipeline",
         "authenticate producers and consumers (SASL/mTLS/IAM) and restrict topics by ACL"),
    Rule("TM117", "Element without a technology", "STRIDE",
         "its threats cannot be judged without knowing what it runs on",
         "state the technology of the element"),
    Rule("TM118", "Public process talks directly to a store of secrets", "E",
         "a compromise of the internet-facing process reaches credentials or payment data",
         "put the sensitive data behind an internal service, least-privilege database roles"),
    Rule("TM119", "No audit trail for sensitive data", "R",
         "changes to payment data or credentials cannot be traced to who made them",
         "keep an append-only audit log (table or log pipeline) and decide its retention"),
    Rule("TM120", "Request path calls an external system synchronously", "D",
         "an outage or slowdown of the external system stalls the request path",
         "timeouts, retries with back-off, a circuit breaker, or make the call asynchronous"),
]}


_RULE_FUNCS: list[Callable[[ThreatModel, Any], Iterator[Threat]]] = []


def _rule(func: Callable[[ThreatModel, Any], Iterator[Threat]]):
    _RULE_FUNCS.append(func)
    return func


def _fid(f: Flow) -> str:
    return f"{f.source}->{f.destination}"


def _ours(tm: ThreatModel, f: Flow) -> bool:
    """A flow with at least one end we build (not external to external)."""
    return tm.nodes[f.source].kind != "external" or tm.nodes[f.destination].kind != "external"


def _names(tm: ThreatModel, ids: list[str]) -> str:
    return ", ".join(tm.nodes[i].name for i in ids)


def _sensitive(node: Node, classes=("credentials", "payment")) -> list[str]:
    return sorted({a.cls for a in node.assets if a.cls in classes})


@_rule
def _tm101(tm, design):
    for f in tm.flows:
        if not (f.crosses and f.technology and not f.encrypted and _ours(tm, f)):
            continue
        a, b = tm.nodes[f.source], tm.nodes[f.destination]
        sev = "high" if a.untrusted or b.untrusted or a.kind == "external" else "medium"
        yield Threat("TM101", sev, _fid(f),
                     f"{a.name} → {b.name} ({f.technology}) crosses a trust boundary "
                     "without TLS", (f.source, f.destination, f.technology.lower()),
                     merged=f.relationships)


@_rule
def _tm102(tm, design):
    for f in tm.flows:
        if f.crosses and not f.technology and _ours(tm, f) \
                and tm.nodes[f.destination].role != "person":
            a, b = tm.nodes[f.source], tm.nodes[f.destination]
            yield Threat("TM102", "low", _fid(f),
                         f"{a.name} → {b.name} crosses a trust boundary and names no "
                         "technology", (f.source, f.destination), merged=f.relationships)


_AUTH = r"authenticat|oauth|openid|\boidc\b|\bjwt\b|saml|sign[- ]?in|log[- ]?in|api key|" \
        r"session|credential|mtls|identity provider"


def _contract_text(design) -> str:
    """The OpenAPI contract's text, when the design folder has one."""
    spec = getattr(design, "openapi", None)
    return spec.read_text(encoding="utf-8") if spec is not None else ""


@_rule
def _tm103(tm, design):
    if design is not None and design.decided(_AUTH):
        return
    contract = _contract_text(design)
    if re.search(r"^security:", contract, re.M) and "securitySchemes" in contract:
        return  # the API contract requires authentication on every operation
    exposed = []
    for n in tm.public():
        if not any(tm.nodes[f.source].role in ("person", "client") for f in tm.inbound(n.id)):
            continue  # called only by external systems: webhooks are TM109's
        inbound = " ".join(f.description for f in tm.inbound(n.id))
        if not re.search(_AUTH, n.text + " " + inbound, re.I):
            exposed.append(n.id)
    if exposed:
        yield Threat("TM103", "high", exposed[0],
                     f"requests from the internet reach {_names(tm, exposed)} and no "
                     "authentication is decided or described", tuple(exposed), merged=len(exposed))


@_rule
def _tm104(tm, design):
    for store in tm.of_kind("datastore"):
        outside = sorted({other for f in tm.flows
                          for other in ([f.source] if f.destination == store.id else
                                        [f.destination] if f.source == store.id else [])
                          if tm.nodes[other].untrusted or tm.nodes[other].kind == "external"
                          or not set(store.boundaries) <= set(tm.nodes[other].boundaries)})
        if outside:
            yield Threat("TM104", "high", store.id,
                         f"{store.name} is reached from outside its boundary by "
                         f"{_names(tm, outside)}", (store.id, *outside),
                         merged=sum(f.relationships for f in tm.flows
                                    if store.id in (f.source, f.destination)
                                    and {f.source, f.destination} & set(outside)))


_AT_REST = r"encrypt\w* at rest|at[- ]rest encryption|encrypted storage|\btde\b|" \
           r"transparent data encryption|\bkms\b|encrypted volume"


@_rule
def _tm105(tm, design):
    if design is not None and design.decided(_AT_REST):
        return
    for store in tm.of_kind("datastore"):
        classes = sorted({a.cls for a in store.assets})
        if not classes or re.search(_AT_REST + "|encrypted", store.text + " " + store.host, re.I):
            continue
        sev = "high" if set(classes) & {"credentials", "payment"} else "medium"
        yield Threat("TM105", sev, store.id,
                     f"{store.name} holds {', '.join(classes)} data and no decision says it "
                     "is encrypted at rest", (store.id,))


@_rule
def _tm106(tm, design):
    for ext in tm.of_kind("external"):
        if ext.role != "system" or not ext.untrusted:
            continue
        senders = sorted({f.source for f in tm.inbound(ext.id)
                          if tm.nodes[f.source].kind == "process"
                          and _sensitive(tm.nodes[f.source], ("pii", "payment", "credentials"))})
        if senders:
            classes = sorted({a.cls for s in senders for a in tm.nodes[s].assets})
            yield Threat("TM106", "medium", ext.id,
                         f"{ext.name} receives data from {_names(tm, senders)} (holding "
                         f"{', '.join(classes)} data)", (ext.id, *senders), merged=len(senders))


@_rule
def _tm107(tm, design):
    if design is None or design.catalog is None or not design.multi_tenant:
        return
    from archkit.schema import LintConfig

    col = LintConfig().tenant_column  # the schema lint's (SC207) tenant column
    tables = design.catalog.tables.values()
    if not any(t.column(col) for t in tables):
        return  # no table carries a tenant key at all: TM115 says it once
    for t in tables:
        if t.column(col) is None and not t.name.lower().startswith("tenant"):
            yield Threat("TM107", "high", t.name,
                         f"table {t.name} has no {col} in a multi-tenant schema",
                         (f"table:{t.name}",))


@_rule
def _tm108(tm, design):
    if design is None:
        return
    by_table: dict[str, list] = {}
    for f in design.schema_findings:
        if f.code == "SC207" and f.message.startswith("unique"):
            by_table.setdefault((f.object or "").split("(")[0], []).append(f)
    for table, found in sorted(by_table.items()):
        more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
        yield Threat("TM108", "medium", table, f"{found[0].message}{more} (schema lint SC207)",
                     (f"table:{table}",), merged=len(found))


_SIGNED = r"signature|signed|hmac|mtls"


@_rule
def _tm109(tm, design):
    spec = _contract_text(design)
    webhooks = _requirement_paths(design, r"webhook|callback")
    for n in tm.nodes.values():
        if n.kind == "external":
            continue
        hooks = [f for f in tm.inbound(n.id)
                 if re.search(r"webhook|callback", f.description, re.I)]
        if not hooks and not (webhooks and n in tm.public() and
                              re.search(r"webhook|callback", n.text, re.I)):
            continue
        words = " ".join([n.text, *(f.description + " " + f.technology for f in hooks)])
        if re.search(_SIGNED, words, re.I) or (spec and re.search(_SIGNED, spec, re.I)) or \
                (design is not None and design.decided(r"webhook.*(signature|hmac)")):
            continue
        yield Threat("TM109", "high", n.id,
                     f"{n.name} receives webhooks ({'; '.join(f.description for f in hooks)}) "
                     "and nothing says their signature is checked", (n.id,))


def _requirement_paths(design, pattern: str) -> list[str]:
    reqs = getattr(design, "requirements", None)
    return [e.path for e in getattr(reqs, "endpoints", []) or []
            if re.search(pattern, e.path + " " + e.purpose, re.I)]


_RATE = r"rate[- ]?limit|throttl|quota|\bwaf\b|api gateway"
_API_RATE_CODES = ("API150", "API151")  # archkit.api's lint: no 429, no rate-limit headers


def _api_rate_limited(design) -> bool | None:
    """True/False from the API contract when there is one, else None."""
    if design is None or design.openapi is None:
        return None
    text = design.openapi.read_text(encoding="utf-8")
    if not re.search(r"['\"]?429['\"]?\s*:", text):
        return False  # no operation answers "too many requests"
    try:  # the API lint reports missing 429 responses and rate-limit headers per operation
        from archkit.api import lint_spec, load_spec  # type: ignore[attr-defined]
    except ImportError:
        return bool(re.search(r"x-rate-?limit|ratelimit", text, re.I))
    from archkit.errors import ArchkitError

    try:
        found = lint_spec(load_spec(design.openapi))
    except ArchkitError:  # a broken contract is the API check's finding, not ours
        return False
    return not any(f.code in _API_RATE_CODES for f in found)


@_rule
def _tm110(tm, design):
    if design is not None and design.decided(_RATE):
        return
    contract = _api_rate_limited(design)
    for n in tm.public():
        if contract or re.search(_RATE, n.text, re.I):
            continue
        where = " (the OpenAPI contract has no 429 or rate-limit headers)" \
            if contract is False else ""
        yield Threat("TM110", "medium", n.id,
                     f"{n.name} is public and nothing limits request rates{where}", (n.id,))


_MANAGED = r"multi-az|managed|\brds\b|aurora|\bmsk\b|cloudfront|\bcdn\b|azure|google cloud|" \
           r"cloud sql|dynamodb|failover|replica|cluster"


@_rule
def _tm111(tm, design):
    path = tm.request_path()
    stores = {f.destination for n in path for f in tm.outbound(n.id)
              if tm.nodes[f.destination].kind == "datastore"}
    for n in [*path, *(tm.nodes[s] for s in sorted(stores))]:
        if n.instances == 1 and not re.search(_MANAGED, n.host, re.I):
            yield Threat("TM111", "medium", n.id,
                         f"{n.name} is on the request path and runs as one instance "
                         f"({n.host or 'deployment view'})", (n.id,))


_VAULT = r"vault|secrets? manager|key vault|secret store|sealed secrets|" \
         r"parameter store"


@_rule
def _tm112(tm, design):
    if design is not None and design.decided(_VAULT):
        return
    users = sorted({f.source for f in tm.flows
                    if tm.nodes[f.source].kind == "process" and tm.nodes[f.source].role != "client"
                    and (tm.nodes[f.destination].kind == "datastore"
                         or tm.nodes[f.destination].role == "system")})
    users = [u for u in users if not re.search(_VAULT, tm.nodes[u].text, re.I)]
    if users:
        yield Threat("TM112", "medium", users[0],
                     f"{_names(tm, users)} need credentials for stores or external systems "
                     "and no secret store is decided", tuple(users), merged=len(users))


_ADMIN = r"\badmin|back[- ]?office|administration|management console|\binternal\b|debug|" \
         r"actuator"


@_rule
def _tm113(tm, design):
    paths = _requirement_paths(design, r"/(admin|internal|debug|actuator|manage)")
    entry = [n for n in tm.nodes.values()
             if n.kind == "process" and any(tm.nodes[f.source].role == "person"
                                            for f in tm.inbound(n.id))]
    for n in entry:
        if re.search(_ADMIN, n.name + " " + n.description, re.I):
            yield Threat("TM113", "medium", n.id,
                         f"{n.name} serves admin functions from the same public entry point",
                         (n.id,))
    for n in tm.public() if paths else ():
        yield Threat("TM113", "medium", n.id,
                     f"{n.name} serves {', '.join(paths)} from the same public entry point",
                     (n.id,))


@_rule
def _tm114(tm, design):
    for store in tm.of_kind("datastore"):
        if not _sensitive(store):
            continue
        plain = [f for f in tm.flows if store.id in (f.source, f.destination)
                 and not f.crosses and f.technology and not f.encrypted]
        if plain:
            techs = sorted({f.technology for f in plain})
            yield Threat("TM114", "low", store.id,
                         f"{len(plain)} flow(s) to {store.name} ({', '.join(techs)}) do not "
                         "say they use TLS", (store.id,),
                         merged=sum(f.relationships for f in plain))


_ISOLATION = r"row[- ]level security|tenant isolation|isolation by tenant|schema per tenant|" \
             r"database per tenant|per-tenant"


@_rule
def _tm115(tm, design):
    if design is None or not design.multi_tenant or design.decided(_ISOLATION):
        return
    systems = [b.id for b in tm.boundaries.values() if b.kind == "system"] or ["model"]
    yield Threat("TM115", "high", systems[0].split(":")[-1],
                 "the requirements are multi-tenant and no decision says how tenants are "
                 "isolated", ("tenant-isolation",))


_BROKER_AUTH = r"sasl|mtls|\biam\b|\bacl|tls"


@_rule
def _tm116(tm, design):
    for b in tm.nodes.values():
        if b.role != "broker":
            continue
        flows = [f for f in tm.flows if b.id in (f.source, f.destination)]
        if not flows or re.search(_BROKER_AUTH, b.text, re.I):
            continue
        if any(re.search(_BROKER_AUTH, f.technology, re.I) for f in flows):
            continue
        if design is not None and design.decided(r"(kafka|broker|rabbit|sqs).*(sasl|mtls|iam|acl)"):
            continue
        producers = sorted({f.source for f in flows if f.destination == b.id})
        yield Threat("TM116", "medium", b.id,
                     f"{len(producers)} producer(s) publish to {b.name} and no flow says "
                     "producers authenticate", (b.id,),
                     merged=sum(f.relationships for f in flows))


@_rule
def _tm117(tm, design):
    for n in tm.nodes.values():
        if n.kind != "external" and not n.technology.strip():
            yield Threat("TM117", "low", n.id, f"{n.name} has no technology", (n.id,))


@_rule
def _tm118(tm, design):
    public = tm.public()
    for n in public:
        stores = sorted({f.destination for f in tm.outbound(n.id)
                         if tm.nodes[f.destination].kind == "datastore"
                         and _sensitive(tm.nodes[f.destination])})
        held = _sensitive(n)
        if stores and held:
            yield Threat("TM118", "medium", n.id,
                         f"{n.name} is public and reads {', '.join(held)} data straight from "
                         f"{_names(tm, stores)}", (n.id, *stores))


@_rule
def _tm119(tm, design):
    if design is not None and design.decided(r"audit"):
        return
    audit_table = design is not None and design.catalog is not None and any(
        re.search(r"audit|history|journal|event_log", t) for t in design.catalog.tables)
    if audit_table:
        return
    for store in tm.of_kind("datastore"):
        held = _sensitive(store)
        if held and not re.search(r"audit|access log", store.text, re.I):
            yield Threat("TM119", "low", store.id,
                         f"{store.name} holds {', '.join(held)} data and keeps no audit trail",
                         (store.id,))


@_rule
def _tm120(tm, design):
    for n in tm.request_path():
        for f in tm.outbound(n.id):
            ext = tm.nodes[f.destination]
            if ext.kind == "external" and ext.role == "system":
                yield Threat("TM120", "low", _fid(f),
                             f"{n.name} calls {ext.name} while serving requests",
                             (n.id, ext.id), merged=f.relationships)


def find_threats(tm: ThreatModel, design: Any = None) -> list[Threat]:
    """Every rule over ``tm``; one threat per cause, sorted by severity, rule and element."""
    seen: dict[str, Threat] = {}
    for func in _RULE_FUNCS:
        for threat in func(tm, design):
            seen.setdefault(threat.id, threat)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(seen.values(), key=lambda t: (order[t.severity], t.rule, t.element))


def stride_table(tm: ThreatModel, threats: list[Threat]) -> list[dict]:
    """STRIDE per element: which categories apply, and which were raised (by which rules)."""
    rows = []
    items = [(n.id, n.name, n.kind) for n in tm.nodes.values()] + \
        [(_fid(f), f"{tm.nodes[f.source].name} → {tm.nodes[f.destination].name}", "flow")
         for f in tm.flows]
    for ident, name, kind in items:
        raised: dict[str, list[str]] = {}
        for t in threats:
            if ident == t.element or ident in t.elements:
                for letter in t.stride:
                    raised.setdefault(letter, []).append(t.rule)
        rows.append({"element": ident, "name": name, "kind": kind,
                     "applies": PER_ELEMENT[kind],
                     "raised": {k: sorted(set(v)) for k, v in sorted(raised.items())}})
    return rows
