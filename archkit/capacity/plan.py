"""The capacity plan: instances per container, broker partitions, database pool and storage.

Usage::

    from archkit.capacity import plan_capacity
    plan = plan_capacity("examples/order_platform")      # a design folder (or a .dsl file)
    plan["api"].planned, plan["api"].deployed             # -> 3, 3
    plan.findings                                         # CP101 where the deployment disagrees
    plan                                                  # formulas and workings in Jupyter

For each server-side container on the request path, the request rate comes from the
requirements' peak RPS (and the read/write split for containers reached by a write);
event consumers get the event rate (one event per write). The instance count is the
fewest M/M/c servers (Erlang C) that keep utilisation under the cap and the p95 response
within the container's share of the p95 target, in instances of ``concurrency`` servers,
plus one for a failed instance (N+1). Service times and concurrency are assumptions:
defaults from ``archkit/capacity/data/service_times.yaml``, overridden per container in
the design folder's ``capacity.yaml``. The database lines reuse
:func:`archkit.brainstorm.capacity.estimate_capacity`.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from archkit.brainstorm.capacity import Line, estimate_capacity
from archkit.capacity.queueing import Queue, mmc, servers_for
from archkit.display import escape_markdown, markdown_table
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity

__all__ = ["CapacityPlan", "ContainerPlan", "PlanAssumptions", "plan_capacity",
           "plan_from_design", "ASSUMPTIONS_FILE"]

ASSUMPTIONS_FILE = "capacity.yaml"
_WRITE = re.compile(r"\b(place|places|placed|create|creates|write|writes|post|posts|update|"
                    r"updates|save|saves|charge|charges|reserve|reserves|submit|submits|order)\b",
                    re.I)
_PUBLISH = re.compile(r"publish|produce|emit|send", re.I)
_CONSUME = re.compile(r"consume|subscribe|read|poll|receive", re.I)


@dataclass(frozen=True, slots=True)
class PlanAssumptions:
    """What the plan assumes beyond the requirements; ``capacity.yaml`` overrides any of them."""

    max_utilisation: float = 0.7  # busy share of servers at peak before queues build up
    spare_instances: int = 1  # N+1: survive one failed instance at peak
    events_per_write: float = 1.0  # events each consumer group handles per business write
    partition_throughput: float = 1000.0  # events/s one partition (and its consumer) sustains
    partition_headroom: float = 2.0  # partitions per consumer, so a group can grow in place
    min_pool: int = 2  # database connections per instance, at least
    max_connections: int = 400  # the database's connection limit

    def rows(self) -> list[list[str]]:
        return [[k.replace("_", " "), str(v)] for k, v in asdict(self).items()]


@dataclass(slots=True)
class ContainerPlan:
    """One container's sizing, with the formulas and numbers that led to it."""

    id: str
    name: str
    role: str  # "request" | "consumer"
    rate: float
    service_ms: float
    concurrency: int
    service_source: str
    budget_ms: float | None = None
    servers: int | None = None  # None: the budget cannot be met
    needed: int | None = None
    planned: int | None = None
    deployed: int | None = None
    at_needed: Queue | None = None
    at_planned: Queue | None = None
    lines: list[Line] = field(default_factory=list)

    def queue(self, instances: int) -> Queue:
        return mmc(self.rate, self.service_ms / 1000, instances * self.concurrency)

    def curve(self, up_to: int | None = None) -> list[tuple[int, Queue]]:
        """p95 and utilisation for 1..``up_to`` instances (for the latency chart)."""
        top = up_to or max(3, (self.planned or 1) + 2, self.deployed or 0)
        return [(n, self.queue(n)) for n in range(1, top + 1)]

    def to_dict(self) -> dict:
        def q(x: Queue | None) -> dict | None:
            return None if x is None else {
                "servers": x.servers, "utilisation": _r(x.utilisation), "p_wait": _r(x.p_wait),
                "mean_wait_ms": _r(x.mean_wait_s * 1000), "p95_ms": _r(x.p95_response_s * 1000)}
        return {"id": self.id, "name": self.name, "role": self.role, "rate": _r(self.rate),
                "service_ms": self.service_ms, "concurrency": self.concurrency,
                "service_source": self.service_source, "budget_ms": _r(self.budget_ms),
                "servers": self.servers, "needed": self.needed, "planned": self.planned,
                "deployed": self.deployed, "at_needed": q(self.at_needed),
                "at_planned": q(self.at_planned),
                "lines": [_line(x) for x in self.lines]}


