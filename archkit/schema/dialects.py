"""SQL dialects as data: one frozen object per dialect, looked up by name or alias.

Usage::

    from archkit.schema.dialects import dialect
    d = dialect("postgresql")          # the PostgreSQL Dialect (aliases accepted)
    d.quote("Users")                   # '"Users"'
    d.ident("order"), d.name           # '"order"', 'postgres'
    d.alter_type_in_place, d.index_methods

Everything archkit knows about how a dialect spells or can do a thing lives here
(quoting, reserved words, name folding, default schema, type names, identity forms,
what ALTER TABLE can change in place, index kinds). Modules ask the Dialect instead
of comparing dialect names (``tests/schema/test_dialects.py`` keeps it that way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import FrozenInstanceError
from types import MappingProxyType
from typing import Any

from archkit.errors import ArchkitError
from archkit.lazy import LazyPattern

__all__ = ["Dialect", "DIALECTS", "MYSQL", "POSTGRES", "RESERVED_CORE", "SQLITE", "dialect",
           "names"]

_SIMPLE = LazyPattern(r"[a-z_][a-z0-9_]*")

RESERVED_CORE = frozenset({
    "all", "alter", "and", "any", "as", "asc", "between", "by", "case", "check", "column",
    "constraint", "create", "cross", "current_date", "current_time", "current_timestamp",
    "current_user", "default", "delete", "desc", "distinct", "drop", "else", "end", "exists",
    "foreign", "from", "grant", "group", "having", "in", "index", "inner", "insert", "interval",
    "into", "is", "join", "key", "left", "like", "limit", "not", "null", "of", "offset", "on",
    "option", "or", "order", "outer", "primary", "range", "rank", "read", "references",
    "release", "right", "rows", "select", "set", "table", "then", "to", "union", "unique",
    "update", "user", "using", "values", "when", "where", "window", "with",
})


_MYSQL_RESERVED = frozenset("""
accessible add analyze asensitive before bigint binary blob both call cascade change char
character condition continue convert cursor database databases day_hour day_microsecond
day_minute day_second dec decimal declare delayed describe deterministic distinctrow div
double dual each elseif enclosed escaped exit explain fetch float float4 float8 for force
fulltext generated get grouping groups high_priority hour_microsecond hour_minute hour_second
if ignore infile inout insensitive int int1 int2 int3 int4 int8 integer iterate keys kill
lateral leading leave lines linear load localtime localtimestamp lock long longblob longtext
loop low_priority match maxvalue mediumblob mediumint mediumtext middleint mod modifies
natural no_write_to_binlog numeric optimize optionally out outfile over partition precision
procedure purge reads real recursive regexp rename repeat replace require resignal restrict
return revoke rlike row schema schemas second_microsecond sensitive separator show signal
smallint spatial specific sql sqlexception sqlstate sqlwarning ssl starting stored
straight_join system terminated tinyblob tinyint tinytext trailing trigger undo unlock
unsigned usage use utc_date utc_time utc_timestamp varbinary varchar varcharacter varying
virtual while write xor year_month zerofill
""".split())
_POSTGRES_RESERVED = frozenset("""
analyse analyze array asymmetric authorization binary both cast collate collation
concurrently current_catalog current_role current_schema deferrable do fetch for freeze
full ilike initially isnull lateral leading localtime localtimestamp natural notnull only
overlaps placing returning session_user similar some symmetric tablesample trailing
variadic verbose
""".split())


class Dialect:
    """What one SQL dialect spells and can do differently (data; see module docstring).

    Frozen, built with keywords (``Dialect(name="postgres", ...)``); the annotated class
    attributes below are its fields and their defaults. Not a dataclass: generating one
    over this many fields cost ~3.5 ms at every start of the command line. One object per
    dialect, so identity is equality.
    """

    name: str
    aliases: tuple[str, ...]
    sqlglot: str  # sqlglot's name for it
    quote_char: str
    default_schema: str | None
    #: unquoted names fold to lower case (PostgreSQL); the others keep them as written but
    #: compare them without case
    folds_unquoted: bool
    case_insensitive: bool
    reserved: frozenset[str] = RESERVED_CORE
    #: words only this dialect reserves (always quoted, whatever list a writer passes)
    own_reserved: frozenset[str] = frozenset()
    #: index access methods beyond the default b-tree (``USING x``)
    index_methods: frozenset[str] = frozenset()
    #: extensions add index access methods (pgvector ``hnsw``): one not listed above is
    #: written as it was read, not dropped
    extension_index_methods: bool = False
    #: ``DEFERRABLE [INITIALLY DEFERRED]`` unique constraints (PostgreSQL)
    deferrable_constraints: bool = False
    #: the schema of built-in functions, searched before any other: ``pg_catalog.f()``
    #: is ``f()`` (PostgreSQL)
    builtin_schema: str | None = None
    #: types of the typed literals it reads (``TIMESTAMP '2024-01-01 12:00:00'``): a default
    #: cast from a string to one of them is written as such a literal
    typed_literals: frozenset[str] = frozenset()
    #: index kinds written before INDEX (``CREATE FULLTEXT INDEX``)
    index_kinds: frozenset[str] = frozenset()
    #: ALTER TABLE ... ALTER COLUMN TYPE / MODIFY works in place (SQLite rebuilds the table)
    alter_type_in_place: bool = True
    #: ADD / DROP CONSTRAINT on an existing table (SQLite rebuilds the table)
    alter_constraints: bool = True
    #: index names are unique per schema (PostgreSQL, SQLite), not per table (MySQL)
    index_names_per_schema: bool = True
    #: how an auto-numbered column is written after its type
    identity_clause: str = ""
    #: an identity column takes sequence options (``AS IDENTITY (START WITH 1)``)
    identity_options: bool = False
    #: the identity clause that refuses values given by an INSERT (PostgreSQL ``ALWAYS``)
    identity_always_clause: str = ""
    #: VIRTUAL generated columns (PostgreSQL only from 18: written STORED when converting)
    virtual_generated_columns: bool = True
    #: serial pseudo-types (PostgreSQL)
    serial_types: Mapping[str, str] = MappingProxyType({})
    #: engine label in messages
    label: str = ""
    #: objects live in schemas other than the default (catalog keys ``schema.name``)
    has_schemas: bool = True
    #: the column type as declared is what the engine keeps (SQLite's type affinity)
    keeps_declared_types: bool = False
    #: the type of a column declared without one (SQLite: BLOB affinity)
    typeless_column_type: str | None = None
    #: sqlglot dialect that writes this dialect's column types best
    type_writer: str = ""
    #: integers are 64-bit whatever their declared type (no overflow of an INTEGER key)
    integers_are_64bit: bool = False
    #: what to suggest for an auto-numbered 64-bit key
    big_identity: str = ""
    #: a time-zone-aware timestamp type exists (``timestamptz``)
    has_timestamptz: bool = False
    #: InnoDB indexes every foreign key itself
    indexes_foreign_keys: bool = False
    #: a foreign key must reference a primary key or unique constraint (an error, not a hint)
    fk_needs_key: bool = False
    #: integer widths are enforced (SQLite stores any integer in any integer column)
    int_widths_matter: bool = True
    #: identifier length limit counted in bytes (PostgreSQL), not characters
    identifier_limit_in_bytes: bool = False
    #: names of constraints with an index (primary key, unique) are unique per schema
    #: (PostgreSQL), not per table; check and foreign key names stay per table
    constraint_names_per_schema: bool = False
    #: a unique index is a unique constraint (MySQL keeps no difference)
    unique_index_is_constraint: bool = False
    #: index parts may carry a prefix length (``name(255)``)
    index_prefix_lengths: bool = False
    #: ON DELETE RESTRICT behaves as NO ACTION (both checked at once)
    restrict_is_no_action: bool = False
    #: a default that is an expression must be in parentheses
    expression_defaults_in_parens: bool = False
    #: auto-numbering only on an INTEGER PRIMARY KEY written inline (SQLite)
    identity_inline_pk_only: bool = False
    #: the identity clause comes after the default (MySQL ``AUTO_INCREMENT``)
    identity_after_default: bool = False
    #: column comments are written in the column definition (MySQL ``COMMENT '...'``)
    inline_column_comments: bool = False
    #: a table's comment is a table option after its body (MySQL ``COMMENT='...'``)
    inline_table_comments: bool = False
    #: what separates the table options after ``)`` (SQLite: ``WITHOUT ROWID, STRICT``)
    table_option_separator: str = " "
    #: an engine runs in-process and needs no DSN
    embedded: bool = False
    #: ``USING method`` goes after the index parts (MySQL), not before them (PostgreSQL)
    index_using_after_parts: bool = False
    #: ``INCLUDE (...)`` on indexes
    index_include: bool = False
    #: ``NULLS NOT DISTINCT`` on unique keys and indexes (PostgreSQL 15)
    nulls_not_distinct: bool = False
    #: ``COMMENT '...'`` on an index
    index_comments: bool = False
    #: ``CONSTRAINT name PRIMARY KEY`` keeps the name (MySQL always calls it PRIMARY)
    named_primary_keys: bool = False
    #: a ``GENERATED ... AS IDENTITY`` column is NOT NULL (PostgreSQL)
    identity_implies_not_null: bool = False
    #: an auto-numbered column must be a key at every moment (MySQL AUTO_INCREMENT)
    auto_increment_must_be_key: bool = False
    #: CREATE TYPE ... AS ENUM and CREATE DOMAIN (PostgreSQL)
    named_types: bool = False
    #: routines are told apart by their argument types (overloads), replaced in place with
    #: CREATE OR REPLACE, and a trigger's name is per table (PostgreSQL)
    routine_signatures: bool = False
    #: indexes on expressions (MariaDB has none)
    expression_indexes: bool = True
    #: partial indexes (``WHERE``)
    partial_indexes: bool = True
    #: MATERIALIZED VIEW
    materialized_views: bool = False
    #: ``COMMENT ON`` statements (PostgreSQL); SQLite keeps no comments at all
    comment_statements: bool = False
    keeps_comments: bool = True
    #: CREATE SCHEMA and CREATE SEQUENCE objects (PostgreSQL)
    schema_objects: bool = False
    #: CREATE EXTENSION brings types, functions and operator classes (PostgreSQL)
    extensions: bool = False
    #: a UNIQUE in CREATE TABLE on the primary key's columns is not made (PostgreSQL)
    redundant_keys_dropped: bool = False
    #: ALTER TABLE ... MODIFY COLUMN redefines a whole column (MySQL)
    modify_column: bool = False
    #: a column's attributes come in any order: ``DEFAULT NULL COLLATE x`` is the default,
    #: then the column's collation, not a collated default (MySQL)
    column_attributes_any_order: bool = False
    #: ALTER TABLE t PARTITION BY ... / REMOVE PARTITIONING repartitions a table (MySQL)
    repartition_in_place: bool = False
    #: ALTER INDEX / RENAME INDEX exists (SQLite drops and creates)
    rename_index: bool = True
    # lexical rules, for the statement splitter
    #: MySQL: "..." is a string, strings take backslash escapes, # starts a comment,
    #: DELIMITER changes the statement end
    mysql_lexicon: bool = False
    #: $tag$ ... $tag$ strings and E'...' strings (PostgreSQL)
    dollar_quotes: bool = False
    #: a schema file is a psql script: a line starting with a backslash is a meta-command
    #: (pg_dump's ``\\restrict KEY``), ``COPY ... FROM stdin;`` is followed by its data up to
    #: a ``\\.`` line (PostgreSQL)
    psql_scripts: bool = False
    #: [name] quotes a name (SQLite)
    bracket_names: bool = False
    #: query parameters are $1, $2 (PostgreSQL), not ?
    numbered_params: bool = False
    #: what EXPLAIN gets in place of a ``?`` parameter (SQLite plans NULL like any value)
    param_stand_in: str = "'0'"
    # online DDL: how a migration changes a live table without blocking it
    #: CREATE / DROP INDEX CONCURRENTLY, outside a transaction (PostgreSQL)
    concurrent_indexes: bool = False
    #: ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT under a weaker lock; a
    #: validated CHECK (c IS NOT NULL) lets SET NOT NULL skip its scan (PostgreSQL)
    not_valid_constraints: bool = False
    #: ADD CONSTRAINT ... UNIQUE / PRIMARY KEY USING INDEX adopts an index built beforehand
    constraint_using_index: bool = False
    #: a rewrite, scan or index build holds ACCESS EXCLUSIVE / SHARE locks while it runs
    #: (the PostgreSQL ZD1xx lint rules)
    rewrites_under_lock: bool = False
    #: the options that make ALTER refuse rather than copy the table (MySQL ``ALGORITHM``)
    online_alter: tuple[str, ...] = ()
    #: ``SET foreign_key_checks = 0`` lets InnoDB add a foreign key in place
    foreign_key_checks: bool = False
    #: the table is clustered by its primary key: changing the key copies the table, and a
    #: swap is in place only as DROP PRIMARY KEY, ADD PRIMARY KEY in one ALTER (InnoDB)
    clustered_primary_key: bool = False
    #: ALTER TABLE ADD / DROP without the COLUMN keyword act on a column (MySQL)
    column_keyword_optional: bool = False
    #: ALTER TABLE changes little in place: migrations rebuild tables (SQLite)
    table_rebuilds: bool = False
    #: ``PRAGMA foreign_keys`` switches enforcement, ignored inside a transaction (SQLite)
    pragma_foreign_keys: bool = False
    #: a copy between columns needs an explicit CAST (MySQL converts on assignment)
    cast_on_copy: bool = False
    #: triggers run a function declared beforehand (PostgreSQL), not a statement
    trigger_functions: bool = False
    #: SET statements bounding lock waits and statement run time; ``{value}`` is the
    #: timeout as written ('2s'), ``{seconds}`` the same in whole seconds
    lock_timeout_sql: str = ""
    statement_timeout_sql: str = ""
    # column types a schema from another dialect is written with
    #: ``enum('a', 'b')`` is a column type (MySQL)
    inline_enums: bool = False
    #: an enum without an inline or named enum type becomes this type (plus a CHECK)
    enum_fallback_type: str = "varchar(64)"
    #: ``type[]`` arrays are native (PostgreSQL); else they are stored as this type
    array_storage: str = "text"
    #: ``varchar`` needs a length (MySQL)
    varchar_needs_length: bool = False
    #: a default on a text / json / blob column must be an expression in parentheses
    #: (MySQL 8, MariaDB)
    text_defaults_in_parens: bool = False
    #: the exact numeric type's name (``decimal`` in MySQL)
    numeric_type: str = "numeric"
    #: UNSIGNED integer types (MySQL)
    unsigned_integers: bool = False
    #: ``ON UPDATE CURRENT_TIMESTAMP`` on a column (MySQL)
    on_update_current_timestamp: bool = False
    #: ``CREATE TABLE ... STRICT`` (SQLite)
    strict_tables: bool = False
    #: a table's storage parameters are written ``WITH (fillfactor='90')`` and UNLOGGED
    #: after CREATE (PostgreSQL), not as bare options after the body
    storage_parameters: bool = False
    #: ``CHECK (...) NO INHERIT`` (PostgreSQL)
    check_no_inherit: bool = False
    #: the primary key is always called PRIMARY: a name written for it is not kept (MySQL)
    primary_key_always_primary: bool = False
    #: the query that returns the server's version text
    version_query: str = ""
    #: engines that share this dialect, told apart by sqldef's ``flavor`` key
    flavors: tuple[str, ...] = ()
    #: one batch of a backfill: ``{table}``, ``{assignment}``, ``{where}``, ``{batch}``
    batched_update_sql: str = "UPDATE {table} SET {assignment} WHERE {where}"

    def __init__(self, **values: Any) -> None:
        missing = [name for name in _REQUIRED if name not in values]
        unknown = sorted(values.keys() - _FIELDS)
        if missing or unknown:
            raise TypeError(f"Dialect: missing {missing}, unknown {unknown}")
        self.__dict__.update(values)
        if not self.type_writer:
            self.__dict__["type_writer"] = self.sqlglot

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __repr__(self) -> str:
        return f"Dialect({self.name!r})"

    def quote(self, name: str) -> str:
        """``name`` as a quoted identifier (quote characters doubled)."""
        q = self.quote_char
        close = "]" if q == "[" else q
        return q + name.replace(close, close + close) + close

    def needs_quotes(self, name: str, reserved: frozenset[str] | None = None) -> bool:
        """Whether ``name`` must be quoted to mean exactly ``name`` (case, characters, words)."""
        return (not _SIMPLE.fullmatch(name) or name in self.own_reserved
                or name in (self.reserved if reserved is None else reserved))

    def ident(self, name: str, reserved: frozenset[str] | None = None) -> str:
        """One identifier, quoted only when it needs it."""
        return self.quote(name) if self.needs_quotes(name, reserved) else name

    def fold(self, name: str, quoted: bool) -> str:
        """The name the engine stores for ``name`` as written (quoted or not)."""
        return name if quoted or not self.folds_unquoted else name.lower()

    def same_name(self, a: str, b: str) -> bool:
        """Whether two stored names denote the same object."""
        return a.lower() == b.lower() if self.case_insensitive else a == b

    # the engine's default names for constraints a schema leaves unnamed
    def unique_name(self, table: str, columns: list[str]) -> str:
        """``CONSTRAINT UNIQUE (columns)`` without a name: what the engine calls it."""
        return f"{table}_{'_'.join(columns)}_key"[:63]

    def fk_name(self, table: str, columns: list[str], position: int) -> str:
        """The ``position``-th (1-based) unnamed foreign key of ``table``."""
        return f"{table}_{'_'.join(columns)}_fkey"[:63]

    def check_name(self, table: str, columns: list[str], first: str | None,
                   position: int) -> str:
        """An unnamed CHECK on ``columns`` (``first``: the one written first)."""
        return f"{table}_{first}_check" if first else f"{table}_check"


_FIELDS = frozenset(Dialect.__annotations__)
_REQUIRED = tuple(name for name in Dialect.__annotations__ if name not in vars(Dialect))


class _InnoDB(Dialect):
    """MySQL/MariaDB: default constraint names follow InnoDB's own scheme."""

    def unique_name(self, table: str, columns: list[str]) -> str:
        return columns[0]

    def fk_name(self, table: str, columns: list[str], position: int) -> str:
        return f"{table}_ibfk_{position}"

    def check_name(self, table: str, columns: list[str], first: str | None,
                   position: int) -> str:
        return columns[0] if len(columns) == 1 else f"CONSTRAINT_{position}"


