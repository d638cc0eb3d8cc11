"""Functions, procedures, domains, triggers and policies are carried by their text: created
before what uses them, dropped after, applied on the engines both ways."""

from __future__ import annotations

import pytest

from archkit.migrations.diff import diff_sql
from archkit.schema.engines import sandbox
from archkit.schema.introspect import introspect_objects

PG_OBJECTS = {
    "functions": "SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                 "WHERE nspname = 'public' ORDER BY 1",
    "triggers": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1",
    "policies": "SELECT policyname, qual FROM pg_policies ORDER BY 1",
    "domains": "SELECT typname FROM pg_type WHERE typtype = 'd' AND typnamespace = "
               "'public'::regnamespace ORDER BY 1",
    "rls": "SELECT relname, relrowsecurity FROM pg_class WHERE relnamespace = "
           "'public'::regnamespace AND relkind = 'r' ORDER BY 1",
}
MY_OBJECTS = {
    "routines": "SELECT ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION FROM "
                "information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY 1",
    "triggers": "SELECT TRIGGER_NAME, ACTION_STATEMENT FROM information_schema.TRIGGERS "
                "WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY 1",
}
LITE_OBJECTS = {"objects": "SELECT type, name, sql FROM sqlite_master WHERE type IN "
                            "('trigger', 'view') ORDER BY 1, 2"}


def _state(box, queries: dict[str, str]) -> tuple:
    return box.introspect(), {k: box.query(q) for k, q in queries.items()}, \
        introspect_objects(box)


def _both_ways(engine: str, dialect: str, old: str, new: str, queries: dict[str, str]):
    """Apply old, up, down on one database; new on another: states must agree."""
    mig = diff_sql(old, new, dialect, allow_destructive=True)
    with sandbox(engine) as box:
        box.execute_script(old).raise_for_errors()
        before = _state(box, queries)
        for statement in mig.up:
            box.execute(statement)
        after = _state(box, queries)
        for statement in mig.down:
            box.execute(statement)
        back = _state(box, queries)
    with sandbox(engine) as box:
        box.execute_script(new).raise_for_errors()
        wanted = _state(box, queries)
    assert after[0].compare(wanted[0], names=False) == []
    assert after[1:] == wanted[1:]
    assert back[0].compare(before[0], names=False) == []
    assert back[1:] == before[1:]
    return mig


PG_OLD = "CREATE TABLE t (id int PRIMARY KEY, a int);\n"
PG_NEW = """CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE TABLE t (id int PRIMARY KEY, a int DEFAULT f(), b posint);
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.a := NEW.a + 1;
RETURN NEW; END $$;
CREATE TRIGGER t_bump BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump();
CREATE TABLE u (id posint PRIMARY KEY, n int DEFAULT f());
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY positive ON t USING (a > 0);
"""


def test_postgres_objects_come_before_what_uses_them_and_go_after(pg_dsn):
    mig = _both_ways(pg_dsn, "postgres", PG_OLD, PG_NEW, PG_OBJECTS)
    up = mig.up
    at = {k: next(i for i, s in enumerate(up) if k in s) for k in
          ("FUNCTION f()", "DOMAIN posint", "CREATE TABLE u", "SET DEFAULT", "CREATE TRIGGER",
           "ENABLE ROW", "CREATE POLICY", "FUNCTION bump")}
    assert at["FUNCTION f()"] < at["SET DEFAULT"] and at["FUNCTION f()"] < at["CREATE TABLE u"]
    assert at["DOMAIN posint"] < at["CREATE TABLE u"]
    assert at["FUNCTION bump"] < at["CREATE TRIGGER"] and at["ENABLE ROW"] < at["CREATE POLICY"]
    assert not [f for f in mig.findings if f.code == "MG008"]
    # and the other way: dropping everything goes in the reverse order on the engine
    _both_ways(pg_dsn, "postgres", PG_NEW, PG_OLD, PG_OBJECTS)


def test_postgres_changed_function_and_policy_are_replaced(pg_dsn):
    new = (PG_NEW.replace("SELECT 1", "SELECT 2").replace("a > 0", "a > 1")
           .replace("NEW.a + 1", "NEW.a + 2"))
    mig = _both_ways(pg_dsn, "postgres", PG_NEW, new, PG_OBJECTS)
    assert any(s.startswith("CREATE OR REPLACE FUNCTION f()") for s in mig.up)
    assert "DROP POLICY IF EXISTS positive ON t" in mig.up
    with sandbox(pg_dsn) as box:
        box.execute_script(PG_NEW).raise_for_errors()
        for statement in mig.up:
            box.execute(statement)
        box.execute("INSERT INTO u (id) VALUES (1)")
        assert box.query("SELECT n FROM u") == [(2,)]