def _r(x: float | None) -> float | None:
    return None if x is None else (round(x, 4) if math.isfinite(x) else None)


def _line(x: Line) -> dict:
    return {"quantity": x.quantity, "formula": x.formula, "working": x.working,
            "value": _r(x.value), "unit": x.unit}


@dataclass(slots=True)
class CapacityPlan:
    """Containers, broker and database lines, the assumptions, and findings."""

    name: str
    containers: list[ContainerPlan] = field(default_factory=list)
    broker: list[Line] = field(default_factory=list)
    database: list[Line] = field(default_factory=list)
    assumptions: PlanAssumptions = field(default_factory=PlanAssumptions)
    findings: Findings = field(default_factory=Findings)
    missing: list[str] = field(default_factory=list)

    def __getitem__(self, container_id: str) -> ContainerPlan:
        for c in self.containers:
            if c.id == container_id:
                return c
        raise KeyError(f"no plan for {container_id!r}; have: "
                       + ", ".join(c.id for c in self.containers))

    @property
    def mismatches(self) -> list[Finding]:
        return [f for f in self.findings if f.code == "CP101"]

    def busiest(self) -> ContainerPlan | None:
        """The container whose sized queue (its M/M/c servers) most often makes a request wait."""
        sized = [c for c in self.containers if c.servers is not None]
        return max(sized, key=lambda c: (mmc(c.rate, c.service_ms / 1000, c.servers).p_wait,
                                         c.id), default=None)

    def to_dict(self) -> dict:
        return {"name": self.name, "containers": [c.to_dict() for c in self.containers],
                "broker": [_line(x) for x in self.broker],
                "database": [_line(x) for x in self.database],
                "assumptions": asdict(self.assumptions), "missing": list(self.missing),
                "findings": [f.to_dict() for f in self.findings]}

    def rows(self) -> list[list[str]]:
        return [[c.name, c.role, f"{c.rate:,.0f}/s", f"{c.service_ms:g} ms × {c.concurrency}",
                 f"{c.budget_ms:,.0f} ms" if c.budget_ms else "",
                 _count(c.needed), _count(c.planned), _count(c.deployed),
                 f"{c.at_planned.p95_response_s * 1000:,.1f} ms" if c.at_planned else ""]
                for c in self.containers]

    def to_text(self) -> str:
        out = [f"{self.name}: capacity plan ({len(self.mismatches)} mismatch(es) with the "
               "deployment view)"]
        for c in self.containers:
            out.append(f"  {c.id}: {c.rate:,.0f}/s × {c.service_ms:g} ms → {c.servers} servers "
                       f"→ {_count(c.needed)} instance(s) + N+1 = {_count(c.planned)}; "
                       f"deployed {_count(c.deployed)}")
        out += [f"  {x.quantity}: {x.shown}" for x in self.broker + self.database]
        out += [f"  not planned: {m}" for m in self.missing]
        out += [str(f) for f in self.findings]
        return "\n".join(out)

    def to_markdown(self) -> str:
        out = [f"### Capacity plan: {escape_markdown(self.name)}", ""]
        out += [markdown_table(["container", "role", "peak rate", "service × concurrency",
                                "p95 budget", "needed", "planned (N+1)", "deployed",
                                "p95 at plan"], self.rows()), ""]
        for c in self.containers:
            out += [f"#### {escape_markdown(c.name)}", ""]
            out += [markdown_table(["quantity", "formula", "working", "result"],
                                   [[x.quantity, x.formula, x.working, x.shown]
                                    for x in c.lines]), ""]
        for title, lines in (("Broker", self.broker), ("Database", self.database)):
            if lines:
                out += [f"#### {title}", ""]
                out += [markdown_table(["quantity", "formula", "working", "result"],
                                       [[x.quantity, x.formula, x.working, x.shown]
                                        for x in lines]), ""]
        out += ["Assumptions (override in capacity.yaml):", ""]
        out += [markdown_table(["assumption", "value"], self.assumptions.rows()), ""]
        if self.missing:
            out += ["Not planned:", ""] + [f"* {escape_markdown(m)}" for m in self.missing]
            out.append("")
        out.append(self.findings.to_markdown())
        return "\n".join(out)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _count(n: int | None) -> str:
    return "?" if n is None else str(n)


