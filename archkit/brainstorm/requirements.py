"""Requirements as data: entities, relationships, endpoints, non-functional targets.

Usage::

    reqs = load_requirements("examples/order_platform/requirements.yaml")
    reqs.to_markdown()
    reqs.problems        # what the file held that could not be understood (with lines)

Loader codes: BR301 unknown key (ignored, warning), BR302 entry that is not a mapping
or lacks a required field (dropped), BR303 value of the wrong type, or a number that
is not finite or too large (ignored), BR305 duplicate YAML key (the later one is used).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archkit.brainstorm.fields import FieldReader, as_text
from archkit.brainstorm.yamlio import parse_yaml_document, pos_of, read_text
from archkit.display import escape_markdown, markdown_table
from archkit.errors import ArchkitError, Where
from archkit.findings import Findings, Severity

if TYPE_CHECKING:
    from archkit.brainstorm.capacity import Assumptions, CapacityEstimate

__all__ = [
    "Endpoint",
    "Entity",
    "NonFunctional",
    "Relationship",
    "Requirements",
    "load_requirements",
    "load_requirements_text",
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
    # where each value was written ("peak_rps", "latency_ms.p95" -> (line, col)), for findings
    positions: dict[str, tuple[int | None, int | None]] = field(
        default_factory=dict, kw_only=True, compare=False, repr=False)


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
    # what the loader could not understand (codes BR301-BR305); validate() includes them
    problems: Findings = field(default_factory=Findings, kw_only=True, compare=False, repr=False)

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
    """Read a requirements YAML file: every good part, and ``problems`` for the rest.

    An unreadable file, bad UTF-8, bad YAML or a file without a ``name`` raises
    :class:`ArchkitError` with file:line:col; everything else is kept or reported.
    """
    return load_requirements_text(read_text(path), source=str(Path(path)))


def load_requirements_text(text: str | bytes, source: str = "<requirements>") -> Requirements:
    """Requirements from YAML text (bytes are read as UTF-8); see :func:`load_requirements`."""
    doc = parse_yaml_document(text, source)
    return _build(doc.data, source, doc.issues)


def requirements_from_dict(data: Any, source: str = "<requirements>") -> Requirements:
    """Build :class:`Requirements` from plain data; what is not understood is in ``problems``."""
    return _build(data, source, [])


TOP_KEYS = {"name", "summary", "entities", "relationships", "endpoints", "non_functional",
            "constraints"}
NFR_NUMBERS = ("peak_rps", "read_write_ratio", "availability", "rpo_minutes", "rto_minutes")
NFR_MAPS = ("latency_ms", "data_growth")
# kind -> (class, required fields, optional text fields, the fix for a bad entry)
_ENTRIES: dict[str, tuple[type, tuple[str, ...], tuple[str, ...], str]] = {
    "entities": (Entity, ("name",), ("description",), "{name: Order, attributes: [id]}"),
    "relationships": (Relationship, ("source", "target"), ("cardinality", "description"),
                      "{source: Order, target: Payment, cardinality: one-to-many}"),
    "endpoints": (Endpoint, ("method", "path"), ("purpose",), "{method: GET, path: /v1/orders}"),
}


def _build(data: Any, source: str, issues: list) -> Requirements:
    if not isinstance(data, dict) or "name" not in data:
        raise ArchkitError(
            "requirements must be a mapping with at least a 'name'",
            where=Where(source, getattr(data, "line", None), getattr(data, "col", None)),
            hint="start the file with 'name: My system'",
        )
    name = as_text(data["name"])
    if not name:
        raise ArchkitError(
            "'name' must be a non-empty text",
            where=Where(source, *pos_of(data, "name")),
            hint="write 'name: My system'",
        )
    read = FieldReader(source, unknown="BR301", wrong_type="BR303", duplicate="BR305")
    read.yaml_issues(issues)
    read.unknown_keys(data, TOP_KEYS, None)
    reqs = Requirements(
        name=name,
        summary=read.text(data, "summary", None) or "",
        constraints=read.texts(data, "constraints", None),
        non_functional=_non_functional(data, read),
        source=source,
    )
    reqs.entities = _entries(data, "entities", read)
    reqs.relationships = _entries(data, "relationships", read)
    reqs.endpoints = _entries(data, "endpoints", read)
    reqs.problems = read.findings.sorted()
    return reqs


def _entries(data: dict, kind: str, read: FieldReader) -> list:
    cls, required, optional, example = _ENTRIES[kind]
    items = data.get(kind)
    if items is None:
        return []
    if not isinstance(items, list):
        read.wrong(data, kind, kind, "a list", "ignored", f"write '{kind}:' then '- {example}'")
        return []
    known = {*required, *optional, *(("attributes",) if cls is Entity else ())}
    out = []
    for index, item in enumerate(items):
        obj = f"{kind}[{index + 1}]"
        if not isinstance(item, dict):
            read.add("BR302", Severity.ERROR, f"entry {index + 1} of '{kind}' is not a mapping; "
                     "dropped", obj, items, index, f"write it as - {example}")
            continue
        values = {k: read.text(item, k, obj, what="entry dropped") for k in required}
        missing = [k for k, v in values.items() if v == ""]
        if missing:
            read.add("BR302", Severity.ERROR, f"entry has no {' or '.join(missing)}; dropped",
                     obj, item, None, f"write it as - {example}")
        if missing or None in values.values():
            read.unknown_keys(item, known, obj)
            continue
        obj = " ".join(values.values()) if cls is Endpoint else " -> ".join(values.values())
        read.unknown_keys(item, known, obj)
        for key in optional:
            text = read.text(item, key, obj)
            if text:
                values[key] = text
        if cls is Entity:
            values["attributes"] = read.texts(item, "attributes", obj)
        out.append(cls(**values, line=pos_of(items, index)[0]))
    return out


def _non_functional(data: dict, read: FieldReader) -> NonFunctional:
    nfr = NonFunctional()
    raw = data.get("non_functional")
    # findings about the targets as a whole (e.g. "no peak_rps") point here
    nfr.positions["non_functional"] = pos_of(data, "non_functional") if raw else (1, 1)
    if raw is None:
        return nfr
    if not isinstance(raw, dict):
        read.wrong(data, "non_functional", "non_functional", "a mapping", "ignored",
                   "write 'non_functional:' then indented keys such as 'peak_rps: 1500'")
        return nfr
    read.unknown_keys(raw, {*NFR_NUMBERS, *NFR_MAPS}, "non_functional")
    for key in NFR_NUMBERS:
        value = read.number(raw, key, key)
        if value is not None:
            setattr(nfr, key, value)
            nfr.positions[key] = pos_of(raw, key)
    for key in NFR_MAPS:
        sub = raw.get(key)
        if sub is None:
            continue
        if not isinstance(sub, dict):
            example = "{p95: 200}" if key == "latency_ms" else "{orders_per_day: 1000}"
            read.wrong(raw, key, key, "a mapping", "ignored", f"write {key}: {example}")
            continue
        target = getattr(nfr, key)
        for name in sub:
            text = str(name) if isinstance(name, str | int | float) else None
            number = read.number(sub, name, f"{key}.{text}") if text else None
            if text and number is not None:
                target[text] = number
                nfr.positions[f"{key}.{text}"] = pos_of(sub, name)
            elif not text:
                read.wrong(sub, name, key, "keyed by text", "ignored", "use a text key")
    return nfr
