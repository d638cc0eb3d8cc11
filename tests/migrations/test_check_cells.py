"""The migration stage's workshop check cells tell right from wrong, with a next step."""

from __future__ import annotations

import archkit.check

GOOD = """SET lock_timeout = '2s';
SET statement_timeout = '30s';
ALTER TABLE orders ADD COLUMN tenant_id bigint;
UPDATE orders SET tenant_id = 1 WHERE ctid IN
  (SELECT ctid FROM orders WHERE tenant_id IS NULL LIMIT 10000);
ALTER TABLE orders ADD CONSTRAINT orders_tenant_id_not_null
  CHECK (tenant_id IS NOT NULL) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_tenant_id_not_null;
ALTER TABLE orders ALTER COLUMN tenant_id SET NOT NULL;
"""


def test_exercises_are_listed():
    names = archkit.check.exercises()
    assert {"multi_tenant_schema", "zero_downtime_migration"} <= set(names)


def test_worked_v2_is_multi_tenant_and_v1_is_not(example):
    v2 = (example / "schema" / "v2.sql").read_text()
    v1 = (example / "schema" / "v1.sql").read_text()
    assert archkit.check.multi_tenant_schema(v2).passed
    bad = archkit.check.multi_tenant_schema(v1)
    assert not bad.passed
    assert any("add tenant_id bigint NOT NULL to: cart_items, carts" in w for w in bad.wrong)
    assert any("users(email)" in w for w in bad.wrong)


def test_zero_downtime_migration_accepts_the_expand_contract_answer():
    assert archkit.check.zero_downtime_migration(GOOD).passed


def test_zero_downtime_migration_explains_the_one_step_answer():
    result = archkit.check.zero_downtime_migration(
        "ALTER TABLE orders ADD COLUMN tenant_id bigint NOT NULL;")
    assert not result.passed
    text = str(result)
    assert "ZD005" in text and "NOT VALID" in text and "lock_timeout" in text
    assert "❌" in result._repr_markdown_()