@lru_cache(maxsize=1)
def _catalogue() -> tuple[dict, ...]:
    from archkit.brainstorm.yamlio import parse_yaml

    text = (resources.files("archkit.capacity") / "data" / "service_times.yaml").read_text(
        encoding="utf-8")
    data = parse_yaml(text, "archkit/capacity/data/service_times.yaml")
    return tuple(dict(d) for d in data["defaults"])


def _defaults(node: Any) -> tuple[float, int, str]:
    """The first catalogue entry matching the technology, else the name, else the description."""
    entries = _catalogue()
    for text in (node.technology, node.name, node.description):
        for entry in entries[:-1]:
            if text and re.search(entry["match"], text, re.I):
                return float(entry["service_ms"]), int(entry["concurrency"]), \
                    f"catalogue: {entry['why']}"
    last = entries[-1]
    return float(last["service_ms"]), int(last["concurrency"]), f"catalogue: {last['why']}"


def _read_assumptions(folder: Path | None, findings: Findings
                      ) -> tuple[PlanAssumptions, dict[str, dict]]:
    if folder is None or not (folder / ASSUMPTIONS_FILE).is_file():
        return PlanAssumptions(), {}
    from archkit.brainstorm.yamlio import line_of, read_yaml

    path = folder / ASSUMPTIONS_FILE
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise ArchkitError("capacity.yaml must be a mapping", where=Where(str(path), 1),
                           hint="write 'containers:' with 'api: {service_ms: 10}' under it")
    known = set(PlanAssumptions.__dataclass_fields__)
    general = {k: v for k, v in data.items() if k in known}
    for key in sorted(set(data) - known - {"containers"}):
        findings.append(Finding("CP100", Severity.WARNING, f"capacity.yaml: unknown key {key!r}",
                                key, line_of(data), "known: " + ", ".join(sorted(known)),
                                file=str(path)))
    try:
        assumptions = PlanAssumptions(**general)
    except TypeError as err:
        raise ArchkitError(f"capacity.yaml: {err}", where=Where(str(path), line_of(data)),
                           hint="numbers only") from err
    containers = data.get("containers") or {}
    out = {}
    for cid, entry in containers.items():
        if not isinstance(entry, dict):
            raise ArchkitError(f"capacity.yaml: containers.{cid} must be a mapping",
                               where=Where(str(path), line_of(containers)),
                               hint="write '{service_ms: 40, concurrency: 8}'")
        bad = set(entry) - {"service_ms", "concurrency", "rate", "why"}
        if bad:
            raise ArchkitError(f"capacity.yaml: unknown key(s) {sorted(bad)} for {cid}",
                               where=Where(str(path), line_of(entry)),
                               hint="use service_ms, concurrency, rate and why")
        out[str(cid)] = dict(entry) | {"line": line_of(entry)}
    return assumptions, out


def plan_capacity(path: str | Path, *, targets: dict[str, float] | None = None) -> CapacityPlan:
    """The capacity plan of a design folder or a workspace file.

    ``targets`` (``peak_rps``, ``p95_ms``, ``read_write_ratio``) replace or supply the
    requirements' figures, e.g. for a lone ``.dsl`` file that has none.
    """
    from archkit.security.inputs import load_design

    return plan_from_design(load_design(path), targets=targets)


