"""Seeded mistakes: each reported with its code, at the line where it is."""

from __future__ import annotations

from archkit.findings import Severity
from archkit.schema.validate import check_schema

GOOD = """\
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email varchar(200) NOT NULL UNIQUE
);
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE VIEW recent AS SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id;
"""


def errors(sql, dialect="postgres"):
    return [(f.code, f.line) for f in check_schema(sql, dialect).findings.errors]


def line_of(sql: str, needle: str) -> int:
    return next(i for i, line in enumerate(sql.splitlines(), 1) if needle in line)


def test_the_good_schema_has_no_findings():
    report = check_schema(GOOD, "postgres")
    assert list(report.findings) == []
    assert report.to_dict()["tables"] == 2 and report.to_dict()["views"] == 1


def test_fk_to_a_missing_column():
    sql = GOOD.replace("REFERENCES users (id)", "REFERENCES users (uid)")
    assert errors(sql) == [("SC105", line_of(sql, "REFERENCES users (uid)"))]


def test_fk_to_a_missing_table():
    sql = GOOD.replace("REFERENCES users (id)", "REFERENCES customers (id)")
    assert ("SC104", line_of(sql, "REFERENCES customers")) in errors(sql)


def test_index_on_a_missing_column():
    sql = GOOD.replace("ON orders (user_id)", "ON orders (customer_id)")
    assert errors(sql) == [("SC107", line_of(sql, "CREATE INDEX"))]


def test_duplicate_column():
    sql = GOOD.replace("    placed_at timestamptz",
                       "    user_id bigint,\n    placed_at timestamptz")
    assert errors(sql) == [("SC102", 8)]


def test_fk_type_mismatch():
    sql = GOOD.replace("user_id bigint NOT NULL REFERENCES",
                       "user_id varchar(20) NOT NULL REFERENCES")
    got = check_schema(sql, "postgres").findings.errors
    assert [(f.code, f.line, f.object) for f in got] == [
        ("SC106", line_of(sql, "user_id varchar(20)"), "orders.user_id")]
    assert "varchar(20)" in got[0].message and "bigint" in got[0].fix


def test_syntax_error_with_line_and_the_rest_still_parsed():
    sql = GOOD.replace("CREATE INDEX orders_user_id_idx ON", "CREATE INDEX orders_user_id_idx ONN")
    report = check_schema(sql, "postgres")
    assert [(f.code, f.line) for f in report.findings.errors] == [("SC001", 10)]
    assert set(report.catalog.tables) == {"users", "orders"}
    assert "recent" in report.catalog.views


def test_double_comma_that_sqlglot_accepts_is_a_syntax_error():
    sql = "CREATE TABLE t (\n  id bigint PRIMARY KEY,,\n  name text\n);"
    assert errors(sql) == [("SC001", 2)]


def test_view_selecting_a_missing_column():
    sql = GOOD.replace("SELECT o.id, u.email", "SELECT o.id, u.phone")
    assert errors(sql) == [("SC109", line_of(sql, "u.phone"))]


def test_view_selecting_a_missing_table():
    sql = GOOD.replace("JOIN users u", "JOIN people u")
    assert errors(sql) == [("SC109", line_of(sql, "JOIN people"))]


def test_duplicate_table_constraint_and_index_names():
    sql = GOOD + "CREATE TABLE users (id int);\nCREATE INDEX orders_user_id_idx ON orders (id);\n"
    assert errors(sql) == [("SC101", 12), ("SC103", 13)]


def test_primary_key_on_missing_column_and_alter_unknown_table():
    sql = GOOD + ("ALTER TABLE users ADD CONSTRAINT u2 UNIQUE (phone);\n"
                  "ALTER TABLE nope ADD x int;\n")
    assert errors(sql) == [("SC108", 12), ("SC104", 13)]


def test_identifier_length_per_engine():
    long_name = "c" * 64
    sql = f"CREATE TABLE t (id bigint PRIMARY KEY, {long_name} int);"
    assert [f.code for f in check_schema(sql, "postgres").findings.errors] == ["SC110"]
    assert check_schema(sql.replace("bigint", "BIGINT"), "mysql").findings.errors == []
    # PostgreSQL counts bytes: 32 two-byte letters are 64 bytes
    sql_utf8 = "CREATE TABLE t (id bigint PRIMARY KEY, " + "é" * 32 + " int);"
    assert [f.code for f in check_schema(sql_utf8, "postgres").findings.errors] == ["SC110"]


