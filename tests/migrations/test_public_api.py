"""The public API of archkit.migrations is exactly what __all__ says, and loads lazily."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import archkit.migrations

PUBLIC = {
    "Migration", "Plan", "Verification", "diff_files", "diff_sql", "lint_migration",
    "plan_rollout", "verify", "write_migration",
}


def test_exported_names_are_the_intended_api_and_all_resolve():
    assert set(archkit.migrations.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(archkit.migrations, name).__doc__, name


def test_importing_the_package_and_its_cli_loads_no_sqlglot():
    code = ("import sys, json, archkit.migrations, archkit.migrations.cli; "
            "print(json.dumps('sqlglot' in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) is False


def test_module_docstrings_carry_a_usage_line():
    for mod in ("source", "renames", "diff", "plan", "safety", "files", "verify", "cli"):
        doc = importlib.import_module(f"archkit.migrations.{mod}").__doc__
        assert doc and "Usage" in doc, mod


def test_the_schema_package_no_longer_holds_the_migration_modules():
    for mod in ("diff", "plan", "safety", "renames", "verify", "source", "migration_files",
                "cli_migrations"):
        assert importlib.util.find_spec(f"archkit.schema.{mod}") is None, mod
