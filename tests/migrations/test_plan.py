"""Expand/contract plans: the phases, their order, and that they keep live data."""

from __future__ import annotations

import pytest

from archkit.migrations.diff import diff_sql
from archkit.migrations.plan import plan_rollout
from archkit.migrations.verify import apply_sql, as_script, reset
from archkit.schema.engines import sandbox

A = """CREATE TABLE shipments (id integer PRIMARY KEY, carrier varchar(50) NOT NULL,
  weight integer NOT NULL);"""
B = """CREATE TABLE shipments (id integer PRIMARY KEY,
  carrier_code varchar(50) NOT NULL, -- archkit: renamed from carrier
  weight bigint NOT NULL, region varchar(10) NOT NULL);"""


def test_phases_for_not_null_column_type_change_and_rename():
    plan = plan_rollout(diff_sql(A, B, "postgres"), backfill={"shipments.region": "'eu'"})
    keys = [p.key for p in plan.phases]
    assert keys == ["expand", "dual_write", "backfill", "constrain", "validate",
                    "switch_reads", "contract"]
    timeouts = ["SET lock_timeout = '2s'", "SET statement_timeout = '30s'"]
    assert all(p.up[:2] == timeouts for p in plan.migrations)
    expand, backfill = plan.phases[0].up, plan.phases[2].up
    assert "ALTER TABLE shipments ADD COLUMN region varchar(10)" in expand
    assert "ALTER TABLE shipments ADD COLUMN weight__new bigint" in expand
    assert any(s.startswith("CREATE TRIGGER shipments_carrier_code_sync") for s in expand)
    assert ("UPDATE shipments SET region = 'eu' WHERE ctid IN (SELECT ctid FROM shipments "
            "WHERE region IS NULL LIMIT 10000)") in backfill
    assert plan.phases[3].up[2:] == [
        f"ALTER TABLE shipments ADD CONSTRAINT shipments_{c}_not_null CHECK ({c} IS NOT NULL) "
        "NOT VALID" for c in ("carrier_code", "region", "weight__new")]
    contract = plan.phases[-1].up
    assert "ALTER TABLE shipments DROP COLUMN carrier" in contract
    assert "ALTER TABLE shipments RENAME COLUMN weight__new TO weight" in contract
    assert plan.phases[1].app_step and plan.phases[5].app_step
    assert not plan.phases[2].transactional


def test_every_postgres_phase_lints_clean_but_the_contract_drop(example):
    from archkit.migrations.safety import lint_migration

    v1 = (example / "schema" / "v1.sql").read_text()
    v2 = (example / "schema" / "v2.sql").read_text()
    plan = plan_rollout(diff_sql(v1, v2, "postgres"), backfill={"*.tenant_id": "1"})
    found = {p.key: lint_migration(as_script(p.up), "postgres").codes() for p in plan.migrations}
    assert found == {"expand": [], "index": [], "backfill": [], "constrain": [],
                     "validate": [], "contract": ["ZD001"]}


