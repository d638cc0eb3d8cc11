"""Query check: resolution against the catalog, index suggestions, engine plans."""

from __future__ import annotations

import pytest

from archkit.schema.parse import parse_schema
from archkit.schema.query import check_queries

QUERIES = {
    "my orders": "SELECT id, status, total FROM orders WHERE user_id = $1 "
                 "ORDER BY placed_at DESC LIMIT 20",
    "order lines": "SELECT p.name, i.quantity FROM order_items i "
                   "JOIN products p ON p.id = i.product_id WHERE i.order_id = $1",
    "open shipments": "SELECT id FROM shipments WHERE carrier = $1 AND shipped_at IS NULL",
    "latest orders": "SELECT id FROM orders WHERE placed_at > $1 ORDER BY placed_at",
    "typo": "SELECT phone FROM users WHERE id = $1",
    "no table": "SELECT id FROM customers",
}


@pytest.fixture(scope="module")
def catalog(example):
    return parse_schema((example / "schema" / "v1.sql").read_text(), "postgres").catalog


def test_resolution_and_index_suggestions(catalog):
    report = check_queries(QUERIES, catalog)
    by = {r.name: r for r in report.results}
    assert [r.name for r in report.results if not r.resolves] == ["typo", "no table"]
    assert by["my orders"].suggestions == []  # orders_user_id_placed_at_idx serves it
    assert by["order lines"].suggestions == []  # primary keys serve both sides
    assert by["open shipments"].suggestions == [
        "CREATE INDEX shipments_carrier_shipped_at_idx ON shipments (carrier, shipped_at);"]
    assert by["latest orders"].suggestions == [
        "CREATE INDEX orders_placed_at_idx ON orders (placed_at);"]
    assert [f.code for f in by["typo"].findings] == ["SC501"]
    assert "phone" in by["typo"].findings[0].message
    assert "customers" in by["no table"].findings[0].message


def test_suggested_index_silences_the_suggestion(catalog, example):
    text = (example / "schema" / "v1.sql").read_text()
    text += "\nCREATE INDEX orders_placed_at_idx ON orders (placed_at);\n"
    better = parse_schema(text, "postgres").catalog
    assert check_queries({"latest": QUERIES["latest orders"]}, better).suggestions == []


def test_sqlite_plan_shows_the_index(catalog):
    lite = parse_schema(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);\n"
        "CREATE INDEX t_a ON t (a);", "sqlite").catalog
    report = check_queries(["SELECT * FROM t WHERE a = ?", "SELECT * FROM t WHERE b = ?"], lite,
                           engine="sqlite")
    assert report.engine == "SQLite"
    assert "USING INDEX t_a" in report.results[0].plan
    assert "SCAN t" in report.results[1].plan
    assert report.results[1].suggestions == ["CREATE INDEX t_b_idx ON t (b);"]


def test_postgres_generic_plan_uses_the_index(catalog, pg_dsn):
    report = check_queries({"my orders": QUERIES["my orders"]}, catalog, engine=pg_dsn)
    assert "orders_user_id_placed_at_idx" in report.results[0].plan
