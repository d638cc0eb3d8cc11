"""Write SQL DDL for a dialect from catalog objects: names, types, defaults, statements.

Usage::

    from archkit.schema.ddl import create_table_sql, quote_ident, render_type, write_catalog
    write_catalog(catalog, "postgres")       # the whole schema, in an order that applies
    create_table_sql(catalog.tables["orders"], "postgres")   # CREATE TABLE orders (...)
    quote_ident("order", "mysql"), render_type("boolean", "mysql")   # `order`, tinyint(1)

One writer for the migration side (``diff``, ``plan``) and the shared pieces of
``transpile`` (quoting, string literals, type names, foreign-key clauses). Statements
come without a trailing semicolon; every identifier goes through :func:`quote_ident`.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from archkit.schema.catalog import (
    Catalog,
    Check,
    Column,
    ForeignKey,
    Index,
    Table,
    Unique,
    View,
    object_key,
    split_key,
)
from archkit.schema.dialects import RESERVED_CORE
from archkit.schema.dialects import dialect as get_dialect

if TYPE_CHECKING:  # pragma: no cover
    from archkit.migrations.source import Source, SqlObject

__all__ = [
    "INHERITS",
    "PARTITION_BOUND",
    "PARTITION_OF",
    "RESERVED",
    "TRANSPILE_RESERVED",
    "TYPE_NAMES",
    "add_fk_sql",
    "catalog_statements",
    "unsigned_part",
    "check_name",
    "check_sql",
    "collation_sql",
    "column_checks",
    "comment_sql",
    "constraint_timing",
    "comment_statements",
    "column_list",
    "in_reference_order",
    "index_parts",
    "mentions",
    "named_in",
    "object_name",
    "parents_of",
    "expressions_of",
    "routines_after_tables",
    "named_type_sql",
    "parents",
    "column_sql",
    "create_index_sql",
    "create_table_sql",
    "create_view_sql",
    "default_literal",
    "default_sql",
    "set_default_sql",
    "drop_index_sql",
    "drop_view_sql",
    "fk_actions",
    "fk_clause",
    "fk_name",
    "identity_clause",
    "in_parens",
    "pk_name",
    "quote_ident",
    "render_type",
    "short_name",
    "sql_list",
    "sql_string",
    "table_options",
    "tables_in_order",
    "unique_clause",
    "unique_name",
    "used_schemas",
    "views_in_order",
    "write_catalog",
]

# -- identifiers and literals ---------------------------------------------------------

# The two writers grew slightly different lists; each keeps its own so that no output
# changes (a column named ``date`` stays unquoted in transpiled DDL, ``keys`` in migrations).
RESERVED = RESERVED_CORE | {"collate", "date", "position", "session_user", "time",
                             "timestamp"}
"""Words quoted by the migration writers (diff, plan): the default of :func:`quote_ident`."""
TRANSPILE_RESERVED = RESERVED_CORE | {"condition", "keys", "usage"}
"""Words quoted in transpiled DDL."""


def quote_ident(name: str, dialect: str, *, qualified: bool = True,
                reserved: frozenset[str] = RESERVED) -> str:
    """Quote an identifier when it needs it; with ``qualified``, ``name`` is a catalog key
    (``schema.name``, a part with a dot in it quoted: see ``catalog.split_key``).

    >>> quote_ident('order', 'postgres'), quote_ident('x`y', 'mysql')
    ('"order"', '`x``y`')
    """
    d = get_dialect(dialect)
    if qualified:
        schema, base = split_key(name)
        if schema is not None:
            return f"{d.ident(schema, reserved)}.{d.ident(base, reserved)}"
        name = base
    return d.ident(name, reserved)


def sql_string(value: str) -> str:
    """A SQL string literal (quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: Iterable[str]) -> str:
    """String literals separated by commas, as in ``IN (...)`` or ``ENUM (...)``."""
    return ", ".join(sql_string(v) for v in values)


def short_name(key: str) -> str:
    """A catalog key without its schema."""
    return split_key(key)[1]


def column_list(names: Iterable[str], dialect: str) -> str:
    """Column names, each quoted when it needs it, comma-separated."""
    return ", ".join(quote_ident(n, dialect, qualified=False) for n in names)


def index_parts(index: Index, dialect: str) -> str:
    """An index's parts: column names quoted, expressions (SQL from the parser) as written,
    each with its prefix length (MySQL) and what followed it (``DESC``, an opclass)."""
    out = []
    for i, p in enumerate(index.columns):
        if index.is_expr(i) and index.part_sql(i):  # as written, with its suffix
            out.append(index.part_sql(i))
            continue
        part = _expr_part(p, dialect) if index.is_expr(i) else quote_ident(p, dialect,
                                                                          qualified=False)
        if index.length(i) is not None and get_dialect(dialect).index_prefix_lengths:
            part += f"({index.length(i)})"
        if index.suffix(i):
            part += " " + index.suffix(i)
        out.append(part)
    return ", ".join(out)