def test_fk_to_non_unique_column_and_count_mismatch():
    sql = GOOD + ("CREATE TABLE notes (id bigint PRIMARY KEY,"
                  " email varchar(200) REFERENCES users (email),"
                  " a bigint, b bigint, FOREIGN KEY (a, b) REFERENCES users (id));\n")
    got = [(f.code, f.severity) for f in check_schema(sql, "postgres").findings
           if f.code in ("SC111", "SC112")]
    assert got == [("SC111", Severity.ERROR)]
    sql2 = GOOD.replace("email varchar(200) NOT NULL UNIQUE", "email varchar(200) NOT NULL") + \
        "CREATE TABLE notes (id bigint PRIMARY KEY, email varchar(200) REFERENCES users (email));\n"
    assert "SC112" in [f.code for f in check_schema(sql2, "postgres").findings.errors]


def test_half_good_file_gives_every_good_part():
    sql = GOOD + (
        "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql;\n"
        "CREATE TABLE t (id bigint PRIMARY KEY, x text COMPRESSION pglz);\n"
    )
    report = check_schema(sql, "postgres")
    assert set(report.catalog.tables) == {"users", "orders", "t"}
    assert report.catalog.tables["t"].column("x").type == "text"
    assert [line for line, _ in report.parse.unparsed] == [12]  # the function's body
    [said] = [f for f in report.findings if "not kept" in f.message]
    assert said.line == 13 and said.message.endswith("COMPRESSION pglz")
    assert report.findings.errors == []


def test_alter_drop_rename_and_modify_are_applied_to_the_catalog():
    from archkit.schema.parse import parse_schema

    pg = parse_schema(
        "CREATE TABLE t (a int PRIMARY KEY, b int, c int CONSTRAINT cpos CHECK (c > 0));\n"
        "CREATE TABLE r (x int REFERENCES t (a));\n"
        "CREATE INDEX i ON t (b);\nALTER INDEX i RENAME TO j;\n"
        "CREATE INDEX k ON t (c);\nDROP INDEX k;\n"
        "ALTER TABLE t DROP CONSTRAINT cpos;\nALTER TABLE t DROP COLUMN b;\n"
        "ALTER TABLE t RENAME TO u;\nALTER TABLE u ENABLE ROW LEVEL SECURITY;\n", "postgres")
    cat = pg.catalog
    assert list(cat.tables) == ["r", "u"] and cat.tables["u"].column_names == ["a", "c"]
    assert cat.tables["u"].checks == [] and cat.indexes == {}  # j went with column b
    assert cat.tables["r"].foreign_keys[0].ref_table == "u"
    assert pg.findings == [] and pg.unparsed == []
    my = parse_schema(
        "CREATE TABLE t (a INT PRIMARY KEY, b INT, c INT);\n"
        "ALTER TABLE t ADD INDEX idx (b);\nALTER TABLE t DROP INDEX idx;\n"
        "ALTER TABLE t MODIFY COLUMN c BIGINT NOT NULL;\nALTER TABLE t CHANGE b bb VARCHAR(20);\n"
        "ALTER TABLE t ADD COLUMN d INT AFTER a;\nALTER TABLE t DROP PRIMARY KEY;\n", "mysql")
    t = my.catalog.tables["t"]
    assert [(c.name, c.type, c.nullable) for c in t.columns] == [
        ("a", "integer", False), ("d", "integer", True), ("bb", "varchar(20)", True),
        ("c", "bigint", False)]
    assert t.primary_key is None and my.catalog.indexes == {} and my.findings == []


def test_alter_actions_archkit_cannot_apply_are_reported():
    from archkit.schema.parse import parse_schema

    result = parse_schema("CREATE TABLE t (a int);\nALTER TABLE t CLUSTER ON t_pkey;\n",
                          "postgres")
    assert [(f.code, f.line) for f in result.findings] == [("SC002", 2)]


def test_views_with_subqueries_are_resolved_by_qualify():
    ok = GOOD + "CREATE VIEW big AS SELECT x.id FROM (SELECT id FROM users) AS x;\n"
    assert errors(ok) == []
    bad = GOOD + ("CREATE VIEW big AS\n"
                  "SELECT x.id FROM (SELECT id, phone FROM users) AS x;\n")
    assert errors(bad) == [("SC109", 13)]
    with_cte = GOOD + ("CREATE VIEW c AS WITH u AS (SELECT id FROM users)\n"
                       "SELECT u.id, u.email FROM u;\n")
    assert errors(with_cte) == [("SC109", 13)]


def test_order_by_an_output_alias_is_not_an_unknown_column():
    sql = GOOD + "CREATE VIEW v AS SELECT o.id AS order_id FROM orders o ORDER BY order_id;\n"
    assert errors(sql) == []
