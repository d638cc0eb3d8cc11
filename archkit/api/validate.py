"""Structural validity of OpenAPI 3.0/3.1/3.2 and AsyncAPI 3.0 documents, with pointers and lines.

Usage::

    spec = load_spec("openapi.yaml")
    findings = validate_spec(spec)       # API0xx findings; empty when the document is valid

Why this design: correctness first, the verdict is the one openapi-spec-validator gives.
The document is checked against the *official* JSON Schemas of the specifications —
the OpenAPI ones that openapi-spec-validator itself ships (so both judge against the
same text) and AsyncAPI's 3.0.0 schema (vendored from the AsyncAPI Initiative's
``@asyncapi/specs``, Apache-2.0, see ``schemas/NOTICE``). On top, the semantic checks
openapi-spec-validator makes beyond the schema: unresolved ``$ref``, duplicate
operationIds, path parameters declared and used, repeated parameters, ``required``
names missing under ``allOf``, defaults that break their schema, schemas that are not
valid JSON Schema (3.1), repeated tags — with the same verdicts, pinned by tests. We are
stricter on purpose in three places openapi-spec-validator does not look: ``$ref`` and
defaults inside request bodies and callbacks, and keys given twice in one YAML mapping
(PyYAML silently keeps the last; we report API001). Speed second: the document is read
from libyaml's events in one pass (``yaml_events``, no node tree), the schema pass runs
in jsonschema-rs (Rust), which validates a 10 MB description in well under a second
where the pure-Python ``jsonschema`` engine inside openapi-spec-validator walks every
node through Python objects, and our semantic pass is one Python walk over plain dicts
(benchmarks/api_check.py: about 5x faster than openapi-spec-validator, same verdict).
"""

from __future__ import annotations

import importlib.util
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs

from archkit.api.rules import RULES
from archkit.api.source import MISSING, Spec, parse_spec, pointer
from archkit.api.values import ValueChecker
from archkit.api.walk import operations, schemas
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings

__all__ = ["finding", "meta_schema_for", "validate_spec"]

_PARAM = re.compile(r"\{([^}]*)\}")


def finding(spec: Spec, code: str, message: str, parts: tuple | list | str,
            severity=None) -> Finding:
    """A finding of rule ``code`` at a pointer of ``spec``, with its line and fix."""
    rule = RULES[code]
    ptr = parts if isinstance(parts, str) else pointer(parts)
    return Finding(code, severity or rule.severity, message, object=ptr,
                   line=spec.line(ptr), fix=rule.fix, file=spec.file)


@lru_cache(maxsize=8)
def _validator(family: str, minor: str):
    if family == "asyncapi":
        text = resources.files("archkit.api").joinpath("schemas/asyncapi-3.0.0.json").read_text()
        return jsonschema_rs.validator_for(json.loads(text))
    # The package's data files, found without importing it (its import pulls in jsonschema).
    found = importlib.util.find_spec("openapi_spec_validator")
    if found is None or not found.submodule_search_locations:
        raise ArchkitError("openapi-spec-validator is not installed",
                           hint="pip install openapi-spec-validator (it ships the OpenAPI schemas)")
    base = Path(list(found.submodule_search_locations)[0]) / "resources" / "schemas"
    path = base / f"v{minor}" / "schema.json"
    if not path.is_file():
        raise ArchkitError(f"the installed openapi-spec-validator has no OpenAPI {minor} schema",
                           hint="upgrade it: pip install -U openapi-spec-validator")
    return jsonschema_rs.validator_for(json.loads(path.read_text()))


def meta_schema_for(spec: Spec) -> tuple[str, str]:
    """``(family, minor)`` of the official schema for this document, or an ArchkitError."""
    if spec.kind == "unknown":
        raise ArchkitError("not an OpenAPI or AsyncAPI document (no 'openapi' or 'asyncapi' key)",
                           where=Where(spec.file, 1, 1),
                           hint="the top level needs 'openapi: 3.1.0' or 'asyncapi: 3.0.0'")
    version = spec.version
    if spec.kind == "openapi":
        for minor in ("3.0", "3.1", "3.2"):
            if version == minor or version.startswith(minor + "."):
                return "openapi", minor
    elif spec.kind == "asyncapi" and (version == "3.0" or version.startswith("3.0.")):
        return "asyncapi", "3.0"
    raise ArchkitError(
        f"unsupported {spec.kind or 'document'} version {version!r}",
        where=Where(spec.file, spec.line(f"/{spec.kind}"), 1),
        hint="archkit checks OpenAPI 3.0, 3.1 and 3.2 and AsyncAPI 3.0 documents")


