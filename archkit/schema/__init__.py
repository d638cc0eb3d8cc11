"""Schema design: DDL → catalog → checks and lint → engine check → transpile → ER diagram.

Usage::

    from archkit.schema import check_schema
    report = check_schema(open("schema.sql").read(), "postgres")
    report.findings          # a table in Jupyter

Submodules are imported on use (``archkit.schema.parse``, ``.engines``, ``.lint`` ...),
so importing this package loads no heavy library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from archkit.schema.catalog import Catalog
    from archkit.schema.parse import ParseResult, parse_schema

__all__ = ["Catalog", "ParseResult", "parse_schema"]

_LAZY = {
    "Catalog": "archkit.schema.catalog",
    "ParseResult": "archkit.schema.parse",
    "parse_schema": "archkit.schema.parse",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'archkit.schema' has no attribute {name!r}")
