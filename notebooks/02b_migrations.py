# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: -all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 2b · Migrations: v1 → v2 without taking Shopfront down
#
# Shopfront started single-tenant (`schema/v1.sql`). Version 2 (`schema/v2.sql`) makes it a
# multi-tenant SaaS: a `tenants` table, `tenant_id` on every tenant-owned table, and keys,
# uniques and foreign keys that lead with `tenant_id` so no row can point across tenants.
#
# Nobody changes a production schema by hand. In this notebook you will:
#
# 1. **diff** v1 into v2: ordered *up* and *down* statements, each down step labelled exact or lossy;
# 2. see how a **rename** is declared instead of guessed (a silent drop-and-add loses data);
# 3. read the **zero-downtime findings**: which statements lock, rewrite or break the running release;
# 4. turn the risky migration into an **expand/contract plan** of separate, safe migrations;
# 5. write the migration files (golang-migrate layout), and
# 6. **verify** up and down on a real engine: SQLite here, PostgreSQL and MariaDB when
#    configured.

# %%
import archkit.check
from archkit.design import design_folder
from archkit.migrations.diff import diff_sql
from archkit.schema.engines import engine_dsn
from archkit.migrations.files import write_migration
from archkit.migrations.plan import plan_rollout
from archkit.migrations.safety import lint_migration
from archkit.schema.transpile import transpile_schema
from archkit.migrations.verify import verify

DESIGN = design_folder()  # $ARCHKIT_DESIGN (`archkit lab DIR`), else a copy of the worked example
*earlier, latest = DESIGN.schema_versions  # v1.sql, v2.sql …: the last two are compared
v1 = earlier[-1].read_text() if earlier else ""
v2 = latest.read_text()
out = DESIGN.notebook_out("02b_migrations")  # outside the design; rerunning writes nothing new
print("design folder:", DESIGN.root, "— comparing", earlier[-1].name if earlier else "nothing",
      "with", latest.name)

# %% [markdown]
# ## 1. The diff
#
# `diff_sql` parses both schemas into catalogs and compares them. The steps come in dependency
# order — views and old foreign keys go first, new tables in foreign-key order, views last — and
# the down script undoes every step in reverse.

# %%
migration = diff_sql(v1, v2, "postgres")
migration

# %%
print("\n".join(s + ";" for s in migration.up[:12]))
print(f"... {len(migration.up)} up statements, {len(migration.down)} down statements")

# %% [markdown]
# Every *down* step says whether it gives everything back. Undoing
# `ADD COLUMN tenant_id` drops the column and its values — that down is **lossy**, and the
# migration says so:

# %%
lossy = [(c.kind, c.object, c.down_label) for c in migration.changes
         if not c.down_exact]
lossy[:5]

# %% [markdown]
# ## 2. Renames are declared, never guessed
#
# v2 renames `shipments.carrier` to `carrier_code` with a comment on the new column:
#
# ```sql
# carrier_code  varchar(50) NOT NULL, -- archkit: renamed from carrier
# ```
#
# so the diff emits a `RENAME COLUMN`. Without the comment the same change is a drop and an add:
# archkit then **suggests** the rename (MG002) and flags the drop as destructive (MG001, an
# error unless you pass `allow_destructive=True`).

# %%
[s for s in migration.up if "carrier" in s]

# %%
no_hint = v2.replace("-- archkit: renamed from carrier", "")
guess = diff_sql(v1, no_hint, "postgres")
[f for f in guess.findings if f.code in ("MG001", "MG002")]

# %% [markdown]
# ## 3. Zero-downtime findings
#
# The diff is *correct*, but run as one script on a busy database it would hurt. The safety lint
# reads any migration SQL — generated or hand-written — and says why each statement hurts and
# what to write instead. Codes: `ZD0xx` any engine, `ZD1xx` PostgreSQL (locks, rewrites, scans),
# `ZD2xx` MySQL (ALGORITHM/LOCK), `ZD3xx` SQLite (rebuilds).

# %%
unsafe = [f for f in migration.findings if f.code.startswith("ZD")]
sorted({(f.code, f.message) for f in unsafe})

# %% [markdown]
# A hand-written migration is linted the same way:

# %%
hand_written = '''
ALTER TABLE orders ADD COLUMN tenant_id bigint NOT NULL;
CREATE INDEX orders_tenant_idx ON orders (tenant_id);
ALTER TABLE orders ADD CONSTRAINT orders_tenant_fkey
  FOREIGN KEY (tenant_id) REFERENCES tenants (id);
'''
lint_migration(hand_written, "postgres")

