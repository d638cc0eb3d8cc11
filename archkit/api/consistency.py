"""Contracts against the rest of the design folder: schema catalog, C4 model, dynamic view.

Usage::

    findings = consistency_findings(Path("examples/order_platform"))   # API3xx, for `archkit check`

What is checked (codes in ``archkit.api.rules``):

* API301 every operation's resource (``x-archkit-table``, else its path) is a table;
* API302-305 every field of a component or event payload tied to a table
  (``x-archkit-table``) is a column (``x-archkit-column`` renames, ``x-archkit-computed``
  opts out), with a compatible JSON type, nullability and length;
* API306 every operation is served by a container of the C4 model
  (``x-archkit-container`` on the operation or the document: a container, or a component,
  whose container then serves it) that something calls over HTTP;
* API307/309 every event of asyncapi.yaml has a producer and a consumer in a dynamic view,
  its operations' containers are those of the view, and every event of the view is in it
  (a component and its container stand for each other: the view may show a module, the
  contract its deployable, or the other way round);
* API308 an operation on a tenant-scoped table (one with ``tenant_id``) is scoped by a
  tenant claim (``x-archkit-tenant: claim``), a ``{tenant...}`` path parameter, or a lookup
  by a globally unique column (``x-archkit-tenant: lookup:provider_ref``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from archkit.api.folder import Design, container_of, pipeline_events, read_design
from archkit.api.mapping import json_types, max_length, resource_table
from archkit.api.rules import RULES
from archkit.api.source import Spec, load_spec
from archkit.api.validate import finding
from archkit.api.walk import operations
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity

__all__ = ["check_fields", "consistency_findings"]


def consistency_findings(folder: Path) -> Findings:
    """API3xx findings of ``folder/api/openapi.yaml`` and ``asyncapi.yaml`` against the folder."""
    # An unreadable requirements/schema/workspace is DC901 of `archkit check`; what depends on
    # it is skipped here rather than reported twice.
    design = read_design(folder, strict=False)
    out: list[Finding] = []
    api = design.folder / "api"
    openapi, asyncapi = api / "openapi.yaml", api / "asyncapi.yaml"
    for path, check in ((openapi, _operations), (asyncapi, _events)):
        if not path.is_file():
            continue
        try:
            spec = load_spec(path)
        except ArchkitError as err:  # one unreadable contract must not hide the rest
            where = err.where or Where(str(path))
            out.append(Finding("API300", Severity.ERROR, err.message, object=path.name,
                               line=where.line, col=where.col, file=str(path),
                               fix=err.hint or RULES["API300"].fix))
            continue
        out.extend(check(spec, design))
        out.extend(check_fields(spec, design, (spec.data.get("components") or {}).get(
            "schemas"), ("components", "schemas")))
    return Findings(out)


def _tables(design: Design) -> dict:
    return design.catalog.tables if design.catalog is not None else {}


def _operations(spec: Spec, design: Design) -> list[Finding]:
    out = []
    tables = _tables(design)
    http_served = _http_served(design)
    default_container = spec.data.get("x-archkit-container")
    default_tenant = spec.data.get("x-archkit-tenant")
    for op in operations(spec):
        table = op.node.get("x-archkit-table") or resource_table(op.path, tables)
        if design.catalog is not None and (not table or table not in tables):
            out.append(finding(spec, "API301", f"{op.label}: no table stores its resource"
                               + (f" ({table!r})" if table else ""), op.parts))
            table = None
        if design.workspace is not None:
            cid = op.node.get("x-archkit-container") or default_container
            if not cid:
                out.append(finding(spec, "API306", f"{op.label} names no serving container "
                                   "(x-archkit-container)", op.parts))
            elif container_of(design.workspace, cid) is None:
                out.append(finding(spec, "API306", f"{op.label} is served by {cid!r}, which is "
                                   "neither a container nor a component of the C4 model",
                                   op.parts))
            elif not _called_over_http(design.workspace, cid, http_served):
                out.append(finding(spec, "API306", f"{op.label} is served by {cid!r}, but no "
                                   "one calls that container over HTTP in the C4 model",
                                   op.parts))
        if table and "tenant_id" in {c.name for c in tables[table].columns}:
            problem = _tenant_problem(op, tables[table], default_tenant)
            if problem:
                out.append(finding(spec, "API308", f"{op.label}: {problem}", op.parts))
    return out


def _http_served(design: Design) -> set[str]:
    """Containers some relationship of the model calls over HTTP (or JSON over HTTP)."""
    if design.workspace is None:
        return set()
    return {r.destination for r in design.workspace.model.relationships
            if re.search(r"http|json|rest|graphql|grpc", r.technology or "", re.I)}


def _called_over_http(workspace: Any, cid: str, served: set[str]) -> bool:
    """``cid`` is called over HTTP: itself, its container (a module named, the deployable
    called) or one of its components (the deployable named, a module called)."""
    return (cid in served or container_of(workspace, cid) in served
            or any(container_of(workspace, d) == cid for d in served))


def _same_place(workspace: Any, a: Any, b: Any) -> bool:
    """Two ids name the same runtime place: equal, or one is the other's container."""
    return a == b or (a is not None and b is not None and (
        container_of(workspace, a) == b or container_of(workspace, b) == a))


