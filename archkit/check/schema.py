"""Workshop exercise for the schema design notebook.

Usage (in a notebook)::

    import archkit.check
    archkit.check.cart_tables(my_ddl)   # carts and cart_items for Shopfront, in PostgreSQL

The learner's DDL is checked in the context of the worked example's schema (its users
and products tables), with the same validator and lint the notebook teaches.
"""

from __future__ import annotations

from typing import Any

from archkit.check.result import CheckResult

__all__ = ["cart_tables"]

_OWN = ("carts", "cart_items")


def _context() -> tuple[str, int]:
    """The example schema without the two tables the exercise asks for, as DDL."""
    from archkit.examples import example_dir
    from archkit.schema.catalog import Catalog
    from archkit.schema.parse import parse_schema
    from archkit.schema.transpile import render_catalog

    cat = parse_schema((example_dir("order-platform") / "schema" / "v1.sql").read_text(),
                       "postgres").catalog
    keep = Catalog(
        dialect="postgres",
        tables={k: t for k, t in cat.tables.items() if k not in _OWN},
        indexes={k: i for k, i in cat.indexes.items() if i.table not in _OWN},
    )
    ddl = render_catalog(keep, "postgres")
    return ddl, ddl.count("\n")


def cart_tables(ddl: Any) -> CheckResult:
    """Shopfront's carts and cart_items tables: keys, references, indexes, lint-clean."""
    from archkit.errors import ArchkitError
    from archkit.schema.validate import check_schema

    result = CheckResult("cart_tables")
    if not isinstance(ddl, str) or not ddl.strip():
        result.expect(False, "", "write CREATE TABLE statements for carts and cart_items")
        return result
    context, offset = _context()
    try:
        report = check_schema(context + "\n" + ddl, "postgres")
    except ArchkitError as err:
        result.expect(False, "", f"the DDL cannot be read: {err}")
        return result
    mine = [f for f in report.findings if (f.line or 0) > offset]
    errors = [f for f in mine if f.severity == "error"]
    result.expect(not errors, "the DDL is valid",
                  "; ".join(f"line {f.line - offset - 1}: {f.message}" for f in errors[:3]))
    tables = report.catalog.tables
    for name in _OWN:
        result.expect(name in tables, f"table {name} exists", f"create table {name}")
    if not all(name in tables for name in _OWN):
        return result
    carts, items = tables["carts"], tables["cart_items"]
    result.expect(carts.primary_key is not None, "carts has a primary key",
                  "give carts a primary key (id bigint GENERATED ALWAYS AS IDENTITY)")
    result.expect(any(f.ref_table == "users" for f in carts.foreign_keys),
                  "a cart belongs to a user", "add user_id bigint REFERENCES users (id)")
    to_cart = [f for f in items.foreign_keys if f.ref_table == "carts"]
    result.expect(bool(to_cart), "cart_items references carts",
                  "add cart_id bigint REFERENCES carts (id)")
    if to_cart:
        result.expect(to_cart[0].on_delete == "cascade",
                      "deleting a cart deletes its items (ON DELETE CASCADE)",
                      "add ON DELETE CASCADE to the cart_id reference")
    result.expect(any(f.ref_table == "products" for f in items.foreign_keys),
                  "cart_items references products",
                  "add product_id bigint REFERENCES products (id)")
    pk = items.primary_key.columns if items.primary_key else ()
    result.expect(set(pk) == {"cart_id", "product_id"} or
                  any(set(u.columns) == {"cart_id", "product_id"} for u in items.uniques),
                  "a product appears once per cart",
                  "make (cart_id, product_id) the primary key of cart_items: "
                  "PRIMARY KEY (cart_id, product_id)")
    result.expect(bool(items.checks), "quantities are checked",
                  "add CHECK (quantity > 0) to cart_items.quantity")
    # the primary key is asked for above, in the same words as SC201: say it once
    warnings = [f for f in mine if f.severity == "warning"
                and not (f.code == "SC201" and f.object == "cart_items")]
    result.expect(not warnings, "no design warnings",
                  "; ".join(f"{f.code} {f.object}: {f.fix}" for f in warnings[:3]))
    return result
