"""Migrations in dependency order, applied on the engines: up reaches the new schema, down
comes back, whatever depends on what."""

from __future__ import annotations

import pytest

from archkit.migrations.diff import diff_sql
from archkit.schema.engines import sandbox


def _apply_both_ways(engine: str, dialect: str, old: str, new: str) -> list[str]:
    mig = diff_sql(old, new, dialect, allow_destructive=True)
    with sandbox(engine) as box:
        box.execute_script(old).raise_for_errors()
        before = box.introspect()
        for statement in mig.up:
            box.execute(statement)
        after = box.introspect()
        for statement in mig.down:
            box.execute(statement)
        back = box.introspect()
    with sandbox(engine) as box:
        box.execute_script(new).raise_for_errors()
        wanted = box.introspect()
    assert after.compare(wanted, names=False) == []
    assert back.compare(before, names=False) == []
    return mig.up


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_foreign_key_goes_before_the_key_it_references(dialect, request):
    engine = request.getfixturevalue("pg_dsn" if dialect == "postgres" else "mysql_dsn")
    old = ("CREATE TABLE p (id int PRIMARY KEY, code int NOT NULL UNIQUE);\n"
           "CREATE TABLE c (id int PRIMARY KEY, p_code int REFERENCES p (code));\n")
    new = "CREATE TABLE p (id int PRIMARY KEY, code int NOT NULL);\n"
    up = _apply_both_ways(engine, dialect, old, new)
    drop_fk = next(i for i, s in enumerate(up) if "FOREIGN KEY" in s or "DROP CONSTRAINT c_" in s)
    drop_key = next(i for i, s in enumerate(up) if s.startswith("ALTER TABLE p"))
    assert drop_fk < drop_key


def test_view_in_a_new_schema_creates_the_schema_first(pg_dsn):
    old = "CREATE TABLE t (id int PRIMARY KEY);\n"
    new = old + "CREATE SCHEMA reporting;\nCREATE VIEW reporting.v AS SELECT id FROM t;\n"
    mig = diff_sql(old, new, "postgres")
    assert mig.up[0] == "CREATE SCHEMA IF NOT EXISTS reporting"
    with sandbox(pg_dsn) as box:
        box.execute_script(old).raise_for_errors()
        for statement in mig.up:
            box.execute(statement)
        assert box.query("SELECT count(*) FROM reporting.v") == [(0,)]
        for statement in mig.down:
            box.execute(statement)
        assert box.query("SELECT count(*) FROM pg_namespace WHERE nspname = 'reporting'") \
            == [(0,)]


def test_view_is_rebuilt_when_its_table_changes(pg_dsn):
    old = "CREATE TABLE t (id int PRIMARY KEY, a int);\nCREATE VIEW v AS SELECT id, a FROM t;\n"
    new = "CREATE TABLE t (id int PRIMARY KEY, a bigint);\nCREATE VIEW v AS SELECT id, a FROM t;\n"
    up = _apply_both_ways(pg_dsn, "postgres", old, new)
    assert up[0] == "DROP VIEW v" and up[-1].startswith("CREATE VIEW v")


def test_serial_to_bigserial_widens_its_sequence(pg_dsn):
    old = "CREATE TABLE t (id serial PRIMARY KEY);\n"
    new = "CREATE TABLE t (id bigserial PRIMARY KEY);\n"
    mig = diff_sql(old, new, "postgres")
    with sandbox(pg_dsn) as box:
        box.execute_script(old).raise_for_errors()
        for statement in mig.up:
            box.execute(statement)
        seq = box.query("SELECT data_type FROM information_schema.sequences "
                        "WHERE sequence_name = 't_id_seq'")
        box.execute("SELECT setval('t_id_seq', 3000000000)")
        box.execute("INSERT INTO t DEFAULT VALUES")  # past the integer range
        assert box.query("SELECT max(id) FROM t") == [(3000000001,)]
    assert seq == [("bigint",)]
    assert "ALTER SEQUENCE t_id_seq AS integer" in mig.down


@pytest.mark.parametrize("old, new", [
    ("CREATE TABLE u (name varchar(20));",
     "CREATE TABLE u (id bigint NOT NULL AUTO_INCREMENT, name varchar(20), PRIMARY KEY (id));"),
    ("CREATE TABLE f (id bigint NOT NULL AUTO_INCREMENT, o bigint NOT NULL, PRIMARY KEY (id));",
     "CREATE TABLE f (id bigint NOT NULL AUTO_INCREMENT, o bigint NOT NULL, "
     "PRIMARY KEY (id, o));"),
])
def test_mysql_auto_increment_key_changes_in_one_alter(old, new, mysql_dsn):
    up = _apply_both_ways(mysql_dsn, "mysql", old, new)
    assert len(up) == 1 and "PRIMARY KEY" in up[0]  # the column is a key at every moment


@pytest.mark.parametrize("old, new", [
    ("CREATE TABLE g (id int PRIMARY KEY, b int NOT NULL, c int AS (b * 2) VIRTUAL, d int);",
     "CREATE TABLE g (id int PRIMARY KEY, b int NOT NULL, c int, d int);"),
    ("CREATE TABLE j (id int PRIMARY KEY, data longtext CHECK (json_valid(data)));",
     "CREATE TABLE j (id int PRIMARY KEY, data longtext DEFAULT '[]' CHECK (json_valid(data)));"),
])
def test_mysql_generated_columns_and_column_checks_survive(old, new, mysql_dsn):
    up = _apply_both_ways(mysql_dsn, "mysql", old, new)
    assert any("CHECK (" in s for s in up) or any("AFTER b" in s for s in up)
