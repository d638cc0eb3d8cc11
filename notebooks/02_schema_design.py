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
# # 2 · Schema design: DDL → catalog → checks → engine → diagram
#
# sqlglot can read almost any SQL, but it is a *transpiler*, not a validator: it happily accepts a
# foreign key to a column that does not exist. Before anyone builds on a schema, this notebook
# makes sure it is **right** and **well designed**:
#
# 1. write a first draft of Shopfront's schema and see its **findings** as a table (each with a
#    stable code, the line, and a one-line fix);
# 2. fix them, and **apply** the schema on a real engine (SQLite, in-process) — archkit compares
#    what the engine reports back with its own catalog;
# 3. draw the **ER diagram**;
# 4. **transpile** to MySQL and read what did not carry over;
# 5. check the application's main **queries** against the schema, with index suggestions and plans;
# 6. play with a **live DDL box**, then do the **exercise** with its check cell.

# %%
import os

import archkit.check
from archkit.design import design_folder
from archkit.schema.er import er_diagram
from archkit.schema.lint import LintConfig
from archkit.schema.query import check_queries
from archkit.schema.transpile import transpile_schema
from archkit.schema.validate import check_schema
from archkit.widgets.schema_box import schema_box

DESIGN = design_folder()  # $ARCHKIT_DESIGN (`archkit lab DIR`), else a copy of the worked example
example = DESIGN.root
OUT = DESIGN.notebook_out("02_schema_design")
print("design folder:", DESIGN.root, "\nexports go to", OUT)

# %% [markdown]
# ## 1. A first draft, and what is wrong with it
#
# A quick first draft of three of Shopfront's tables, written the way many first drafts are. It
# *parses* — but it has two errors and several design problems.

# %%
draft = """
CREATE TABLE users (
    id serial PRIMARY KEY,
    email varchar(320) NOT NULL UNIQUE,
    created_at timestamp NOT NULL DEFAULT now()
);

CREATE TABLE products (
    id serial PRIMARY KEY,
    sku varchar(64) NOT NULL UNIQUE,
    name varchar(200) NOT NULL,
    price float NOT NULL
);

CREATE TABLE orders (
    id serial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (user_id),
    total float NOT NULL,
    placed_at timestamp NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
"""
report = check_schema(draft, "postgres")
report

# %% [markdown]
# Errors (`SC1xx`) make the schema wrong: **SC105** a foreign key to a column that does not
# exist, **SC107** an index on a column that does not exist. Warnings (`SC2xx`) are design lint:
# **SC203** `serial` keys stop at 2.1 billion rows, **SC204** `timestamp` without time zone,
# **SC205** money as `float`, **SC202** a foreign key nothing indexes. Each row says the fix.
#
# Rules are configurable, and one object can be silenced with a comment
# (`-- archkit: ignore SC204`) in its statement, or in its `COMMENT ON`:

# %%
quiet = LintConfig(disabled={"SC204", "SC205"})
check_schema(draft, "postgres", lint_config=quiet).findings

# %% [markdown]
# ## 2. The fixed schema, applied on a real engine
#
# `schema/v1.sql` in the design folder is the reviewed version: all nine tables, `bigint`
# identity keys, `timestamptz`, `numeric` money, an index behind every foreign key. It has no
# findings at all.

# %%
v1 = (example / "schema" / "v1.sql").read_text()
fixed = check_schema(v1, "postgres")
fixed

# %%
fixed.catalog

# %% [markdown]
# The schema is PostgreSQL. To apply it on SQLite (in-process, nothing to install) it is
# transpiled first; `engine="sqlite"` then creates a throwaway in-memory database, runs every
# statement (an engine error would come back with its line), reads the catalog back from SQLite's
# pragmas and compares it with archkit's. With `ARCHKIT_PG_DSN` / `ARCHKIT_MYSQL_DSN` set, the
# same works on PostgreSQL and MariaDB in a temporary database that is dropped afterwards.

# %%
on_sqlite = transpile_schema(v1, "postgres", "sqlite")
applied = check_schema(on_sqlite.sql, "sqlite", engine="sqlite")
print(applied.to_text())
print("archkit and SQLite agree:", applied.differences == [])

