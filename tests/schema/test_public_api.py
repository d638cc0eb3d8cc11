"""The public API of archkit.schema is exactly what __all__ says, and loads lazily."""

from __future__ import annotations

import json
import subprocess
import sys

import archkit.schema

PUBLIC = {
    "Catalog", "LintConfig", "ParseResult", "SchemaReport", "check_queries", "check_schema",
    "er_diagram", "parse_schema", "read_schema", "sandbox", "transpile_schema",
}


def test_exported_names_are_the_intended_api_and_all_resolve():
    assert set(archkit.schema.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(archkit.schema, name).__doc__, name


def test_importing_the_package_and_its_cli_loads_no_sqlglot():
    code = ("import sys, json, archkit.schema, archkit.schema.cli_design; "
            "print(json.dumps('sqlglot' in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) is False


def test_module_docstrings_carry_a_usage_line():
    import importlib

    for mod in ("catalog", "split", "parse", "validate", "lint", "engines", "introspect",
                "transpile", "query", "er", "cli_design"):
        doc = importlib.import_module(f"archkit.schema.{mod}").__doc__
        assert doc and "Usage" in doc, mod