POSTGRES = Dialect(
    name="postgres", aliases=("postgresql", "pg", "psql"), sqlglot="postgres",
    quote_char='"', default_schema="public", folds_unquoted=True, case_insensitive=False,
    own_reserved=_POSTGRES_RESERVED,
    index_methods=frozenset({"btree", "hash", "gin", "gist", "spgist", "brin"}),
    extension_index_methods=True, identity_options=True, virtual_generated_columns=False,
    typed_literals=frozenset({"DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ"}),
    builtin_schema="pg_catalog", deferrable_constraints=True,
    identity_clause="GENERATED BY DEFAULT AS IDENTITY",
    identity_always_clause="GENERATED ALWAYS AS IDENTITY",
    serial_types={"smallint": "smallserial", "integer": "serial", "bigint": "bigserial"},
    label="PostgreSQL", big_identity="bigint GENERATED ALWAYS AS IDENTITY",
    has_timestamptz=True, fk_needs_key=True, identifier_limit_in_bytes=True,
    constraint_names_per_schema=True, index_include=True, nulls_not_distinct=True,
    named_primary_keys=True,
    identity_implies_not_null=True, named_types=True, materialized_views=True,
    comment_statements=True, schema_objects=True, extensions=True, dollar_quotes=True,
    psql_scripts=True, redundant_keys_dropped=True,
    numbered_params=True,
    concurrent_indexes=True, not_valid_constraints=True, constraint_using_index=True,
    rewrites_under_lock=True, cast_on_copy=True, trigger_functions=True, array_storage="",
    version_query="SHOW server_version",
    lock_timeout_sql="SET lock_timeout = '{value}'",
    statement_timeout_sql="SET statement_timeout = '{value}'",
    batched_update_sql="UPDATE {table} SET {assignment} WHERE ctid IN (SELECT ctid FROM "
                       "{table} WHERE {where} LIMIT {batch})",
    routine_signatures=True, check_no_inherit=True, storage_parameters=True,
)
MYSQL = _InnoDB(
    name="mysql", aliases=("mariadb",), sqlglot="mysql", quote_char="`", default_schema=None,
    own_reserved=_MYSQL_RESERVED,
    folds_unquoted=True, case_insensitive=True,
    index_methods=frozenset({"btree", "hash"}),
    typed_literals=frozenset({"DATE", "TIME", "TIMESTAMP"}),
    index_kinds=frozenset({"fulltext", "spatial"}),
    index_names_per_schema=False, identity_clause="AUTO_INCREMENT", label="MySQL/MariaDB",
    has_schemas=False, big_identity="BIGINT AUTO_INCREMENT", indexes_foreign_keys=True,
    unique_index_is_constraint=True, index_prefix_lengths=True, restrict_is_no_action=True,
    identity_after_default=True, inline_column_comments=True, inline_table_comments=True,
    index_using_after_parts=True,
    index_comments=True, auto_increment_must_be_key=True, expression_indexes=False,
    partial_indexes=False, modify_column=True, column_attributes_any_order=True,
    repartition_in_place=True, mysql_lexicon=True,
    online_alter=("ALGORITHM=INPLACE", "LOCK=NONE"), foreign_key_checks=True,
    clustered_primary_key=True, column_keyword_optional=True, inline_enums=True,
    array_storage="json", varchar_needs_length=True, text_defaults_in_parens=True,
    numeric_type="decimal", unsigned_integers=True, on_update_current_timestamp=True,
    primary_key_always_primary=True, version_query="SELECT VERSION()",
    flavors=("mysql", "mariadb"),
    lock_timeout_sql="SET SESSION lock_wait_timeout = {seconds}",
    batched_update_sql="UPDATE {table} SET {assignment} WHERE {where} LIMIT {batch}",
)
SQLITE = Dialect(
    name="sqlite", aliases=("sqlite3",), sqlglot="sqlite", quote_char='"', default_schema="main",
    folds_unquoted=True, case_insensitive=True, alter_type_in_place=False,
    alter_constraints=False, identity_clause="AUTOINCREMENT", label="SQLite",
    keeps_declared_types=True, typeless_column_type="blob", type_writer="mysql",
    integers_are_64bit=True, big_identity="INTEGER (64-bit)", int_widths_matter=False,
    expression_defaults_in_parens=True, identity_inline_pk_only=True, embedded=True,
    keeps_comments=False, rename_index=False, bracket_names=True, param_stand_in="NULL",
    table_rebuilds=True, pragma_foreign_keys=True, enum_fallback_type="text",
    strict_tables=True, table_option_separator=", ", version_query="SELECT sqlite_version()",
)

DIALECTS: dict[str, Dialect] = {d.name: d for d in (POSTGRES, MYSQL, SQLITE)}
_BY_ALIAS = {a: d for d in DIALECTS.values() for a in (d.name, *d.aliases)}


def names() -> tuple[str, ...]:
    """The dialect names, in a stable order (``postgres``, ``mysql``, ``sqlite``)."""
    return tuple(DIALECTS)


def dialect(name: str | Dialect | None) -> Dialect:
    """The Dialect for a name or alias; ArchkitError for an unknown one."""
    if isinstance(name, Dialect):
        return name
    if type(name) is str and name in _BY_ALIAS:  # the common case: a name as stored
        return _BY_ALIAS[name]
    found = _BY_ALIAS.get((name or "").strip().lower())
    if found is None:
        raise ArchkitError(
            f"unknown dialect {name!r}",
            hint="use one of: postgres, mysql, sqlite (aliases: postgresql, mariadb, sqlite3)",
        )
    return found
