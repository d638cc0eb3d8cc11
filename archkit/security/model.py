"""The threat model: the C4 model read as a data-flow diagram.

Usage::

    from archkit.security.model import build_threat_model
    tm = build_threat_model(workspace, catalog=None)
    tm.nodes["api"].kind          # "process" | "datastore" | "external"
    tm.flows[0].crosses           # True when the flow crosses a trust boundary

Containers become processes or data stores (by tags and technology), persons and
external systems become external entities, relationships (also those between
components) become flows between containers. Boundaries come from the software
system, groups, deployment nodes and an explicit ``trust-boundary`` tag; containers
that run on the user's device (browser, mobile app) sit in the untrusted zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Asset", "Boundary", "Flow", "Node", "ThreatModel", "build_threat_model",
           "INTERNET", "TLS_WORDS"]

INTERNET = "internet"
TRUST_TAG = "trust-boundary"
# Technology words that say the channel is encrypted in transit.
TLS_WORDS = re.compile(r"https|tls|ssl|mtls|\bwss\b|sftp|\bssh\b|ipsec|vpn|encrypted|sasl_ssl",
                       re.I)
_STORE = re.compile(r"database|\bdb\b|sql|postgres|mysql|mariadb|oracle|mongo|dynamo|redis|"
                    r"memcache|cache|cassandra|elastic|s3\b|bucket|blob|file ?store|storage",
                    re.I)
_BROKER = re.compile(r"message broker|broker|kafka|rabbitmq|amqp|\bsqs\b|\bsns\b|pub/?sub|"
                     r"event ?hub|kinesis|nats|queue|topic|\bmq\b", re.I)
_CLIENT = re.compile(r"web browser|mobile app|single-page|\bspa\b|react|angular|vue|svelte|"
                     r"xamarin|\bios\b|android|flutter|swift|kotlin multiplatform", re.I)


@dataclass(slots=True)
class Boundary:
    """A trust boundary: ``internet``, a group, a software system, a node or a tagged element."""

    id: str
    name: str
    kind: str  # "internet" | "group" | "system" | "deployment" | "tagged" | "client"


@dataclass(slots=True)
class Asset:
    """A piece of data worth protecting: ``table`` or ``table.column`` of a class."""

    name: str
    cls: str  # "pii" | "credentials" | "payment"
    why: str  # "named", "classified in requirements.yaml", "comment"


@dataclass(slots=True)
class Node:
    """An element of the data-flow diagram."""

    id: str
    name: str
    kind: str  # "process" | "datastore" | "external"
    role: str = ""  # "person", "system", "service", "database", "broker", "cache", "client"
    technology: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    boundaries: list[str] = field(default_factory=list)  # outermost first
    instances: int | None = None  # from the deployment view (None: not deployed)
    host: str = ""  # name and technology of the deployment node it runs on
    assets: list[Asset] = field(default_factory=list)
    detail: str = ""  # names and descriptions of its components

    @property
    def text(self) -> str:
        """Everything written about the node, for keyword rules."""
        return " ".join([self.name, self.description, self.technology, " ".join(self.tags),
                         self.detail])

    @property
    def boundary(self) -> str:
        return self.boundaries[-1] if self.boundaries else INTERNET

    @property
    def untrusted(self) -> bool:
        """In the internet or on the user's device."""
        return self.boundary == INTERNET or self.role == "client"


@dataclass(slots=True)
class Flow:
    """Data moving from ``source`` to ``destination`` (container-level ids)."""

    id: str
    source: str
    destination: str
    description: str = ""
    technology: str = ""
    tags: list[str] = field(default_factory=list)
    crosses: bool = False
    relationships: int = 1  # C4 relationships (also between components) this flow stands for

    @property
    def encrypted(self) -> bool:
        return bool(TLS_WORDS.search(self.technology))


