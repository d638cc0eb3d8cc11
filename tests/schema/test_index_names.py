"""Unnamed indexes get the names their engine gives them (checked on the engines)."""

from __future__ import annotations

from archkit.schema.engines import sandbox
from archkit.schema.parse import parse_schema

PG = """CREATE TABLE t (a int, b int, c text);
CREATE INDEX ON t (a) INCLUDE (b);
CREATE INDEX ON t (lower(c));
CREATE INDEX ON t ((a + 1), (b * 2));
CREATE INDEX ON t (a);
"""
MYSQL = "CREATE TABLE t (id int PRIMARY KEY, repo_id char(40), INDEX (repo_id), " \
    "KEY (repo_id, id));"


def test_postgres_names_an_unnamed_index_as_postgresql_does(pg_dsn):
    names = sorted(i.name for i in parse_schema(PG, "postgres").catalog.indexes.values())
    assert names == ["t_a_b_idx", "t_a_idx", "t_expr_expr1_idx", "t_lower_idx"]
    with sandbox(pg_dsn) as box:
        box.execute_script(PG).raise_for_errors()
        assert sorted(i.name for i in box.introspect().indexes.values()) == names


def test_mysql_names_an_unnamed_index_after_its_first_column(mysql_dsn):
    names = sorted(i.name for i in parse_schema(MYSQL, "mysql").catalog.indexes.values())
    assert names == ["repo_id", "repo_id_2"]
    with sandbox(mysql_dsn) as box:
        box.execute_script(MYSQL).raise_for_errors()
        assert sorted(i.name for i in box.introspect().indexes.values()) == names
