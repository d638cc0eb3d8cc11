"""Schema design: DDL → catalog → checks and lint → engine check → transpile → ER diagram.

Usage::

    from archkit.schema import check_schema, transpile_schema, er_diagram
    report = check_schema(open("schema.sql").read(), "postgres")   # parse + validate + lint
    report.findings                                                 # a table in Jupyter
    check_schema(ddl, "sqlite", engine="sqlite")                    # ... applied on an engine
    transpile_schema(ddl, "postgres", "mysql").notes                # what did not carry over
    er_diagram(report.catalog)                                      # SVG in Jupyter

The names below are loaded on first use, so ``import archkit.schema`` loads no heavy
library. Modules: ``catalog`` (the model), ``split``, ``parse``, ``validate``, ``lint``,
``engines`` / ``introspect`` (sandboxes), ``transpile``, ``query``, ``er``, ``dialects``;
the migrations (:mod:`archkit.migrations`) build on the catalog, parser and sandboxes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover
    from archkit.schema.catalog import Catalog
    from archkit.schema.engines import sandbox
    from archkit.schema.er import er_diagram
    from archkit.schema.lint import LintConfig
    from archkit.schema.parse import ParseResult, parse_schema, read_schema
    from archkit.schema.query import check_queries
    from archkit.schema.transpile import transpile_schema
    from archkit.schema.validate import SchemaReport, check_schema

__all__ = [
    "Catalog",
    "LintConfig",
    "ParseResult",
    "SchemaReport",
    "check_queries",
    "check_schema",
    "er_diagram",
    "parse_schema",
    "read_schema",
    "sandbox",
    "transpile_schema",
]

_LAZY = {
    "Catalog": "archkit.schema.catalog",
    "LintConfig": "archkit.schema.lint",
    "ParseResult": "archkit.schema.parse",
    "SchemaReport": "archkit.schema.validate",
    "check_queries": "archkit.schema.query",
    "check_schema": "archkit.schema.validate",
    "er_diagram": "archkit.schema.er",
    "parse_schema": "archkit.schema.parse",
    "read_schema": "archkit.schema.parse",
    "sandbox": "archkit.schema.engines",
    "transpile_schema": "archkit.schema.transpile",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