def _expr_part(part: str, dialect: str) -> str:
    opc = re.match(r"^(.*\S)\s+(\w+_ops)(\s+(?:ASC|DESC))?$", part, re.I | re.S)
    if opc:
        return f"{_expr_part(opc.group(1), dialect)} {opc.group(2)}{opc.group(3) or ''}"
    if re.fullmatch(r'(?:[\w$]+|"(?:[^"]|"")+"|`(?:[^`]|``)+`)(?:\s+(?:ASC|DESC))?', part, re.I):
        return part  # a name sqlglot wrote (quoted where it must be), maybe with an order
    return part if part.startswith("(") else f"({part})"


# -- types --------------------------------------------------------------------------------

# A catalog type (see ``catalog.normalise_type``) by its name in each dialect, where the
# name differs. ``transpile`` starts from these and adds its portability choices.
TYPE_NAMES: dict[str, dict[str, str]] = {
    "postgres": {
        "tinyint": "smallint", "double": "double precision", "datetime": "timestamp",
        "blob": "bytea", "mediumblob": "bytea", "longblob": "bytea", "tinytext": "text",
        "mediumtext": "text", "longtext": "text", "year": "smallint", "mediumint": "integer",
    },
    "mysql": {
        "boolean": "tinyint(1)", "timestamptz": "timestamp", "bytea": "blob", "jsonb": "json",
        "uuid": "char(36)", "timetz": "time", "real": "float",
    },
    "sqlite": {},
}


_UNSIGNED_TAIL = re.compile(r"(?: unsigned)(?: zerofill)?$")


def unsigned_part(type_: str) -> tuple[str, str]:
    """``("bigint", " unsigned")`` for the catalog type ``bigint unsigned``; the tail is
    empty for a type without UNSIGNED (see ``catalog.declared_type``)."""
    m = _UNSIGNED_TAIL.search(type_)
    return (type_, "") if m is None else (type_[:m.start()], m.group(0))


def collation_sql(collation: str) -> str:
    """``COLLATE utf8mb4_bin``; a MySQL character set without a collation, or ``BINARY``
    (its binary collation), as written.

    >>> collation_sql('"C"'), collation_sql("CHARACTER SET latin1")
    ('COLLATE "C"', 'CHARACTER SET latin1')
    """
    upper = collation.upper()
    return collation if upper.startswith("CHARACTER SET") or upper == "BINARY" else \
        f"COLLATE {collation}"


def render_type(type_: str, dialect: str, named: Container[str] = ()) -> str:
    """A catalog type (see ``normalise_type``) written for ``dialect``; a name in ``named``
    (the catalog's enums and domains: a domain may be called ``year``) is written as is.

    >>> render_type("year", "postgres"), render_type("year", "postgres", {"year"})
    ('smallint', 'year')
    """
    if type_ in named:
        return type_
    type_, unsigned = unsigned_part(type_)
    if unsigned:  # signed where the dialect has no unsigned types
        return render_type(type_, dialect, named) + (
            unsigned if get_dialect(dialect).unsigned_integers else "")
    base = re.match(r"^([a-z_ ]+)", type_)
    key = base.group(1).strip() if base else type_
    table = TYPE_NAMES.get(dialect, {})
    if key in table and type_ == key:
        return table[key]
    if key in table and "(" not in table[key] and type_[len(key):].startswith("("):
        return table[key] + type_[len(key):]  # MySQL float(7,4), not real(7,4) (a double)
    return type_


# -- defaults and columns -------------------------------------------------------------

_RAW_DEFAULTS = {"current_timestamp", "current_date", "current_time", "localtimestamp",
                 "localtime", "true", "false", "null", "current_user", "session_user"}


def default_literal(d: str) -> str:
    """The catalog keeps string defaults unquoted (``active``); put the quotes back."""
    t = d.strip()
    if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", t) or t.lower() in _RAW_DEFAULTS:
        return t
    if t.startswith(("'", "(")) or "(" in t or "::" in t or t.upper().startswith(("B'", "X'")):
        return t
    return "'" + t.replace("'", "''") + "'"


def default_sql(col: Column, dialect: str) -> str | None:
    """A column's default as SQL for ``dialect``: an expression through sqlglot's generator
    (``INTERVAL '2 DAYS'``, ``CAST('1.00' AS MONEY)``), a plain value as a literal."""
    if col.default is None:
        return None
    tree = col.default_tree()
    if tree is not None:
        from archkit.schema.parse import default_expression

        out = default_expression(tree, dialect)
        if out is not None:
            return out
    elif col.default_sql is not None:  # a literal as written: '1.5' on a decimal stays a string
        return col.default_sql
    return default_literal(col.default)


