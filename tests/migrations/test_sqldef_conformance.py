"""sqldef's own cases through diff + verify: ≥ 90% of run cases pass, ≤ 15% skipped per file.

SQLite always; PostgreSQL and MariaDB when their DSNs are set (CI sets both).
"""

from __future__ import annotations

import pytest

from archkit.schema.verify import run_sqldef_cases

FILES = {
    "sqlite3def-tests.yml": "sqlite",
    "psqldef-tests_tables.yml": "postgres",
    "psqldef-tests_indices.yml": "postgres",
    "psqldef-tests_constraints.yml": "postgres",
    "mysqldef-tests_tables.yml": "mysql",
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_sqldef_file(name, corpora, request):
    dialect = FILES[name]
    engine = "sqlite" if dialect == "sqlite" else request.getfixturevalue(
        "pg_dsn" if dialect == "postgres" else "mysql_dsn")
    report = run_sqldef_cases(corpora / "migrations" / name, engine)
    failures = [f"{c.name}: {c.reason}" for c in report.cases if c.status == "fail"]
    assert report.count("pass") > 0
    assert report.pass_rate >= 0.90, "\n".join(failures)
    assert report.skip_rate <= 0.15, report.summary()
    # a skip or a case for another engine always says why
    assert all(c.reason for c in report.cases if c.status in ("skip", "n/a"))
    assert all(c.status in ("pass", "fail", "skip", "n/a") for c in report.cases)


def test_a_case_that_passes_really_ran(corpora):
    report = run_sqldef_cases(corpora / "migrations" / "sqlite3def-tests.yml", "sqlite",
                              only=["RenameColumn", "DropTable"])
    assert sorted((c.name, c.status) for c in report.cases) == [
        ("DropTable", "pass"), ("RenameColumn", "pass")]