def test_domain_in_use_is_altered_in_place(pg_dsn):
    new = PG_NEW.replace("CHECK (VALUE > 0)", "DEFAULT 5 NOT NULL CONSTRAINT small CHECK "
                         "(VALUE < 100) CHECK (VALUE > 0)")
    mig = _both_ways(pg_dsn, "postgres", PG_NEW, new, PG_OBJECTS)
    assert mig.up == ["ALTER DOMAIN posint SET DEFAULT 5", "ALTER DOMAIN posint SET NOT NULL",
                      "ALTER DOMAIN posint ADD CONSTRAINT small CHECK (VALUE < 100)"]
    gone = PG_NEW.replace(" CHECK (VALUE > 0)", "")
    mig = _both_ways(pg_dsn, "postgres", PG_NEW, gone, PG_OBJECTS)
    assert mig.up == ["ALTER DOMAIN posint DROP CONSTRAINT posint_check"]


def test_composite_type_comes_before_the_table_that_uses_it(pg_dsn):
    new = PG_OLD + "CREATE TYPE pair AS (x int, y int);\nCREATE TABLE u (id int, p pair);\n"
    mig = _both_ways(pg_dsn, "postgres", PG_OLD, new, PG_OBJECTS)
    assert mig.up == ["CREATE TYPE pair AS (x int, y int)", "CREATE TABLE u (id int, p pair)"]
    assert mig.down == ["DROP TABLE u", "DROP TYPE IF EXISTS pair"]
    changed = diff_sql(new, new.replace("y int", "y bigint"), "postgres")
    assert not changed.up and [f.code for f in changed.findings] == ["MG008"]


def test_domain_with_a_new_base_type_is_a_finding_with_its_line():
    new = PG_NEW.replace("posint AS int", "posint AS bigint")
    mig = diff_sql(PG_NEW, new, "postgres")
    [f] = [f for f in mig.findings if f.code == "MG008"]
    assert "posint" in f.message and not mig.up and f.line == new.splitlines().index(
        "CREATE DOMAIN posint AS bigint CHECK (VALUE > 0);") + 1


MY_OLD = "CREATE TABLE t (id int PRIMARY KEY, a int);\n"
MY_NEW = MY_OLD + """
CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC RETURN x * 2;
CREATE PROCEDURE reset_a() BEGIN UPDATE t SET a = 0; END;
CREATE TRIGGER t_twice BEFORE INSERT ON t FOR EACH ROW SET NEW.a = twice(NEW.a);
"""


def test_mysql_routines_and_triggers_both_ways(mysql_dsn):
    mig = _both_ways(mysql_dsn, "mysql", MY_OLD, MY_NEW, MY_OBJECTS)
    assert [s.split()[1] for s in mig.up] == ["FUNCTION", "PROCEDURE", "TRIGGER"]
    _both_ways(mysql_dsn, "mysql", MY_NEW, MY_OLD, MY_OBJECTS)
    changed = MY_NEW.replace("x * 2", "x * 3").replace("twice(NEW.a)", "twice(NEW.a) + 1")
    mig = _both_ways(mysql_dsn, "mysql", MY_NEW, changed, MY_OBJECTS)
    assert "DROP FUNCTION IF EXISTS twice" in mig.up


LITE_OLD = "CREATE TABLE t (id integer PRIMARY KEY, a integer);\n" \
           "CREATE TABLE log (id integer PRIMARY KEY, a integer);\n"
LITE_NEW = LITE_OLD + """CREATE TRIGGER t_log AFTER INSERT ON t BEGIN
  INSERT INTO log (a) VALUES (NEW.a);
END;
CREATE VIEW big AS SELECT id FROM t WHERE a > 10;
"""


@pytest.mark.parametrize(("old", "new"), [
    (LITE_OLD, LITE_NEW), (LITE_NEW, LITE_OLD),
    (LITE_NEW, LITE_NEW.replace("a integer);\nCREATE TABLE log", "a integer NOT NULL);\n"
                                "CREATE TABLE log")),  # t is rebuilt: its trigger comes back
    (LITE_NEW, LITE_NEW.replace("VALUES (NEW.a)", "VALUES (NEW.a + 1)"))])