def in_parens(sql: str) -> bool:
    """Whether ``sql`` is one parenthesised whole: ``(a + 1)``, not ``(a) + (b)``.

    >>> in_parens("(JSON_ARRAY())"), in_parens("(a) + (b)")
    (True, False)
    """
    if not sql.startswith("(") or not sql.endswith(")"):
        return False
    depth, quote = 0, None
    for i, ch in enumerate(sql):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"`":
            quote = ch
        elif ch in "()":
            depth += 1 if ch == "(" else -1
            if depth == 0:
                return i == len(sql) - 1
    return False


def set_default_sql(col: Column, dialect: str) -> str:
    """``SET DEFAULT ...`` / ``DROP DEFAULT`` for an ``ALTER COLUMN``."""
    d = default_sql(col, dialect)
    return "DROP DEFAULT" if d is None else f"SET DEFAULT {d}"


def _default_sql(col: Column, dialect: str) -> str:
    d = default_sql(col, dialect)
    if d is None:
        return ""
    if get_dialect(dialect).expression_defaults_in_parens and not in_parens(d.strip()) and \
            not re.match(r"^(-?[\d.]+|'.*'|NULL|TRUE|FALSE|CURRENT_TIMESTAMP|CURRENT_DATE|"
                         r"CURRENT_TIME)$", d.strip(), re.I | re.S):
        d = f"({d})"
    return f" DEFAULT {d}"


def identity_clause(col: Column, dialect: str) -> str:
    """How an identity column is auto-numbered in ``dialect``, ``ALWAYS`` and its sequence
    options where the dialect has them: ``GENERATED ALWAYS AS IDENTITY (START WITH -1)``."""
    d = get_dialect(dialect)
    out = d.identity_always_clause if col.identity_always and d.identity_always_clause \
        else d.identity_clause
    if col.identity_options and d.identity_options:
        out += f" ({col.identity_options})"
    return out


def column_sql(col: Column, dialect: str, *, inline_pk: bool = False,
               serial: bool = False, named: Container[str] = ()) -> str:
    """One column definition: ``name type [identity] [NOT NULL] [DEFAULT ...]``; ``named``:
    the catalog's named types (see :func:`render_type`)."""
    d = get_dialect(dialect)
    if serial and col.identity and col.type in d.serial_types:
        out = f"{quote_ident(col.name, dialect, qualified=False)} {d.serial_types[col.type]}"
        return out + ("" if col.nullable or inline_pk else " NOT NULL")
    out = (f"{quote_ident(col.name, dialect, qualified=False)} "
           f"{render_type(col.type, dialect, named)}")
    if col.generated:
        out += f" GENERATED ALWAYS AS ({col.generated}) {(col.generated_kind or 'stored').upper()}"
        if not col.nullable:
            out += " NOT NULL"
        return out
    if inline_pk:
        out += " PRIMARY KEY"
        if col.identity and d.identity_inline_pk_only:
            out += f" {d.identity_clause}"
    if col.identity and not d.identity_inline_pk_only and not d.identity_after_default:
        out += f" {identity_clause(col, dialect)}"
    if col.collation:
        out += f" {collation_sql(col.collation)}"
    if not col.nullable and not inline_pk:
        out += " NOT NULL"
    out += _default_sql(col, dialect)
    if col.on_update and d.on_update_current_timestamp:  # else said by transpile (SC402)
        out += f" ON UPDATE {col.on_update.upper()}"
    if col.identity and d.identity_after_default:
        out += f" {d.identity_clause}"
    if col.comment and d.inline_column_comments:  # else COMMENT ON COLUMN, a statement
        out += f" COMMENT {sql_string(col.comment)}"
    return out


# -- constraint names (engines' defaults when a schema leaves them unnamed) ------------

def pk_name(table: Table, dialect: str) -> str:
    """The primary key's name (the engine's default when unnamed)."""
    return table.primary_key.name if table.primary_key and table.primary_key.name else (
        f"{table.name}_pkey")


def unique_name(table: Table, u: Unique, dialect: str) -> str:
    """A unique constraint's name (the engine's default when unnamed)."""
    if u.name:
        return u.name
    return get_dialect(dialect).unique_name(table.name, list(u.columns))


def fk_name(table: Table, fk: ForeignKey, dialect: str) -> str:
    """A foreign key's name (the engine's default when unnamed)."""
    if fk.name:
        return fk.name
    return get_dialect(dialect).fk_name(table.name, list(fk.columns),
                                        table.foreign_keys.index(fk) + 1)


def check_name(table: Table, ck: Check, dialect: str) -> str:
    """A check constraint's name (the engine's default when unnamed)."""
    if ck.name:
        return ck.name
    cols = [c.name for c in table.columns if re.search(rf"\b{re.escape(c.name)}\b",
                                                      ck.expression, re.I)]
    first = min(cols, key=lambda c: ck.expression.lower().find(c.lower())) if cols else None
    return get_dialect(dialect).check_name(table.name, cols, first,
                                           table.checks.index(ck) + 1)


