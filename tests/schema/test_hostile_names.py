"""Hostile identifiers through every SQL writer, applied on the real engines.

A name is data: whatever it holds (a quote, ``)); DROP TABLE``, a dot, mixed case, a reserved
word), the transpiled DDL and the migration's up and down steps must create, alter and drop
exactly the object of that name, and execute nothing else.
"""

from __future__ import annotations

import pytest

from archkit.migrations.diff import diff_sql
from archkit.schema.engines import sandbox
from archkit.schema.transpile import transpile_schema

HOSTILE_COLUMN = "x)); DROP TABLE users; --"
HOSTILE = [HOSTILE_COLUMN, "Users", 'a"b', "a`b", "account.id", "select", "Mixed Case"]
DIALECTS = ["postgres", "mysql", "sqlite"]


def _quote(name: str, dialect: str) -> str:
    if dialect == "mysql":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def _engine(dialect: str, request) -> str:
    if dialect == "sqlite":
        return "sqlite"
    return request.getfixturevalue("pg_dsn" if dialect == "postgres" else "mysql_dsn")


def _names(box) -> dict[str, object]:
    """Tables → column names and index names, exactly as the engine stores them."""
    d = box.dialect
    if d == "sqlite":
        tables = [r[0] for r in box.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        cols = {t: [r[1] for r in box.query("SELECT * FROM pragma_table_info(?)", (t,))]
                for t in tables}
        indexes = {r[0] for r in box.query(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    elif d == "postgres":
        tables = [r[0] for r in box.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")]
        cols = {t: [r[0] for r in box.query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name = %s ORDER BY ordinal_position", (t,))] for t in tables}
        indexes = {r[0] for r in box.query(
            "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' "
            "AND indexname NOT LIKE '%%pkey'")}
    else:
        tables = [r[0] for r in box.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")]
        cols = {t: [r[0] for r in box.query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "DATABASE() AND table_name = %s ORDER BY ordinal_position", (t,))] for t in tables}
        indexes = {r[0] for r in box.query(
            "SELECT DISTINCT index_name FROM information_schema.statistics "
            "WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY'")}
    return {"tables": sorted(tables), "columns": {t: sorted(c) for t, c in cols.items()},
            "indexes": sorted(indexes)}


def _schema(dialect: str, *, second: bool) -> str:
    """The sentinel ``users`` table, an ``Orders`` table, and a table whose columns and
    indexes carry every hostile name (the second version adds one column and index)."""
    q = lambda n: _quote(n, dialect)  # noqa: E731
    cols = [f"{q(n)} integer" for n in HOSTILE]
    if second:  # a changed type, a new NOT NULL with a default and a foreign key
        quoted = q('a"b')
        cols[HOSTILE.index('a"b')] = f"{quoted} bigint NOT NULL DEFAULT 0"
        cols.append(f"CONSTRAINT {q('fk ' + HOSTILE_COLUMN)} FOREIGN KEY ({q('Mixed Case')}) "
                    "REFERENCES users (id)")
    indexes = [f"CREATE INDEX {q('ix ' + HOSTILE_COLUMN)} ON t ({q(HOSTILE_COLUMN)});",
               f"CREATE INDEX {q('account.id')} ON t ({q('account.id')});"]
    if second:
        cols.insert(len(HOSTILE), f"{q('new ' + HOSTILE_COLUMN)} integer")
        indexes.append(f"CREATE INDEX {q('Ix2')} ON t ({q('a`b')}, "
                       f"{q('Mixed Case')});")
    users = "" if second else f"CREATE TABLE {q('Orders')} (id integer PRIMARY KEY);\n"
    return (
        "CREATE TABLE users (id integer PRIMARY KEY);\n" + users
        + f"CREATE TABLE t (id integer PRIMARY KEY, {', '.join(cols)});\n"
        + "\n".join(indexes) + "\n"
    )


@pytest.mark.parametrize("target", DIALECTS)
def test_transpiled_hostile_names_create_exactly_those_objects(target, request):
    out = transpile_schema(_schema("postgres", second=True), "postgres", target)
    with sandbox(_engine(target, request)) as box:
        box.execute_script(out.sql).raise_for_errors()
        names = _names(box)
    assert names["tables"] == sorted(["users", "t"])  # the sentinel is still there
    expected = sorted(["id", *HOSTILE, "new " + HOSTILE_COLUMN])
    assert names["columns"]["t"] == expected
    fk_index = ["fk " + HOSTILE_COLUMN] if target == "mysql" else []  # MySQL indexes FKs
    assert names["indexes"] == sorted(["ix " + HOSTILE_COLUMN, "account.id", "Ix2", *fk_index])


@pytest.mark.parametrize("dialect", DIALECTS)
def test_migration_with_hostile_names_applies_up_and_down_exactly(dialect, request):
    old, new = _schema(dialect, second=False), _schema(dialect, second=True)
    mig = diff_sql(old, new, dialect, allow_destructive=True)
    assert any("Orders" in s for s in mig.up)  # the mixed-case table is dropped by its name
    with sandbox(_engine(dialect, request)) as box:
        box.execute_script(old).raise_for_errors()
        before = _names(box)
        box.execute_script(";\n".join(mig.up) + ";").raise_for_errors()
        after_up = _names(box)
        box.execute_script(";\n".join(mig.down) + ";").raise_for_errors()
        after_down = _names(box)
    with sandbox(_engine(dialect, request)) as box:
        box.execute_script(new).raise_for_errors()
        wanted = _names(box)
    assert "Orders" in before["tables"] and "users" in before["tables"]
    assert after_up == wanted
    assert after_down == before


@pytest.mark.parametrize("dialect", DIALECTS)
def test_quoted_mixed_case_names_are_kept_in_the_diff(dialect):
    q = lambda n: _quote(n, dialect)  # noqa: E731
    mig = diff_sql(f"CREATE TABLE {q('Users')} (id integer PRIMARY KEY);",
                   "CREATE TABLE other (id integer PRIMARY KEY);", dialect,
                   allow_destructive=True)
    assert f"DROP TABLE {q('Users')}" in mig.up
    assert any(s.startswith(f"CREATE TABLE {q('Users')}") for s in mig.down)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_rollout_plan_with_hostile_names_applies_exactly(dialect, request):
    from archkit.migrations.plan import plan_rollout

    old, new = _schema(dialect, second=False), _schema(dialect, second=True)
    plan = plan_rollout(diff_sql(old, new, dialect, allow_destructive=True))
    with sandbox(_engine(dialect, request)) as box:
        box.execute_script(old).raise_for_errors()
        for phase in plan.migrations:
            for statement in phase.up:
                box.execute(statement)
        after = _names(box)
    with sandbox(_engine(dialect, request)) as box:
        box.execute_script(new).raise_for_errors()
        wanted = _names(box)
    assert after == wanted