@dataclass(slots=True)
class ThreatModel:
    """Nodes, flows and boundaries of one workspace."""

    name: str
    nodes: dict[str, Node] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)
    boundaries: dict[str, Boundary] = field(default_factory=dict)
    environment: str | None = None  # the deployment environment instance counts come from

    def inbound(self, node_id: str) -> list[Flow]:
        return [f for f in self.flows if f.destination == node_id]

    def outbound(self, node_id: str) -> list[Flow]:
        return [f for f in self.flows if f.source == node_id]

    def of_kind(self, kind: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind == kind]

    def public(self) -> list[Node]:
        """Server-side processes that receive a flow from an untrusted node."""
        return [n for n in self.nodes.values()
                if n.kind != "external" and not n.untrusted
                and any(self.nodes[f.source].untrusted for f in self.inbound(n.id))]

    def request_path(self) -> list[Node]:
        """Server-side processes a person's request reaches synchronously (not via a broker)."""
        people = [n.id for n in self.nodes.values() if n.role == "person"]
        seen: list[str] = []
        todo = list(people)
        while todo:
            current = todo.pop(0)
            for f in self.outbound(current):
                dest = self.nodes[f.destination]
                if dest.role in ("broker", "person") or dest.kind == "external":
                    continue
                if dest.id not in seen and dest.id not in people:
                    seen.append(dest.id)
                    todo.append(dest.id)
        return [self.nodes[i] for i in seen
                if self.nodes[i].kind == "process" and self.nodes[i].role != "client"]

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "nodes": [{"id": n.id, "name": n.name, "kind": n.kind, "role": n.role,
                       "technology": n.technology, "boundary": n.boundary,
                       "instances": n.instances,
                       "assets": [f"{a.name}:{a.cls}" for a in n.assets]}
                      for n in self.nodes.values()],
            "flows": [{"id": f.id, "source": f.source, "destination": f.destination,
                       "description": f.description, "technology": f.technology,
                       "crosses_boundary": f.crosses, "encrypted": f.encrypted}
                      for f in self.flows],
            "boundaries": [{"id": b.id, "name": b.name, "kind": b.kind}
                           for b in self.boundaries.values()],
        }


def _words(el: Any) -> str:
    return " ".join([el.name, el.technology, " ".join(el.tags)])


def _role(el: Any) -> tuple[str, str]:
    """(kind, role) of a C4 element in the data-flow diagram."""
    if el.kind == "person":
        return "external", "person"
    if el.kind == "softwareSystem":
        return "external", "system"
    words = _words(el)
    tags = {t.lower() for t in el.tags}
    if "message broker" in tags or "queue" in tags or _BROKER.search(words):
        return "datastore", "broker"
    if "database" in tags or _STORE.search(words):
        return "datastore", "cache" if re.search(r"cache|redis|memcache", words, re.I) \
            else "database"
    if {"web browser", "mobile app"} & tags or _CLIENT.search(el.technology + " " + el.name):
        return "process", "client"
    return "process", "service"