# -- rendering whole objects ------------------------------------------------------------

def fk_actions(fk: ForeignKey) -> str:
    """`` ON DELETE ...`` / `` ON UPDATE ...`` when they are not the default (no action)."""
    out = ""
    if fk.on_delete and fk.on_delete != "no action":
        out += f" ON DELETE {fk.on_delete.upper()}"
    if fk.on_update and fk.on_update != "no action":
        out += f" ON UPDATE {fk.on_update.upper()}"
    return out


def fk_clause(fk: ForeignKey, dialect: str) -> str:
    """``FOREIGN KEY (...) REFERENCES table (...)`` plus its actions and timing."""
    return (f"FOREIGN KEY ({column_list(fk.columns, dialect)}) REFERENCES "
            f"{quote_ident(fk.ref_table, dialect)} ({column_list(fk.ref_columns, dialect)})"
            + fk_actions(fk) + constraint_timing(fk, dialect))


def constraint_timing(key: ForeignKey | Unique, dialect: str) -> str:
    """`` DEFERRABLE [INITIALLY DEFERRED]`` of a foreign or unique key, where the dialect
    has it and the key is."""
    if not (key.deferrable and get_dialect(dialect).deferrable_constraints):
        return ""
    return " DEFERRABLE" + (" INITIALLY DEFERRED" if key.initially_deferred else "")


def unique_clause(u: Unique, dialect: str) -> str:
    """``UNIQUE (...)`` with its timing where the dialect has one (``DEFERRABLE
    INITIALLY DEFERRED``)."""
    nulls = " NULLS NOT DISTINCT" if u.nulls_not_distinct and \
        get_dialect(dialect).nulls_not_distinct else ""
    parts = column_list(u.columns, dialect)
    if any(u.lengths) and get_dialect(dialect).index_prefix_lengths:
        parts = ", ".join(quote_ident(c, dialect, qualified=False) +
                          (f"({u.length(i)})" if u.length(i) is not None else "")
                          for i, c in enumerate(u.columns))
    return f"UNIQUE{nulls} ({parts}){constraint_timing(u, dialect)}"


def _constraint(name: str | None, dialect: str) -> str:
    return f"CONSTRAINT {quote_ident(name, dialect, qualified=False)} " if name else ""


def check_sql(ck: Check, dialect: str) -> str:
    """``[CONSTRAINT name] CHECK (...)``, as a table or a column constraint."""
    no_inherit = " NO INHERIT" if ck.no_inherit and get_dialect(dialect).check_no_inherit \
        else ""
    return f"{_constraint(ck.name, dialect)}CHECK ({ck.expression}){no_inherit}"


def column_checks(table: Table) -> dict[str, list[Check]]:
    """The checks declared on a column (``Check.column``) by that column's name; a check
    whose column is not in the table is left to the table's constraints."""
    out: dict[str, list[Check]] = {}
    for ck in table.checks:
        col = table.column(ck.column) if ck.column else None
        if col is not None:
            out.setdefault(col.name, []).append(ck)
    return out


# -- table options (kept as text by the parser: see ``Table.options``) ----------------

#: options that are no clause after the body: the parent of a partition (``PARTITION OF
#: parent`` is the head of its CREATE TABLE) and the partition's bound (after its body)
PARTITION_OF, PARTITION_BOUND, INHERITS = "partition_of", "partition_bound", "inherits"
#: the option key of PostgreSQL's UNLOGGED (the sqlglot property's kind, see parse)
UNLOGGED = "UnloggedProperty"
#: the option key of a partitioned table's ``PARTITION BY ...``
PARTITIONED = "PartitionedByProperty"


def parents(keys: str) -> list[str]:
    """The parent table keys an ``inherits`` option holds (``"a, s.b"``)."""
    return [k.strip() for k in keys.split(",") if k.strip()]


def table_options(table: Table, dialect: str) -> list[str]:
    """The clauses after a table's body, in the order they were written, for the dialect
    the table was read in: ``INHERITS (...)``, ``PARTITION BY ...``, ``ENGINE=InnoDB``,
    ``STRICT``, PostgreSQL's storage parameters as one ``WITH (...)``; and the table's
    comment where the dialect writes it there (MySQL)."""
    storage = get_dialect(dialect).storage_parameters
    out: list[str] = []
    params = [text for key, text in table.options.items() if storage and is_storage_parameter(key)]
    for key, text in table.options.items():
        if key == INHERITS:
            names = ", ".join(quote_ident(k, dialect) for k in parents(text))
            out.append(f"INHERITS ({names})")
        elif storage and is_storage_parameter(key):
            if params:  # all of them at once, where the first was written
                out.append(f"WITH ({', '.join(params)})")
                params = []
        elif storage and key == UNLOGGED:
            continue  # a head word: see table_persistence
        elif key not in (PARTITION_OF, PARTITION_BOUND):
            out.append(text)
    if table.comment and get_dialect(dialect).inline_table_comments:
        out.append(f"COMMENT={sql_string(table.comment)}")
    return out


