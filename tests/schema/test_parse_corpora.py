"""Real schemas (Pagila, Sakila ×3): every table, column and key is in the catalog."""

from __future__ import annotations

import pytest
from conftest import count, tables_in_file

from archkit.schema.parse import parse_schema

CASES = [
    ("pagila-schema.postgres.sql", "postgres"),
    ("sakila-schema.postgres.sql", "postgres"),
    ("sakila-schema.mysql.sql", "mysql"),
    ("sakila-schema.sqlite.sql", "sqlite"),
]


@pytest.fixture(scope="module")
def parsed(corpora):
    out = {}
    for name, dialect in CASES:
        path = corpora / "schema" / name
        out[name] = (path, parse_schema(path.read_text(), dialect, file=name))
    return out


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_every_table_of_the_file_is_in_the_catalog_with_its_columns(parsed, name):
    path, result = parsed[name]
    expected = tables_in_file(path)
    tables = result.catalog.tables
    assert {k.split(".")[-1] for k in tables} == set(expected)
    for table, columns in expected.items():
        got = tables[table]
        if "inherits" in got.options:  # Sakila's payment_p2007_* declare none of their own
            parent = tables[got.options["inherits"]]
            assert [c.name for c in got.columns] == [c.name for c in parent.columns]
        else:
            assert len(got.columns) == columns, table


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_primary_and_foreign_keys_match_the_file(parsed, name):
    path, result = parsed[name]
    text = path.read_text()
    # PRIMARY KEY clauses outside routines (the temporary table inside rewards_report)
    pks = sum(1 for line in text.splitlines()
              if "PRIMARY KEY" in line.upper() and "TEMPORARY TABLE" not in line.upper())
    fks = count(path, r"\bREFERENCES\b")
    summary = result.catalog.summary()
    assert summary["primary_keys"] == pks
    assert summary["foreign_keys"] == fks


def test_pagila_keys_and_indexes_land_on_the_right_tables(parsed):
    _, result = parsed["pagila-schema.postgres.sql"]
    cat = result.catalog
    assert cat.tables["film_actor"].primary_key.columns == ("actor_id", "film_id")
    assert cat.tables["payment"].primary_key.columns == ("payment_date", "payment_id")
    fk = next(f for f in cat.tables["address"].foreign_keys if f.columns == ("city_id",))
    assert (fk.ref_table, fk.ref_columns, fk.on_update, fk.on_delete) == (
        "city", ("city_id",), "cascade", "restrict")
    assert cat.tables["actor"].column("actor_id").identity  # DEFAULT nextval(...)
    assert cat.tables["film"].column("rating").type == "mpaa_rating"
    assert cat.enums["mpaa_rating"].values == ("G", "PG", "PG-13", "R", "NC-17")
    assert cat.indexes["idx_title"].columns == ("title",)
    assert cat.indexes["film_fulltext_idx"].using == "gist"
    assert len(cat.indexes) == count(parsed["pagila-schema.postgres.sql"][0],
                                     r"^CREATE (UNIQUE )?INDEX")
    assert cat.tables["payment_p2022_01"].options["partition_of"] == "payment"
    assert cat.views["rental_by_category"].materialized


def test_pagila_lists_what_sqlglot_cannot_understand_with_lines(parsed):
    path, result = parsed["pagila-schema.postgres.sql"]
    lines = path.read_text().splitlines()
    unparsed = dict(result.unparsed)
    # the PostgreSQL 18 VIRTUAL generated column is read, not listed
    assert 453 not in unparsed and "length_hours" in lines[452]
    hours = result.catalog.tables["film"].column("length_hours")
    assert (hours.generated, hours.generated_kind) == ("ROUND(length / 60.0, 2)", "virtual")
    # the functions sqlglot cannot parse are listed at the line they start on
    for line, text in result.unparsed:
        assert lines[line - 1].strip().startswith(text.split()[0])
    assert any(t.startswith("CREATE FUNCTION public.film_in_stock") for t in unparsed.values())
    assert not result.findings.errors


def test_sakila_mysql_inline_keys_delimiter_blocks_and_views(parsed):
    path, result = parsed["sakila-schema.mysql.sql"]
    cat = result.catalog
    assert cat.indexes["film.idx_title"].columns == ("title",)
    assert cat.indexes["rental.idx_fk_inventory_id"].table == "rental"
    inline_keys = count(path, r"^\s*(FULLTEXT )?KEY ")
    assert len([i for i in cat.indexes.values() if not i.unique]) == inline_keys
    assert cat.tables["rental"].uniques[0].columns == ("rental_date", "inventory_id",
                                                       "customer_id")
    assert set(cat.views) >= {"customer_list", "film_list", "actor_info"}
    assert cat.tables["actor"].column("actor_id").identity
    # routines between DELIMITER lines are listed, not silently dropped
    assert any(t.startswith("CREATE PROCEDURE rewards_report") for _, t in result.unparsed)
    assert not result.findings.errors


def test_sakila_sqlite_triggers_are_listed_and_types_kept_as_declared(parsed):
    path, result = parsed["sakila-schema.sqlite.sql"]
    cat = result.catalog
    triggers = count(path, r"^CREATE TRIGGER")
    assert sum(1 for _, t in result.unparsed if t.startswith("CREATE TRIGGER")) == triggers
    assert cat.tables["actor"].column("first_name").type == "varchar(45)"
    assert cat.tables["film"].column("rental_rate").type == "numeric(4,2)"
    assert len(cat.indexes) == count(path, r"^CREATE\s+(UNIQUE\s+)?INDEX")


def test_postgresql_18_dump_forms_are_understood():
    """pg_dump 18 writes named NOT NULL constraints, inline or after the table, and
    VIRTUAL generated columns; older servers' dumps keep working alike."""
    dump = """SET transaction_timeout = 0;
CREATE TABLE public.t (
    id integer CONSTRAINT t_id_required NOT NULL,
    name text,
    total numeric GENERATED ALWAYS AS ((id * 2)) VIRTUAL
);
ALTER TABLE public.t ADD CONSTRAINT t_name_not_null NOT NULL name;
ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);
"""
    result = parse_schema(dump, "postgres")
    assert not result.findings and not result.unparsed
    cols = {c.name: c for c in result.catalog.tables["t"].columns}
    assert (cols["id"].nullable, cols["name"].nullable, cols["total"].nullable) == \
        (False, False, True)
    assert (cols["total"].generated, cols["total"].generated_kind) == ("id * 2", "virtual")
