"""Fixtures for the migration tests: the worked example's v1/v2 in each dialect."""

from __future__ import annotations

from pathlib import Path

import pytest

from archkit.migrations.renames import rename_hints
from archkit.schema.transpile import transpile_schema


@pytest.fixture(scope="session")
def schemas(example: Path):
    """``schemas(dialect) -> (v1_sql, v2_sql, renames)``; v1/v2 are written for PostgreSQL."""
    v1 = (example / "schema" / "v1.sql").read_text()
    v2 = (example / "schema" / "v2.sql").read_text()

    def get(dialect: str):
        if dialect == "postgres":
            return v1, v2, rename_hints(v2)
        a = transpile_schema(v1, "postgres", dialect).sql
        b = transpile_schema(v2, "postgres", dialect).sql
        return a, b, rename_hints(v2)  # comments do not survive transpiling

    return get
