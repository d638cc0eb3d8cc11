"""Index details the catalog keeps and the writers put back, applied on the real engines."""

from __future__ import annotations

from archkit.migrations.diff import diff_sql
from archkit.schema.engines import sandbox
from archkit.schema.parse import parse_schema
from archkit.schema.transpile import transpile_schema

MYSQL = """CREATE TABLE t (id int PRIMARY KEY, name text, body text, a int,
  KEY k (name(10)) USING HASH, FULLTEXT KEY ft (body), INDEX `account.id` (a) COMMENT 'c');
CREATE INDEX i2 ON t (name(255), a DESC);
"""
PG = """CREATE TABLE t (id int PRIMARY KEY, a int, b text, c int, tags int[]);
CREATE UNIQUE INDEX u ON t (a) INCLUDE (b, c) NULLS NOT DISTINCT WHERE a > 0;
CREATE INDEX g ON t USING gin (tags);
CREATE INDEX o ON t (b COLLATE "C" DESC NULLS LAST, lower(b) text_pattern_ops);
CREATE INDEX h ON t USING hash (c);
"""


def _mysql_indexes(box) -> set[tuple]:
    rows = box.query("SELECT index_name, column_name, sub_part, index_type, index_comment "
                     "FROM information_schema.statistics WHERE table_schema = DATABASE() "
                     "AND table_name = 't' AND index_name <> 'PRIMARY'")
    return {tuple(r) for r in rows}


def _pg_indexes(box) -> set[str]:
    return {r[0] for r in box.query(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 't' AND indexname <> 't_pkey'")}


def test_mysql_index_details_are_kept_in_the_catalog():
    idx = parse_schema(MYSQL, "mysql").catalog.indexes
    assert idx["t.k"].lengths == (10,) and idx["t.k"].using == "hash"
    assert idx["t.ft"].kind == "fulltext"
    assert idx['t."account.id"'].name == "account.id" and idx['t."account.id"'].comment == "c"
    assert idx["t.i2"].lengths == (255, None) and idx["t.i2"].suffixes == ("", "DESC")


def test_mysql_indexes_round_trip_on_the_engine(mysql_dsn):
    written = transpile_schema(MYSQL, "mysql", "mysql").sql
    with sandbox(mysql_dsn) as box:
        box.execute_script(MYSQL).raise_for_errors()
        original = _mysql_indexes(box)
    with sandbox(mysql_dsn) as box:
        box.execute_script(written).raise_for_errors()
        assert _mysql_indexes(box) == original
    assert ("k", "name", 10, "BTREE", "") in original or ("k", "name", 10, "HASH", "") in original
    assert ("ft", "body", None, "FULLTEXT", "") in original
    assert ("account.id", "a", None, "BTREE", "c") in original


def test_mysql_migration_adds_the_same_indexes(mysql_dsn):
    base = "CREATE TABLE t (id int PRIMARY KEY, name text, body text, a int);"
    mig = diff_sql(base, MYSQL, "mysql")
    with sandbox(mysql_dsn) as box:
        box.execute_script(base).raise_for_errors()
        box.execute_script(";\n".join(mig.up) + ";").raise_for_errors()
        migrated = _mysql_indexes(box)
        box.execute_script(";\n".join(mig.down) + ";").raise_for_errors()
        assert _mysql_indexes(box) == set()
    with sandbox(mysql_dsn) as box:
        box.execute_script(MYSQL).raise_for_errors()
        assert migrated == _mysql_indexes(box)


def test_postgres_index_details_round_trip_on_the_engine(pg_dsn):
    idx = parse_schema(PG, "postgres").catalog.indexes
    assert idx["u"].include == ("b", "c") and idx["u"].nulls_not_distinct
    assert idx["g"].using == "gin" and idx["o"].suffixes[1] == "text_pattern_ops"
    written = transpile_schema(PG, "postgres", "postgres").sql
    with sandbox(pg_dsn) as box:
        box.execute_script(PG).raise_for_errors()
        original = _pg_indexes(box)
    with sandbox(pg_dsn) as box:
        box.execute_script(written).raise_for_errors()
        assert _pg_indexes(box) == original
    assert any("INCLUDE (b, c) NULLS NOT DISTINCT WHERE" in d for d in original)


def test_sqlite_rebuild_keeps_index_order_and_names():
    old = "CREATE TABLE t (id int PRIMARY KEY, a int, b text);\n" \
          'CREATE INDEX "Mixed.ix" ON t (a DESC, b);'
    new = "CREATE TABLE t (id int PRIMARY KEY, a bigint, b text);\n" \
          'CREATE INDEX "Mixed.ix" ON t (a DESC, b);'
    mig = diff_sql(old, new, "sqlite")
    with sandbox("sqlite") as box:
        box.execute_script(old).raise_for_errors()
        box.execute_script(";\n".join(mig.up) + ";").raise_for_errors()
        sql = box.query("SELECT sql FROM sqlite_master WHERE name = 'Mixed.ix'")[0][0]
    assert sql == 'CREATE INDEX "Mixed.ix" ON t (a DESC, b)'


def test_include_read_by_sqlglot_is_kept(pg_dsn):
    # INCLUDE after the parts was lost where sqlglot read the statement itself: a renamed
    # index that also gains INCLUDE was only renamed
    from archkit.migrations.verify import verify

    cur = "CREATE TABLE shelf (a bigint, b text);\nCREATE INDEX by_a ON shelf USING btree (a);\n"
    des = ("CREATE TABLE shelf (a bigint, b text);\n"
           "CREATE INDEX by_a_b /* @renamed from=by_a */ ON shelf USING btree (a) INCLUDE (b);\n")
    mig = diff_sql(cur, des, "postgres", allow_destructive=True)
    assert not [s for s in mig.up if "RENAME" in s]
    assert verify(cur, des, mig, engine=pg_dsn).passed