def validate_spec(spec: Spec) -> Findings:
    """Every validity finding of the document (API0xx), in document order."""
    family, minor = meta_schema_for(spec)
    out = Findings(finding(spec, "API001", f"key {ptr.rsplit('/', 1)[-1]!r} is given twice",
                           ptr) for ptr, _ in spec.duplicates)
    out.extend(_schema_errors(spec, family, minor))
    out.extend(_ref_errors(spec))
    if family == "openapi":
        out.extend(_operation_errors(spec))
        out.extend(_schema_object_errors(spec, minor))
        out.extend(_tag_errors(spec))
    return Findings(sorted(out, key=lambda f: (f.line or 0, f.code, f.object or "")))


def _schema_errors(spec: Spec, family: str, minor: str) -> list[Finding]:
    seen: set[str] = set()
    out = []
    try:
        errors = list(_validator(family, minor).iter_errors(spec.data))
    except ValueError as err:  # jsonschema-rs: "Recursion limit reached"
        raise ArchkitError(f"the document cannot be validated: {err}", where=Where(spec.file),
                           hint="flatten deeply nested values with $ref components") from None
    for err in errors:
        ptr = pointer(list(err.instance_path))
        if ptr in seen:  # one finding per place: oneOf failures come in bunches
            continue
        seen.add(ptr)
        out.append(finding(spec, "API002", _short(err.message), ptr))
    return out