def _tenant_problem(op, table: Any, default: Any) -> str | None:
    scope = op.node.get("x-archkit-tenant", default)
    if any(p.startswith("{tenant") for p in op.path.split("/")):
        return None
    if scope == "claim":
        if op.node.get("security") == [] or op.node.get("security") == [{}]:
            return "tenant comes from a claim but the operation needs no token"
        return None
    if isinstance(scope, str) and scope.startswith("lookup:"):
        column = scope.split(":", 1)[1]
        alone = [u.columns for u in table.uniques] + (
            [table.primary_key.columns] if table.primary_key else [])
        if (column,) in [tuple(c) for c in alone]:
            return None
        return (f"tenant is looked up by {table.name}.{column}, which is not unique on its own "
                "(it could match rows of several tenants)")
    return f"{table.name} is tenant-scoped but the operation has no tenant claim or path"


def check_fields(spec: Spec, design: Design, schemas: Any, parts: tuple) -> list[Finding]:
    """API302-305 for every schema under ``parts`` that names its table (``x-archkit-table``)."""
    out = []
    tables = _tables(design)
    if not isinstance(schemas, dict) or design.catalog is None:
        return out
    for name, schema in schemas.items():
        if not isinstance(schema, dict) or not schema.get("x-archkit-table"):
            continue
        table = tables.get(schema["x-archkit-table"])
        where = parts + (name,)
        if table is None:
            out.append(finding(spec, "API301", f"{name} names table "
                               f"{schema['x-archkit-table']!r}, which the schema does not "
                               "define", where + ("x-archkit-table",)))
            continue
        required = set(schema.get("required") or [])
        for prop, sub in (schema.get("properties") or {}).items():
            sub = spec.deref(sub)
            if not isinstance(sub, dict) or sub.get("x-archkit-computed"):
                continue
            col = table.column(sub.get("x-archkit-column", prop))
            here = where + ("properties", prop)
            if col is None:
                out.append(finding(spec, "API302", f"{name}.{prop} has no column in "
                                   f"{table.name}", here))
                continue
            out.extend(_field(spec, design, name, prop, sub, col, prop in required, here))
    return out


def _field(spec, design, name, prop, sub, col, required, here) -> list[Finding]:
    out = []
    kind = sub.get("type")
    kinds = {kind} if isinstance(kind, str) else set(kind or [])
    allowed = json_types(col.type, design.dialect)
    if kinds - {"null"} and not (kinds - {"null"}) <= allowed:
        out.append(finding(spec, "API303", f"{name}.{prop} is {sorted(kinds - {'null'})} but "
                           f"column {col.name} is {col.type} (fits {sorted(allowed)})",
                           here + ("type",)))
    nullable = "null" in kinds or sub.get("nullable") is True
    if col.nullable and required and not nullable and not sub.get("writeOnly"):
        out.append(finding(spec, "API304", f"{name}.{prop} is required and never null, but "
                           f"column {col.name} allows NULL", here))
    if not col.nullable and nullable:
        out.append(finding(spec, "API304", f"{name}.{prop} may be null, but column "
                           f"{col.name} is NOT NULL", here))
    limit = max_length(col.type)
    if limit and isinstance(sub.get("maxLength"), int) and sub["maxLength"] > limit:
        out.append(finding(spec, "API305", f"{name}.{prop} allows {sub['maxLength']} "
                           f"characters, column {col.name} holds {limit}", here + ("maxLength",)))
    return out


def _events(spec: Spec, design: Design) -> list[Finding]:
    if design.workspace is None:
        return []
    out = []
    view_events = pipeline_events(design.workspace)
    messages = (spec.data.get("components") or {}).get("messages") or {}
    ops = spec.data.get("operations") or {}
    declared: dict[str, dict[str, set]] = {}
    for op_id, op in ops.items():
        if not isinstance(op, dict):
            continue
        for ref in op.get("messages") or []:
            message = spec.deref(ref) if isinstance(ref, dict) else {}
            event = message.get("name") if isinstance(message, dict) else None
            if event:
                side = "producers" if op.get("action") == "send" else "consumers"
                entry = declared.setdefault(event, {"producers": set(), "consumers": set()})
                entry[side].add((op.get("x-archkit-container"), op_id))
    for event in messages:
        parts = ("components", "messages", event)
        shown = view_events.get(event)
        if shown is None:
            out.append(finding(spec, "API307", f"event {event} appears in no dynamic view of "
                               "the C4 model", parts))
            continue
        for side in ("producers", "consumers"):
            if not shown[side]:
                out.append(finding(spec, "API307", f"event {event} has no "
                                   f"{side[:-1]} in view {shown['view']}", parts))
            mine = {c for c, _ in declared.get(event, {}).get(side, set())}
            verb = "publish" if side == "producers" else "consume"
            ws = design.workspace
            for cid in sorted(shown[side]):
                if not any(_same_place(ws, cid, m) for m in mine):
                    out.append(finding(spec, "API307", f"{cid} {verb}{_es(verb)} {event} in "
                                       f"view {shown['view']} but no operation of asyncapi.yaml "
                                       "says so", parts))
            for cid in sorted(mine, key=str):
                if any(_same_place(ws, cid, v) for v in shown[side]):
                    continue
                out.append(finding(spec, "API307", f"asyncapi.yaml has {cid} {verb} {event}, "
                                   f"but view {shown['view']} does not", parts))
    for event in sorted(set(view_events) - set(messages)):
        out.append(finding(spec, "API309", f"event {event} of view "
                           f"{view_events[event]['view']} is not in the contract", ("components",
                                                                                     "messages")))
    return out


def _es(verb: str) -> str:
    return "es" if verb.endswith("sh") else "s"