def is_partitioning(key: str) -> bool:
    """Whether an option key is a table's partitioning (``PARTITION BY ...``, keyed by the
    sqlglot property read: PostgreSQL's ``PartitionedByProperty``, MySQL's
    ``PartitionByRangeProperty``...)."""
    return key.startswith(("PartitionBy", "PartitionedBy"))


def is_storage_parameter(key: str) -> bool:
    """Whether an option key is a storage parameter (the parser keys a plain ``name=value``
    property by its name in capitals, the others by their kind: ``UnloggedProperty``)."""
    return key.isupper()


def table_persistence(table: Table, dialect: str) -> str:
    """``"UNLOGGED "`` for an unlogged PostgreSQL table (it goes after CREATE), else ``""``.

    Usage: ``f"CREATE {table_persistence(t, d)}TABLE ..."``"""
    return "UNLOGGED " if get_dialect(dialect).storage_parameters and \
        UNLOGGED in table.options else ""


def _options_tail(table: Table, dialect: str) -> str:
    options = table_options(table, dialect)
    return " " + get_dialect(dialect).table_option_separator.join(options) if options else ""


def create_table_sql(table: Table, dialect: str, *, name: str | None = None,
                     with_fks: bool = True, serials: set[str] = frozenset(),
                     named: Container[str] = ()) -> str:
    """``CREATE TABLE`` for ``table`` with its keys, checks, (optionally) foreign keys and
    options; a partition is ``CREATE TABLE c PARTITION OF p [(constraints)] bound``.
    ``named``: the catalog's named types (``catalog.enums``, see :func:`render_type`)."""
    q = quote_ident(name or object_key(table.name, table.schema, dialect), dialect)
    parent = table.options.get(PARTITION_OF)
    on_columns = {} if parent else column_checks(table)
    pk = table.primary_key
    inline = (get_dialect(dialect).identity_inline_pk_only and pk is not None
              and len(pk.columns) == 1
              and (c := table.column(pk.columns[0])) is not None and c.identity)
    parts = [] if parent else [
        column_sql(c, dialect, inline_pk=bool(inline) and c.name == pk.columns[0],
                   serial=c.name in serials, named=named)
        + "".join(" " + check_sql(ck, dialect) for ck in on_columns.get(c.name, ()))
        for c in table.columns]
    if pk and not inline:
        pk_named = _constraint(pk.name, dialect) if get_dialect(dialect).named_primary_keys \
            else ""
        parts.append(f"{pk_named}PRIMARY KEY ({column_list(pk.columns, dialect)})")
    parts += [_constraint(u.name, dialect) + unique_clause(u, dialect) for u in table.uniques]
    declared = {id(ck) for cks in on_columns.values() for ck in cks}
    parts += [check_sql(ck, dialect) for ck in table.checks if id(ck) not in declared]
    if with_fks:
        parts += [_constraint(fk.name, dialect) + fk_clause(fk, dialect)
                  for fk in table.foreign_keys]
    joined = ",\n  ".join(parts)
    body = f" (\n  {joined}\n)" if parts or not parent else ""
    head = f"CREATE {table_persistence(table, dialect)}TABLE {q}"
    if parent:
        bound = table.options.get(PARTITION_BOUND, "DEFAULT")
        return (f"{head} PARTITION OF {quote_ident(parent, dialect)}{body} {bound}"
                + _options_tail(table, dialect))
    return f"{head}{body}{_options_tail(table, dialect)}"


def create_index_sql(index: Index, dialect: str, table_name: str | None = None) -> str:
    """``CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX`` for ``index`` with every clause it has."""
    d = get_dialect(dialect)
    kind = "UNIQUE " if index.unique else (
        f"{index.kind.upper()} " if index.kind and index.kind in d.index_kinds else "")
    using = index.using.lower() if index.using else None
    method = using if using and using != "btree" and (
        using in d.index_methods or d.extension_index_methods) else None
    before = f" USING {method}" if method and not d.index_using_after_parts else ""
    after = f" USING {method.upper()}" if method and d.index_using_after_parts else ""
    include = (f" INCLUDE ({column_list(index.include, dialect)})"
               if index.include and d.index_include else "")
    nulls = " NULLS NOT DISTINCT" if index.nulls_not_distinct and d.nulls_not_distinct else ""
    where = f" WHERE {index.where_sql or index.where}" if index.where else ""
    comment = f" COMMENT {sql_string(index.comment)}" if index.comment and \
        d.index_comments else ""
    tname = quote_ident(table_name or index.table, dialect)
    iname = quote_ident(index.name, dialect, qualified=False)
    cols = index_parts(index, dialect)
    return (f"CREATE {kind}INDEX {iname} ON {tname}{before} ({cols}){include}{nulls}{where}"
            f"{after}{comment}")


