"""Design lint: one case per rule, plus silencing and configuration."""

from __future__ import annotations

from archkit.findings import Severity
from archkit.schema.lint import LintConfig
from archkit.schema.validate import check_schema


def codes(sql, dialect="postgres", config=None):
    return [(f.code, f.object, f.line) for f in check_schema(sql, dialect, lint_config=config)
            .findings]


def test_table_without_primary_key():
    assert codes("CREATE TABLE audit_log (at timestamptz, line text);") == [
        ("SC201", "audit_log", 1)]


def test_foreign_key_without_index_and_with_one():
    base = ("CREATE TABLE users (id bigint PRIMARY KEY);\n"
            "CREATE TABLE orders (id bigint PRIMARY KEY,\n"
            "  user_id bigint REFERENCES users (id));\n")
    got = check_schema(base, "postgres").findings
    assert [(f.code, f.line) for f in got] == [("SC202", 3)]
    assert got[0].fix == "CREATE INDEX ON orders (user_id)"
    indexed = base + "CREATE INDEX orders_user_idx ON orders (user_id, id);\n"
    assert codes(indexed) == []
    # MySQL (InnoDB) creates the index itself
    assert codes(base.replace("bigint", "BIGINT"), "mysql") == []


def test_int_keys_that_will_overflow():
    sql = "CREATE TABLE t (id serial PRIMARY KEY);\nCREATE TABLE u (id bigserial PRIMARY KEY);"
    assert codes(sql) == [("SC203", "t.id", 1)]
    assert codes("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY);", "mysql") == [
        ("SC203", "t.id", 1)]


def test_timestamp_without_time_zone_and_float_money():
    sql = ("CREATE TABLE p (id bigint PRIMARY KEY,\n"
           "  created_at timestamp,\n"
           "  price double precision,\n"
           "  weight double precision);")
    assert codes(sql) == [("SC204", "p.created_at", 2), ("SC205", "p.price", 3)]


def test_naming_convention_is_configurable():
    sql = 'CREATE TABLE "OrderLines" (id bigint PRIMARY KEY,\n  "unitPrice" numeric(12,2));'
    assert codes(sql) == [("SC206", "OrderLines", 1), ("SC206", "unitPrice", 2)]
    assert check_schema(sql, "postgres").findings[1].fix == "rename it in snake_case: unit_price"
    assert codes("CREATE TABLE t1 (id bigint PRIMARY KEY, _x int);") == [("SC206", "t1._x", 1)]
    camel = LintConfig(table_name=r"^[A-Za-z]+$", column_name=r"^[a-z][A-Za-z]*$")
    assert codes(sql, config=camel) == []


def test_multi_tenant_keys_must_lead_with_tenant_id():
    sql = ("CREATE TABLE products (id bigint PRIMARY KEY, tenant_id bigint NOT NULL,\n"
           "  sku varchar(64) NOT NULL, UNIQUE (sku));\n"
           "CREATE INDEX products_sku_idx ON products (sku);\n"
           "CREATE INDEX products_tenant_sku_idx ON products (tenant_id, sku);\n")
    got = check_schema(sql, "postgres").findings
    assert [(f.code, f.object, f.line) for f in got] == [
        ("SC207", "products(sku)", 2), ("SC207", "products_sku_idx", 3)]
    assert got[0].fix == ("make it UNIQUE (tenant_id, sku), or name it products_sku_global_key "
                          "if it is truly global")
    other = LintConfig(tenant_column="merchant_id")
    assert codes(sql, config=other) == []


def test_silenced_per_object_by_comment_and_by_config():
    sql = ("-- archkit: ignore SC201\n"
           "CREATE TABLE audit_log (at timestamptz);\n"
           "CREATE TABLE events (at timestamptz); -- nothing silenced here\n")
    assert codes(sql) == [("SC201", "events", 3)]
    assert codes(sql, config=LintConfig(ignore={"SC201": {"events"}})) == []
    assert codes(sql, config=LintConfig(disabled={"SC201"})) == []


def test_errors_cannot_be_silenced():
    sql = ("-- archkit: ignore all\n"
           "CREATE TABLE t (id bigint PRIMARY KEY, id bigint);\n")
    got = check_schema(sql, "postgres").findings
    assert [(f.code, f.severity) for f in got] == [("SC102", Severity.ERROR)]


def test_every_finding_has_a_fix_and_an_object():
    sql = ("CREATE TABLE a (x int, price real, t timestamp, \"Bad\" int, tenant_id int,"
           " UNIQUE (x));\nCREATE TABLE b (id serial PRIMARY KEY, a_id int REFERENCES a (x));")
    found = check_schema(sql, "postgres").findings
    assert {f.code for f in found} == {"SC201", "SC202", "SC203", "SC204", "SC205", "SC206",
                                       "SC207"}
    assert all(f.fix and f.object and f.line for f in found)


def test_the_worked_example_is_lint_clean(example):
    text = (example / "schema" / "v1.sql").read_text()
    assert list(check_schema(text, "postgres").findings) == []


def test_silenced_by_the_objects_own_comment():
    sql = ("CREATE TABLE audit_log (at timestamp, line text);\n"
           "COMMENT ON TABLE audit_log IS 'Append-only. archkit: ignore SC201';\n"
           "COMMENT ON COLUMN audit_log.at IS 'local wall-clock time, archkit: ignore SC204';\n"
           "CREATE TABLE other (at timestamp);\n")
    assert codes(sql) == [("SC201", "other", 4), ("SC204", "other.at", 4)]