def build_threat_model(workspace: Any, catalog: Any = None,
                       classifications: dict[str, str] | None = None) -> ThreatModel:
    """The data-flow view of ``workspace``; data assets from ``catalog`` when given."""
    model = workspace.model
    tm = ThreatModel(workspace.name)
    container_of: dict[str, str] = {}
    internal_systems = [s for s in model.elements
                        if s.kind == "softwareSystem" and s.children]

    def boundary(bid: str, name: str, kind: str) -> str:
        tm.boundaries.setdefault(bid, Boundary(bid, name, kind))
        return bid

    boundary(INTERNET, "Internet", "internet")
    for el in model.walk():
        if el.kind == "component":
            continue
        if el.kind == "softwareSystem" and el.children:
            for child in el.children:
                container_of[child.id] = child.id
                for comp in child.children:
                    container_of[comp.id] = child.id
            continue
        kind, role = _role(el)
        node = Node(el.id, el.name, kind, role, el.technology, el.description, list(el.tags))
        node.detail = " ".join(f"{c.name} {c.description}" for c in el.children)
        chain: list[str] = []
        if el.group:
            chain.append(boundary(f"group:{el.group}", el.group, "group"))
        if el.kind == "container":
            system = el.parent
            if system is not None and system.group and not el.group:
                chain.insert(0, boundary(f"group:{system.group}", system.group, "group"))
            if role == "client":
                chain = [boundary("client", "User's device", "client")]
            else:
                chain.append(boundary(f"system:{system.id}", system.name, "system"))
                if TRUST_TAG in {t.lower() for t in el.tags}:
                    chain.append(boundary(f"tagged:{el.id}", el.name, "tagged"))
        elif el.kind == "softwareSystem" and not el.external and not el.group \
                and not internal_systems:
            chain.append(boundary(f"system:{el.id}", el.name, "system"))
        node.boundaries = chain
        tm.nodes[el.id] = node
        container_of.setdefault(el.id, el.id)
    _deployment(workspace, tm)
    seen: dict[tuple[str, str, str], Flow] = {}
    for rel in model.static_relationships():
        src, dst = container_of.get(rel.source), container_of.get(rel.destination)
        if src is None or dst is None or src == dst:
            continue
        key = (src, dst, rel.technology.strip().lower())
        if key in seen:
            flow = seen[key]
            flow.relationships += 1
            if rel.description and rel.description not in flow.description:
                flow.description = f"{flow.description}; {rel.description}".strip("; ")
            continue
        flow = Flow(rel.id or f"{src}->{dst}", src, dst, rel.description, rel.technology,
                    list(rel.tags))
        a, b = tm.nodes[src], tm.nodes[dst]
        flow.crosses = a.boundaries != b.boundaries or \
            TRUST_TAG in {t.lower() for t in rel.tags}
        seen[key] = flow
        tm.flows.append(flow)
    from archkit.security.assets import assets_from_descriptions, place_assets

    if catalog is not None:
        place_assets(tm, catalog, classifications or {})
    else:
        assets_from_descriptions(tm)
    return tm


def _deployment(workspace: Any, tm: ThreatModel) -> None:
    """Instance counts and hosts from the live environment (or the last one declared)."""
    envs = workspace.model.environments
    if not envs:
        return
    env = next((e for e in envs if e.name.lower() in ("live", "production", "prod")), envs[-1])
    tm.environment = env.name

    def count(node: Any) -> int:
        total = 1
        for anc in [node, *node.ancestors()]:
            raw = str(getattr(anc, "instances", "1") or "1")
            m = re.match(r"\d+", raw)
            total *= int(m.group()) if m else 1
        return total

    for el in env.walk():
        if el.kind not in ("containerInstance", "softwareSystemInstance") or el.of not in tm.nodes:
            continue
        node = tm.nodes[el.of]
        host = el.parent
        n = count(host) if host is not None else 1
        node.instances = (node.instances or 0) + n
        if host is None or node.role == "client":
            continue
        chain = [host, *host.ancestors()]
        node.host = " ".join(filter(None, [host.name, host.technology]))
        # The outermost node when it groups other nodes (a region, a data centre; a lone
        # server is not a network of its own), and any node tagged trust-boundary.
        top = chain[-1]
        grouping = any(c.kind == "deploymentNode" for c in top.children)
        marked = ([top] if grouping else []) + [
            a for a in reversed(chain) if TRUST_TAG in {t.lower() for t in a.tags}
            and not (grouping and a is top)]
        for anc in marked:
            bid = f"node:{anc.id}"
            tm.boundaries.setdefault(bid, Boundary(bid, anc.name, "deployment"))
            if bid not in node.boundaries:
                # a region or data centre sits outside an element tagged as its own zone
                at = next((i for i, b in enumerate(node.boundaries) if b.startswith("tagged:")),
                          len(node.boundaries))
                node.boundaries.insert(at, bid)
