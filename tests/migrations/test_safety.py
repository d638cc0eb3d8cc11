"""Zero-downtime lint per dialect: codes, lines, objects, why and the safe rewrite."""

from __future__ import annotations

import pytest

from archkit.errors import ArchkitError
from archkit.migrations.safety import RULES, lint_migration, split_statements


def test_every_finding_says_why_and_how():
    sql = ("ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2);\n"
           "ALTER TABLE orders ADD COLUMN ref uuid DEFAULT gen_random_uuid();\n")
    found = lint_migration(sql, "postgres", file="m.sql")
    assert found.codes() == ["ZD104", "ZD150", "ZD151", "ZD101"]
    for f in found:
        assert f.message and f.fix and f.file == "m.sql"
        assert f.severity == RULES[f.code][0]
    assert found[0].object == "orders.total" and found[3].line == 2


def test_postgres_safe_rewrite_of_not_null_is_spelled_out():
    (f,) = [f for f in lint_migration("ALTER TABLE users ALTER COLUMN tenant_id SET NOT NULL;",
                                      "postgres") if f.code == "ZD102"]
    assert "CHECK (tenant_id IS NOT NULL) NOT VALID" in f.fix


def test_objects_created_in_the_same_migration_are_not_flagged():
    sql = ("CREATE TABLE tenants (id bigint PRIMARY KEY, slug text);\n"
           "CREATE INDEX tenants_slug_idx ON tenants (slug);\n"
           "ALTER TABLE tenants ADD CONSTRAINT tenants_slug_key UNIQUE (slug);\n"
           "ALTER TABLE tenants ADD COLUMN plan text NOT NULL;\n")
    assert [f.code for f in lint_migration(sql, "postgres")
            if f.code not in ("ZD150", "ZD151")] == []


def test_mysql_algorithm_lock_and_enum_copy():
    sql = ("ALTER TABLE orders MODIFY COLUMN status ENUM('placed','paid','shipped') NOT NULL;\n"
           "ALTER TABLE orders ADD COLUMN note text, ALGORITHM=INSTANT, LOCK=NONE;\n"
           "ALTER TABLE orders MODIFY COLUMN total decimal(14,2) NOT NULL;\n"
           "CREATE INDEX orders_note_idx ON orders (note(20));\n")
    found = lint_migration(sql, "mysql")
    assert [(f.code, f.line) for f in found] == [
        ("ZD201", 1), ("ZD203", 1), ("ZD201", 3), ("ZD202", 3), ("ZD201", 4)]
    assert "ALGORITHM=INPLACE, LOCK=NONE" in found[0].fix


def test_mysql_rename_via_change_breaks_running_version():
    found = lint_migration("ALTER TABLE users CHANGE mail email varchar(320), "
                           "ALGORITHM=INPLACE, LOCK=NONE;", "mysql")
    assert "ZD003" in found.codes()


def test_sqlite_rebuild_and_pragma_in_transaction():
    sql = ("BEGIN;\nPRAGMA foreign_keys = OFF;\n"
           "CREATE TABLE _new_orders (id integer PRIMARY KEY, total integer NOT NULL);\n"
           "INSERT INTO _new_orders (id, total) SELECT id, total FROM orders;\n"
           "DROP TABLE orders;\nALTER TABLE _new_orders RENAME TO orders;\nCOMMIT;\n")
    found = lint_migration(sql, "sqlite")
    # the DROP of a rebuild is no drop: the rename puts the table back
    assert [(f.code, f.line) for f in found] == [("ZD302", 2), ("ZD301", 4)]


def test_splitter_keeps_quotes_comments_and_dollar_bodies():
    sql = ("-- a comment; not a statement\nSELECT 'a;b';\n/* x; */ SELECT 2;\n"
           "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n")
    assert [(s.line, s.text.split()[0]) for s in split_statements(sql)] == [
        (2, "SELECT"), (3, "SELECT"), (4, "CREATE")]


def test_unknown_dialect():
    with pytest.raises(ArchkitError, match="dialect"):
        lint_migration("SELECT 1", "db2")


def test_mysql_explicit_in_place_algorithm_is_trusted():
    sql = ("ALTER TABLE orders MODIFY COLUMN status ENUM('placed','paid','shipped') NOT NULL, "
           "ALGORITHM=INSTANT, LOCK=NONE;")
    assert lint_migration(sql, "mysql") == []


# Inputs on which the lint's regexes used to backtrack quadratically (seconds at 20 KB,
# minutes at these sizes); the rewritten code reads each once. Results are asserted, not times.
RUN = 100_000


def test_drop_table_with_a_long_run_of_spaces_before_cascade():
    found = lint_migration("DROP TABLE legacy" + " " * RUN + "CASCADE;", "postgres")
    assert [(f.code, f.object) for f in found if f.code == "ZD002"] == [("ZD002", "legacy")]
    found = lint_migration("DROP TABLE a, b" + "\t" * RUN + "restrict", "mysql")
    assert [f.object for f in found if f.code == "ZD002"] == ["a", "b"]
    found = lint_migration("DROP TABLE c" + " " * RUN + "x", "sqlite")
    assert [f.object.split() for f in found if f.code == "ZD002"] == [["c", "x"]]


def test_backfill_update_with_long_runs_of_spaces_and_comments():
    sql = "UPDATE t SET c = NULL" + " " * RUN + "WHERE c IS NULL"
    assert [f.object for f in lint_migration(sql, "postgres") if f.code == "ZD006"] == ["t.c"]
    assert not lint_migration("UPDATE t SET c = NULL" + " " * RUN + "x", "postgres")
    assert not lint_migration("UPDATE t SET =NULL WHERE x" + " " * RUN + "y", "postgres")
    commented = "UPDATE t SET c = NULL /* x */ WHERE -- y\n c IS NULL"
    assert lint_migration(commented, "mysql").codes() == ["ZD006"]
    unclosed = "UPDATE t SET c = NULL WHERE c IS NULL " + "/*" * RUN
    assert lint_migration(unclosed, "mysql").codes() == ["ZD006"]
    assert lint_migration("UPDATE t SET c = 1 WHERE " + "--x\n" * RUN + "c IS NULL",
                          "mysql").codes() == []


def test_default_and_generated_column_scans_are_linear():
    word = "ALTER TABLE t ADD COLUMN c int DEFAULT " + "A1" * (RUN // 2)
    assert "ZD101" not in lint_migration(word, "postgres").codes()
    assert "ZD101" in lint_migration(word + "()", "postgres").codes()  # a volatile call
    assert "ZD101" not in lint_migration("ALTER TABLE t ADD COLUMN c int DEFAULT 1now()",
                                         "postgres").codes()  # the name starts at 'now'
    opened = "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (" * (RUN // 50)
    assert "ZD111" not in lint_migration(opened, "postgres").codes()
    assert "ZD111" in lint_migration(opened + "1) STORED", "postgres").codes()


def test_trigger_with_many_statements_splits_once():
    sql = ("CREATE TRIGGER tr AFTER INSERT ON t BEGIN " + "SELECT 1; " * (RUN // 10)
           + "END; SELECT 2; $" + "$" * RUN)
    statements = split_statements(sql)
    assert len(statements) == 3
    assert statements[0].text.startswith("CREATE TRIGGER tr") and statements[0].text.endswith(
        "END")
    assert statements[1].text == "SELECT 2"