def plan_from_design(design: Any, *, targets: dict[str, float] | None = None) -> CapacityPlan:
    """The capacity plan of a loaded :class:`archkit.security.inputs.Design`."""
    from archkit.security.model import build_threat_model

    tm = build_threat_model(design.workspace)
    plan = CapacityPlan(tm.name)
    a, overrides = _read_assumptions(design.folder, plan.findings)
    plan.assumptions = a
    nfr = _targets(getattr(design.requirements, "non_functional", None), targets or {})
    rps = getattr(nfr, "peak_rps", None)
    p95 = (getattr(nfr, "latency_ms", None) or {}).get("p95")
    ratio = getattr(nfr, "read_write_ratio", None)
    request = tm.request_path()
    consumers = [n for n in tm.nodes.values()
                 if n.kind == "process" and n.role != "client" and n not in request
                 and any(tm.nodes[f.destination].role == "broker" and _CONSUME.search(f.description)
                         for f in tm.outbound(n.id))]
    if rps is None:
        plan.missing.append("instances: need non_functional.peak_rps in requirements.yaml "
                            "(or --peak-rps)")
        plan.findings.append(Finding("CP104", Severity.WARNING,
                                     "no peak_rps: containers are not sized", tm.name,
                                     fix="state non_functional.peak_rps (and latency_ms.p95)"))
        return plan
    writes = rps / (ratio + 1) if ratio is not None else rps

    def service(node) -> tuple[float, int, str]:
        # Waits on external systems are not added here: a container may make them from a
        # consumer, not per request. Where a request does wait, say so in capacity.yaml.
        ms, conc, source = _defaults(node)
        o = overrides.get(node.id, {})
        if "service_ms" in o or "concurrency" in o:
            ms, conc = float(o.get("service_ms", ms)), int(o.get("concurrency", conc))
            source = f"capacity.yaml: {o.get('why', 'set by the team')}"
        return ms, conc, source

    entries = {f.destination for f in tm.flows
               if (tm.nodes[f.source].role in ("person", "client")) and
               tm.nodes[f.destination] in request}
    rates: dict[str, tuple[float, str, str]] = {}
    for node in request:
        if node.id in entries:
            rates[node.id] = (rps, "peak RPS", f"{rps:,.0f}")
        else:
            inbound = [f for f in tm.inbound(node.id) if f.source in rates or f.source in entries]
            if inbound and all(_WRITE.search(f.description) for f in inbound) and ratio:
                rates[node.id] = (writes, "peak RPS / (r + 1): reached by writes",
                                  f"{rps:,.0f} / {ratio + 1:g}")
            else:
                rates[node.id] = (rps, "peak RPS", f"{rps:,.0f}")
    for node in consumers:
        rate = writes * a.events_per_write
        rates[node.id] = (rate, "peak writes × events per write",
                          f"{writes:,.0f} × {a.events_per_write:g}")
    for node_id, o in overrides.items():
        if node_id in rates and "rate" in o:
            rates[node_id] = (float(o["rate"]), "capacity.yaml", f"{float(o['rate']):,.0f}")
        elif node_id not in rates:
            plan.findings.append(Finding("CP100", Severity.WARNING,
                                         f"capacity.yaml names {node_id!r}, which is neither on "
                                         "the request path nor a consumer", node_id, o["line"],
                                         "check the container id in the workspace",
                                         file=str(design.folder / ASSUMPTIONS_FILE)))
    total_ms = sum(service(n)[0] for n in request) or 1
    for node in [*request, *consumers]:
        ms, conc, source = service(node)
        rate, why, working = rates[node.id]
        role = "request" if node in request else "consumer"
        budget = p95 * ms / total_ms if (p95 and role == "request") else None
        cp = ContainerPlan(node.id, node.name, role, rate, ms, conc, source, budget,
                           deployed=node.instances)
        _size(cp, a, why, working, p95, total_ms)
        plan.containers.append(cp)
        _compare(plan, cp, node, tm.environment)
    _broker(plan, tm, a, writes)
    _database(plan, tm, nfr, a)
    return plan


