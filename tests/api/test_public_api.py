"""The public API of archkit.api is exactly what __all__ says, and loads lazily."""

from __future__ import annotations

import json
import subprocess
import sys

import archkit.api

PUBLIC = {
    "RULES", "ApiReport", "Changes", "LintConfig", "Spec", "check_spec", "consistency_findings",
    "diff_specs", "draft_asyncapi", "draft_openapi", "lint_spec", "load_spec",
    "operations_table", "parse_spec", "reference_html", "rules_table", "validate_spec",
    "write_drafts",
    "write_pack_section",
}


def test_exported_names_are_the_intended_api_and_all_resolve():
    assert set(archkit.api.__all__) == PUBLIC
    for name in PUBLIC - {"RULES"}:
        assert getattr(archkit.api, name).__doc__, name
    assert all(r.why and r.fix for r in archkit.api.RULES.values())


def test_importing_the_package_and_its_cli_loads_no_validator():
    code = ("import sys, json, archkit.api, archkit.api.cli; "
            "print(json.dumps([m for m in ('jsonschema_rs', 'jsonschema', 'yaml') "
            "if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == []


def test_module_docstrings_carry_a_usage_line():
    import importlib

    for mod in ("source", "validate", "lint", "rules", "diff", "draft", "consistency",
                "render", "pack", "mapping", "folder", "walk", "values", "check", "cli",
                "yaml_events"):
        doc = importlib.import_module(f"archkit.api.{mod}").__doc__
        assert doc and "Usage" in doc, mod
