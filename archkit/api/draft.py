"""Draft API contracts from a design folder: OpenAPI 3.1 for the endpoints, AsyncAPI 3 for events.

Usage::

    openapi = draft_openapi("examples/order_platform")     # a dict, ready for YAML
    asyncapi = draft_asyncapi("examples/order_platform")
    write_drafts("my-design", "my-design/api")              # never overwrites without force

OpenAPI: one operation per endpoint of ``requirements.yaml``; each path's resource is a
table of the latest ``schema/vN.sql`` (``/v1/carts/{id}/items`` -> ``cart_items``), and
each table used becomes a component whose properties are its columns, typed per dialect
(``archkit.api.mapping``). ``tenant_id`` columns stay out of the bodies: the tenant comes
from the token's claim (``x-archkit-tenant: claim``). The serving container comes from
the C4 model: the step of a dynamic view labelled ``POST /v1/orders``, else the component
or container whose ``endpoints`` property lists the path, else what an external system
calls over HTTP about it (a webhook), else the container describing the API. A component
(a module of a modular monolith) is named as it is: its container serves the operation.
AsyncAPI: one channel per event of the C4 dynamic views (a step into or out of the broker,
its producers and consumers as the view names them: modules or containers), the protocol
from the broker decision's top-ranked option, payloads from the table each event is named
after (``OrderPlaced`` -> ``orders``).

A draft is a starting point: it passes validation, and lint then shows what to tighten
(for example an unbounded ``text`` column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from archkit.api.folder import Design, container_of, containers, pipeline_events, read_design
from archkit.api.mapping import (
    class_name,
    column_schema,
    resource_table,
    segments,
    singular,
    table_for_name,
)
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity

__all__ = ["DraftResult", "draft_asyncapi", "draft_openapi", "dump_yaml", "write_drafts"]

_PROTOCOLS = (("kafka", "kafka"), ("rabbit", "amqp"), ("amqp", "amqp"), ("sqs", "sqs"),
              ("sns", "sns"), ("nats", "nats"), ("pulsar", "pulsar"), ("mqtt", "mqtt"))
_SERVER_SET = ("now()", "current_timestamp", "current_date")
_RATE = {"RateLimit": {"$ref": "#/components/headers/RateLimit"}}


def _component(table: Any, dialect: str, *, exclude: tuple = ("tenant_id",)) -> dict:
    props, required = {}, []
    for col in table.columns:
        if col.name in exclude:
            continue
        schema = column_schema(col, dialect)
        if col.identity or (col.default or "").lower() in _SERVER_SET:
            schema["readOnly"] = True
        if col.comment:
            schema["description"] = col.comment
        props[col.name] = schema
        if not col.nullable:
            required.append(col.name)
    out = {"type": "object", "x-archkit-table": table.name}
    if table.comment:
        out["description"] = table.comment
    out.update({"required": required, "properties": props, "additionalProperties": False})
    return out


def _api_container(design: Design) -> str | None:
    """The container describing itself as the API, else the one container called over HTTP."""
    if design.workspace is None:
        return None
    found = containers(design.workspace)
    for cid, c in sorted(found.items()):
        if re.search(r"\bAPI\b", c.name) or re.search(r"\bAPI\b", c.description or ""):
            return cid
    called = {container_of(design.workspace, r.destination)
              for r in design.workspace.model.relationships
              if re.search(r"http", r.technology or "", re.I)} - {None}
    return called.pop() if len(called) == 1 else None


def _by_endpoints(design: Design, path: str) -> str | None:
    """The element whose ``endpoints`` property (comma or space separated) holds the longest
    prefix of ``path``."""
    best, length = None, 0
    for element in design.workspace.model.walk():
        if container_of(design.workspace, element.id) is None:
            continue
        for prefix in re.split(r"[,\s]+", element.properties.get("endpoints", "")):
            prefix = prefix.rstrip("/")
            if prefix and (path == prefix or path.startswith(prefix + "/")) \
                    and len(prefix) > length:
                best, length = element.id, len(prefix)
    return best


def _serving_container(design: Design, method: str, path: str, default: str | None):
    """The container (or component) a dynamic step names for this endpoint, the one whose
    ``endpoints`` property lists it, or the one an external system calls over HTTP about it
    (a provider's webhook), else ``default``."""
    if design.workspace is None:
        return default
    label = f"{method} {path}"
    ws = design.workspace
    for view in ws.views:
        for step in getattr(view, "steps", []):
            if step.description.strip() == label and container_of(ws, step.destination):
                return step.destination
    listed = _by_endpoints(design, path)
    if listed:
        return listed
    last = segments(path)[-1] if segments(path) else ""
    if last and not last.startswith("{"):
        for rel in ws.model.relationships:
            source = ws.model.get(rel.source)
            if (container_of(ws, rel.destination) and getattr(source, "external", False)
                    and re.search("http", rel.technology or "", re.I)
                    and re.search(rf"\b{re.escape(singular(last))}", rel.description, re.I)):
                return rel.destination
    return default


def _action(path: str, table: str | None) -> str:
    """The last noun of a path when it is not the resource itself (``webhook``), else ''."""
    nouns = [s for s in segments(path) if not s.startswith("{")]
    if not nouns or not table:
        return ""
    last = nouns[-1]
    return "" if last in table or table.endswith(last) else last


def _op_id(method: str, path: str, table: str | None, collection: bool) -> str:
    noun = class_name(table) if table else "".join(
        s.capitalize() for s in segments(path) if not s.startswith("{"))
    action = _action(path, table)
    if action:
        return ("receive" if method == "POST" else method.lower()) + noun + action.capitalize()
    if method == "GET":
        return ("list" + noun + "s") if collection else ("get" + noun)
    if method == "POST":
        return "create" + noun
    if method == "PUT":
        return "put" + noun
    if method == "PATCH":
        return "update" + noun
    return method.lower() + noun


def _errors(method: str, item: bool) -> dict:
    out = {"400": {"$ref": "#/components/responses/BadRequest"},
           "401": {"$ref": "#/components/responses/Unauthorized"}}
    if item:
        out["404"] = {"$ref": "#/components/responses/NotFound"}
    out["429"] = {"$ref": "#/components/responses/TooManyRequests"}
    return out


def _problem_components() -> dict:
    problem = {"type": "object", "required": ["title", "status"],
               "description": "An RFC 9457 problem document.",
               "additionalProperties": False,
               "properties": {"type": {"type": "string", "format": "uri", "maxLength": 500},
                              "title": {"type": "string", "maxLength": 200},
                              "status": {"type": "integer", "minimum": 400, "maximum": 599},
                              "detail": {"type": "string", "maxLength": 2000}}}
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    responses = {}
    for name, text in (("BadRequest", "The request is not valid."),
                       ("Unauthorized", "No valid token was given."),
                       ("NotFound", "No such resource for this tenant."),
                       ("TooManyRequests", "Too many requests; retry after the given delay.")):
        headers = dict(_RATE)
        if name == "TooManyRequests":
            headers["Retry-After"] = {"$ref": "#/components/headers/RetryAfter"}
        responses[name] = {"description": text, "headers": headers, "content": content}
    headers = {
        "RateLimit": {"description": "IETF RateLimit header: remaining quota and reset.",
                      "schema": {"type": "string", "maxLength": 200}},
        "RetryAfter": {"description": "Seconds to wait before retrying.",
                       "schema": {"type": "integer", "minimum": 0, "maximum": 86400}},
    }
    return {"schemas": {"Problem": problem}, "responses": responses, "headers": headers}


def draft_openapi(folder: str | Path) -> dict:
    """An OpenAPI 3.1 document for the folder's endpoints, resources drawn from its schema."""
    design = read_design(folder)
    if design.requirements is None or not design.requirements.endpoints:
        raise ArchkitError("the requirements list no endpoints", where=Where(str(
            design.folder / "requirements.yaml")), hint="add endpoints: [{method, path, purpose}]")
    tables = design.catalog.tables if design.catalog is not None else {}
    api = _api_container(design)
    comps = _problem_components()
    paths: dict[str, dict] = {}
    for ep in design.requirements.endpoints:
        method, path = ep.method.upper(), ep.path
        table_name = resource_table(path, tables)
        segs = segments(path)
        collection = not segs[-1].startswith("{")
        item = any(s.startswith("{") for s in segs)
        op: dict[str, Any] = {"operationId": _op_id(method, path, table_name, collection),
                              "summary": ep.purpose or f"{method} {path}"}
        if table_name:
            op["tags"] = [table_name]
            op["x-archkit-table"] = table_name
            name = class_name(table_name)
            comps["schemas"].setdefault(name, _component(tables[table_name], design.dialect))
            ref = {"$ref": f"#/components/schemas/{name}"}
        else:
            ref = {"type": "object", "additionalProperties": False}
        container = _serving_container(design, method, path, api)
        if container:
            op["x-archkit-container"] = container
        params = [{"name": p[1:-1], "in": "path", "required": True,
                   "schema": {"type": "integer", "format": "int64", "minimum": 1}}
                  for p in segs if p.startswith("{")]
        ok = "200"
        if method == "GET" and collection:
            params += [{"name": "limit", "in": "query", "description": "Page size.",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100,
                                   "default": 20}},
                       {"name": "cursor", "in": "query", "description": "Opaque cursor from "
                        "the previous page.", "schema": {"type": "string", "maxLength": 200}}]
            body = {"type": "object", "required": ["items"], "additionalProperties": False,
                    "properties": {"items": {"type": "array", "maxItems": 100, "items": ref},
                                   "next_cursor": {"type": ["string", "null"],
                                                   "maxLength": 200}}}
        else:
            body = ref
        if method in ("POST", "PUT", "PATCH"):
            op["requestBody"] = {"required": True,
                                 "content": {"application/json": {"schema": ref}}}
            ok = "201" if method == "POST" and collection and not _action(path, table_name) \
                else "200"
        if params:
            op["parameters"] = params
        op["responses"] = {ok: {"description": "Success.", "headers": dict(_RATE),
                                "content": {"application/json": {"schema": body}}},
                           **_errors(method, item)}
        paths.setdefault(path, {})[method.lower()] = op
    name = design.requirements.name
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{name} API", "version": "0.1.0",
                 "description": design.requirements.summary.strip(),
                 "x-archkit-status": "draft"},
        "servers": [{"url": "https://api.example.invalid",
                     "description": "production (replace with the real host)"}],
        "security": [{"bearerAuth": []}],
        "x-archkit-tenant": "claim",
        "paths": paths,
        "components": {**comps, "securitySchemes": {"bearerAuth": {
            "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": "JWT (RFC8725 practices) whose tenant_id claim scopes every call."}}},
    }