def drop_index_sql(index: Index, dialect: str) -> str:
    """``DROP INDEX`` (``... ON table`` in MySQL, schema-qualified in PostgreSQL)."""
    name = quote_ident(index.name, dialect, qualified=False)
    if not get_dialect(dialect).index_names_per_schema:
        return f"DROP INDEX {name} ON {quote_ident(index.table, dialect)}"
    schema, _ = split_key(index.table)
    if schema is not None:  # PostgreSQL: the index lives in its table's schema
        return f"DROP INDEX {quote_ident(schema, dialect, qualified=False)}.{name}"
    return f"DROP INDEX {name}"


def create_view_sql(view: View, dialect: str) -> str:
    """``CREATE [MATERIALIZED] VIEW`` (a view written as a whole statement is kept)."""
    sql = view.sql.strip().rstrip(";")
    if re.match(r"(?is)^CREATE\b", sql):
        return sql
    kind = "MATERIALIZED VIEW" if view.materialized else "VIEW"
    name = f"{view.schema}.{view.name}" if view.schema and "." not in view.name and \
        view.schema not in ("public", "main") else view.name
    cols = f" ({column_list(view.columns, dialect)})" if view.columns and \
        getattr(view, "explicit_columns", False) else ""
    return f"CREATE {kind} {quote_ident(name, dialect)}{cols} AS {sql}"


def drop_view_sql(key: str, view: View, dialect: str) -> str:
    """``DROP [MATERIALIZED] VIEW``."""
    kind = "MATERIALIZED VIEW" if view.materialized else "VIEW"
    return f"DROP {kind} {quote_ident(key, dialect)}"


# -- a whole catalog ----------------------------------------------------------------------

_WORD = re.compile(r"[\w$]+")


@lru_cache(maxsize=4096)
def _words(sql: str) -> frozenset[str]:
    """The words of ``sql``, lower case (a name is mentioned when it is one of them)."""
    return frozenset(_WORD.findall(sql.lower()))


def mentions(sql: str, names: Iterable[str]) -> bool:
    """Whether ``sql`` names any of the objects (catalog keys; their schema does not count).

    >>> mentions("SELECT * FROM public.orders", ["orders"])   # True
    """
    return bool(named_in(sql, {short_name(n).lower() for n in names}))


def named_in(sql: str, names: set[str]) -> set[str]:
    """Which of ``names`` (lower case, no schema) ``sql`` uses as a word: one set lookup for
    plain names (a schema of 600 views and routines orders in about a second, not 45)."""
    plain = {n for n in names if _WORD.fullmatch(n)}
    found = plain & _words(sql)
    low = sql.lower()
    return found | {n for n in names - plain
                    if re.search(rf"(?<![\w$]){re.escape(n)}(?![\w$])", low)}


def in_reference_order(items: list[tuple[str, str, str]]) -> list[str]:
    """The statements of ``(name, statement, text it references others in)``, each after
    the ones its text names (the order kept otherwise; a cycle is broken where it closes).

    >>> in_reference_order([("f2", "CREATE FUNCTION f2 ...", "... f1() ..."), ("f1", ...)])
    """
    out: list[str] = []
    seen: set[int] = set()
    names = {other for other, _s, _t in items}

    def visit(i: int) -> None:
        if i in seen:
            return
        seen.add(i)
        name, stmt, text = items[i]
        used = named_in(text, names) - {name}
        for j, (other, _s, _t) in enumerate(items):
            if other in used:
                visit(j)
        out.append(stmt)

    for i in range(len(items)):
        visit(i)
    return out


def parents_of(table: Table) -> list[str]:
    """The tables ``table`` is created from: its partition parent, the tables it inherits."""
    out = parents(table.options.get(INHERITS, ""))
    if table.options.get(PARTITION_OF):
        out.append(table.options[PARTITION_OF])
    return out


def tables_in_order(cat: Catalog, keys: Iterable[str] | None = None
                    ) -> tuple[list[str], set[str]]:
    """``keys`` (default: every table) ordered so that referenced tables and parents come
    first; and the tables caught in a cycle of foreign keys.

    >>> tables_in_order(catalog)   # (['users', 'orders'], set())
    """
    keys = sorted(cat.tables if keys is None else keys)
    wanted = set(keys)
    deps = {k: sorted(({fk.ref_table for fk in cat.tables[k].foreign_keys} & wanted) - {k})
            for k in keys}
    before = {k: [p for p in parents_of(cat.tables[k]) if p in wanted] for k in keys}
    out: list[str] = []
    state: dict[str, int] = {}
    cyclic: set[str] = set()

    def visit(k: str, stack: list[str]) -> None:
        if state.get(k) == 2:
            return
        if state.get(k) == 1:
            cyclic.update(stack[stack.index(k):])
            return
        state[k] = 1
        for d in before[k] + deps[k]:
            visit(d, stack + [k])
        state[k] = 2
        out.append(k)

    for k in keys:
        visit(k, [])
    return out, cyclic