def _ref_errors(spec: Spec) -> list[Finding]:
    out = []
    externals: dict[Path, Spec | None] = {}
    stack: list[tuple[Any, tuple]] = [(spec.data, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                problem = _ref_problem(spec, ref, externals)
                if problem:
                    code, message = problem
                    out.append(finding(spec, code, message, parts + ("$ref",)))
            for key, value in node.items():
                if key == "examples" and isinstance(value, dict):
                    # Example Objects (or refs to them); their values are data, not refs.
                    stack.extend(({"$ref": ex["$ref"]}, parts + (key, name))
                                 for name, ex in value.items()
                                 if isinstance(ex, dict) and isinstance(ex.get("$ref"), str))
                elif isinstance(value, (dict, list)) and key not in ("example", "examples",
                                                                      "default", "enum"):
                    stack.append((value, parts + (key,)))
        elif isinstance(node, list):
            stack.extend((v, parts + (i,)) for i, v in enumerate(node)
                         if isinstance(v, (dict, list)))
    return out


def _ref_problem(spec: Spec, ref: str, externals: dict) -> tuple[str, str] | None:
    if ref.startswith("#"):
        return None if spec.resolve(ref) is not MISSING else (
            "API003", f"$ref {ref!r} points at nothing in this document")
    if "://" in ref:
        return "API011", f"$ref {ref!r} is a URL and is not followed offline"
    target, _, fragment = ref.partition("#")
    base = Path(spec.file).parent if spec.file else Path.cwd()
    path = (base / target).resolve()
    if path not in externals:
        try:
            externals[path] = parse_spec(path.read_text(encoding="utf-8"), str(path))
        except (OSError, ArchkitError, UnicodeDecodeError):
            externals[path] = None
    other = externals[path]
    if other is None:
        return "API003", f"$ref {ref!r}: file {target} cannot be read"
    if fragment and other.resolve("#" + fragment) is MISSING:
        return "API003", f"$ref {ref!r} points at nothing in {target}"
    return None


def _params(spec: Spec, params: Any, parts: tuple) -> list[tuple[dict, tuple]]:
    if not isinstance(params, list):
        return []
    return [(p, parts + (i,)) for i, raw in enumerate(params)
            if isinstance(p := spec.deref(raw), dict)]


def _operation_errors(spec: Spec) -> list[Finding]:
    out = []
    seen_ids: dict[str, str] = {}
    for path, item in (spec.data.get("paths") or {}).items():
        shared = _params(spec, spec.deref(item).get("parameters") if isinstance(
            spec.deref(item), dict) else None, ("paths", path, "parameters"))
        out.extend(_repeated(spec, shared, f"path {path}"))
    for op in operations(spec):
        op_id = op.node.get("operationId")
        if isinstance(op_id, str):
            if op_id in seen_ids:
                out.append(finding(spec, "API004", f"operationId {op_id!r} of {op.label} is "
                                   f"also used by {seen_ids[op_id]}", op.parts + ("operationId",)))
            else:
                seen_ids[op_id] = op.label
        own = _params(spec, op.node.get("parameters"), op.parts + ("parameters",))
        shared = _params(spec, op.path_item.get("parameters"), ("paths", op.path, "parameters"))
        out.extend(_repeated(spec, own, op.label))
        declared = {p.get("name") for p, _ in own + shared if p.get("in") == "path"}
        used = set(_PARAM.findall(op.path))
        for name in sorted(used - declared, key=str):
            out.append(finding(spec, "API005", f"path parameter {{{name}}} of {op.label} is "
                               "not declared as an 'in: path' parameter", op.parts))
        for name in sorted(declared - used, key=str):
            out.append(finding(spec, "API005", f"parameter {name!r} of {op.label} is 'in: path' "
                               "but the path has no {" + str(name) + "}", op.parts))
    return out


def _repeated(spec: Spec, params: list[tuple[dict, tuple]], owner: str) -> list[Finding]:
    out, keys = [], set()
    for param, where in params:
        key = (param.get("name"), param.get("in"))
        if key in keys:
            out.append(finding(spec, "API006", f"parameter {key[0]!r} in {key[1]} is given "
                               f"twice on {owner}", where))
        keys.add(key)
    return out


def _schema_object_errors(spec: Spec, minor: str) -> list[Finding]:
    out = []
    checker = ValueChecker(spec)
    for parts, schema, root in schemas(spec.data):
        if root and minor != "3.0" and not jsonschema_rs.meta.is_valid(schema):
            try:
                jsonschema_rs.meta.validate(schema)
            except jsonschema_rs.ValidationError as err:
                out.append(finding(spec, "API009", _short(err.message), parts))
                continue
            except Exception:  # noqa: BLE001, S112 - a $schema we do not know: not ours to judge
                continue
        if "allOf" in schema and isinstance(schema.get("required"), list):
            defined = _properties(spec, schema)
            missing = [n for n in schema["required"] if n not in defined]
            if missing:
                out.append(finding(spec, "API007", f"'required' names {missing} but neither "
                                   "the schema nor its allOf defines them", parts + ("required",)))
        if "default" in schema and not (schema["default"] is None and schema.get("nullable")):
            for message in checker.errors(parts, schema["default"], schema):
                out.append(finding(spec, "API008", f"default: {message}", parts + ("default",)))
    return out


def _properties(spec: Spec, schema: Any, depth: int = 0) -> set[str]:
    schema = spec.deref(schema)
    if not isinstance(schema, dict) or depth > 20:
        return set()
    props = set(schema.get("properties") or {}) if isinstance(schema.get("properties"),
                                                              dict) else set()
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key) or []:
            props |= _properties(spec, sub, depth + 1)
    for key in ("items", "not"):
        if isinstance(schema.get(key), dict):
            props |= _properties(spec, schema[key], depth + 1)
    return props


def _tag_errors(spec: Spec) -> list[Finding]:
    out, seen = [], set()
    tags = spec.data.get("tags")
    for i, tag in enumerate(tags if isinstance(tags, list) else []):
        name = tag.get("name") if isinstance(tag, dict) else None
        if name in seen:
            out.append(finding(spec, "API010", f"tag {name!r} is listed twice", ("tags", i)))
        seen.add(name)
    return out


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