def test_missing_backfill_value_blocks_the_plan_with_the_fix(tmp_path):
    from archkit.errors import ArchkitError
    from archkit.migrations.safety import lint_migration

    plan = plan_rollout(diff_sql(A, B, "postgres"))
    (f,) = plan.findings.by_code("PL001")
    assert f.object == "shipments.region" and "backfill=" in f.fix and "--backfill" in f.fix
    assert f.severity == "error" and "blocked" in f.message
    assert plan.blocking == [f]
    # no backfill that sets NULL and so never reaches 0 rows
    sql = "\n".join(s for p in plan.phases for s in p.up)
    assert "SET region = NULL" not in sql and "region = " not in sql
    (backfill,) = [p for p in plan.phases if p.key == "backfill"]
    assert "BLOCKED (PL001): shipments.region has no backfill value" in backfill.notes
    with pytest.raises(ArchkitError, match="blocked") as err:
        plan.write(tmp_path)
    assert "backfill=" in err.value.hint and list(tmp_path.iterdir()) == []
    # the plan shows its own findings, not the one-step diff's ZD005 it fixes
    assert plan.findings.codes() == ["PL001"]
    # a hand-written backfill of NULL is the same mistake: ZD006, with the fix
    (zd,) = lint_migration("UPDATE shipments SET region = NULL WHERE id IN (SELECT id FROM "
                           "shipments WHERE region IS NULL LIMIT 10000);", "postgres")
    assert zd.code == "ZD006" and zd.severity == "error" and "never ends" in zd.message
    assert zd.object == "shipments.region" and "SET region = <SQL expression>" in zd.fix
    assert lint_migration("UPDATE shipments SET region = 'eu' WHERE region IS NULL;",
                          "postgres").codes() == []


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_expand_only_adds_and_removals_wait_for_contract(example, dialect):
    import re

    from archkit.schema.transpile import transpile_schema

    v1 = (example / "schema" / "v1.sql").read_text()
    v2 = (example / "schema" / "v2.sql").read_text()
    if dialect != "postgres":
        v1 = transpile_schema(v1, "postgres", dialect).sql
        v2 = transpile_schema(v2, "postgres", dialect).sql
    plan = plan_rollout(diff_sql(v1, v2, dialect, renames=["shipments.carrier=carrier_code"],
                                 allow_destructive=True), backfill={"*.tenant_id": "1"})
    removes = re.compile(r"(?i)^(DROP\b|ALTER\s+TABLE\s+\S+\s+DROP\b)")
    expand = next(p for p in plan.phases if p.key == "expand")
    assert expand.up and not [s for s in expand.up if removes.match(s)]
    contract = plan.phases[-1]
    assert contract.key == "contract"
    dropped = [s for s in contract.up if removes.match(s)]
    assert any("VIEW order_summaries" in s for s in dropped)
    assert sum("FOREIGN KEY" in s or "_fkey" in s for s in dropped) == 9
    # the view comes back, in its v2 shape, after it was dropped (same phase, in order)
    drop_at = next(i for i, s in enumerate(contract.up) if re.match(r"(?i)DROP VIEW", s))
    create_at = next(i for i, s in enumerate(contract.up) if re.match(r"(?i)CREATE VIEW", s))
    assert drop_at < create_at and "tenant_id" in contract.up[create_at]
    if dialect == "postgres":  # the key swap is a rebuild too: one statement, in contract
        assert ("ALTER TABLE cart_items DROP CONSTRAINT cart_items_pkey, ADD CONSTRAINT "
                "cart_items_pkey PRIMARY KEY USING INDEX cart_items_pkey_new") in contract.up
        # before contract only the plan's own scaffolding goes (the NOT NULL helper checks)
        assert not [s for p in plan.phases if p.key != "contract" for s in p.up
                    if removes.match(s) and not s.endswith("_not_null")]


def test_indexes_are_built_concurrently_outside_a_transaction():
    a = "CREATE TABLE t (id integer PRIMARY KEY, n integer);"
    b = a + "\nCREATE INDEX t_n_idx ON t (n);"
    plan = plan_rollout(diff_sql(a, b, "postgres"))
    (phase,) = plan.phases
    assert phase.key == "index" and not phase.transactional
    # the build itself may take long; only the wait for its lock is bounded
    assert phase.up == ["SET lock_timeout = '2s'", "SET statement_timeout = '0'",
                        "CREATE INDEX CONCURRENTLY t_n_idx ON t (n)"]
    assert phase.down[-1] == "DROP INDEX CONCURRENTLY t_n_idx"


def test_sqlite_gets_one_maintenance_window():
    plan = plan_rollout(diff_sql(A.replace("varchar(50)", "text"), A.replace(
        "weight integer", "weight integer, note text"), "sqlite"))
    assert [p.key for p in plan.phases] == ["maintenance"]


def test_plan_writes_one_migration_per_sql_phase(tmp_path):
    plan = plan_rollout(diff_sql(A, B, "postgres"), backfill={"*.region": "'eu'"})
    paths = plan.write(tmp_path, prefix="shipments")
    assert [p.name for p in paths[::2]] == [
        "0001_shipments_expand.up.sql", "0002_shipments_backfill.up.sql",
        "0003_shipments_constrain.up.sql", "0004_shipments_validate.up.sql",
        "0005_shipments_contract.up.sql"]
    assert "run outside a transaction" in (tmp_path / "0002_shipments_backfill.up.sql"
                                           ).read_text()
    assert plan.write(tmp_path, prefix="shipments") == paths  # rerun: nothing new


