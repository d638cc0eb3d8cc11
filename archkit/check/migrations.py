"""Workshop check cells for the migration stage: multi-tenant schema, zero-downtime migration.

Usage (in a notebook)::

    import archkit.check
    archkit.check.multi_tenant_schema(my_v2_sql)
    archkit.check.zero_downtime_migration(my_migration_sql)
"""

from __future__ import annotations

import re

from archkit.check.result import CheckResult
from archkit.schema.dialects import dialect as get_dialect

__all__ = ["multi_tenant_schema", "zero_downtime_migration"]

GLOBAL_TABLES = {"tenants"}


def multi_tenant_schema(ddl: str, dialect: str = "postgres", *,
                        global_tables: set[str] | frozenset[str] = frozenset(GLOBAL_TABLES)
                        ) -> CheckResult:
    """Every tenant-owned table has tenant_id NOT NULL; keys lead with it; FKs stay in-tenant."""
    from archkit.schema.parse import parse_schema

    result = CheckResult("multi_tenant_schema")
    catalog = parse_schema(ddl, dialect).catalog
    owned = {k: t for k, t in catalog.tables.items() if k not in global_tables}
    result.expect("tenants" in catalog.tables, "there is a tenants table",
                  "add CREATE TABLE tenants (id ..., slug ..., name ...)")
    if not result.expect(bool(owned), f"{len(owned)} tenant-owned tables",
                         "the schema has no tables besides tenants"):
        return result
    missing = sorted(k for k, t in owned.items()
                     if (c := t.column("tenant_id")) is None or c.nullable)
    result.expect(not missing, "every tenant-owned table has tenant_id NOT NULL",
                  f"add tenant_id bigint NOT NULL to: {', '.join(missing)}")
    composite = [k for k, t in owned.items() if t.primary_key and len(t.primary_key.columns) > 1]
    bad_pk = sorted(k for k in composite if owned[k].primary_key.columns[0] != "tenant_id")
    result.expect(not bad_pk, "composite primary keys lead with tenant_id",
                  f"put tenant_id first in the primary key of: {', '.join(bad_pk)}")
    bad_unique = sorted(f"{k}({', '.join(u.columns)})" for k, t in owned.items()
                        for u in t.uniques if u.columns[0] != "tenant_id"
                        and not _global_unique(u.name))
    result.expect(not bad_unique, "unique constraints are per tenant (lead with tenant_id)",
                  f"make these per tenant, or name them *_global_* if they are truly global: "
                  f"{'; '.join(bad_unique)}")
    cross = sorted(f"{k}({', '.join(fk.columns)}) → {fk.ref_table}"
                   for k, t in owned.items() for fk in t.foreign_keys
                   if fk.ref_table in owned and "tenant_id" not in fk.columns)
    result.expect(not cross, "foreign keys between tenant tables include tenant_id",
                  f"reference (tenant_id, id) so rows cannot point across tenants: "
                  f"{'; '.join(cross)}")
    return result


def _global_unique(name: str | None) -> bool:
    # the same convention as the lint's SC207, so the two never disagree on a table
    from archkit.schema.lint import declared_global

    return declared_global(name)


def zero_downtime_migration(sql: str, dialect: str = "postgres") -> CheckResult:
    """A migration that adds a NOT NULL column without blocking: nullable, backfill, validate."""
    from archkit.migrations.safety import lint_migration

    result = CheckResult("zero_downtime_migration")
    findings = lint_migration(sql, dialect)
    errors = findings.errors
    result.expect(not errors, "no zero-downtime errors",
                  "fix: " + "; ".join(f"{f.code} line {f.line}: {f.fix}" for f in errors[:3]))
    flat = " ".join(sql.upper().split())
    adds = re.findall(r"ADD COLUMN ([^;,]*)", flat)
    result.expect(bool(adds) and all("NOT NULL" not in a or "DEFAULT" in a for a in adds),
                  "the new column is added nullable first",
                  "ALTER TABLE ... ADD COLUMN tenant_id bigint; (NOT NULL comes last)")
    result.expect("UPDATE " in flat and " LIMIT " in flat,
                  "existing rows are backfilled in batches",
                  "UPDATE ... WHERE ctid IN (SELECT ctid FROM ... WHERE tenant_id IS NULL "
                  "LIMIT 10000); repeated until 0 rows")
    if get_dialect(dialect).not_valid_constraints:
        result.expect("NOT VALID" in flat and "VALIDATE CONSTRAINT" in flat,
                      "NOT NULL is proven with CHECK ... NOT VALID, then VALIDATE",
                      "ADD CONSTRAINT ... CHECK (tenant_id IS NOT NULL) NOT VALID; then "
                      "VALIDATE CONSTRAINT in its own step")
        result.expect("LOCK_TIMEOUT" in flat, "a lock_timeout bounds the wait for locks",
                      "start with SET lock_timeout = '2s';")
    return result
