"""Requirements as data: entities, relationships, endpoints, non-functional targets.

Usage::

    reqs = load_requirements("examples/order_platform/requirements.yaml")
    reqs.to_markdown()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archkit.display import escape_markdown, markdown_table
from archkit.errors import ArchkitError, Where

if TYPE_CHECKING:
    from archkit.brainstorm.capacity import Assumptions, CapacityEstimate
    from archkit.findings import Findings

__all__ = [
    "Endpoint",
    "Entity",
    "NonFunctional",
    "Relationship",
    "Requirements",
    "load_requirements",
    "requirements_from_dict",
]


@dataclass(slots=True)
class Entity:
    name: str
    description: str = ""
    attributes: list[str] = field(default_factory=list)
    line: int | None = field(default=None, kw_only=True, compare=False, repr=False)


@dataclass(slots=True)
class Relationship:
    source: str
    target: str
    cardinality: str = "one-to-many"
    description: str = ""
    line: int | None = field(default=None, kw_only=True, compare=False, repr=False)


@dataclass(slots=True)
class Endpoint:
    method: str
    path: str
    purpose: str = ""
    line: int | None = field(default=None, kw_only=True, compare=False, repr=False)


@dataclass(slots=True)
class NonFunctional:
    """Targets the design must meet; ``None`` means not stated."""

    latency_ms: dict[str, float] = field(default_factory=dict)  # p50 / p95 / p99
    peak_rps: float | None = None
    read_write_ratio: float | None = None
    availability: float | None = None  # percent
    data_growth: dict[str, float] = field(default_factory=dict)
    rpo_minutes: float | None = None
    rto_minutes: float | None = None


@dataclass(slots=True)
class Requirements:
    name: str
    summary: str = ""
    entities: list[Entity] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    endpoints: list[Endpoint] = field(default_factory=list)
    non_functional: NonFunctional = field(default_factory=NonFunctional)
    constraints: list[str] = field(default_factory=list)
    source: str = field(default="", kw_only=True, compare=False, repr=False)  # file read from

    def to_markdown(self) -> str:
        """The requirements as a Markdown document (every value escaped)."""
        out = [f"# Requirements: {escape_markdown(self.name)}", ""]
        if self.summary:
            out += [escape_markdown(self.summary.strip()), ""]
        if self.entities:
            out += ["## Entities", ""]
            rows = [[e.name, e.description, ", ".join(e.attributes)] for e in self.entities]
            out += [markdown_table(["entity", "description", "attributes"], rows), ""]
        if self.relationships:
            out += ["## Relationships", ""]
            rows = [[r.source, r.cardinality, r.target, r.description] for r in self.relationships]
            out += [markdown_table(["from", "cardinality", "to", "meaning"], rows), ""]
        if self.endpoints:
            out += ["## Endpoints", ""]
            rows = [[e.method, e.path, e.purpose] for e in self.endpoints]
            out += [markdown_table(["method", "path", "purpose"], rows), ""]
        out += ["## Non-functional requirements", ""]
        out += [markdown_table(["target", "value"], _nfr_rows(self.non_functional)), ""]
        if self.constraints:
            out += ["## Constraints", ""]
            out += [f"* {escape_markdown(c)}" for c in self.constraints]
            out.append("")
        return "\n".join(out)

    def validate(self) -> Findings:
        """Findings about these requirements (see :mod:`archkit.brainstorm.validate`)."""
        from archkit.brainstorm.validate import validate_requirements

        return validate_requirements(self)

    def capacity(self, assumptions: Assumptions | None = None) -> CapacityEstimate:
        """The back-of-envelope capacity estimate of these targets, formulas shown."""
        from archkit.brainstorm.capacity import estimate_capacity

        return estimate_capacity(self.non_functional, assumptions)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _nfr_rows(nfr: NonFunctional) -> list[list[str]]:
    rows = [[f"latency {k}", f"{_num(v)} ms"] for k, v in nfr.latency_ms.items()]
    if nfr.peak_rps is not None:
        rows.append(["peak requests per second", _num(nfr.peak_rps)])
    if nfr.read_write_ratio is not None:
        rows.append(["reads per write", _num(nfr.read_write_ratio)])
    if nfr.availability is not None:
        rows.append(["availability", f"{_num(nfr.availability)} %"])
    rows += [[f"data growth: {k.replace('_', ' ')}", _num(v)] for k, v in nfr.data_growth.items()]
    if nfr.rpo_minutes is not None:
        rows.append(["RPO", f"{_num(nfr.rpo_minutes)} min"])
    if nfr.rto_minutes is not None:
        rows.append(["RTO", f"{_num(nfr.rto_minutes)} min"])
    return rows


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def load_requirements(path: str | Path) -> Requirements:
    """Read a requirements YAML file; errors name the file, the line and the bad key."""
    from archkit.brainstorm.yamlio import parse_yaml

    path = Path(path)
    data = parse_yaml(path.read_text(encoding="utf-8"), source=str(path))
    return requirements_from_dict(data, source=str(path))


def requirements_from_dict(data: Any, source: str = "<requirements>") -> Requirements:
    """Build :class:`Requirements` from plain data, with errors that say which key is wrong."""
    from archkit.brainstorm.yamlio import line_of

    if not isinstance(data, dict) or "name" not in data:
        raise ArchkitError(
            "requirements must be a mapping with at least a 'name'",
            where=Where(source, line_of(data)),
            hint="start the file with 'name: My system'",
        )

    def build(cls: type, key: str) -> list:
        items = data.get(key) or []
        if not isinstance(items, list):
            raise ArchkitError(f"'{key}' must be a list", where=Where(source, line_of(data)),
                               hint=f"write '{key}:' followed by '- ...' entries")
        out = []
        for item in items:
            try:
                if not isinstance(item, dict):
                    raise TypeError(f"expected a mapping, got {item!r}")
                out.append(cls(**{k: v for k, v in item.items() if k != "line"},
                               line=line_of(item)))
            except TypeError as err:
                raise ArchkitError(
                    f"bad entry under '{key}': {err}", where=Where(source, line_of(item)),
                    hint=f"see examples/order_platform/requirements.yaml for the fields of '{key}'",
                ) from err
        return out

    raw_nfr = data.get("non_functional") or {}
    try:
        nfr = NonFunctional(**raw_nfr)
    except TypeError as err:
        raise ArchkitError(
            f"bad 'non_functional': {err}", where=Where(source, line_of(raw_nfr)),
            hint="known keys: " + ", ".join(NonFunctional.__dataclass_fields__),
        ) from err
    return Requirements(
        name=str(data["name"]),
        summary=str(data.get("summary") or ""),
        entities=build(Entity, "entities"),
        relationships=build(Relationship, "relationships"),
        endpoints=build(Endpoint, "endpoints"),
        non_functional=nfr,
        constraints=[str(c) for c in data.get("constraints") or []],
        source=source,
    )