def _targets(nfr: Any, given: dict[str, float]) -> Any:
    """The requirements' non-functional targets with ``given`` figures put over them."""
    from dataclasses import replace

    from archkit.brainstorm.requirements import NonFunctional

    base = nfr or NonFunctional()
    known = {"peak_rps", "p95_ms", "read_write_ratio"}
    if set(given) - known:
        raise ArchkitError(f"unknown target(s) {sorted(set(given) - known)}",
                           hint="use " + ", ".join(sorted(known)))
    latency = dict(base.latency_ms)
    if given.get("p95_ms") is not None:
        latency["p95"] = float(given["p95_ms"])
    return replace(base, latency_ms=latency,
                   peak_rps=given.get("peak_rps", base.peak_rps),
                   read_write_ratio=given.get("read_write_ratio", base.read_write_ratio))


def _size(cp: ContainerPlan, a: PlanAssumptions, why: str, working: str, p95: float | None,
          total_ms: float) -> None:
    add = cp.lines.append
    add(Line("peak rate", why, working, cp.rate, "req/s" if cp.role == "request" else "events/s"))
    load = cp.rate * cp.service_ms / 1000
    add(Line("busy servers (Little's law)", "rate × service time", f"{cp.rate:,.0f} × "
             f"{cp.service_ms / 1000:g} s", load, "servers"))
    if cp.budget_ms is not None:
        add(Line("p95 budget", "p95 target × service time / Σ service times on the path",
                 f"{p95:g} ms × {cp.service_ms:g} / {total_ms:g}", cp.budget_ms, "ms"))
    budget_s = cp.budget_ms / 1000 if cp.budget_ms is not None else None
    cp.servers = servers_for(cp.rate, cp.service_ms / 1000, max_utilisation=a.max_utilisation,
                             p95_budget_s=budget_s)
    if cp.servers is None:
        return
    add(Line("servers (M/M/c, Erlang C)",
             "fewest c with λS/c ≤ max utilisation" + (" and p95 ≤ budget" if budget_s else ""),
             f"λS = {load:,.2f}, cap {a.max_utilisation:g}", cp.servers, "servers"))
    cp.needed = max(1, math.ceil(cp.servers / cp.concurrency))
    add(Line("instances needed", "⌈servers / concurrency per instance⌉",
             f"⌈{cp.servers} / {cp.concurrency}⌉", cp.needed, "instances"))
    cp.planned = cp.needed + a.spare_instances
    add(Line("instances planned (N+1)", "needed + spare for one failed instance",
             f"{cp.needed} + {a.spare_instances}", cp.planned, "instances"))
    cp.at_needed = cp.queue(cp.needed)
    cp.at_planned = cp.queue(cp.planned)
    add(Line("queue wait with one instance down", "Erlang C / (cμ − λ)",
             f"C = {cp.at_needed.p_wait:.3f}, c = {cp.at_needed.servers}",
             cp.at_needed.mean_wait_s * 1000, "ms"))
    add(Line("p95 response at plan", "solve P(wait + service > t) = 5 %",
             f"c = {cp.at_planned.servers}, utilisation {cp.at_planned.utilisation:.2f}",
             cp.at_planned.p95_response_s * 1000, "ms"))


