"""Lint an OpenAPI document: rules in the families of Spectral's ``oas`` and OWASP API rulesets.

Usage::

    findings = lint_spec(load_spec("openapi.yaml"))
    lint_spec(spec, LintConfig(disable={"API142"}))     # switch rules off
    # in the document:  x-archkit-ignore: [API150]  at the top level (whole document),
    # or on an operation or path item (just there)

Every finding carries the rule's fix; ``RULES[code].why`` says why it matters. Where a
rule has a Spectral counterpart (``RULES[code].spectral``) it flags the same places,
which ``tests/api/test_spectral_agreement.py`` checks against spectral-cli itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from archkit.api.source import Spec, pointer
from archkit.api.validate import finding
from archkit.api.values import ValueChecker
from archkit.api.walk import callback_operations, operations, schemas
from archkit.findings import Finding, Findings

__all__ = ["LintConfig", "lint_spec"]

_OP_ID_OK = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*$")
_WRITE = {"post", "put", "patch", "delete"}
_READ = {"get", "head"}
_RATE_HEADERS = ({"RateLimit"}, {"RateLimit-Limit", "RateLimit-Reset"}, {"X-RateLimit-Limit"},
                 {"X-Rate-Limit-Limit"})
_COMPONENT_KINDS = ("schemas", "responses", "parameters", "examples", "requestBodies",
                    "headers", "links", "callbacks")


@dataclass
class LintConfig:
    """Which rules run: ``disable`` switches codes off everywhere; ``admin_prefix`` for API170."""

    disable: set[str] = field(default_factory=set)
    admin_prefix: str = "/admin"


def lint_spec(spec: Spec, config: LintConfig | None = None) -> Findings:
    """Every lint finding (API1xx), minus disabled and silenced ones.

    AsyncAPI documents get the rules that apply to them: servers present and over TLS
    (API120/121) and bounded strings and arrays in payloads (API160/161).
    """
    config = config or LintConfig()
    whole = spec.data.get("x-archkit-ignore")  # the document's own choice, e.g. [API142]
    disabled = set(config.disable) | ({whole} if isinstance(whole, str) else
                                      {str(c) for c in whole} if isinstance(whole, list) else set())
    if spec.kind == "asyncapi":
        found = _async_servers(spec) + _schema_limits(spec)
        return Findings(sorted((f for f in found if f.code not in disabled),
                               key=lambda f: (f.line or 0, f.code, f.object or "")))
    if spec.kind != "openapi":
        return Findings()
    out: list[Finding] = []
    silenced: dict[str, set[str]] = {}
    for op in operations(spec):
        silenced[op.ptr] = op.ignored()
        out.extend(_operation(spec, op))
    for op in callback_operations(spec):  # their responses too, as Spectral's $.paths..responses
        responses = op.node.get("responses")
        out.extend(_responses(spec, op, responses if isinstance(responses, dict) else {}))
    out.extend(_path_keys(spec))
    out.extend(_unused_components(spec))
    out.extend(_servers(spec))
    out.extend(_examples(spec))
    out.extend(_schema_limits(spec))
    out.extend(_admin(spec, config.admin_prefix))
    silenced = {p: codes for p, codes in silenced.items() if codes}
    kept = []
    for f in out:
        if f.code in disabled:
            continue
        ptr = f.object or ""
        if silenced and any(ptr == p or ptr.startswith(p + "/") for p, codes in
                            silenced.items() if f.code in codes):
            continue
        kept.append(f)
    return Findings(sorted(kept, key=lambda f: (f.line or 0, f.code, f.object or "")))


def _operation(spec: Spec, op) -> list[Finding]:
    out = []
    node = op.node
    op_id = node.get("operationId")
    if not op_id:
        out.append(finding(spec, "API101", f"{op.label} has no operationId", op.parts))
    elif isinstance(op_id, str) and not _OP_ID_OK.match(op_id):
        out.append(finding(spec, "API102", f"operationId {op_id!r} has characters that are "
                           "not URL-safe", op.parts + ("operationId",)))
    responses = node.get("responses")
    responses = responses if isinstance(responses, dict) else {}
    codes = [str(c) for c in responses]
    if not any(c[:1] in "23" for c in codes):
        out.append(finding(spec, "API103", f"{op.label} has no 2xx or 3xx response",
                           op.parts + ("responses",)))
    out.extend(_security(spec, op))
    out.extend(_responses(spec, op, responses))
    return out


def _security(spec: Spec, op) -> list[Finding]:
    out = []
    security = op.node.get("security")
    where = op.parts + ("security",)
    if security is None:
        security, where = spec.data.get("security"), ("security",)
    schemes = ((spec.data.get("components") or {}).get("securitySchemes") or {})
    for i, requirement in enumerate(security if isinstance(security, list) else []):
        for name in requirement if isinstance(requirement, dict) else ():
            if name not in schemes:
                out.append(finding(spec, "API140", f"{op.label} uses security scheme {name!r}, "
                                   "which components.securitySchemes does not define",
                                   where + (i, name)))
    unprotected = not security
    here = op.parts + ("security",) if "security" in op.node else op.parts
    if op.method in _WRITE:
        if unprotected:
            out.append(finding(spec, "API141", f"{op.label} changes data with no security "
                               "requirement", here))
        for i, requirement in enumerate(security if isinstance(security, list) else []):
            if requirement == {}:  # "or no authentication at all"
                at = here + (i,) if "security" in op.node else here
                out.append(finding(spec, "API143", f"{op.label} may be called without "
                                   "authentication (an empty security requirement)", at))
    elif op.method in _READ and unprotected:
        out.append(finding(spec, "API142", f"{op.label} reads data with no security "
                           "requirement", here))
    return out


def _responses(spec: Spec, op, responses: dict) -> list[Finding]:
    out = []
    parts = op.parts + ("responses",)
    codes = {str(c) for c in responses}
    if "429" not in codes or not spec.deref(responses.get("429") or {}).get("content"):
        out.append(finding(spec, "API150", f"{op.label} has no 429 response with content",
                           parts))
    if not codes & {"400", "422", "4XX"}:
        out.append(finding(spec, "API153", f"{op.label} has no 400, 422 or 4XX response",
                           parts))
    if "401" not in codes or not spec.deref(responses.get("401") or {}).get("content"):
        out.append(finding(spec, "API154", f"{op.label} has no 401 response with content",
                           parts))
    for code, raw in responses.items():
        response = spec.deref(raw)
        # A shared response is reported once, where it is written (as Spectral does).
        where: tuple | str = parts + (code,)
        if isinstance(raw, dict) and isinstance(raw.get("$ref"), str) and raw["$ref"][:1] == "#":
            where = raw["$ref"][1:]
        headers = response.get("headers") if isinstance(response, dict) else None
        names = set(headers) if isinstance(headers, dict) else set()
        at_headers = (where + "/headers" if isinstance(where, str) else where + ("headers",)) \
            if isinstance(headers, dict) else where
        if str(code)[:1] in "24" and not any(need <= names for need in _RATE_HEADERS):
            out.append(finding(spec, "API151", f"response {code} of {op.label} declares no "
                               "rate-limit headers", at_headers))
        if str(code) == "429" and isinstance(headers, dict) and "Retry-After" not in names:
            out.append(finding(spec, "API152", f"the 429 response of {op.label} has no "
                               "Retry-After header", at_headers))
    return out


def _path_keys(spec: Spec) -> list[Finding]:
    paths = spec.data.get("paths")
    return [finding(spec, "API104", f"path {path} ends with '/'", ("paths", path))
            for path in (paths if isinstance(paths, dict) else ())
            if len(path) > 1 and path.endswith("/")]


def _refs(data: Any) -> set[str]:
    found: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                found.add(ref)
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return found


def _unused_components(spec: Spec) -> list[Finding]:
    comps = spec.data.get("components")
    if not isinstance(comps, dict):
        return []
    refs = _refs(spec.data)
    out = []
    for kind in _COMPONENT_KINDS:
        group = comps.get(kind)
        for name in group if isinstance(group, dict) else ():
            if "#" + pointer(("components", kind, name)) not in refs:
                out.append(finding(spec, "API110", f"components.{kind}.{name} is never "
                                   "referenced", ("components", kind, name)))
    return out


def _servers(spec: Spec) -> list[Finding]:
    servers = spec.data.get("servers")
    if not isinstance(servers, list) or not servers:
        return [finding(spec, "API120", "the document names no servers", "")]
    out = []
    for i, server in enumerate(servers):
        url = server.get("url") if isinstance(server, dict) else None
        if not isinstance(url, str):
            continue
        if url.startswith("http:"):
            out.append(finding(spec, "API121", f"server {url} is plain HTTP",
                               ("servers", i, "url")))
        if len(url) > 1 and url.endswith("/"):
            out.append(finding(spec, "API122", f"server {url} ends with '/'",
                               ("servers", i, "url")))
    return out


# AsyncAPI protocols and their TLS forms; a plain one is to a broker what http:// is to an API.
_PLAIN_PROTOCOLS = {"http": "https", "ws": "wss", "kafka": "kafka-secure", "amqp": "amqps",
                    "mqtt": "secure-mqtt", "stomp": "stomps", "nats": "nats (with tls)"}


def _async_servers(spec: Spec) -> list[Finding]:
    servers = spec.data.get("servers")
    if not isinstance(servers, dict) or not servers:
        return [finding(spec, "API120", "the document names no servers", "")]
    out = []
    for name, server in servers.items():
        protocol = str((spec.deref(server) or {}).get("protocol", "")).lower()
        if protocol in _PLAIN_PROTOCOLS:
            out.append(finding(spec, "API121", f"server {name} uses {protocol} without TLS; use "
                               f"{_PLAIN_PROTOCOLS[protocol]}", ("servers", name, "protocol")))
    return out


def _examples(spec: Spec) -> list[Finding]:
    """Examples of media types, parameters and headers (API130) and of schemas (API131)."""
    checker = ValueChecker(spec)
    out = []
    stack: list[tuple[Any, tuple]] = [(spec.data, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("schema"), dict) and ("example" in node or
                                                         isinstance(node.get("examples"), dict)):
                out.extend(_holder_examples(spec, checker, node, parts))
            for key, value in node.items():
                if key in ("example", "examples", "default", "enum", "schema") or \
                        (key == "schemas" and parts == ("components",)):
                    continue
                if isinstance(value, (dict, list)):
                    stack.append((value, parts + (key,)))
        elif isinstance(node, list):
            stack.extend((v, parts + (i,)) for i, v in enumerate(node)
                         if isinstance(v, (dict, list)))
    for parts, schema, _root in schemas(spec.data):
        if "example" in schema:
            for message, inner in checker.problems(parts, schema["example"], schema):
                out.append(finding(spec, "API131", f"example: {message}",
                                   parts + ("example",) + inner))
    return out


def _holder_examples(spec: Spec, checker: ValueChecker, node: dict, parts: tuple):
    schema_parts = parts + ("schema",)
    schema = node["schema"]
    if "example" in node:
        for message, inner in checker.problems(schema_parts, node["example"],
                                               spec.deref(schema)):
            yield finding(spec, "API130", f"example: {message}", parts + ("example",) + inner)
    for name, example in (node.get("examples") or {}).items():
        example = spec.deref(example)
        if isinstance(example, dict) and "value" in example:
            for message, inner in checker.problems(schema_parts, example["value"],
                                                   spec.deref(schema)):
                yield finding(spec, "API130", f"example {name!r}: {message}",
                              parts + ("examples", name, "value") + inner)


def _types(schema: dict) -> set:
    kind = schema.get("type")
    return {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()


def _schema_limits(spec: Spec) -> list[Finding]:
    out = []
    for parts, schema, _root in schemas(spec.data):
        kinds = _types(schema)
        if "string" in kinds and not any(k in schema for k in ("maxLength", "enum", "const")):
            out.append(finding(spec, "API160", "string without maxLength, enum or const",
                               parts))
        if "array" in kinds and "maxItems" not in schema:
            out.append(finding(spec, "API161", "array without maxItems", parts))
    return out


def _admin(spec: Spec, prefix: str) -> list[Finding]:
    import json

    admin, other = [], set()
    for op in operations(spec):
        security = op.node.get("security")
        if not isinstance(security, list):
            continue
        for i, entry in enumerate(security):
            if not isinstance(entry, dict):
                continue
            key = json.dumps(entry, sort_keys=False)
            if prefix in op.path:
                admin.append((op, i, key))
            else:
                other.add(key)
    return [finding(spec, "API170", f"{op.label} uses the same security requirement as a "
                    "non-admin operation", op.parts + ("security", i))
            for op, i, key in admin if key in other]
