"""The differ: ordering, renames, exact/lossy downs, destructive steps, quoting, determinism."""

from __future__ import annotations

import pytest

from archkit.errors import ArchkitError
from archkit.migrations.diff import diff_sql
from archkit.migrations.renames import parse_renames, rename_hints
from archkit.migrations.verify import verify
from archkit.schema.ddl import quote_ident

PARENT_CHILD = """
CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id integer PRIMARY KEY,
                     customer_id integer NOT NULL REFERENCES customers (id));
CREATE VIEW big_orders AS SELECT o.id, c.name FROM orders o JOIN customers c
  ON c.id = o.customer_id;
"""


def test_new_tables_come_in_foreign_key_order_and_views_last():
    m = diff_sql("", PARENT_CHILD, "postgres")
    kinds = [(c.kind, c.object) for c in m.changes]
    assert kinds == [("create_table", "customers"), ("create_table", "orders"),
                     ("create_view", "big_orders")]
    assert m.down == ["DROP VIEW big_orders", "DROP TABLE orders", "DROP TABLE customers"]


def test_dropping_everything_goes_children_first_and_is_destructive():
    m = diff_sql(PARENT_CHILD, "", "postgres")
    assert m.up == ["DROP VIEW big_orders", "DROP TABLE orders", "DROP TABLE customers"]
    assert {f.object for f in m.findings.by_code("MG001")} == {"orders", "customers"}
    assert all(f.severity == "error" for f in m.findings.by_code("MG001"))
    assert [c.down_label for c in m.changes if c.kind == "drop_table"] == ["lossy", "lossy"]
    assert verify(PARENT_CHILD, "", m, engine="sqlite").passed


def test_type_change_widening_is_exact_and_narrowing_is_lossy():
    a = "CREATE TABLE t (id integer PRIMARY KEY, n integer, s varchar(50));"
    b = "CREATE TABLE t (id integer PRIMARY KEY, n bigint, s varchar(20));"
    m = diff_sql(a, b, "postgres", allow_destructive=True)
    by_col = {c.column: c for c in m.changes}
    # widening is safe up; its down narrows again, so values only bigint holds would not fit
    assert not by_col["n"].destructive and by_col["n"].down_label == "lossy"
    assert "do not survive" in by_col["n"].note
    assert by_col["s"].destructive and by_col["s"].down_label == "lossy"
    assert "ALTER TABLE t ALTER COLUMN n TYPE bigint USING n::bigint" in m.up


def test_mysql_enum_append_is_in_place_and_reorder_is_not():
    a = "CREATE TABLE o (id int PRIMARY KEY, s ENUM('placed','paid') NOT NULL);"
    more = a.replace("'placed','paid'", "'placed','paid','shipped'")
    m = diff_sql(a, more, "mysql")
    assert m.up[0].endswith(", ALGORITHM=INSTANT")
    assert not m.changes[0].destructive and "ZD203" not in m.findings.codes()
    swapped = diff_sql(a, a.replace("'placed','paid'", "'paid','placed'"), "mysql")
    assert "ALGORITHM" not in swapped.up[0] and "ZD203" in swapped.findings.codes()


def test_rename_hint_on_table_and_column():
    a = "CREATE TABLE carts (id integer PRIMARY KEY, owner integer);"
    b = ("CREATE TABLE baskets ( -- archkit: renamed from carts\n"
         "  id integer PRIMARY KEY,\n  user_id integer -- archkit: renamed from owner\n);")
    assert rename_hints(b).tables == {"carts": "baskets"}
    assert rename_hints(b).columns == {("baskets", "owner"): "user_id"}
    m = diff_sql(a, b, "sqlite")
    assert m.up == ["ALTER TABLE carts RENAME TO baskets",
                    "ALTER TABLE baskets RENAME COLUMN owner TO user_id"]
    assert not list(m.findings.by_code("MG001"))
    assert verify(a, b, m, engine="sqlite").passed


def test_likely_rename_is_suggested_never_applied():
    a = "CREATE TABLE users (id integer PRIMARY KEY, mail text);"
    b = "CREATE TABLE users (id integer PRIMARY KEY, email text);"
    m = diff_sql(a, b, "postgres")
    assert m.suggestions == [("users.mail", "users.email")]
    assert "ALTER TABLE users DROP COLUMN mail" in m.up
    (f,) = m.findings.by_code("MG002")
    assert "--rename users.mail=email" in f.fix


def test_bad_rename_argument_is_an_error():
    with pytest.raises(ArchkitError, match="OLD=NEW"):
        parse_renames(["users.mail"])


def test_sqlite_uses_the_rebuild_pattern_for_what_alter_cannot_do():
    a = "CREATE TABLE t (id integer PRIMARY KEY, n integer);\nCREATE INDEX t_n ON t (n);"
    b = ("CREATE TABLE t (id integer PRIMARY KEY, n integer NOT NULL CHECK (n > 0));\n"
         "CREATE INDEX t_n ON t (n);")
    m = diff_sql(a, b, "sqlite")
    (c,) = m.changes
    assert c.kind == "rebuild_table"
    assert c.up[1] == "INSERT INTO _archkit_new_t (id, n) SELECT id, n FROM t"
    assert c.up[-1] == "CREATE INDEX t_n ON t (n)"  # the unchanged index comes back
    assert "ZD301" in m.findings.codes()
    assert verify(a, b, m, engine="sqlite").passed