def views_in_order(cat: Catalog, keys: Iterable[str] | None = None) -> list[str]:
    """``keys`` (default: every view) ordered so that a view comes after those it reads."""
    keys = list(cat.views if keys is None else keys)
    out: list[str] = []
    seen: set[str] = set()
    by_name: dict[str, list[str]] = {}
    for k in keys:
        by_name.setdefault(short_name(k).lower(), []).append(k)

    def visit(k: str) -> None:
        if k in seen:
            return
        seen.add(k)
        for name in sorted(named_in(cat.views[k].sql, set(by_name))):
            for other in by_name[name]:
                if other != k:
                    visit(other)
        out.append(k)

    for k in keys:
        visit(k)
    return out


def add_fk_sql(key: str, table: Table, fk: ForeignKey, dialect: str) -> str:
    """``ALTER TABLE t ADD [CONSTRAINT name] FOREIGN KEY ...`` (unnamed stays unnamed)."""
    return f"ALTER TABLE {quote_ident(key, dialect)} ADD {_constraint(fk.name, dialect)}" \
        f"{fk_clause(fk, dialect)}"


def comment_sql(kind: str, target: str, comment: str) -> str:
    """``COMMENT ON kind target IS '...'`` (PostgreSQL's separate comment statement)."""
    return f"COMMENT ON {kind} {target} IS {sql_string(comment)}"


def comment_statements(cat: Catalog, dialect: str) -> list[str]:
    """``COMMENT ON`` every commented table, column, view and materialized view, where the
    dialect writes comments as statements (else: none; MySQL writes them inline)."""
    if not get_dialect(dialect).comment_statements:
        return []
    out = []
    for key, table in cat.tables.items():
        q = quote_ident(key, dialect)
        if table.comment is not None:
            out.append(comment_sql("TABLE", q, table.comment))
        out += [comment_sql("COLUMN", f"{q}.{quote_ident(c.name, dialect, qualified=False)}",
                            c.comment) for c in table.columns if c.comment is not None]
    for key, view in cat.views.items():
        if view.comment is not None:
            kind = "MATERIALIZED VIEW" if view.materialized else "VIEW"
            out.append(comment_sql(kind, quote_ident(key, dialect), view.comment))
    return out


def named_type_sql(key: str, enum, dialect: str) -> str:
    """``CREATE TYPE ... AS ENUM (...)`` or ``CREATE DOMAIN ... AS base``."""
    name = quote_ident(key, dialect)
    if enum.base and not enum.values:
        return f"CREATE DOMAIN {name} AS {enum.base}"
    return f"CREATE TYPE {name} AS ENUM ({sql_list(enum.values)})"


def used_schemas(cat: Catalog) -> list[str]:
    """The schemas (other than the default) that hold a table, view, type or sequence."""
    keys = [*cat.tables, *cat.views, *cat.enums, *cat.sequences]
    return sorted({s for k in keys if (s := split_key(k)[0]) is not None})


def _carried(source: Source | None, kinds: tuple[str, ...]) -> list[SqlObject]:
    """The carried objects of these kinds, by kind then by their line in the file."""
    if source is None:
        return []
    return sorted((o for o in source.objects.values() if o.kind in kinds),
                  key=lambda o: (kinds.index(o.kind), o.line or 0))


def object_name(name: str) -> str:
    """The name other texts call an object by (no schema, no quotes, lower case)."""
    return name.split(".")[-1].strip('"`[]').lower()