def _protocol(broker: str | None, technology: str) -> str:
    text = f"{broker or ''} {technology}".lower()
    return next((p for key, p in _PROTOCOLS if key in text), "kafka")


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def draft_asyncapi(folder: str | Path) -> dict:
    """An AsyncAPI 3.0 document for the events of the folder's C4 dynamic views."""
    design = read_design(folder)
    if design.workspace is None:
        raise ArchkitError("the design folder has no C4 workspace", where=Where(str(
            design.folder)), hint="add workspace.py with a dynamic view of the pipeline")
    events = pipeline_events(design.workspace)
    if not events:
        raise ArchkitError("no dynamic view step goes through a message broker",
                           where=Where(design.workspace.source),
                           hint="tag the broker container 'Message Broker' and add steps "
                                "producer -> broker -> consumer named after each event")
    found = containers(design.workspace)
    tables = design.catalog.tables if design.catalog is not None else {}
    broker_id = next(iter(events.values()))["broker"]
    protocol = _protocol(design.broker, found[broker_id].technology if broker_id in found
                         else "")
    channels, operations, messages, schemas = {}, {}, {}, {}
    for event in sorted(events):
        info = events[event]
        key = event[:1].lower() + event[1:]
        table = table_for_name(event, tables)
        payload: dict[str, Any] = {"type": "object", "additionalProperties": False,
                                   "required": ["event_id", "occurred_at"], "properties": {
                                       "event_id": {"type": "string", "format": "uuid",
                                                    "maxLength": 36, "x-archkit-computed": True},
                                       "occurred_at": {"type": "string", "format": "date-time",
                                                       "maxLength": 40,
                                                       "x-archkit-computed": True}}}
        if table:
            body = _component(tables[table], design.dialect, exclude=())
            payload["x-archkit-table"] = table
            payload["properties"].update(body["properties"])
            payload["required"] += body["required"]
        schemas[event] = payload
        messages[event] = {"name": event, "title": event, "contentType": "application/json",
                           "payload": {"$ref": f"#/components/schemas/{event}"}}
        channels[key] = {"address": f"shopfront.{_kebab(event)}" if "Shopfront" in (
            design.workspace.name or "") else _kebab(event),
            "description": f"{event} events (view {info['view']}).",
            "messages": {event: {"$ref": f"#/components/messages/{event}"}}}
        for action, who in (("send", info["producers"]), ("receive", info["consumers"])):
            for cid in sorted(who):
                operations[f"{cid}{'Publishes' if action == 'send' else 'Consumes'}{event}"] = {
                    "action": action, "channel": {"$ref": f"#/channels/{key}"},
                    "messages": [{"$ref": f"#/channels/{key}/messages/{event}"}],
                    "x-archkit-container": cid}
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"{design.workspace.name} events", "version": "0.1.0",
                 "description": f"Events of the pipeline over {design.broker or protocol}, "
                                "drafted from the C4 dynamic view.",
                 "x-archkit-status": "draft"},
        "defaultContentType": "application/json",
        "servers": {"production": {"host": "broker.example.invalid:9092", "protocol": protocol,
                                   "description": f"{design.broker or protocol} "
                                                  f"(container {broker_id})"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def dump_yaml(data: dict) -> str:
    """YAML in document order, no aliases, wide lines: byte-identical for the same input."""

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data):  # noqa: ARG002 - each place spelled out, as people write
            return True

    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


@dataclass
class DraftResult:
    """Files written by ``write_drafts`` and what could not be drafted."""

    files: list[Path] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)


def write_drafts(folder: str | Path, out: str | Path, *, force: bool = False) -> DraftResult:
    """Write ``openapi.yaml`` and ``asyncapi.yaml`` drafts into ``out`` (atomic, no clobbering)."""
    from archkit.fsio import atomic_write, write_new

    out = Path(out)
    result = DraftResult()
    for name, make in (("openapi.yaml", draft_openapi), ("asyncapi.yaml", draft_asyncapi)):
        try:
            text = dump_yaml(make(folder))
        except ArchkitError as err:
            result.findings.append(Finding("API300", Severity.WARNING, f"{name} not drafted: "
                                           f"{err.message}", object=name, fix=err.hint))
            continue
        target = out / name
        if target.parent.exists() and not target.parent.is_dir():
            raise ArchkitError(f"{target.parent} is not a folder", where=Where(str(target.parent)),
                               hint="give --out a folder")
        if force:
            atomic_write(target, text)
        else:
            write_new(target, text)
        result.files.append(target)
    if not result.files:
        raise ArchkitError("nothing could be drafted: " + "; ".join(
            f.message for f in result.findings), where=Where(str(folder)),
            hint="a design folder needs requirements.yaml with endpoints, or a workspace.py "
                 "with a dynamic view through a message broker")
    return result