# %%
pg_dsn = os.environ.get("ARCHKIT_PG_DSN")
if pg_dsn:
    print(check_schema(v1, "postgres", engine=pg_dsn).to_text())
else:
    print("set ARCHKIT_PG_DSN to apply the schema on PostgreSQL too")

# %% [markdown]
# ## 3. The ER diagram
#
# Primary and foreign keys are marked; each edge is a foreign key, with a crow's foot on the
# many side. The same diagram exports to SVG, PNG and Mermaid.

# %%
er = er_diagram(fixed.catalog, title="Shopfront order platform — schema v1")
er.save(OUT / "schema_v1.svg")
er.save(OUT / "schema_v1.mmd")
er

# %%
print(er.mermaid()[:600])

# %% [markdown]
# ## 4. Transpile to MySQL
#
# archkit writes the target DDL from its catalog and lets sqlglot translate the expressions, so
# what MySQL cannot hold is **listed**, never silently wrong: here, MySQL has no time-zone-aware
# timestamp type.

# %%
to_mysql = transpile_schema(v1, "postgres", "mysql")
(OUT / "schema_v1.mysql.sql").parent.mkdir(parents=True, exist_ok=True)
(OUT / "schema_v1.mysql.sql").write_text(to_mysql.sql)
to_mysql.notes

# %%
print(to_mysql.sql[:900])

# %% [markdown]
# ## 5. The main queries against the schema
#
# The queries behind Shopfront's endpoints must resolve against the catalog; archkit suggests an
# index for WHERE / JOIN / ORDER BY columns that no index serves, and shows the engine's plan.

# %%
queries = {
    "GET /v1/orders (my orders)":
        "SELECT id, status, total FROM orders WHERE user_id = $1 "
        "ORDER BY placed_at DESC LIMIT 20",
    "GET /v1/orders/{id} (lines)":
        "SELECT p.name, i.quantity, i.unit_price FROM order_items i "
        "JOIN products p ON p.id = i.product_id WHERE i.order_id = $1",
    "payment webhook": "SELECT id, status FROM payments WHERE provider_ref = $1",
    "ops: orders in a state": "SELECT id FROM orders WHERE status = $1 AND placed_at < $2",
    "warehouse: not shipped": "SELECT id, order_id FROM shipments WHERE carrier = $1 "
                              "AND shipped_at IS NULL",
}
check_queries(queries, fixed.catalog, engine="sqlite")

# %% [markdown]
# ## 6. Live: a DDL box
#
# Edit the DDL and the findings follow as you type. Try fixing the draft
# above until the table is empty.

# %%
box = schema_box(draft, dialect="postgres")
box

# %% [markdown]
# The box is a thin view over a controller, so the same edits work from code:

# %%
fixed_fk = draft.replace("REFERENCES users (user_id)", "REFERENCES users (id)")
box.controller.set_text(fixed_fk)
box.controller.summary

# %% [markdown]
# ### Exercise — Shopfront's carts
#
# Write the `carts` and `cart_items` tables (PostgreSQL). A cart belongs to a user; an item is a
# product in a cart with a quantity. Deleting a cart deletes its items, a product appears at most
# once per cart, quantities are positive, and there are **no findings** — not even warnings.
# Your DDL is checked next to the example's `users` and `products` tables.

# %%
my_carts = """
CREATE TABLE carts (
    id serial PRIMARY KEY,
    user_id integer REFERENCES users (id)
);
"""  # ← your DDL
### BEGIN SOLUTION
my_carts = """
CREATE TABLE carts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX carts_user_id_idx ON carts (user_id);

CREATE TABLE cart_items (
    cart_id     bigint  NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id  bigint  NOT NULL REFERENCES products (id),
    quantity    integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (cart_id, product_id)
);
CREATE INDEX cart_items_product_id_idx ON cart_items (product_id);
"""
### END SOLUTION

archkit.check.cart_tables(my_carts)

# %% [markdown]
# Next: **3 · C4 diagrams** draws the system around this schema; the migrations notebook
# takes `v1.sql` to a multi-tenant `v2.sql` with safe up/down migrations.
