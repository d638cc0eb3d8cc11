"""ER diagram: SVG with every table, PK/FK marks and one edge per FK; Mermaid; escaping."""

from __future__ import annotations

import re

import pytest

from archkit.schema.er import er_diagram
from archkit.schema.parse import parse_schema

EVIL = '<script>alert("x")</script> & "quotes"'


@pytest.fixture(scope="module")
def catalog(example):
    return parse_schema((example / "schema" / "v1.sql").read_text(), "postgres").catalog


def test_svg_has_every_table_its_columns_marks_and_fk_edges(catalog):
    svg = er_diagram(catalog, title="Shopfront v1").svg()
    assert svg.count('class="node"') == 9
    assert svg.count('class="edge"') == sum(len(t.foreign_keys) for t in catalog.tables.values())
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    for key, table in catalog.tables.items():
        assert key in texts
        assert all(c.name in texts for c in table.columns)
    assert texts.count("PK") == 6  # single-column keys that are not also foreign keys
    assert "PK FK" in texts  # order_items.order_id, cart_items..., inventory.product_id
    assert "Shopfront v1" in texts


def test_png_and_files_are_written_deterministically(catalog, tmp_path):
    er = er_diagram(catalog)
    png = er.save(tmp_path / "er.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    first = er.save(tmp_path / "er.svg").read_bytes()
    assert er.save(tmp_path / "er.svg").read_bytes() == first
    assert (tmp_path / "er.mmd").exists() is False
    assert er.save(tmp_path / "er.mmd").read_text().startswith("erDiagram")


def test_mermaid_entities_attributes_and_cardinality(catalog):
    text = er_diagram(catalog).mermaid()
    assert "    orders {" in text and "        bigint id PK" in text
    assert '        bigint user_id FK "not null"' in text
    assert '        numeric total "numeric(12,2) not null"' in text
    assert '    orders }o--|| users : "user_id"' in text
    # inventory's key is its foreign key: one-to-one
    assert '    inventory |o--|| products : "product_id"' in text
    assert '    shipments }o--|| orders : "order_id"' in text


def test_labels_come_out_inert_in_svg_and_mermaid():
    name = EVIL.replace('"', '""')
    ddl = (f'CREATE TABLE "{name}" (id bigint PRIMARY KEY, "{name} col" bigint '
           f'REFERENCES "{name}" (id));')
    er = er_diagram(parse_schema(ddl, "postgres").catalog)
    svg = er.svg()
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    mermaid = er.mermaid()
    assert "<script>" not in mermaid and '"quotes"' not in mermaid
    assert "#lt;script#gt;alert(#quot;x#quot;)" in mermaid
    assert er.dot().count("<script>") == 0


def test_shows_itself_as_svg(catalog):
    bundle = er_diagram(catalog)._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert bundle["text/plain"] == "ER diagram: 9 tables"


def test_markdown_views_of_the_models_are_inert():
    from archkit.schema.query import check_queries
    from archkit.schema.transpile import transpile_schema
    from archkit.schema.validate import check_schema

    name = EVIL.replace('"', '""')
    ddl = f'CREATE TABLE "{name}" (id bigint, "{name}" int);'
    report = check_schema(ddl, "postgres")
    for text in (report._repr_markdown_(), report.catalog._repr_markdown_(),
                 report.parse._repr_markdown_(),
                 transpile_schema(ddl, "postgres", "mysql")._repr_html_(),
                 check_queries({EVIL: "SELECT 1"}, report.catalog)._repr_markdown_()):
        assert "<script>" not in text


def test_example_schema_reads_whole_at_notebook_width(catalog):
    from archkit.svgmetrics import measure

    bundle = er_diagram(catalog, title="Shopfront v1")._repr_mimebundle_()
    assert bundle["text/html"].count("<svg") == 1
    width, smallest = measure(bundle["text/html"]).shown(1000)
    assert width <= 1000 and smallest >= 8


def test_a_large_schema_is_shown_as_readable_groups_of_related_tables(corpora):
    from archkit.svgmetrics import measure

    pagila = parse_schema((corpora / "schema" / "pagila-schema.postgres.sql").read_text(),
                          "postgres").catalog
    er = er_diagram(pagila, title="Pagila")
    assert not er.readable()
    parts = er.parts()
    shown = [t for p in parts for t in p.only]
    assert sorted(shown) == sorted(pagila.tables)  # every table once, none lost
    assert all(p.readable() for p in parts)
    assert er.findings() == []
    film = next(p for p in parts if "film" in p.only)
    assert {"film_actor", "film_category"} <= set(film.only)  # grouped by foreign keys
    html = er._repr_mimebundle_()["text/html"]
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)
    assert len(svgs) == len(parts)
    for svg in svgs:
        width, smallest = measure(svg).shown(1000)
        assert width <= 1000 and smallest >= 8
    assert "(another group)" in html  # stubs for tables drawn in another group
