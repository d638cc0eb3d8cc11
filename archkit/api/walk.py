"""Walk an API document: its operations and every schema object in it, with their pointers.

Usage::

    for op in operations(spec):  op.method, op.path, op.ptr, op.node
    for parts, schema in schemas(spec.data):  ...   # each schema object once, refs not followed

Shared by validate, lint, diff and consistency so each does not re-learn the layout.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from archkit.api.source import Spec, pointer

__all__ = ["METHODS", "Operation", "callback_operations", "operations", "schemas",
           "subschemas"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SUB_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SUB_ONE = ("items", "not", "additionalProperties", "additionalItems", "contains",
            "propertyNames", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties",
            "contentSchema")
_SUB_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
# maps whose keys are names (a header may well be called x-next), not fixed fields
_NAMED_MAPS = frozenset(("headers", "properties", "paths", "responses", "schemas", "content",
                         "parameters", "requestBodies", "callbacks", "links", "webhooks"))
_SUB_KEYS = frozenset(_SUB_MAP + _SUB_ONE + _SUB_LIST)
_VALUES = frozenset(("example", "examples", "default", "enum", "const", "value"))


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation: method (lower case), path template, pointer parts, its object."""

    method: str
    path: str
    parts: tuple
    node: dict
    path_item: dict

    @property
    def ptr(self) -> str:
        return pointer(self.parts)

    @property
    def label(self) -> str:
        """``"GET /v1/orders"`` — how diff and reports name an operation."""
        return f"{self.method.upper()} {self.path}"

    def ignored(self) -> set[str]:
        """Codes silenced on this operation (or its path item) with ``x-archkit-ignore``."""
        out: set[str] = set()
        for holder in (self.path_item, self.node):
            value = holder.get("x-archkit-ignore")
            if isinstance(value, str):
                out.add(value)
            elif isinstance(value, list):
                out.update(str(v) for v in value)
        return out


def operations(spec: Spec) -> Iterator[Operation]:
    """Every operation under ``paths`` (path items behind a local $ref are followed)."""
    paths = spec.data.get("paths") if isinstance(spec.data, dict) else None
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        item = spec.deref(item)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield Operation(method, path, ("paths", path, method), op, item)


def callback_operations(spec: Spec) -> Iterator[Operation]:
    """Operations of the callbacks of every operation (``.../callbacks/NAME/EXPR/METHOD``)."""
    for op in operations(spec):
        callbacks = op.node.get("callbacks")
        for name, callback in (callbacks.items() if isinstance(callbacks, dict) else ()):
            callback = spec.deref(callback)
            for expr, item in (callback.items() if isinstance(callback, dict) else ()):
                item = spec.deref(item)
                if not isinstance(item, dict):
                    continue
                for method in METHODS:
                    node = item.get(method)
                    if isinstance(node, dict):
                        yield Operation(method, expr, op.parts + ("callbacks", name, expr, method),
                                        node, item)


def subschemas(schema: dict) -> Iterator[tuple[tuple, Any]]:
    """Direct subschemas of a schema object, each with its relative path parts."""
    keys = _SUB_KEYS.intersection(schema)
    for key in sorted(keys) if len(keys) > 1 else keys:
        value = schema[key]
        if key in _SUB_MAP:
            if isinstance(value, dict):
                for name, sub in value.items():
                    yield (key, name), sub
        elif key in _SUB_LIST:
            if isinstance(value, list):
                for i, sub in enumerate(value):
                    yield (key, i), sub
        elif isinstance(value, dict):
            yield (key,), value


def schemas(data: Any) -> Iterator[tuple[tuple, dict, bool]]:
    """Every schema object of an OpenAPI document: ``(parts, schema, is_root)``, refs not followed.

    Roots are ``components.schemas.*`` and every ``schema`` of a parameter, header or
    media type (and, in AsyncAPI, every message ``payload``); values (examples, defaults,
    enums) are never mistaken for schemas.
    """
    stack: list[tuple[tuple, Any, bool]] = []
    comps = data.get("components") if isinstance(data, dict) else None
    if isinstance(comps, dict) and isinstance(comps.get("schemas"), dict):
        for name, sub in comps["schemas"].items():
            stack.append((("components", "schemas", name), sub, True))
    roots = ("schema", "payload") if isinstance(data, dict) and "asyncapi" in data else ("schema",)
    _collect_roots(data, (), stack, roots)
    seen: set[int] = set()
    while stack:
        parts, schema, root = stack.pop()
        if not isinstance(schema, dict) or id(schema) in seen:
            continue
        seen.add(id(schema))
        yield parts, schema, root
        for rel, sub in subschemas(schema):
            stack.append((parts + rel, sub, False))


def _collect_roots(node: Any, parts: tuple, out: list, roots: tuple = ("schema",)) -> None:
    stack = [(node, parts)]
    while stack:
        value, here = stack.pop()
        if isinstance(value, dict):
            named = bool(here) and here[-1] in _NAMED_MAPS
            for key, sub in value.items():
                if not named and (key in _VALUES or key.startswith("x-")):
                    continue
                if key in roots and isinstance(sub, dict):
                    out.append((here + (key,), sub, True))
                elif isinstance(sub, (dict, list)) and not (
                        here == ("components",) and key == "schemas"):
                    stack.append((sub, here + (key,)))
        elif isinstance(value, list):
            for i, sub in enumerate(value):
                if isinstance(sub, (dict, list)):
                    stack.append((sub, here + (i,)))
