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
        hit = self._cache.get(ptr)
        if hit is None:
            if self._registry is None:
                draft = jsonschema_rs.Draft4 if self.legacy else jsonschema_rs.Draft202012
                self._registry = jsonschema_rs.Registry([(_URI, self.spec.data)], draft=draft)
            cls = (jsonschema_rs.Draft4Validator if self.legacy
                   else jsonschema_rs.Draft202012Validator)
            try:
                hit = cls({"$ref": f"{_URI}#{quote(ptr, safe='/~')}"},
                          registry=self._registry)
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
        try:
            return [(_short(e.message), tuple(e.instance_path))
                    for e in validator.iter_errors(value)][:3]
        except Exception as err:  # noqa: BLE001 - e.g. an unresolvable $ref inside
            return [(_short(str(err)), ())]


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