# %% [markdown]
# ## 4. The expand/contract plan
#
# A lint only flags the problem. `plan_rollout` emits the safe sequence: **expand only adds**
# (new tables, nullable columns, triggers), indexes `CONCURRENTLY`, a release that writes the
# new columns, batched backfills, constraints added `NOT VALID` and validated separately, a
# release that reads the new shape, and only then **contract**: everything that removes or
# rebuilds — the old view, the old foreign keys and uniques, the old column — waits for it, so
# the release still running keeps every object it reads until no release uses them.
#
# Existing rows need a tenant. Without a value there is nothing safe to backfill with (a batch
# that sets NULL would never reach 0 rows), so the plan is **blocked**: finding PL001, an error,
# says which column and how to give the value, and `plan.write` refuses to write it.

# %%
plan_rollout(migration).blocking

# %% [markdown]
# Here every existing row belongs to the `default` tenant (created by the release right after
# the expand step):

# %%
plan = plan_rollout(
    migration, backfill={"*.tenant_id": "(SELECT id FROM tenants WHERE slug = 'default')"}
)
plan

# %%
print(plan.to_text()[:2500])

# %% [markdown]
# ## 5. Migration files
#
# Each SQL phase becomes its own numbered migration (`NNNN_name.up.sql` / `.down.sql`, the
# golang-migrate layout; `layout="flyway"` writes `V<n>__name.sql`). Files are deterministic and
# never overwritten: running this cell again finds the same files and writes nothing.

# %%
paths = plan.write(out, prefix="multi_tenant")
[p.name for p in paths]

# %%
print((out / paths[0].name).read_text()[:800])

# %% [markdown]
# The single-step diff can be written the same way (for a database with no
# traffic yet):

# %%
single = write_migration(migration, out / "single_step", "multi_tenant")
[p.name for p in single]

# %% [markdown]
# ## 6. Verification on real engines
#
# Apply v1, run up: the engine's own catalog must equal v2's. Run down: it must equal v1's.
# SQLite runs in-process; SQLite cannot `ALTER` most of these changes, so archkit uses its
# table-rebuild pattern (new table, copy rows, drop, rename).

# %%
v1_sqlite = transpile_schema(v1, "postgres", "sqlite").sql
v2_sqlite = transpile_schema(v2, "postgres", "sqlite").sql
sqlite_migration = diff_sql(v1_sqlite, v2_sqlite, "sqlite",
                            renames=["shipments.carrier=carrier_code"], allow_destructive=True)
verify(v1_sqlite, v2_sqlite, sqlite_migration, engine="sqlite")

# %% [markdown]
# With `ARCHKIT_PG_DSN` / `ARCHKIT_MYSQL_DSN` set, the same check runs in a
# throwaway database on PostgreSQL and MariaDB (CI does this):

# %%
results = {}
for dialect in ("postgres", "mysql"):
    dsn = engine_dsn(dialect)
    if dsn is None:
        results[dialect] = "not configured"
        continue
    a = v1 if dialect == "postgres" else transpile_schema(v1, "postgres", dialect).sql
    b = v2 if dialect == "postgres" else transpile_schema(v2, "postgres", dialect).sql
    m = diff_sql(a, b, dialect, renames=["shipments.carrier=carrier_code"],
                 allow_destructive=True)
    results[dialect] = verify(a, b, m, engine=dsn, dialect=dialect).summary()
results

# %% [markdown]
# ## Exercise
#
# **a)** Is v2 really multi-tenant? The check cell looks for `tenant_id NOT NULL` everywhere,
# keys that lead with it, and foreign keys that cannot cross tenants. Try it on v1 too.

# %%
archkit.check.multi_tenant_schema(v2)

# %% [markdown]
# **b)** Write, by hand, a zero-downtime migration that adds `tenant_id` to
# `orders` (existing rows belong to tenant 1). The first attempt below is the one-step version;
# rewrite it until the check cell is all green (hint: section 4).

# %%
my_migration = '''
ALTER TABLE orders ADD COLUMN tenant_id bigint NOT NULL;
'''
### BEGIN SOLUTION
my_migration = '''
SET lock_timeout = '2s';
SET statement_timeout = '5min';
ALTER TABLE orders ADD COLUMN tenant_id bigint;
-- repeated until it updates 0 rows
UPDATE orders SET tenant_id = 1
 WHERE id IN (SELECT id FROM orders WHERE tenant_id IS NULL LIMIT 10000);
ALTER TABLE orders ADD CONSTRAINT orders_tenant_id_not_null
  CHECK (tenant_id IS NOT NULL) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_tenant_id_not_null;
ALTER TABLE orders ALTER COLUMN tenant_id SET NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_tenant_id_not_null;
'''
### END SOLUTION
archkit.check.zero_downtime_migration(my_migration)
