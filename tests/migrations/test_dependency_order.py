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


# every object is declared before what it uses, so only an order by referenced names applies
OUT_OF_ORDER = """
CREATE VIEW v_outer AS SELECT id, doubled, total() AS n FROM v_inner;
CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.a := total(); RETURN NEW; END $$;
CREATE FUNCTION total() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM t $$;
CREATE TABLE t (id int PRIMARY KEY, a int DEFAULT f2(1), b even_int);
CREATE DOMAIN even_int AS int CHECK (is_even(VALUE));
CREATE FUNCTION f2(x int) RETURNS int LANGUAGE sql AS $$ SELECT f1(x) + 1 $$;
CREATE FUNCTION f1(x int) RETURNS int LANGUAGE sql AS $$ SELECT x * 2 $$;
CREATE FUNCTION is_even(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT x % 2 = 0 $$;
CREATE VIEW v_inner AS SELECT id, f1(a) AS doubled FROM t;
"""
_ROUTINES = ("SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace "
             "UNION ALL SELECT typname FROM pg_type WHERE typtype = 'd' "
             "AND typnamespace = 'public'::regnamespace "
             "UNION ALL SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1")


def test_objects_are_created_in_the_order_their_texts_reference_each_other(pg_dsn):
    from archkit.migrations.verify import apply_schema

    up = diff_sql("", OUT_OF_ORDER, "postgres").up
    with sandbox(pg_dsn) as box:  # the file applied by retrying, as a person would
        assert apply_schema(box, OUT_OF_ORDER) is None
        wanted, wanted_objects = box.introspect(), box.query(_ROUTINES)
    with sandbox(pg_dsn) as box:
        for statement in up:  # in order: each one finds what it uses
            box.execute(statement)
        assert box.introspect().compare(wanted, names=False) == []
        assert box.query(_ROUTINES) == wanted_objects
        box.execute("INSERT INTO t (id, b) VALUES (1, 4)")
        assert box.query("SELECT a FROM t") == [(0,)]  # the trigger ran after the default
        assert box.query("SELECT id, doubled, n FROM v_outer") == [(1, 0, 1)]
        with pytest.raises(Exception, match="even_int"):
            box.execute("INSERT INTO t (id, b) VALUES (2, 3)")
        for statement in diff_sql(OUT_OF_ORDER, "", "postgres", allow_destructive=True).up:
            box.execute(statement)  # dropped in the reverse order
        assert box.query(_ROUTINES) == []
        assert box.query("SELECT count(*) FROM pg_class WHERE relnamespace = "
                         "'public'::regnamespace") == [(0,)]
    names = [next(i for i, s in enumerate(up) if s.startswith(f"CREATE {what}"))
             for what in ("FUNCTION f1", "FUNCTION f2", "FUNCTION is_even", "DOMAIN even_int",
                          "TABLE t", "FUNCTION total", "FUNCTION touch", "TRIGGER t_touch",
                          "VIEW v_inner", "VIEW v_outer")]
    f1, f2, is_even, even_int, t, total, touch, trigger, v_inner, v_outer = names
    assert f1 < f2 < t and is_even < even_int < t < total < touch < trigger
    assert t < v_inner < v_outer and total < v_outer


def test_a_view_over_a_changed_view_is_rebuilt_around_it(pg_dsn):
    old = ("CREATE TABLE t (id int PRIMARY KEY, a int);\n"
           "CREATE VIEW v_inner AS SELECT id, a FROM t;\n"
           "CREATE VIEW v_outer AS SELECT id FROM v_inner;\n")
    new = old.replace("SELECT id, a FROM t", "SELECT id, a FROM t WHERE a > 0")
    up = _apply_both_ways(pg_dsn, "postgres", old, new)
    assert up == ["DROP VIEW v_outer", "DROP VIEW v_inner",
                  "CREATE VIEW v_inner AS SELECT id, a FROM t WHERE a > 0",
                  "CREATE VIEW v_outer AS SELECT id FROM v_inner"]