def test_hostile_identifiers_are_quoted_inert():
    hostile = 'x"; DROP TABLE users; --'
    assert quote_ident(hostile, "postgres") == '"x""; DROP TABLE users; --"'
    assert quote_ident("a`b", "mysql") == "`a``b`"
    a = "CREATE TABLE t (id integer PRIMARY KEY);"
    b = ('CREATE TABLE t (id integer PRIMARY KEY, "<script>alert(""x"")</script> & q" text '
         "DEFAULT '<b>''quoted''</b>');")
    m = diff_sql(a, b, "sqlite")
    assert m.up == ['ALTER TABLE t ADD COLUMN "<script>alert(""x"")</script> & q" text '
                    "DEFAULT '<b>''quoted''</b>'"]
    assert verify(a, b, m, engine="sqlite").passed
    md = m._repr_markdown_()
    assert "<script" not in md and "&lt;script>" in md


def test_output_is_deterministic():
    a, b = PARENT_CHILD, PARENT_CHILD.replace("name text NOT NULL", "name text")
    runs = {tuple(diff_sql(a, b, "postgres").up) for _ in range(3)}
    assert len(runs) == 1


def test_equal_schemas_give_no_changes():
    m = diff_sql(PARENT_CHILD, PARENT_CHILD, "mysql")
    assert m.empty and m.up == [] and m.down == []
    assert "No changes" in m._repr_markdown_()


def test_unknown_dialect_is_an_error():
    with pytest.raises(ArchkitError, match="dialect"):
        diff_sql("", "", "oracle")


ENUM_A = """CREATE TYPE order_status AS ENUM ('placed', 'paid');
CREATE TABLE orders (id integer PRIMARY KEY, status order_status NOT NULL DEFAULT 'placed');"""


def test_postgres_enum_values_added_in_place_and_removed_by_recreating(pg_dsn):
    more = ENUM_A.replace("'placed', 'paid'", "'placed', 'reserved', 'paid', 'shipped'")
    m = diff_sql(ENUM_A, more, "postgres")
    assert m.up == ["ALTER TYPE order_status ADD VALUE 'reserved' AFTER 'placed'",
                    "ALTER TYPE order_status ADD VALUE 'shipped' AFTER 'paid'"]
    assert verify(ENUM_A, more, m, engine=pg_dsn).passed
    fewer = ENUM_A.replace("'placed', 'paid'", "'placed'")
    m = diff_sql(ENUM_A, fewer, "postgres", allow_destructive=True)
    assert m.changes[0].destructive and m.changes[0].down_label == "lossy"
    assert verify(ENUM_A, fewer, m, engine=pg_dsn).passed


def test_views_over_a_changed_table_are_recreated_around_the_change(pg_dsn):
    a = PARENT_CHILD
    b = PARENT_CHILD.replace("name text NOT NULL", "name varchar(200) NOT NULL")
    m = diff_sql(a, b, "postgres", allow_destructive=True)
    assert m.up[0] == "DROP VIEW big_orders" and m.up[-1].startswith("CREATE VIEW big_orders")
    assert verify(a, b, m, engine=pg_dsn).passed


def test_uncarried_objects_are_reported_only_when_they_change():
    a = "CREATE TABLE t (id int);"
    b = a + ("\nCREATE AGGREGATE total (int) (sfunc = int4pl, stype = int);"
             "\nCREATE RULE r AS ON INSERT TO t DO NOTHING;")
    made = diff_sql(a, b, "postgres", files=("a.sql", "b.sql"))
    assert [(f.code, f.object, f.line, f.file) for f in made.findings] == [
        ("MG008", "rule r", 3, "b.sql")]
    assert made.up == ["CREATE AGGREGATE total (int) (sfunc = int4pl, stype = int)"]  # carried
    assert diff_sql(b, b, "postgres").findings == []
    gone = diff_sql(b, a, "postgres", files=("b.sql", "a.sql"))
    assert [(f.code, f.object, f.line, f.file) for f in gone.findings] == [
        ("MG008", "rule r", 3, "b.sql")]
    assert gone.up == ["DROP AGGREGATE IF EXISTS total(int)"]


def test_index_rename_hint_renames_in_place_where_the_engine_can():
    a = "CREATE TABLE users (id int, email text);\nCREATE INDEX old_email_idx ON users (email);"
    b = ("CREATE TABLE users (id int, email text);\n"
         "CREATE INDEX new_email_idx /* archkit: renamed from old_email_idx */ ON users (email);")
    assert rename_hints(b).indexes == {"old_email_idx": "new_email_idx"}
    assert diff_sql(a, b, "postgres").up == ["ALTER INDEX old_email_idx RENAME TO new_email_idx"]
    assert diff_sql(a, b, "mysql").up == [
        "ALTER TABLE users RENAME INDEX old_email_idx TO new_email_idx"]
    sqlite = diff_sql(a, b, "sqlite")  # SQLite has no ALTER INDEX
    assert sqlite.up == ["DROP INDEX old_email_idx", "CREATE INDEX new_email_idx "
                         "/* archkit: renamed from old_email_idx */ ON users (email)"]
    assert verify(a, b, sqlite, engine="sqlite").passed