ROWS = "INSERT INTO shipments (id, carrier, weight) VALUES (1, 'DHL', 5), (2, 'UPS', 7);"


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_rename_and_type_change_keep_the_data(dialect, request):
    engine = request.getfixturevalue("pg_dsn" if dialect == "postgres" else "mysql_dsn")
    plan = plan_rollout(diff_sql(A, B, dialect), backfill={"*.region": "'eu'"})
    with sandbox(engine) as box:
        assert apply_sql(box, A) is None and apply_sql(box, ROWS) is None
        for phase in plan.migrations:
            assert apply_sql(box, as_script(phase.up)) is None, phase.key
            if phase.key == "expand":  # the old release keeps writing the old columns
                assert apply_sql(box, "INSERT INTO shipments (id, carrier, weight) "
                                   "VALUES (3, 'GLS', 9)") is None
        rows = box.query("SELECT id, carrier_code, weight, region FROM shipments ORDER BY id")
        assert [tuple(r) for r in rows] == [(1, "DHL", 5, "eu"), (2, "UPS", 7, "eu"),
                                            (3, "GLS", 9, "eu")]
        for phase in reversed(plan.migrations):
            assert apply_sql(box, as_script(phase.down)) is None, phase.key
        rows = box.query("SELECT id, carrier, weight FROM shipments ORDER BY id")
        assert [tuple(r) for r in rows] == [(1, "DHL", 5), (2, "UPS", 7), (3, "GLS", 9)]


# -- the worked example's v1 → v2 rollout, applied phase by phase under the v1 application --

SEED = """
INSERT INTO users (email, full_name) VALUES ('ada@example.com', 'Ada'), ('bob@example.com', 'Bob');
INSERT INTO products (sku, name, price) VALUES ('SKU-1', 'Mug', 9.50), ('SKU-2', 'Tea', 4.00);
INSERT INTO inventory (product_id, on_hand) VALUES (1, 10), (2, 5);
INSERT INTO carts (user_id) VALUES (1);
INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (1, 2, 3);
INSERT INTO orders (user_id, status, total, currency, placed_at) VALUES
  (1, 'placed', 19.00, 'EUR', '2024-05-01 10:00:00'),
  (1, 'paid', 4.00, 'EUR', '2024-05-02 10:00:00'),
  (2, 'placed', 9.50, 'EUR', '2024-05-03 10:00:00');
INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES
  (1, 1, 2, 9.50), (2, 2, 1, 4.00), (3, 1, 1, 9.50);
INSERT INTO payments (order_id, amount, currency, status, provider_ref) VALUES
  (2, 4.00, 'EUR', 'captured', 'pi_1');
INSERT INTO shipments (order_id, carrier) VALUES (2, 'DHL');
"""
# What the v1 application passes for each parameter, by the column it is compared with.
PARAMS = {"user_id": "1", "order_id": "1", "provider_ref": "'pi_1'", "status": "'placed'",
          "placed_at": "'2030-01-01'", "carrier": "'DHL'"}
DEFAULT_TENANT = "(SELECT id FROM tenants WHERE slug = 'default')"


def v1_application_queries() -> dict[str, str]:
    """Notebook 02's query set (the v1 application's reads), with literal parameters,
    plus its read of the order_summaries view."""
    import ast
    import re
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "notebooks" / "02_schema_design.py")
    cell = next(c for c in source.read_text().split("# %%") if "\nqueries = {" in c)
    tree = ast.parse(cell[cell.index("queries = {"):].split("\ncheck_queries(")[0])
    queries = ast.literal_eval(tree.body[0].value)
    bound = {}
    for name, sql in queries.items():
        for column, number in re.findall(r"(\w+)\s*[=<>]+\s*\$(\d)", sql):
            assert column in PARAMS, f"no sample value for {column} in {name!r}"
            sql = sql.replace(f"${number}", PARAMS[column])
        bound[name] = sql
    assert len(bound) == 5 and not any("$" in s for s in bound.values())
    bound["order summaries view"] = ("SELECT order_id, status, item_count FROM order_summaries "
                                     "ORDER BY order_id")
    return bound