def catalog_statements(cat: Catalog, dialect: str, *, source: Source | None = None
                       ) -> list[str]:
    """The statements of :func:`write_catalog`, without their semicolons."""
    d = get_dialect(dialect)
    out: list[str] = []
    if d.schema_objects:
        declared = source.schemas if source is not None else {}
        out += [declared.get(s) or f"CREATE SCHEMA IF NOT EXISTS "
                f"{quote_ident(s, dialect, qualified=False)}"
                for s in sorted(set(used_schemas(cat)) | set(declared))]
    out += list(source.extensions.values()) if source is not None else []
    carried = {k.lower() for kind, k in (source.objects if source else {})
               if kind in ("type", "domain")}
    if d.named_types:
        out += [named_type_sql(k, e, dialect) for k, e in cat.enums.items()
                if k.lower() not in carried]
    early, late = _routines_around_tables(cat, _carried(
        source, ("type", "domain", "function", "procedure", "aggregate")))
    out += in_reference_order(early)
    if d.schema_objects:
        out += [f"CREATE SEQUENCE {quote_ident(k, dialect)}" for k in cat.sequences]
    order, _ = tables_in_order(cat)
    created: set[str] = set()
    later: list[str] = []
    for key in order:
        table = cat.tables[key]
        # a key to a table not created yet (a cycle) is added once every table exists,
        # with the keys declared after it (so that they read back in the same order)
        fks = table.foreign_keys
        cut = next((i for i, fk in enumerate(fks) if d.alter_constraints
                    and fk.ref_table != key and fk.ref_table not in created), len(fks))
        out.append(create_table_sql(_with_fks(table, fks[:cut]), dialect, named=cat.enums))
        later += [add_fk_sql(key, table, fk, dialect) for fk in fks[cut:]]
        created.add(key)
    out += later
    out += in_reference_order(late)
    out += [create_index_sql(i, dialect) for i in cat.indexes.values()]
    out += [create_view_sql(cat.views[k], dialect) for k in views_in_order(cat)]
    out += comment_statements(cat, dialect)
    out += [o.text for o in _carried(source, ("trigger", "rls", "policy", "statistics",
                                                "comment"))]
    return out


#: carried objects that are routines (others: types and domains)
ROUTINE_KINDS = ("function", "procedure", "aggregate")


def expressions_of(cat: Catalog) -> list[str]:
    """The SQL of every default, generated column, check and index expression (what a
    table or an index calls when it is created)."""
    out = []
    for t in cat.tables.values():
        out += [x for c in t.columns for x in (c.default_sql, c.default, c.generated) if x]
        out += [ck.expression for ck in t.checks]
    for i in cat.indexes.values():
        out += [p for n, p in enumerate(i.columns) if i.is_expr(n)] + [i.where or ""]
    return out


def routines_after_tables(routines: dict, reads: set[str], called_early: str) -> set:
    """The keys of ``routines`` (key → ``(name, text)``) to create after the tables: a
    routine whose text names one of ``reads`` (PostgreSQL checks a ``LANGUAGE sql`` body
    when the function is created) or calls a routine created late — unless
    ``called_early`` (the texts of what is created before: defaults, checks, index
    expressions, domains) calls it, or a routine it calls. One rule for ``diff``,
    ``transpile`` and :func:`write_catalog`.

    >>> routines_after_tables({1: ("n", "SELECT count(*) FROM t")}, {"t"}, "")   # {1}
    """
    early = set(named_in(called_early, {n for n, _t in routines.values()}))
    early = {k for k, (n, _t) in routines.items() if n in early}
    late: set = set()
    changed = True
    while changed:  # what an early routine calls is early; what calls a late one is late
        changed = False
        late_names = {routines[k][0] for k in late}
        for k in sorted(routines.keys() - early - late, key=str):
            if named_in(routines[k][1], reads | late_names):
                late.add(k)
                changed = True
        for k in sorted(early, key=str):
            calls = named_in(routines[k][1], {routines[x][0] for x in routines.keys() - early})
            for x in sorted(routines.keys() - early, key=str):
                if x != k and routines[x][0] in calls:
                    early.add(x)
                    late.discard(x)
                    changed = True
    return late


def _routines_around_tables(cat: Catalog, objs: list[SqlObject]
                            ) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Carried types and routines ``(before the tables, after them)`` by
    :func:`routines_after_tables`, as ``(name, statement, text)`` for in_reference_order."""
    items = {i: (object_name(o.name), o.text) for i, o in enumerate(objs)}
    routines = {i: items[i] for i, o in enumerate(objs) if o.kind in ROUTINE_KINDS}
    types = [o.text for o in objs if o.kind not in ROUTINE_KINDS]
    relations = {short_name(k).lower() for k in (*cat.tables, *cat.views)}
    late = routines_after_tables(routines, relations, "\n".join([*types, *expressions_of(cat)]))
    early = [(n, t, t) for i, (n, t) in items.items() if i not in late]
    return early, [(n, t, t) for i, (n, t) in items.items() if i in late]


def _with_fks(table: Table, fks: list[ForeignKey]) -> Table:
    from dataclasses import replace

    return table if len(fks) == len(table.foreign_keys) else replace(table, foreign_keys=fks)


def write_catalog(catalog: Catalog, dialect: str, *, source: Source | None = None) -> str:
    """The complete DDL of ``catalog`` in ``dialect`` (the dialect it was read in), in the
    order an engine can apply it: schemas, extensions, named types, routines, sequences,
    tables (a foreign key that closes a cycle added after them), indexes, views in the
    order they read each other, comments; then triggers and policies. ``source`` (see
    ``archkit.migrations.source``) brings the statements the catalog does not hold.

    >>> write_catalog(parse_schema(ddl, "postgres").catalog, "postgres")
    """
    return "".join(f"{s.strip().rstrip(';')};\n" for s in catalog_statements(
        catalog, dialect, source=source))
