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
