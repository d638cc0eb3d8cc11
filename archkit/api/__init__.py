"""API contracts: draft, validate, lint and diff OpenAPI / AsyncAPI documents.

Usage::

    from archkit.api import check_spec, diff_specs, load_spec, draft_openapi
    check_spec("api/openapi.yaml").findings        # validity (API0xx) + lint (API1xx)
    diff_specs(load_spec("v1.yaml"), load_spec("v2.yaml")).errors   # breaking changes
    draft_openapi("examples/order_platform")      # OpenAPI 3.1 from requirements + schema

Names load on first use, so ``import archkit.api`` pulls in no validator. Modules:
``source`` (YAML/JSON with lines; ``yaml_events`` is its fast path), ``walk``
(operations, schemas), ``validate``, ``values`` (examples and defaults), ``lint``,
``rules``, ``check``, ``diff``, ``mapping`` (tables and types), ``folder`` (the design
folder's parts), ``draft``, ``consistency`` (against schema and C4), ``render`` (tables,
static HTML), ``pack``, ``cli``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover
    from archkit.api.check import ApiReport, check_spec
    from archkit.api.consistency import consistency_findings
    from archkit.api.diff import Changes, diff_specs
    from archkit.api.draft import draft_asyncapi, draft_openapi, write_drafts
    from archkit.api.lint import LintConfig, lint_spec
    from archkit.api.pack import write_pack_section
    from archkit.api.render import operations_table, reference_html, rules_table
    from archkit.api.rules import RULES
    from archkit.api.source import Spec, load_spec, parse_spec
    from archkit.api.validate import validate_spec

__all__ = [
    "RULES",
    "ApiReport",
    "Changes",
    "LintConfig",
    "Spec",
    "check_spec",
    "consistency_findings",
    "diff_specs",
    "draft_asyncapi",
    "draft_openapi",
    "lint_spec",
    "load_spec",
    "operations_table",
    "parse_spec",
    "reference_html",
    "rules_table",
    "validate_spec",
    "write_drafts",
    "write_pack_section",
]

_LAZY = {
    "RULES": "archkit.api.rules",
    "ApiReport": "archkit.api.check",
    "Changes": "archkit.api.diff",
    "LintConfig": "archkit.api.lint",
    "Spec": "archkit.api.source",
    "check_spec": "archkit.api.check",
    "consistency_findings": "archkit.api.consistency",
    "diff_specs": "archkit.api.diff",
    "draft_asyncapi": "archkit.api.draft",
    "draft_openapi": "archkit.api.draft",
    "lint_spec": "archkit.api.lint",
    "load_spec": "archkit.api.source",
    "operations_table": "archkit.api.render",
    "parse_spec": "archkit.api.source",
    "reference_html": "archkit.api.render",
    "rules_table": "archkit.api.render",
    "validate_spec": "archkit.api.validate",
    "write_drafts": "archkit.api.draft",
    "write_pack_section": "archkit.api.pack",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
