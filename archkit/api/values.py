"""Check a value (an example, a default) against a schema of the document, with jsonschema-rs.

Usage::

    checker = ValueChecker(spec)
    checker.errors(("components", "schemas", "Order"), {"id": "x"})   # -> ["..."]

The whole document is registered once as a resource, so a schema's ``$ref`` to
``#/components/...`` resolves without copying anything; a validator is compiled per
schema location and cached. OpenAPI 3.0 schemas are checked as draft 4 (their base),
with ``nullable: true`` honoured for a top-level ``null``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import jsonschema_rs

from archkit.api.source import Spec, pointer

__all__ = ["ValueChecker"]

_URI = "urn:archkit:spec"


class ValueChecker:
    """Validate values against schemas found at pointers of one document."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.legacy = spec.kind == "openapi" and spec.version.startswith("3.0")
        self._registry: Any = None
        self._cache: dict[str, Any] = {}

    def _validator(self, parts: tuple):
        ptr = pointer(parts)
        # A schema that is only a local $ref shares the validator of what it points at.
        for _ in range(20):
            target = self.spec.resolve("#" + ptr)
            ref = target.get("$ref") if isinstance(target, dict) and len(target) == 1 else None
            if not (isinstance(ref, str) and ref.startswith("#/")):
                break
            ptr = ref[1:]
        hit = self._cache.get(ptr)
        if hit is None:
            if self._registry is None:
                draft = jsonschema_rs.Draft4 if self.legacy else jsonschema_rs.Draft202012
                data = _nullable_as_type(self.spec.data) if self.legacy else self.spec.data
                self._registry = jsonschema_rs.Registry([(_URI, data)], draft=draft)
            cls = (jsonschema_rs.Draft4Validator if self.legacy
                   else jsonschema_rs.Draft202012Validator)
            formats = _OAS30_FORMATS if self.legacy else _OAS31_FORMATS
            try:
                hit = cls({"$ref": f"{_URI}#{quote(ptr, safe='/~')}"},
                          registry=self._registry, validate_formats=True, formats=formats,
                          ignore_unknown_formats=True)
            except Exception:  # noqa: BLE001 - a broken schema is reported elsewhere
                hit = False
            self._cache[ptr] = hit
        return hit

    def errors(self, parts: tuple, value: Any, schema: dict | None = None) -> list[str]:
        """Messages of what is wrong with ``value`` under the schema at ``parts`` ([] if fine)."""
        return [message for message, _ in self.problems(parts, value, schema)]

    def problems(self, parts: tuple, value: Any, schema: dict | None = None
                 ) -> list[tuple[str, tuple]]:
        """``(message, path inside the value)`` for each problem, at most three."""
        if value is None and isinstance(schema, dict) and schema.get("nullable") is True:
            return []
        validator = self._validator(tuple(parts))
        if not validator:
            return []
        found = _int_range(schema, value)
        try:
            return found + [(_short(e.message), tuple(e.instance_path))
                            for e in validator.iter_errors(value)][:3]
        except Exception as err:  # noqa: BLE001 - e.g. an unresolvable $ref inside
            return [(_short(str(err)), ())]


_BASE64 = re.compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# Formats openapi-spec-validator checks in 3.0 that draft 4 does not know (byte is OpenAPI's
# own; uuid and uri-reference came with later drafts).
_URI_REF = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")
_OAS30_FORMATS = {"byte": lambda v: bool(_BASE64.match(v)), "uuid": lambda v: bool(_UUID.match(v)),
                  "uri-reference": lambda v: bool(_URI_REF.match(v))}
_OAS31_FORMATS: dict = {}
_INT_RANGE = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _nullable_as_type(data: Any) -> Any:
    """A copy of an OpenAPI 3.0 document whose ``nullable: true`` schemas also admit null.

    Draft 4 has no ``nullable``; ``type: [T, "null"]`` (and ``null`` in an ``enum``) says the
    same, so a nested ``null`` in an example is judged as OpenAPI 3.0 means it.
    """
    if isinstance(data, list):
        return [_nullable_as_type(v) for v in data]
    if not isinstance(data, dict):
        return data
    out = {k: _nullable_as_type(v) for k, v in data.items()}
    if out.get("nullable") is True:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out


def _int_range(schema: dict | None, value: Any) -> list[tuple[str, tuple]]:
    """int32/int64 bounds: formats JSON Schema engines apply to strings only."""
    if not isinstance(schema, dict) or not isinstance(value, int) or isinstance(value, bool):
        return []
    low_high = _INT_RANGE.get(str(schema.get("format")))
    if low_high and not low_high[0] <= value <= low_high[1]:
        return [(f"{value} is out of range for format {schema['format']}", ())]
    return []


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
