"""Failure classes found by running the further sqldef suites (data types, dependency
ordering, foreign-key dependencies, renames, indices, constraints), each pinned here in
our own words and checked on the real engine."""

from __future__ import annotations

from archkit.migrations.diff import diff_sql
from archkit.migrations.verify import verify
from archkit.schema.engines import sandbox


def test_sql_standard_array_spelling_is_the_bracket_type(pg_dsn):
    old = "CREATE TABLE shelf (id int PRIMARY KEY);\n"
    new = "CREATE TABLE shelf (id int PRIMARY KEY, labels text ARRAY, sizes int ARRAY);\n"
    mig = diff_sql(old, new, "postgres")
    assert not [f for f in mig.findings if f.code == "MG007"]
    result = verify(old, new, mig, engine=pg_dsn)
    assert result.passed, result.summary()
    with sandbox(pg_dsn) as box:
        box.execute_script(old).raise_for_errors()
        for statement in mig.up:
            box.execute(statement)
        assert box.query("SELECT data_type, udt_name FROM information_schema.columns "
                         "WHERE table_name = 'shelf' AND column_name = 'labels'") \
            == [("ARRAY", "_text")]
    same = diff_sql(new, new.replace("text ARRAY", "text[]").replace("int ARRAY", "int[]"),
                    "postgres")
    assert same.up == []


def test_view_over_a_rebuilt_view_is_rebuilt_too(pg_dsn):
    old = ("CREATE TABLE parcel (id int PRIMARY KEY, weight int);\n"
           "CREATE VIEW heavy AS SELECT id, weight FROM parcel WHERE weight > 10;\n"
           "CREATE VIEW heavy_ids AS SELECT id FROM heavy;\n")
    new = old.replace("weight int)", "weight int, city text)").replace(
        "SELECT id, weight FROM", "SELECT id, weight, city FROM")
    mig = diff_sql(old, new, "postgres", allow_destructive=True)
    assert mig.up.index("DROP VIEW heavy_ids") < mig.up.index("DROP VIEW heavy")
    result = verify(old, new, mig, engine=pg_dsn)
    assert result.passed, result.summary()


def test_index_on_a_rebuilt_materialized_view_comes_back(pg_dsn):
    old = ("CREATE TABLE parcel (id int PRIMARY KEY, weight int);\n"
           "CREATE VIEW heavy AS SELECT id, weight FROM parcel WHERE weight > 10;\n"
           "CREATE MATERIALIZED VIEW heavy_count AS SELECT count(*) AS n FROM heavy;\n"
           "CREATE INDEX heavy_count_n ON heavy_count (n);\n")
    new = old.replace("weight > 10", "weight > 20")
    mig = diff_sql(old, new, "postgres", allow_destructive=True)
    assert mig.up[-1] == "CREATE INDEX heavy_count_n ON heavy_count (n)"
    result = verify(old, new, mig, engine=pg_dsn)
    assert result.passed, result.summary()
    with sandbox(pg_dsn) as box:
        box.execute_script(old).raise_for_errors()
        for statement in mig.up:
            box.execute(statement)
        assert box.query("SELECT indexname FROM pg_indexes WHERE tablename = 'heavy_count'") \
            == [("heavy_count_n",)]


def test_tables_whose_foreign_keys_point_at_each_other(pg_dsn, mysql_dsn):
    old = ("CREATE TABLE team (id int PRIMARY KEY, captain int);\n"
           "CREATE TABLE player (id int PRIMARY KEY, team_id int);\n")
    # as written, neither CREATE TABLE can go first: the check applies the keys afterwards
    new = ("CREATE TABLE team (id int PRIMARY KEY, captain int REFERENCES player (id));\n"
           "CREATE TABLE player (id int PRIMARY KEY, team_id int,\n"
           "  CONSTRAINT player_team FOREIGN KEY (team_id) REFERENCES team (id));\n")
    for engine, dialect in ((pg_dsn, "postgres"), (mysql_dsn, "mysql")):
        mig = diff_sql(old, new, dialect, allow_destructive=True)
        result = verify(old, new, mig, engine=engine)
        assert result.passed, result.summary()
        with sandbox(engine) as box:
            box.execute_script(old).raise_for_errors()
            for statement in mig.up:
                box.execute(statement)
            assert len(box.introspect().table("team").foreign_keys) == 1
            assert len(box.introspect().table("player").foreign_keys) == 1


def test_a_case_run_as_another_user_is_judged_unless_it_manages_privileges(pg_dsn, tmp_path):
    from archkit.migrations.verify import run_sqldef_cases

    cases = tmp_path / "psqldef-own_cases.yml"
    cases.write_text(
        "AddColumnAsOtherUser:\n"
        "  current: |\n    CREATE TABLE crate (id int);\n"
        "  desired: |\n    CREATE TABLE crate (id int, label text NOT NULL DEFAULT '');\n"
        "  user: someone_else\n"
        "GrantAsOtherUser:\n"
        "  current: |\n    CREATE TABLE crate (id int);\n"
        "  desired: |\n    CREATE TABLE crate (id int);\n"
        "    GRANT SELECT ON crate TO someone_else;\n"
        "  user: someone_else\n")
    report = run_sqldef_cases(cases, pg_dsn)
    assert [(c.name, c.status) for c in report.cases] == [
        ("AddColumnAsOtherUser", "pass"), ("GrantAsOtherUser", "skip")]


def test_the_same_check_twice_is_two_checks(pg_dsn):
    """A table may hold one CHECK twice; adding the second copy is a change (checks were
    keyed by their expression, so the copy was lost), and NO INHERIT comes with it."""
    old = ("CREATE TABLE crate (w int, h int,\n"
           "  CONSTRAINT crate_positive CHECK (w > 0 AND h > 0) NO INHERIT);\n")
    new = ("CREATE TABLE crate (w int, h int,\n"
           "  CHECK (w > 0 AND h > 0) NO INHERIT,\n  CHECK (w > 0 AND h > 0) NO INHERIT);\n")
    mig = diff_sql(old, new, "postgres")
    assert len(mig.up) == 1 and mig.up[0].endswith("CHECK (w > 0 AND h > 0) NO INHERIT")
    result = verify(old, new, mig, engine=pg_dsn)
    assert result.passed, result.summary()
    with sandbox(pg_dsn) as box:
        box.execute_script(old).raise_for_errors()
        box.execute(mig.up[0])
        assert box.query("SELECT count(*), bool_and(connoinherit) FROM pg_constraint "
                         "WHERE conrelid = 'crate'::regclass AND contype = 'c'") == [(2, True)]
    assert diff_sql(new, new, "postgres").up == []