def _compare(plan: CapacityPlan, cp: ContainerPlan, node: Any, env: str | None) -> None:
    if cp.servers is None:
        plan.findings.append(Finding(
            "CP105", Severity.ERROR,
            f"{cp.name}: a {cp.service_ms:g} ms service time cannot meet its "
            f"{cp.budget_ms:,.0f} ms p95 budget at any instance count", cp.id,
            fix="make the work faster, take it off the request path, or raise the p95 target"))
        return
    if cp.deployed is None:
        plan.findings.append(Finding("CP103", Severity.INFO,
                                     f"{cp.name} is not in the deployment view; plan: "
                                     f"{cp.planned} instances", cp.id,
                                     fix="deploy it with instances=N in the deployment view"))
    elif cp.deployed != cp.planned:
        fewer = cp.deployed < (cp.planned or 0)
        plan.findings.append(Finding(
            "CP101", Severity.ERROR if fewer else Severity.WARNING,
            f"{cp.name}: the {env or 'deployment'} view runs ×{cp.deployed}, the plan needs "
            f"×{cp.planned} ({cp.needed} + {plan.assumptions.spare_instances} spare)", cp.id,
            fix=f"set instances={cp.planned} on its deployment node, or change the "
                "assumptions in capacity.yaml"))


def _broker(plan: CapacityPlan, tm: Any, a: PlanAssumptions, writes: float) -> None:
    for b in (n for n in tm.nodes.values() if n.role == "broker"):
        flows = [f for f in tm.flows if b.id in (f.source, f.destination)]
        producers = sorted({f.source for f in flows if f.destination == b.id
                            and _PUBLISH.search(f.description)})
        groups = [c for c in plan.containers
                  if any(f.source == c.id and _CONSUME.search(f.description) for f in flows)]
        if not producers:
            continue
        rate = writes * a.events_per_write
        add = plan.broker.append
        add(Line(f"{b.name}: events per second", "producers × peak writes × events per write",
                 f"{len(producers)} × {writes:,.0f} × {a.events_per_write:g}",
                 len(producers) * rate, "events/s"))
        widest = max((c.planned or 1 for c in groups), default=1)
        by_rate = math.ceil(rate / a.partition_throughput)
        parts = math.ceil(max(by_rate, widest) * a.partition_headroom)
        add(Line(f"{b.name}: partitions per topic",
                 "max(⌈topic rate / partition throughput⌉, largest consumer group) × headroom",
                 f"max(⌈{rate:,.0f} / {a.partition_throughput:,.0f}⌉, {widest}) × "
                 f"{a.partition_headroom:g}", parts, "partitions"))
        add(Line(f"{b.name}: consumers", "one consumer group per consuming container",
                 ", ".join(f"{c.name} ×{c.planned}" for c in groups) or "none",
                 sum(c.planned or 0 for c in groups), "consumers"))


def _database(plan: CapacityPlan, tm: Any, nfr: Any, a: PlanAssumptions) -> None:
    est = estimate_capacity(nfr)
    for name in ("database storage", "data kept (retention)"):
        if name in est:
            plan.database.append(est[name])
    plan.database += [x for x in est.lines if x.quantity.endswith("data per year")]
    if "busy database connections" not in est:
        return
    busy = est["busy database connections"]
    plan.database.append(busy)
    for db in (n for n in tm.nodes.values() if n.role == "database"):
        users = [c for c in plan.containers
                 if any(db.id in (f.source, f.destination) and c.id in (f.source, f.destination)
                        for f in tm.flows)]
        instances = sum(c.planned or 0 for c in users)
        if not instances:
            continue
        total = math.ceil(busy.value / a.max_utilisation)
        per = max(a.min_pool, math.ceil(total / instances))
        plan.database.append(Line(
            f"{db.name}: pool per instance",
            "max(min pool, ⌈busy connections / max utilisation / instances using it⌉)",
            f"max({a.min_pool}, ⌈{busy.value:,.1f} / {a.max_utilisation:g} / {instances}⌉)",
            per, "connections"))
        plan.database.append(Line(f"{db.name}: connections at peak", "pool × instances",
                                  f"{per} × {instances}", per * instances, "connections"))
        if per * instances > a.max_connections:
            plan.findings.append(Finding(
                "CP102", Severity.ERROR,
                f"{db.name}: {per * instances} pooled connections exceed its limit of "
                f"{a.max_connections}", db.id,
                fix="put a pooler (PgBouncer, RDS Proxy) in front, or shrink the pools"))
