"""Cross-artefact consistency: do the decisions, the C4 model, the schema and the
requirements of one design folder tell the same story? (``archkit check DIR``)

Usage::

    from archkit.consistency import check_design
    findings = check_design("examples/order_platform")   # Findings, codes DC101 …
    findings.errors                                        # what makes `archkit check` exit 1

Each check is a function registered with :func:`consistency_check`; it reads the folder's
artefacts once (a :class:`Design`) and yields findings. Later stages plug in their own
``consistency_findings(folder) -> Findings`` (see :data:`PLUGINS`), imported only if present.

Codes:

=====  ===========================================================================
DC101  accepted decision's architecture style vs the number of deployable containers
DC102  message broker chosen in a decision vs the broker technology in the C4 model
DC103  database chosen in a decision vs the database technology in the C4 model
DC104  cache chosen in a decision vs the cache technology in the C4 model
DC201  requirement entity with no table in the latest schema version
DC301  endpoint with no container (or component) that serves it
DC401  deployed instances of a request-serving container below the capacity plan
DC501  a schema finding the notebooks' check cell claims is fixed
DC901  an artefact could not be read (so its checks did not run)
=====  ===========================================================================
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from archkit.errors import ArchkitError
from archkit.findings import Finding, Findings, Severity

__all__ = ["CHECKS", "PLUGINS", "REQUESTS_PER_INSTANCE", "Design", "check_design",
           "consistency_check", "plugin_hooks"]

# Stages that live in their own packages add their findings through these modules'
# ``consistency_findings(folder: Path) -> Findings`` (issue 16: API, issue 17: security).
PLUGINS = ("archkit.api", "archkit.security", "archkit.capacity")
# Little's law gives requests in flight at peak; one instance of a request-serving
# container is assumed to hold this many at once (a thread/worker pool of ~100).
REQUESTS_PER_INSTANCE = 100
HIGH_AVAILABILITY = 99.9  # percent: at or above it, one instance is a single point of failure

# Technology families: the words that name them in option names and C4 technologies.
BROKERS = {
    "Kafka": ("kafka", "msk", "confluent", "redpanda"),
    "RabbitMQ": ("rabbitmq", "amqp"),
    "Amazon SQS": ("sqs",),
    "Pulsar": ("pulsar",),
    "NATS": ("nats",),
    "Kinesis": ("kinesis",),
    "Google Pub/Sub": ("pub/sub", "pubsub"),
    "Azure Service Bus": ("service bus",),
    "ActiveMQ": ("activemq", "artemis"),
}
DATABASES = {
    "PostgreSQL": ("postgres", "postgresql", "aurora postgresql"),
    "MySQL": ("mysql", "mariadb", "aurora mysql"),
    "MongoDB": ("mongodb", "mongo", "documentdb"),
    "DynamoDB": ("dynamodb",),
    "SQL Server": ("sql server", "mssql"),
    "Oracle": ("oracle",),
    "Cassandra": ("cassandra", "scylla"),
    "SQLite": ("sqlite",),
}
CACHES = {
    "Redis": ("redis", "valkey", "elasticache"),
    "Memcached": ("memcached",),
}
# (code, what, families, C4 tags that mark the kind of container)
TECHNOLOGIES = (
    ("DC102", "message broker", BROKERS, ("message broker", "queue", "broker")),
    ("DC103", "database", DATABASES, ("database", "datastore")),
    ("DC104", "cache", CACHES, ("cache",)),
)
FRONT_END_TAGS = ("web browser", "mobile app", "browser", "spa")
FRONT_END_WORDS = ("react", "angular", "vue", "svelte", "ios", "android", "javascript",
                   "typescript and react", "single-page")


def _families(text: str, families: dict[str, tuple[str, ...]]) -> set[str]:
    low = text.lower()
    return {name for name, words in families.items()
            if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", low) for w in words)}


# -- the design, read once ----------------------------------------------------------------

@dataclass(slots=True)
class Decision:
    """A decision as the checks see it: from an ADR, or from decisions.yaml if unrecorded."""

    label: str  # "ADR 0003" or "decisions.yaml: architecture-style"
    title: str
    chosen: str
    status: str  # accepted, proposed, superseded, ...
    file: str


@dataclass
class Design:
    """The artefacts of one design folder, parsed on first use. A part that cannot be read
    becomes finding DC901 and its checks are skipped."""

    root: Path
    problems: Findings = field(default_factory=Findings)

    @cached_property
    def folder(self):
        from archkit.design import open_design

        return open_design(self.root)

    def _read(self, what: str, file: str | None, load: Callable[[], Any]) -> Any:
        try:
            return load()
        except ArchkitError as err:
            self.problems.append(Finding(
                "DC901", Severity.ERROR, f"{what} could not be read: {err.message}",
                object=what, file=file, fix=err.hint or "fix the file, then rerun"))
            return None

    @cached_property
    def requirements(self):
        path = self.folder.requirements
        if path is None:
            return None
        from archkit.brainstorm.requirements import load_requirements

        return self._read("requirements", path.name, lambda: load_requirements(path))

    @cached_property
    def workspace(self):
        path = self.folder.workspace
        if path is None:
            return None
        from archkit.c4.load import load_workspace

        return self._read("C4 workspace", path.name, lambda: load_workspace(path)[0])

    @cached_property
    def latest_sql(self) -> str | None:
        path = self.folder.latest_schema
        return path.read_text(encoding="utf-8") if path else None

    @cached_property
    def schema(self):
        """The schema check report of the latest version (catalog + findings)."""
        path = self.folder.latest_schema
        if path is None:
            return None
        from archkit.schema.validate import check_schema

        file = path.relative_to(self.root).as_posix()
        return self._read("schema", file, lambda: check_schema(self.latest_sql or "",
                                                               "postgres", file=file))

    @cached_property
    def decisions(self) -> list[Decision]:
        """Recorded decisions (the ADR folder as it is now), then decisions.yaml's unrecorded."""
        out: list[Decision] = []
        recorded: set[str] = set()
        adr_dir = self.folder.adr_dir
        if adr_dir.is_dir():
            from archkit.adr.store import AdrStore

            store = self._read("ADRs", adr_dir.relative_to(self.root).as_posix(),
                               lambda: AdrStore(adr_dir))
            for rec in store.all() if store is not None else []:
                matrix = rec.matrix if isinstance(rec.matrix, dict) else {}
                if matrix.get("decision_id"):
                    recorded.add(str(matrix["decision_id"]))
                chosen = rec.chosen or (rec.title.rsplit(":", 1)[1] if ":" in rec.title else "")
                out.append(Decision(f"ADR {rec.number or 0:04d}", rec.title, chosen.strip(),
                                    rec.status_kind, f"{adr_dir.relative_to(self.root)}/"
                                    f"{rec.file or ''}"))
        path = self.folder.decisions
        if path is not None:
            from archkit.brainstorm.load import load_decisions

            found = self._read("decisions", path.name, lambda: load_decisions(path))
            for d in found.decisions if found is not None else []:
                if d.id not in recorded:
                    winner = d.evaluate().winner
                    if winner:
                        out.append(Decision(f"{path.name}: {d.id}", d.title or d.question,
                                            winner, "proposed", path.name))
        return out

    # -- the C4 model, read the way the checks need it -----------------------------------

    def containers(self) -> list:
        ws = self.workspace
        if ws is None:
            return []
        return [e for e in ws.model.walk() if e.kind == "container"
                and not any(a.external for a in e.ancestors())]

    def kind_of(self, container) -> str:
        """'infrastructure' (database, broker, cache), 'front end', or 'service'."""
        tags = " ".join(container.tags).lower()
        tech = f"{container.technology} {container.name}".lower()
        for _, _, families, kind_tags in TECHNOLOGIES:
            if any(t in tags for t in kind_tags) or _families(container.technology, families):
                return "infrastructure"
        if any(t in tags for t in FRONT_END_TAGS) or any(w in tech for w in FRONT_END_WORDS):
            return "front end"
        return "service"

    def services(self) -> list:
        return [c for c in self.containers() if self.kind_of(c) == "service"]

    def instances(self, container_id: str) -> dict[str, int]:
        """Deployed instances of a container per environment (nested node counts multiply)."""
        ws = self.workspace
        counts: dict[str, int] = {}
        if ws is None:
            return counts
        for env in ws.model.environments:
            for element in env.walk():
                if element.kind == "containerInstance" and element.of == container_id:
                    n = 1
                    for node in element.ancestors():
                        n *= _count(getattr(node, "instances", "1"))
                    counts[env.name] = counts.get(env.name, 0) + n
        return counts