def _answers(box, queries: dict[str, str]) -> dict[str, object]:
    from archkit.migrations.verify import apply_sql

    out: dict[str, object] = {}
    for name, sql in queries.items():
        error = apply_sql(box, sql)
        out[name] = f"ERROR: {error}" if error else sorted(
            tuple(str(v) for v in row) for row in box.query(sql))
    return out


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_v1_to_v2_rollout_never_breaks_the_v1_application_until_contract(dialect, request,
                                                                         example):
    """Applied phase by phase on a real engine with rows in it, the plan keeps every v1
    read working (same answers) through every phase before contract."""
    from archkit.migrations.verify import apply_sql
    from archkit.schema.transpile import transpile_schema

    engine = request.getfixturevalue("pg_dsn" if dialect == "postgres" else "mysql_dsn")
    v1 = (example / "schema" / "v1.sql").read_text()
    v2 = (example / "schema" / "v2.sql").read_text()
    if dialect != "postgres":
        v1 = transpile_schema(v1, "postgres", dialect).sql
        v2 = transpile_schema(v2, "postgres", dialect).sql
    migration = diff_sql(v1, v2, dialect, renames=["shipments.carrier=carrier_code"],
                         allow_destructive=True)
    plan = plan_rollout(migration, backfill={"*.tenant_id": DEFAULT_TENANT})
    assert not list(plan.findings.by_code("PL001"))
    queries = v1_application_queries()
    with sandbox(engine) as box:
        assert apply_sql(box, v1) is None and apply_sql(box, SEED) is None
        before = _answers(box, queries)
        assert not any(isinstance(a, str) for a in before.values()), before
        assert before["GET /v1/orders (my orders)"] and before["order summaries view"]
        for phase in plan.migrations:
            error = apply_sql(box, as_script(phase.up))
            assert error is None, f"{phase.key}: {error}"
            if phase.key == "expand":  # the release after expand creates the default tenant
                assert apply_sql(box, "INSERT INTO tenants (slug, name) "
                                      "VALUES ('default', 'Default')") is None
            if phase.key != "contract":
                assert _answers(box, queries) == before, f"after {phase.key}"
        after = _answers(box, queries)
        # contract is where v1 stops working: shipments.carrier is gone
        assert after["warehouse: not shipped"].startswith("ERROR")
        assert box.query("SELECT count(*) FROM orders WHERE tenant_id IS NULL")[0][0] == 0


JOBS_V1 = "CREATE TABLE jobs (id integer PRIMARY KEY, retry_after interval, queued_at timestamptz);"
JOBS_V2 = ("CREATE TABLE jobs (id integer PRIMARY KEY, "
           "retry_after interval NOT NULL DEFAULT interval '2 days', "
           "queued_at timestamptz NOT NULL DEFAULT now());")


def test_backfill_uses_the_expression_default_rendered_for_the_target():
    plan = plan_rollout(diff_sql(JOBS_V1, JOBS_V2, "postgres"))
    backfill = next(p for p in plan.phases if p.key == "backfill").up
    assert ("UPDATE jobs SET retry_after = INTERVAL '2 DAYS' WHERE ctid IN (SELECT ctid FROM "
            "jobs WHERE retry_after IS NULL LIMIT 10000)") in backfill
    # the same rendering as the SET DEFAULT the migration writes
    assert "ALTER TABLE jobs ALTER COLUMN queued_at SET DEFAULT CURRENT_TIMESTAMP" in \
        plan.phases[0].up
    assert any(s.startswith("UPDATE jobs SET queued_at = CURRENT_TIMESTAMP WHERE")
               for s in backfill)
    assert not any("'interval" in s.lower() for s in backfill)  # not a string literal
    assert not list(plan.findings.by_code("PL001"))


def test_expression_defaults_backfilled_on_postgres(pg_dsn):
    plan = plan_rollout(diff_sql(JOBS_V1, JOBS_V2, "postgres"))
    with sandbox(pg_dsn) as box:
        assert apply_sql(box, JOBS_V1) is None
        assert apply_sql(box, "INSERT INTO jobs VALUES (1, NULL, NULL), "
                              "(2, interval '5 minutes', '2020-01-01T00:00:00Z')") is None
        for phase in plan.migrations:
            assert apply_sql(box, as_script(phase.up)) is None, phase.key
        rows = box.query("SELECT id, retry_after::text, queued_at > now() - interval '1 hour' "
                         "FROM jobs ORDER BY id")
        assert [tuple(r) for r in rows] == [(1, "2 days", True), (2, "00:05:00", False)]
        nullable = box.query("SELECT column_name, is_nullable FROM information_schema.columns "
                             "WHERE table_name = 'jobs' AND column_name <> 'id' "
                             "ORDER BY column_name")
        assert [tuple(r) for r in nullable] == [("queued_at", "NO"), ("retry_after", "NO")]


