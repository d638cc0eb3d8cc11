"""The worked example's v1 → v2 migration round-trips on SQLite, PostgreSQL and MariaDB,
both as one diff and as the phased expand/contract plan (with rows in the tables)."""

from __future__ import annotations

import pytest

from archkit.migrations.diff import diff_sql
from archkit.migrations.plan import plan_rollout
from archkit.migrations.verify import apply_schema, apply_sql, as_script, reset, verify
from archkit.schema.engines import sandbox


def _engine(request, dialect: str) -> str:
    if dialect == "sqlite":
        return "sqlite"
    return request.getfixturevalue("pg_dsn" if dialect == "postgres" else "mysql_dsn")


@pytest.mark.parametrize("dialect", ["sqlite", "postgres", "mysql"])
def test_v1_to_v2_round_trips(dialect, schemas, request):
    engine = _engine(request, dialect)
    v1, v2, renames = schemas(dialect)
    migration = diff_sql(v1, v2, dialect, renames=renames, allow_destructive=True)
    kinds = {c.kind for c in migration.changes}
    assert "create_table" in kinds and ("rebuild_table" in kinds or "add_column" in kinds)
    result = verify(v1, v2, migration, engine=engine, dialect=dialect)
    assert result.passed, result.summary()
    assert result.up_differences == [] and result.down_differences == []


def test_v1_to_v2_renames_the_carrier_column_instead_of_dropping_it(schemas):
    v1, v2, _ = schemas("postgres")
    migration = diff_sql(v1, v2, "postgres")
    assert "ALTER TABLE shipments RENAME COLUMN carrier TO carrier_code" in migration.up
    assert "ALTER TABLE shipments RENAME COLUMN carrier_code TO carrier" in migration.down
    assert not any("DROP COLUMN carrier" in s for s in migration.up)
    # every tenant-owned table gets tenant_id; the new NOT NULL columns are unsafe as one step
    added = {c.table for c in migration.changes if c.kind == "add_column"
             and c.column == "tenant_id"}
    assert added == {"users", "products", "inventory", "carts", "cart_items", "orders",
                     "order_items", "payments", "shipments"}
    assert {f.object for f in migration.findings.by_code("ZD005")} == {
        f"{t}.tenant_id" for t in added}


ROWS = """
INSERT INTO users (email, full_name) VALUES ('ada@example.com', 'Ada');
INSERT INTO products (sku, name, price) VALUES ('SKU-1', 'Kettle', 25.00);
INSERT INTO inventory (product_id, on_hand) VALUES (1, 10);
INSERT INTO orders (user_id, total, currency) VALUES (1, 25.00, 'EUR');
INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (1, 1, 1, 25.00);
INSERT INTO shipments (order_id, carrier) VALUES (1, 'DHL');
"""


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_phased_plan_migrates_live_rows(dialect, schemas, request):
    """Apply the plan phase by phase on a table with rows: nothing is lost, v2 is reached."""
    engine = _engine(request, dialect)
    v1, v2, renames = schemas(dialect)
    migration = diff_sql(v1, v2, dialect, renames=renames)
    value = "(SELECT id FROM tenants WHERE slug = 'default')"
    plan = plan_rollout(migration, backfill={"*.tenant_id": value}, batch_size=100)
    assert list(plan.findings.by_code("PL001")) == []
    keys = [p.key for p in plan.phases]
    assert keys.index("expand") < keys.index("backfill") < keys.index("contract")
    with sandbox(engine) as box:
        assert apply_schema(box, v2) is None
        want = box.introspect()
        reset(box)
        assert apply_schema(box, v1) is None
        assert apply_sql(box, ROWS) is None
        for phase in plan.migrations:
            assert apply_sql(box, as_script(phase.up)) is None, phase.key
            if phase.key == "expand":  # the data step the release would do
                box.execute("INSERT INTO tenants (slug, name) VALUES ('default', 'Shopfront')")
        assert want.compare(box.introspect()) == []
        rows = box.query("SELECT tenant_id, carrier_code FROM shipments")
        assert [tuple(r) for r in rows] == [(1, "DHL")]
        assert box.query("SELECT count(*) FROM order_items WHERE tenant_id = 1")[0][0] == 1


@pytest.mark.parametrize("dialect", ["sqlite", "postgres", "mysql"])
def test_plan_up_and_down_reach_both_schemas(dialect, schemas, request):
    engine = _engine(request, dialect)
    v1, v2, renames = schemas(dialect)
    plan = plan_rollout(diff_sql(v1, v2, dialect, renames=renames),
                        backfill={"*.tenant_id": "1"})
    with sandbox(engine) as box:
        apply_schema(box, v2)
        want_v2 = box.introspect()
        reset(box)
        apply_schema(box, v1)
        want_v1 = box.introspect()
        for phase in plan.migrations:
            assert apply_sql(box, as_script(phase.up)) is None, phase.key
        assert want_v2.compare(box.introspect()) == []
        for phase in reversed(plan.migrations):
            assert apply_sql(box, as_script(phase.down)) is None, phase.key
        assert want_v1.compare(box.introspect()) == []