def test_sqlite_triggers_both_ways(old, new):
    mig = _both_ways("sqlite", "sqlite", old, new, LITE_OBJECTS)
    assert mig.up
    with sandbox("sqlite") as box:  # and the trigger still fires after up
        box.execute_script(old).raise_for_errors()
        for statement in mig.up:
            box.execute(statement)
        box.execute("INSERT INTO t (id, a) VALUES (1, 7)")
        fired = box.query("SELECT a FROM log")
    wanted = [] if "t_log" not in new else [(8,)] if "NEW.a + 1" in new else [(7,)]
    assert fired == wanted


def test_comments_on_objects_come_and_go_with_them(pg_dsn):
    new = PG_NEW + ("COMMENT ON DOMAIN posint IS 'above zero';\n"
                    "COMMENT ON TRIGGER t_bump ON t IS 'bumps a';\n")
    mig = _both_ways(pg_dsn, "postgres", PG_NEW, new, PG_OBJECTS)
    assert mig.down == ["COMMENT ON TRIGGER t_bump ON t IS NULL",
                        "COMMENT ON DOMAIN posint IS NULL"]
    _both_ways(pg_dsn, "postgres", new, new.replace("bumps a", "adds one to a"), PG_OBJECTS)
    mig = _both_ways(pg_dsn, "postgres", PG_OLD, new, PG_OBJECTS)
    assert mig.up[-2:] == ["COMMENT ON DOMAIN posint IS 'above zero'",
                           "COMMENT ON TRIGGER t_bump ON t IS 'bumps a'"]


def test_mysql_events_are_carried_and_checked_on_the_engine(mysql_dsn):
    # an event is created, changed (drop and create again) and dropped like a trigger
    from archkit.migrations.diff import Migration
    from archkit.migrations.verify import verify

    base = "CREATE TABLE tick (id int, at datetime);\n"
    hourly = ("CREATE EVENT purge_ticks ON SCHEDULE EVERY 1 HOUR COMMENT 'tidy' "
              "DO DELETE FROM tick WHERE at < NOW() - INTERVAL 1 DAY;\n")
    daily = hourly.replace("EVERY 1 HOUR", "EVERY 1 DAY")
    for cur, des in [(base, base + hourly), (base + hourly, base + daily),
                     (base + daily, base)]:
        mig = diff_sql(cur, des, "mysql", allow_destructive=True)
        assert mig.up and not [f for f in mig.findings if f.code in ("MG007", "MG008")]
        assert verify(cur, des, mig, engine=mysql_dsn).passed, (cur, des, mig.up)
    assert diff_sql(base + hourly, base + hourly, "mysql").up == []
    # the engine's events are compared: leaving the schedule as it was is a difference
    assert not verify(base + hourly, base + daily, Migration("mysql"), engine=mysql_dsn).passed


def test_an_event_trigger_is_not_taken_for_an_event():
    ddl = ("CREATE FUNCTION stop() RETURNS event_trigger LANGUAGE plpgsql AS "
           "$$ BEGIN END $$;\nCREATE EVENT TRIGGER no_drops ON sql_drop EXECUTE FUNCTION stop();\n")
    mig = diff_sql("", ddl, "postgres")
    assert not [s for s in mig.up if s.upper().startswith("CREATE EVENT")]
    assert [f for f in mig.findings if f.code == "MG008" and "event trigger" in f.message]


def test_comments_on_indexes_and_sequences_are_carried(pg_dsn):
    # COMMENT ON INDEX / SEQUENCE / CONSTRAINT were read and then lost without a word
    from archkit.migrations.diff import Migration
    from archkit.migrations.verify import verify

    base = ("CREATE TABLE lot (n int CONSTRAINT lot_pos CHECK (n > 0));\n"
            "CREATE INDEX lot_n ON lot (n);\n")
    noted = base + ("COMMENT ON INDEX lot_n IS 'by n';\nCOMMENT ON CONSTRAINT lot_pos ON lot IS "
                    "'positive';\nCREATE SEQUENCE lot_seq;\n"
                    "COMMENT ON SEQUENCE lot_seq IS 'ids';\n")
    wider = noted.replace("CREATE TABLE lot (n int", "CREATE TABLE lot (n int, m int").replace(
        "ON lot (n)", "ON lot (n, m)")
    for cur, des in [(base, noted), (noted, base), (noted, wider)]:
        mig = diff_sql(cur, des, "postgres", allow_destructive=True)
        assert verify(cur, des, mig, engine=pg_dsn).passed, (cur, des, mig.up)
    # the index made again (another column) gets its comment back, both ways
    assert diff_sql(noted, wider, "postgres", allow_destructive=True).up[-1] == \
        "COMMENT ON INDEX lot_n IS 'by n'"
    assert not verify(base, noted, Migration("postgres"), engine=pg_dsn).passed