# -- partitioned tables: PostgreSQL refuses CONCURRENTLY there ------------------------------

EVENTS = """CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, kind text)
  PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE notes (id bigint PRIMARY KEY, body text);
"""
EVENTS_INDEXED = EVENTS + ("CREATE INDEX events_kind ON events (kind);\n"
                           "CREATE INDEX notes_body ON notes (body);\n")


def test_an_index_on_a_partitioned_table_is_built_one_partition_at_a_time(pg_dsn):
    """PostgreSQL refuses CONCURRENTLY on a partitioned table, and a plain build blocks
    writes to every partition: the plan makes the index ON ONLY the table, builds it
    CONCURRENTLY on each partition and attaches each, which leaves it valid."""
    from archkit.migrations.safety import lint_migration

    plan = plan_rollout(diff_sql(EVENTS, EVENTS_INDEXED, "postgres"))
    [index] = [p for p in plan.migrations if p.key == "index"]
    assert index.up[2:] == [
        "CREATE INDEX events_kind ON ONLY events (kind)",
        "CREATE INDEX CONCURRENTLY events_2024_kind_idx ON events_2024 (kind)",
        "ALTER INDEX events_kind ATTACH PARTITION events_2024_kind_idx",
        "CREATE INDEX CONCURRENTLY events_2025_kind_idx ON events_2025 (kind)",
        "ALTER INDEX events_kind ATTACH PARTITION events_2025_kind_idx",
        "CREATE INDEX CONCURRENTLY notes_body ON notes (body)"]
    assert not list(plan.findings.by_code("PL002"))
    assert lint_migration(as_script(index.up), "postgres").codes() == []
    back = plan_rollout(diff_sql(EVENTS_INDEXED, EVENTS, "postgres"))
    drops = [s for p in back.migrations for s in p.up if s.startswith("DROP INDEX")]
    assert sorted(drops) == ["DROP INDEX CONCURRENTLY notes_body", "DROP INDEX events_kind"]
    [warning] = back.findings.by_code("PL002")  # a partitioned index still drops under lock
    assert warning.object == "events_kind"
    with sandbox(pg_dsn) as box:
        assert apply_sql(box, EVENTS) is None
        for phase in plan.migrations:
            assert apply_sql(box, as_script(phase.up)) is None, phase.key
        built = box.query("SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c "
                          "ON c.oid = i.indexrelid WHERE c.relname LIKE 'events%kind%' "
                          "ORDER BY 1")
        assert built == [("events_2024_kind_idx", True), ("events_2025_kind_idx", True),
                         ("events_kind", True)]
        for phase in plan.migrations[::-1]:  # and back, phase by phase
            assert apply_sql(box, as_script(phase.down)) is None, phase.key
        assert box.query("SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%(kind)'"
                         )[0][0] == 0


SUB_PARTITIONED = """CREATE TABLE public.payment (id bigint NOT NULL, at date NOT NULL,
    region text NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE public.payment_2024 (id bigint NOT NULL, at date NOT NULL, region text NOT NULL)
    PARTITION BY LIST (region);
ALTER TABLE ONLY public.payment ATTACH PARTITION public.payment_2024
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.payment_2024_eu (id bigint NOT NULL, at date NOT NULL,
    region text NOT NULL);
ALTER TABLE ONLY public.payment_2024 ATTACH PARTITION public.payment_2024_eu
    FOR VALUES IN ('eu');
CREATE TABLE public.payment_2025 (id bigint NOT NULL, at date NOT NULL, region text NOT NULL);
ALTER TABLE ONLY public.payment ATTACH PARTITION public.payment_2025
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
"""
# as pg_dump writes a partitioned index: ON ONLY, each partition's own, attached; one
# partition's index named otherwise than PostgreSQL would name it
SUB_INDEXED = SUB_PARTITIONED + """
CREATE INDEX payment_lower_region ON ONLY public.payment USING btree (lower(region));
CREATE INDEX payment_2024_lower_idx ON ONLY public.payment_2024 USING btree (lower(region));
CREATE INDEX payment_2024_eu_lower_idx ON public.payment_2024_eu USING btree (lower(region));
CREATE INDEX pay_25_region ON public.payment_2025 USING btree (lower(region));
ALTER INDEX public.payment_lower_region ATTACH PARTITION public.payment_2024_lower_idx;
ALTER INDEX public.payment_2024_lower_idx ATTACH PARTITION public.payment_2024_eu_lower_idx;
ALTER INDEX public.payment_lower_region ATTACH PARTITION public.pay_25_region;
"""