def _count(instances: str) -> int:
    """'3' -> 3; '1..N' or '2..4' -> the lower bound (what is promised)."""
    m = re.match(r"\s*(\d+)", str(instances))
    return int(m.group(1)) if m else 1


# -- the registry -------------------------------------------------------------------------

CheckFn = Callable[[Design], Iterable[Finding]]
CHECKS: dict[str, CheckFn] = {}


def consistency_check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check under ``name`` (its codes are documented in the module docstring)."""
    def register(fn: CheckFn) -> CheckFn:
        CHECKS[name] = fn
        return fn
    return register


def check_design(folder: str | Path, *, plugins: bool = True, **parsed: Any) -> Findings:
    """Every registered check on the design folder, then the plugged-in stages' checks.

    ``parsed`` hands over artefacts a caller already read (``requirements=``, ``workspace=``,
    ``schema=`` — a schema check report of the latest version), so they are not read twice.
    """
    from archkit.design import open_design

    design = Design(open_design(folder).root)
    unknown = set(parsed) - {"requirements", "workspace", "schema"}
    if unknown:
        raise TypeError(f"check_design() got unexpected artefacts: {sorted(unknown)}")
    design.__dict__.update(parsed)  # fills the cached properties
    found = Findings()
    for fn in CHECKS.values():
        found.extend(fn(design))
    if plugins:
        found.extend(_plugin_findings(design.root))
    found.extend(design.problems)
    return Findings(dict.fromkeys(found)).sorted() if found else found


def plugin_hooks(attribute: str) -> Iterator[Callable]:
    """``attribute`` (a function) of each stage package in :data:`PLUGINS` that has it, in
    the package or in its ``consistency`` / ``pack`` module; a stage not installed is skipped."""
    for name in PLUGINS:
        for module_name in (name, f"{name}.consistency", f"{name}.pack"):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as err:
                if err.name and module_name.startswith(err.name):
                    continue
                raise
            fn = getattr(module, attribute, None)
            if callable(fn):
                yield fn
                break


def _plugin_findings(root: Path) -> Iterator[Finding]:
    for fn in plugin_hooks("consistency_findings"):
        yield from fn(root)


def _severity(decision: Decision) -> Severity | None:
    return {"accepted": Severity.ERROR, "proposed": Severity.WARNING}.get(decision.status)


# -- decisions against the C4 model -------------------------------------------------------

@consistency_check("architecture style")
def _architecture_style(design: Design) -> Iterator[Finding]:
    if design.workspace is None:
        return
    services = design.services()
    names = ", ".join(f"{c.name} ({c.id})" for c in services)
    for d in design.decisions:
        severity = _severity(d)
        style = d.chosen.lower()
        if severity is None:
            continue
        if "monolith" in style and len(services) > 1:
            yield Finding(
                "DC101", severity,
                f"{d.label} chooses {d.chosen!r} (one deployable), but the C4 model has "
                f"{len(services)} deployable containers: {names}",
                object=d.label, file=d.file,
                fix="model the monolith as one container whose modules are components, "
                    "or supersede the decision")
        elif "microservice" in style and len(services) < 2:
            yield Finding(
                "DC101", severity,
                f"{d.label} chooses {d.chosen!r}, but the C4 model has "
                f"{len(services)} deployable container(s): {names or 'none'}",
                object=d.label, file=d.file,
                fix="model each service as its own container, or supersede the decision")


@consistency_check("technologies")
def _technologies(design: Design) -> Iterator[Finding]:
    if design.workspace is None:
        return
    containers = design.containers()
    for code, what, families, kind_tags in TECHNOLOGIES:
        # the containers of this kind, and the families their technology names
        named = {c.id: _families(f"{c.technology} {c.name}", families) for c in containers}
        of_kind = [c for c in containers if named[c.id]
                   or any(t in " ".join(c.tags).lower() for t in kind_tags)]
        for d in design.decisions:
            severity = _severity(d)
            chosen = _families(d.chosen, families)
            if severity is None or len(chosen) != 1 or not of_kind:
                continue
            want = next(iter(chosen))
            for c in of_kind:
                if want in named[c.id]:
                    continue
                shown = ", ".join(sorted(named[c.id])) or c.technology or "no technology"
                yield Finding(
                    code, severity,
                    f"{d.label} chooses {want} as the {what}, but C4 container "
                    f"{c.name!r} ({c.id}) says {shown}",
                    object=f"{d.label} / {c.id}", file=d.file,
                    fix=f"set the container's technology to {want} in the workspace, or "
                        "supersede the decision with a new ADR")


# -- requirements against the schema and the C4 model -------------------------------------

def _table_names(entity: str) -> set[str]:
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", entity).lower().replace(" ", "_")
    plural = (snake[:-1] + "ies" if snake.endswith("y") and snake[-2:-1] not in "aeiou"
              else snake + "es" if snake.endswith(("s", "x", "ch", "sh")) else snake + "s")
    return {snake, plural, snake.replace("_", ""), plural.replace("_", "")}


@consistency_check("entities")
def _entities(design: Design) -> Iterator[Finding]:
    reqs, report = design.requirements, design.schema
    if reqs is None or report is None:
        return
    tables = {name.lower().rsplit(".", 1)[-1] for name in report.catalog.tables}
    latest = design.folder.latest_schema
    for entity in reqs.entities:
        if not _table_names(entity.name) & tables:
            yield Finding(
                "DC201", Severity.ERROR,
                f"requirement entity {entity.name!r} has no table in {latest.name}",
                object=entity.name, file="requirements.yaml", line=entity.line,
                fix=f"add a table {sorted(_table_names(entity.name))[1]!r} to the next schema "
                    "version, or remove the entity from the requirements")


def _served(design: Design) -> list[tuple[Any, list[str] | None]]:
    """(element, declared endpoint paths or None) for the design's own containers and
    components; declared paths come from the element property ``endpoints``."""
    out = []
    for c in design.containers():
        for e in c.walk():
            raw = e.properties.get("endpoints")
            paths = [p.split()[-1] for p in re.split(r"[,\n]", raw) if p.strip()] if raw \
                else None
            out.append((e, paths))
    return out


def _serves(path: str, prefix: str) -> bool:
    prefix = prefix.rstrip("/")
    return path == prefix or path.startswith(prefix + "/")


def _resource_words(path: str) -> set[str]:
    parts = [p for p in path.strip("/").split("/") if p and not p.startswith("{")
             and not re.fullmatch(r"v\d+", p)]
    words = set()
    for part in parts[:1]:
        word = part.lower()
        words |= {word, word.rstrip("s"), word[:-3] + "y" if word.endswith("ies") else word}
    return words


@consistency_check("endpoints")
def _endpoints(design: Design) -> Iterator[Finding]:
    reqs = design.requirements
    if reqs is None or design.workspace is None or not reqs.endpoints:
        return
    served = _served(design)
    declared = [(e, paths) for e, paths in served if paths is not None]
    for ep in reqs.endpoints:
        if declared:
            ok = any(_serves(ep.path, p) for _, paths in declared for p in paths or [])
            how = "no container or component lists it in its 'endpoints' property"
        else:  # no element declares endpoints: fall back to the resource named in the text
            words = _resource_words(ep.path)
            ok = any(re.search(rf"\b{re.escape(w)}\b", f"{e.name} {e.description}".lower())
                     for e, _ in served for w in words if design.kind_of(
                         e if e.kind == "container" else e.parent) != "infrastructure")
            how = (f"no container or component names {'/'.join(sorted(words))} "
                   "(and none has an 'endpoints' property)")
        if not ok:
            yield Finding(
                "DC301", Severity.ERROR, f"endpoint {ep.method} {ep.path}: {how}",
                object=f"{ep.method} {ep.path}", file="requirements.yaml", line=ep.line,
                fix="say which container serves it: element.properties['endpoints'] = "
                    f"'{ep.path}' in the workspace (or a path prefix covering it)")


# -- deployment against the capacity estimate ---------------------------------------------

@consistency_check("capacity")
def _capacity(design: Design) -> Iterator[Finding]:
    """Deployed instances against what the capacity plan (``archkit capacity``: Erlang C with
    the folder's service times) needs; a container the plan does not size falls back to
    Little's law with REQUESTS_PER_INSTANCE in flight per instance."""
    reqs = design.requirements
    if reqs is None or design.workspace is None or not design.workspace.model.environments:
        return
    rough, rough_why = _rough_estimate(reqs.non_functional)
    sized = _planned_instances(design)
    for c in (c for c in design.services() if _takes_requests(design, c)):
        needed, why = sized.get(c.id) or (rough, rough_why)
        if not why:
            continue
        for env, count in sorted(design.instances(c.id).items()):
            if count < needed:
                yield Finding(
                    "DC401", Severity.ERROR,
                    f"{c.name} ({c.id}) runs {count} instance(s) in {env}; the capacity "
                    f"estimate needs at least {needed}: {'; '.join(why)}",
                    object=f"{env} / {c.id}", file=design.folder.workspace.name,
                    fix=f"deploy at least {needed} instances (node instances=…), or revisit "
                        "the non-functional targets (or capacity.yaml's assumptions)")


def _rough_estimate(nfr) -> tuple[int, list[str]]:
    """Instances by Little's law (peak RPS × p95 in flight) and the availability target."""
    needed, why = 1, []
    p95 = nfr.latency_ms.get("p95")
    if nfr.peak_rps is not None and p95 is not None:
        in_flight = nfr.peak_rps * p95 / 1000
        by_load = math.ceil(in_flight / REQUESTS_PER_INSTANCE)
        needed = max(needed, by_load)
        why.append(f"{in_flight:g} requests in flight at peak (peak RPS × p95) / "
                   f"{REQUESTS_PER_INSTANCE} per instance = {by_load}")
    if nfr.availability is not None and nfr.availability >= HIGH_AVAILABILITY:
        needed = max(needed, 2)
        why.append(f"availability {nfr.availability:g} % needs no single instance")
    return needed, why


def _planned_instances(design: Design) -> dict[str, tuple[int, list[str]]]:
    """Container id → (instances, why) from the capacity plan, for the containers it sizes
    (none when the plan cannot be made: its own findings say why, under CP1xx)."""
    from archkit.capacity.plan import plan_capacity

    try:
        plan = plan_capacity(design.root)
    except ArchkitError:
        return {}
    spare = plan.assumptions.spare_instances
    return {cp.id: (cp.planned, [
        f"the capacity plan sizes it at {cp.needed} + {spare} spare ({cp.rate:g} req/s, "
        f"{cp.service_ms:g} ms service time ({cp.service_source.split(':')[0]}), {cp.concurrency} "
        f"concurrent per instance; workings: archkit capacity)"])
        for cp in plan.containers if cp.planned is not None}


def _takes_requests(design: Design, container) -> bool:
    """A container that people, front ends or other systems call over HTTP."""
    ws = design.workspace
    for rel in ws.model.static_relationships():
        dest = ws.model.get(rel.destination) if isinstance(rel.destination, str) \
            else rel.destination
        target = dest if dest is None or dest.kind == "container" else dest.parent
        if target is container and "http" in f"{rel.technology} {rel.description}".lower():
            return True
    return bool(container.properties.get("endpoints"))


# -- schema findings the notebooks claim are fixed ----------------------------------------

# lint code -> (check cell, what the cell says is right when it passes)
CLAIMS = {
    "SC207": ("multi_tenant_schema", "unique constraints are per tenant (lead with tenant_id)"),
}


@consistency_check("claims")
def _claims(design: Design) -> Iterator[Finding]:
    report, sql = design.schema, design.latest_sql
    if report is None or sql is None or "tenants" not in report.catalog.tables:
        return
    import archkit.check

    latest = design.folder.latest_schema.relative_to(design.root).as_posix()
    for code, (cell, claim) in CLAIMS.items():
        result = getattr(archkit.check, cell)(sql)
        if claim not in result.right:
            continue
        for f in report.findings.by_code(code):
            yield Finding(
                "DC501", Severity.ERROR,
                f"the notebooks' check cell {cell} says {claim!r}, but the schema check "
                f"still reports {code} on {f.object}: {f.message}",
                object=f.object, file=f.file or latest, line=f.line,
                fix=f"{f.fix} — or make the check cell and the linter agree on what is allowed")
