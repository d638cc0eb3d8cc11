"""Workshop exercise for the API contracts notebook.

Usage (in a notebook)::

    import archkit.check
    archkit.check.order_payments_operation(my_yaml)   # GET /v1/orders/{id}/payments

The learner's YAML fragment (``paths`` and, if needed, ``components``) is merged into the
worked example's contract and held to what the notebook teaches: valid OpenAPI, no lint
findings on the new operation, and consistent with the schema and the C4 model.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from archkit.check.result import CheckResult

__all__ = ["order_payments_operation"]

_PATH = "/v1/orders/{id}/payments"


def _merge(base: dict, extra: dict) -> dict:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def order_payments_operation(fragment: Any) -> CheckResult:
    """GET /v1/orders/{id}/payments: valid, lint-clean, on the payments table, consistent."""
    import yaml

    from archkit.api.check import check_spec
    from archkit.api.consistency import consistency_findings
    from archkit.api.draft import dump_yaml
    from archkit.api.source import parse_spec, pointer
    from archkit.errors import ArchkitError
    from archkit.examples import example_dir

    result = CheckResult("order_payments_operation")
    try:
        extra = yaml.safe_load(fragment) if isinstance(fragment, str) else None
    except yaml.YAMLError as err:
        result.expect(False, "", f"the YAML cannot be read: {err}")
        return result
    if not result.expect(isinstance(extra, dict) and isinstance(extra.get("paths"), dict),
                         "the answer is a YAML mapping with 'paths'",
                         "write paths: {/v1/orders/{id}/payments: {get: ...}}"):
        return result
    example = example_dir("order-platform")
    contract = yaml.safe_load((example / "api" / "openapi.yaml").read_text(encoding="utf-8"))
    op = (extra["paths"].get(_PATH) or {}).get("get")
    if not result.expect(isinstance(op, dict), f"GET {_PATH} is described",
                         f"put the operation under paths: {_PATH}: get:"):
        return result
    merged = _merge(contract, extra)
    text = dump_yaml(merged)
    try:
        report = check_spec(parse_spec(text, "openapi.yaml"))
    except ArchkitError as err:
        result.expect(False, "", f"the contract cannot be checked: {err}")
        return result
    result.expect(report.valid, "the contract stays valid OpenAPI",
                  "; ".join(f"{f.object}: {f.message}" for f in report.findings
                            if f.severity == "error" and f.code.startswith("API0"))[:400])
    here = pointer(("paths", _PATH))
    mine = [f for f in report.findings if (f.object or "").startswith(here)
            or (f.object or "").startswith("/components/schemas/Payment")]
    result.expect(not mine, "no lint findings on the new operation or its schema",
                  "; ".join(f"{f.code} {f.object}: {f.fix}" for f in mine[:3]))
    result.expect((op.get("x-archkit-table") or "payments") == "payments",
                  "the operation is on the payments table", "set x-archkit-table: payments")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "design"
        shutil.copytree(example, folder)
        (folder / "api" / "openapi.yaml").write_text(text, encoding="utf-8")
        found = consistency_findings(folder)
    result.expect(not found, "fields match the payments columns; a C4 container serves it",
                  "; ".join(f"{f.code} {f.object}: {f.message}" for f in found[:3]))
    return result