def test_a_sub_partitioned_tables_index_is_built_level_by_level_and_named_as_dumped(pg_dsn):
    plan = plan_rollout(diff_sql(SUB_PARTITIONED, SUB_INDEXED, "postgres"))
    [index] = [p for p in plan.migrations if p.key == "index"]
    assert index.up[2:] == [
        "CREATE INDEX payment_lower_region ON ONLY payment (lower(region))",
        "CREATE INDEX payment_2024_lower_idx ON ONLY payment_2024 (lower(region))",
        "CREATE INDEX CONCURRENTLY payment_2024_eu_lower_idx ON payment_2024_eu "
        "(lower(region))",
        "ALTER INDEX payment_2024_lower_idx ATTACH PARTITION payment_2024_eu_lower_idx",
        "ALTER INDEX payment_lower_region ATTACH PARTITION payment_2024_lower_idx",
        "CREATE INDEX CONCURRENTLY payment_2025_lower_idx ON payment_2025 (lower(region))",
        "ALTER INDEX payment_lower_region ATTACH PARTITION payment_2025_lower_idx",
        "ALTER INDEX payment_2025_lower_idx RENAME TO pay_25_region"]
    with sandbox(pg_dsn) as box:
        assert apply_sql(box, SUB_INDEXED) is None
        wanted = box.introspect()
        reset(box)
        assert apply_sql(box, SUB_PARTITIONED) is None
        for phase in plan.migrations:
            assert apply_sql(box, as_script(phase.up)) is None, phase.key
        assert box.introspect() == wanted
        assert box.query("SELECT bool_and(indisvalid) FROM pg_index i JOIN pg_class c ON "
                         "c.oid = i.indexrelid WHERE c.relname LIKE 'pay%'") == [(True,)]


def test_creating_an_index_on_only_the_parent_is_not_a_blocking_build():
    from archkit.migrations.safety import lint_migration

    only = lint_migration("CREATE INDEX events_kind ON ONLY events (kind);", "postgres")
    assert not list(only.by_code("ZD107"))
    whole = lint_migration("CREATE INDEX events_kind ON events (kind);", "postgres")
    [finding] = whole.by_code("ZD107")
    assert "ON ONLY" in finding.fix and "ATTACH PARTITION" in finding.fix


def test_a_partitions_index_is_named_as_postgresql_names_it(pg_dsn):
    """The plan names each partition's index, and the migration renames the copies
    PostgreSQL makes, by PostgreSQL's own rule: a column by its name, a call by its
    function, a cast by what it casts or else by its type, an operator "expr"."""
    from archkit.migrations.diff import auto_index_name

    parts = ["kind", "lower(kind)", "(kind || 'x')", "(id + 1)", "(kind::varchar(20))",
             "(CASE WHEN id > 1 THEN 1 END)", "COALESCE(kind, 'a')", "(ARRAY[id])",
             '"Mixed"', 'upper("Mixed")', "((id * 2)::double precision)",
             "(substring(kind from 1 for 2))", "id, lower(kind)"]
    with sandbox(pg_dsn) as box:
        assert apply_sql(box, 'CREATE TABLE ev (id int, at date, kind text, "Mixed" text) '
                         "PARTITION BY RANGE (at); CREATE TABLE ev_1 PARTITION OF ev "
                         "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')") is None
        for i, part in enumerate(parts):
            assert apply_sql(box, f"CREATE INDEX ev_ix{i} ON ev ({part})") is None
            made = box.query(f"SELECT c.relname FROM pg_inherits h JOIN pg_class c ON c.oid = "
                             f"h.inhrelid WHERE h.inhparent = 'ev_ix{i}'::regclass")[0][0]
            dumped = tuple(r[0] for r in box.query(  # each part as pg_dump writes it
                f"SELECT pg_get_indexdef('ev_ix{i}'::regclass, k, true) FROM generate_series(1, "
                f"(SELECT indnatts FROM pg_index WHERE indexrelid = 'ev_ix{i}'::regclass)) k"))
            assert auto_index_name("ev_1", dumped) == made, part
            assert apply_sql(box, f"DROP INDEX ev_ix{i}") is None
