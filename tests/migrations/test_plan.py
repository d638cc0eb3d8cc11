"""Expand/contract plans: the phases, their order, and that they keep live data."""

from __future__ import annotations

import pytest

from archkit.schema.diff import diff_sql
from archkit.schema.engines import sandbox
from archkit.schema.plan import plan_rollout
from archkit.schema.verify import apply_sql, as_script

A = """CREATE TABLE shipments (id integer PRIMARY KEY, carrier varchar(50) NOT NULL,
  weight integer NOT NULL);"""
B = """CREATE TABLE shipments (id integer PRIMARY KEY,
  carrier_code varchar(50) NOT NULL, -- archkit: renamed from carrier
  weight bigint NOT NULL, region varchar(10) NOT NULL);"""


def test_phases_for_not_null_column_type_change_and_rename():
    plan = plan_rollout(diff_sql(A, B, "postgres"), backfill={"shipments.region": "'eu'"})
    keys = [p.key for p in plan.phases]
    assert keys == ["expand", "dual_write", "backfill", "constrain", "validate",
                    "switch_reads", "contract"]
    timeouts = ["SET lock_timeout = '2s'", "SET statement_timeout = '30s'"]
    assert all(p.up[:2] == timeouts for p in plan.migrations)
    expand, backfill = plan.phases[0].up, plan.phases[2].up
    assert "ALTER TABLE shipments ADD COLUMN region varchar(10)" in expand
    assert "ALTER TABLE shipments ADD COLUMN weight__new bigint" in expand
    assert any(s.startswith("CREATE TRIGGER shipments_carrier_code_sync") for s in expand)
    assert ("UPDATE shipments SET region = 'eu' WHERE ctid IN (SELECT ctid FROM shipments "
            "WHERE region IS NULL LIMIT 10000)") in backfill
    assert plan.phases[3].up[2:] == [
        f"ALTER TABLE shipments ADD CONSTRAINT shipments_{c}_not_null CHECK ({c} IS NOT NULL) "
        "NOT VALID" for c in ("carrier_code", "region", "weight__new")]
    contract = plan.phases[-1].up
    assert "ALTER TABLE shipments DROP COLUMN carrier" in contract
    assert "ALTER TABLE shipments RENAME COLUMN weight__new TO weight" in contract
    assert plan.phases[1].app_step and plan.phases[5].app_step
    assert not plan.phases[2].transactional


def test_every_postgres_phase_lints_clean_but_the_contract_drop(example):
    from archkit.schema.safety import lint_migration

    v1 = (example / "schema" / "v1.sql").read_text()
    v2 = (example / "schema" / "v2.sql").read_text()
    plan = plan_rollout(diff_sql(v1, v2, "postgres"), backfill={"*.tenant_id": "1"})
    found = {p.key: lint_migration(as_script(p.up), "postgres").codes() for p in plan.migrations}
    assert found == {"expand": [], "index": [], "backfill": [], "constrain": [],
                     "validate": [], "contract": ["ZD001"]}


def test_missing_backfill_value_is_an_error_finding():
    plan = plan_rollout(diff_sql(A, B, "postgres"))
    (f,) = plan.findings.by_code("PL001")
    assert f.object == "shipments.region" and "backfill=" in f.fix


def test_indexes_are_built_concurrently_outside_a_transaction():
    a = "CREATE TABLE t (id integer PRIMARY KEY, n integer);"
    b = a + "\nCREATE INDEX t_n_idx ON t (n);"
    plan = plan_rollout(diff_sql(a, b, "postgres"))
    (phase,) = plan.phases
    assert phase.key == "index" and not phase.transactional
    # the build itself may take long; only the wait for its lock is bounded
    assert phase.up == ["SET lock_timeout = '2s'", "SET statement_timeout = '0'",
                        "CREATE INDEX CONCURRENTLY t_n_idx ON t (n)"]
    assert phase.down[-1] == "DROP INDEX CONCURRENTLY t_n_idx"


def test_sqlite_gets_one_maintenance_window():
    plan = plan_rollout(diff_sql(A.replace("varchar(50)", "text"), A.replace(
        "weight integer", "weight integer, note text"), "sqlite"))
    assert [p.key for p in plan.phases] == ["maintenance"]


def test_plan_writes_one_migration_per_sql_phase(tmp_path):
    plan = plan_rollout(diff_sql(A, B, "postgres"), backfill={"*.region": "'eu'"})
    paths = plan.write(tmp_path, prefix="shipments")
    assert [p.name for p in paths[::2]] == [
        "0001_shipments_expand.up.sql", "0002_shipments_backfill.up.sql",
        "0003_shipments_constrain.up.sql", "0004_shipments_validate.up.sql",
        "0005_shipments_contract.up.sql"]
    assert "run outside a transaction" in (tmp_path / "0002_shipments_backfill.up.sql"
                                           ).read_text()
    assert plan.write(tmp_path, prefix="shipments") == paths  # rerun: nothing new


ROWS = "INSERT INTO shipments (id, carrier, weight) VALUES (1, 'DHL', 5), (2, 'UPS', 7);"


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_rename_and_type_change_keep_the_data(dialect, request):
    engine = request.getfixturevalue("pg_dsn" if dialect == "postgres" else "mysql_dsn")
    plan = plan_rollout(diff_sql(A, B, dialect), backfill={"*.region": "'eu'"})
    with sandbox(engine) as box:
        assert apply_sql(box, A) is None and apply_sql(box, ROWS) is None
        for phase in plan.migrations:
            assert apply_sql(box, as_script(phase.up)) is None, phase.key
            if phase.key == "expand":  # the old release keeps writing the old columns
                assert apply_sql(box, "INSERT INTO shipments (id, carrier, weight) "
                                   "VALUES (3, 'GLS', 9)") is None
        rows = box.query("SELECT id, carrier_code, weight, region FROM shipments ORDER BY id")
        assert [tuple(r) for r in rows] == [(1, "DHL", 5, "eu"), (2, "UPS", 7, "eu"),
                                            (3, "GLS", 9, "eu")]
        for phase in reversed(plan.migrations):
            assert apply_sql(box, as_script(phase.down)) is None, phase.key
        rows = box.query("SELECT id, carrier, weight FROM shipments ORDER BY id")
        assert [tuple(r) for r in rows] == [(1, "DHL", 5), (2, "UPS", 7), (3, "GLS", 9)]
