"""Transpile a schema between PostgreSQL, MySQL/MariaDB and SQLite — and say what did not fit.

Usage::

    from archkit.schema.transpile import transpile_schema
    out = transpile_schema(ddl, "postgres", "mysql")
    print(out.sql)            # DDL for MySQL / MariaDB
    out.notes                 # Findings: what could not be carried over, or changed meaning

The target DDL is written from archkit's catalog (tables, keys, indexes, views,
comments), not by re-printing each statement: sqlglot translates the expressions
(defaults, checks, view queries, index expressions), archkit writes the structure,
so features a target lacks are dropped *with a note* instead of coming out wrong.

Notes: SC401 statement not carried over; SC402 feature dropped; SC403 type changed;
SC404 expression kept as written (sqlglot could not translate it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archkit.findings import Finding, Findings, Severity
from archkit.schema.catalog import (
    Catalog,
    Check,
    Column,
    ForeignKey,
    Index,
    Table,
    Unique,
    View,
    split_key,
)
from archkit.schema.ddl import (
    INHERITS,
    PARTITION_BOUND,
    PARTITION_OF,
    TRANSPILE_RESERVED,
    TYPE_NAMES,
    collation_sql,
    column_checks,
    constraint_timing,
    expressions_of,
    fk_actions,
    identity_clause,
    in_parens,
    parents_of,
    quote_ident,
    routines_after_tables,
    sql_list,
    sql_string,
    table_options,
    table_persistence,
    tables_in_order,
    unsigned_part,
)
from archkit.schema.ddl import in_reference_order as _reference_order
from archkit.schema.dialects import dialect as get_dialect
from archkit.schema.parse import (
    ParseResult,
    _split_name,
    default_expression,
    normalise_dialect,
    parse_schema,
)

if TYPE_CHECKING:  # pragma: no cover
    from sqlglot.errors import ErrorLevel

__all__ = ["TranspileResult", "render_catalog", "transpile_schema"]


@dataclass(slots=True)
class TranspileResult:
    sql: str
    source: str
    target: str
    notes: Findings = field(default_factory=Findings)

    def _repr_html_(self) -> str:
        from archkit.display import escape_html, html_table

        head = (f"<p><b>{escape_html(self.source)} → {escape_html(self.target)}</b>: "
                f"{len(self.notes)} note(s)</p>")
        notes = html_table(
            ["code", "severity", "object", "line", "message", "fix"],
            [[n.code, n.severity, n.object or "", n.line or "", n.message, n.fix or ""]
             for n in self.notes],
        ) if self.notes else ""
        return f"{head}{notes}<details><summary>SQL</summary><pre><code>" \
               f"{escape_html(self.sql)}</code></pre></details>"


def transpile_schema(text: str, source: str, target: str, *, file: str | None = None
                     ) -> TranspileResult:
    """``text`` (in ``source``) as DDL for ``target``, with notes on what changed."""
    source, target = normalise_dialect(source), normalise_dialect(target)
    parsed = parse_schema(text, source, file=file)
    writer = _Writer(parsed, target, file, text)
    sql = writer.render()
    return TranspileResult(sql, source, target, Findings(writer.notes).sorted())


def render_catalog(catalog: Catalog, dialect: str) -> str:
    """DDL that creates ``catalog`` on ``dialect`` (notes dropped; see ``transpile_schema``)."""
    fake = ParseResult(catalog, catalog.dialect)
    return _Writer(fake, normalise_dialect(dialect), None, "").render()


# -- identifiers ------------------------------------------------------------------------------
def _q(name: str, dialect: str) -> str:
    """A name as transpiled DDL writes it: never split at a dot, quoted only when it must be."""
    return quote_ident(name, dialect, qualified=False, reserved=TRANSPILE_RESERVED)


def _q_table(key: str, dialect: str) -> str:
    schema, name = split_key(key)
    if schema is not None and get_dialect(dialect).default_schema == "public":
        return f"{_q(schema, dialect)}.{_q(name, dialect)}"  # schemas carried to PostgreSQL only
    return _q(name, dialect)


# -- types --------------------------------------------------------------------------------------
# The shared type names (ddl.TYPE_NAMES), with transpile's own choices for MySQL on top.
_TYPES = {
    "postgres": TYPE_NAMES["postgres"],
    "mysql": {
        **TYPE_NAMES["mysql"], "integer": "int", "double": "double", "real": "float",
        "timestamp": "datetime", "timestamptz": "datetime", "bytea": "longblob",
        "boolean": "boolean",
    },
    "sqlite": {
        "uuid": "text", "json": "text", "jsonb": "text", "timestamptz": "timestamp",
        "bytea": "blob", "double": "double", "tinyint": "smallint", "year": "integer",
    },
}
# Catalog types every target accepts as written (after the _TYPES mapping above).
_COMMON_TYPES = {"integer", "bigint", "smallint", "numeric", "real", "double", "varchar",
                 "char", "text", "timestamp", "date", "time", "boolean", "decimal"}
_PORTABLE = {
    "postgres": _COMMON_TYPES | {"timestamptz", "timetz", "uuid", "json", "jsonb", "bytea",
                                 "interval", "inet", "cidr", "macaddr", "tsvector", "money"},
    "mysql": _COMMON_TYPES | {"tinyint", "datetime", "json", "blob", "longblob", "mediumblob",
                              "mediumtext", "longtext", "tinytext", "year", "enum", "set",
                              "binary", "varbinary", "bit", "float"},
    "sqlite": _COMMON_TYPES | {"datetime", "blob", "integer", "float", "numeric"},
}
_CHANGED_MEANING = {
    ("mysql", "uuid"): "MySQL has no uuid type; stored as char(36)",
    ("mysql", "jsonb"): "MySQL has json, not jsonb (no GIN indexing, key order kept)",
    ("mysql", "timestamptz"): "MySQL has no time-zone-aware type; datetime — store UTC",
    ("sqlite", "uuid"): "SQLite has no uuid type; stored as text",
    ("sqlite", "jsonb"): "SQLite has no json type; stored as text",
    ("sqlite", "json"): "SQLite has no json type; stored as text",
    ("sqlite", "timestamptz"): "SQLite has no time zones; store UTC text",
    ("postgres", "year"): "PostgreSQL has no year type; smallint",
}


class _Writer:
    def __init__(self, parsed: ParseResult, target: str, file: str | None, text: str) -> None:
        self.parsed = parsed
        self.cat = parsed.catalog
        self.source = self.cat.dialect
        self.target = target
        self.d = get_dialect(target)
        self.file = file
        self.text = text
        self.notes: list[Finding] = []
        self.keyed = self._keyed_columns()
        self.changed: dict[str, list[tuple[str, int | None]]] = {}
        self.index_names: set[str] = set()
        self.serials = self.serial_columns()

    def note(self, code: str, message: str, obj: str | None, line: int | None, fix: str,
             severity: Severity = Severity.WARNING) -> None:
        self.notes.append(Finding(code, severity, message, obj, line, fix, self.file))

    # ---------------------------------------------------------------------------------------
    def render(self) -> str:
        carried = self.carried()
        self._source_notes(carried.ids)
        out: list[str] = [*carried.head, *self.schemas(carried), *self.sequences(carried)]
        named: list[tuple[str, str, str]] = []  # (name, statement, what it references)
        if self.d.named_types:
            for key, enum in self.cat.enums.items():
                name = split_key(key)[1].lower()
                if key in carried.types:  # a domain's checks, a composite type's fields
                    named.append((name, carried.types[key], carried.types[key]))
                elif enum.values:
                    vals = sql_list(enum.values)
                    named.append((name, f"CREATE TYPE {_q_table(key, 'postgres')} AS ENUM "
                                        f"({vals});", ""))
                elif enum.base:
                    stmt = f"CREATE DOMAIN {_q_table(key, 'postgres')} AS {enum.base};"
                    named.append((name, stmt, stmt))
        else:
            for key, enum in self.cat.enums.items():
                if enum.base:
                    self.note("SC403", f"domain {key} becomes its base type {enum.base}", key,
                              enum.line, "add the domain's CHECK to the columns that use it",
                              Severity.INFO)
                elif not enum.values:
                    self.note("SC403", f"type {key} (composite or range) becomes text: "
                              f"{self.target} has no such types", key, enum.line,
                              "split it into columns or store it as json")
        # parents (of a partition, of an inheriting table) first
        tables = [(k, self.cat.tables[k]) for k in _parents_first(self.cat)]
        early, late = self.routine_places(carried)
        # types and the routines tables use: each after what its text names
        out += _reference_order(named + [(n, t, t) for n, t in early])
        for key, table in tables:
            out.append(self.create_table(key, table))
        for _key, index in self.cat.indexes.items():
            stmt = self.create_index(index)
            if stmt:
                out.append(stmt)
        if self.d.alter_constraints:  # else the foreign keys are in CREATE TABLE
            for key, table in tables:
                for fk in table.foreign_keys:  # an unnamed key stays unnamed
                    cons = f"CONSTRAINT {_q(fk.name, self.target)} " if fk.name else ""
                    out.append(f"ALTER TABLE {_q_table(key, self.target)} ADD {cons}"
                               f"{self.fk_clause(key, fk)};")
        out += [t for _n, t in late]
        for key, view in self.cat.views.items():
            stmt = self.create_view(key, view)
            if stmt:
                out.append(stmt)
        out += carried.late
        out += self.comments()
        for base, columns in self.changed.items():
            names = ", ".join(name for name, _ in columns[:8])
            if len(columns) > 8:
                names += f" and {len(columns) - 8} more"
            self.note("SC403", f"{_CHANGED_MEANING[(self.target, base)]}: {names}",
                      columns[0][0], columns[0][1], "check that the application agrees",
                      Severity.INFO)
        return "\n\n".join(out) + "\n"

    # objects carried by their text ---------------------------------------------------------
    def carried(self) -> _Carried:
        """The statements written as they are: to the schema's own dialect, schemas,
        routines, domains, composite types, sequences, triggers, policies and comments on
        them; extensions to any target that has them (else a note)."""
        out = _Carried()
        same = self.source == self.target
        for i, ps in enumerate(self.parsed.statements):
            text = ps.statement.text.strip().rstrip(";")
            if _EXTENSION.match(text) or _COMMENT_ON_EXTENSION.match(text):
                if self.d.extensions:
                    out.head.append(f"{text};")
                    out.ids.add(i)
                elif _EXTENSION.match(text):
                    self.note("SC402", f"{_first(text)}: {self.target} has no extensions; "
                              "what it brings (types, functions, operator classes) is missing",
                              None, ps.statement.line, "replace what the schema uses of it")
                continue
            if not same:
                continue
            if m := _SCHEMA_DEF.match(text):
                out.head.append(f"{text};")
                out.schemas.add(_split_name(m.group(1))[0])
            elif m := _TYPE_DEF.match(text):
                name, schema = _split_name(m.group(1) or m.group(2))
                out.types[self.cat.key(name, schema)] = f"{text};"
            elif m := _SEQUENCE_DEF.match(text):
                name, schema = _split_name(m.group(1))
                out.sequences[self.cat.key(name, schema)] = f"{text};"
            elif m := _ROUTINE_DEF.match(text):
                out.routines.append((_split_name(m.group(1))[0].lower(), f"{text};"))
            elif _LATE_DEF.match(text):
                out.late.append(f"{text};")
            else:
                continue
            out.ids.add(i)
        return out

    def schemas(self, carried: _Carried) -> list[str]:
        """``CREATE SCHEMA`` for the schemas objects live in that no statement creates."""
        if not self.d.schema_objects:
            return []
        keys = [*self.cat.tables, *self.cat.views, *self.cat.enums, *self.cat.sequences]
        used = {s for k in keys if (s := split_key(k)[0]) is not None}
        used -= carried.schemas | {self.d.default_schema}
        return [f"CREATE SCHEMA IF NOT EXISTS {_q(s, self.target)};" for s in sorted(used)]

    def implied_sequences(self) -> dict[tuple[str, str], str]:
        """``(table key, column)`` → sequence key, for the SERIAL columns of the schema
        (an auto-numbered column whose sequence is in the catalog)."""
        out = {}
        for k, t in self.cat.tables.items():
            for c in t.columns:
                seq = self.cat.serial_sequence(t, c.name)
                if c.identity and seq in self.cat.sequences:
                    out[(k, c.name)] = seq
        return out

    def serial_columns(self) -> set[tuple[str, str]]:
        """The SERIAL columns written as such (to a target that has the serial types)."""
        return {(k, c) for (k, c), _seq in self.implied_sequences().items()
                if self.cat.tables[k].column(c).type in self.d.serial_types}

    def sequences(self, carried: _Carried) -> list[str]:
        """``CREATE SEQUENCE`` for the sequences no SERIAL column implies."""
        implied = {seq for col, seq in self.implied_sequences().items()
                   if col in self.serials or not self.d.serial_types}
        out = []
        for key, seq in self.cat.sequences.items():
            if key in implied:
                continue
            if self.d.schema_objects:
                out.append(carried.sequences.get(key) or
                           f"CREATE SEQUENCE {_q_table(key, self.target)};")
            else:
                self.note("SC402", f"sequence {key} not carried over ({self.target} has no "
                          "sequences)", key, seq.line,
                          "use an auto-increment column or a counter table", Severity.INFO)
        return out

    def routine_places(self, carried: _Carried
                       ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """Carried routines ``(before the tables, after them)``, by ddl's one rule
        (:func:`archkit.schema.ddl.routines_after_tables`)."""
        relations = {split_key(k)[1].lower() for k in (*self.cat.tables, *self.cat.views)}
        late = routines_after_tables(
            dict(enumerate(carried.routines)), relations,
            "\n".join([*carried.types.values(), *expressions_of(self.cat)]))
        return ([r for i, r in enumerate(carried.routines) if i not in late],
                [r for i, r in enumerate(carried.routines) if i in late])

    def _source_notes(self, carried: set[int]) -> None:
        for i, ps in enumerate(self.parsed.statements):
            if i in carried:
                continue
            if ps.kind in ("error", "unparsed") or (ps.kind == "other"
                                                    and not _is_routine(ps.statement.text)
                                                    and not _NO_SCHEMA_EFFECT.match(
                                                        ps.statement.text)):
                self.note("SC401", f"not carried over: {_first(ps.statement.text)}", None,
                          ps.statement.line, "write this statement for the target by hand")
        for i, ps in enumerate(self.parsed.statements):
            if _is_routine(ps.statement.text) and ps.kind != "error" and i not in carried:
                self.note("SC401", f"routine or trigger not carried over: "
                          f"{_first(ps.statement.text)}", None, ps.statement.line,
                          "rewrite it in the target's procedural language", Severity.INFO)
        if get_dialect(self.source).unsigned_integers and re.search(r"\bUNSIGNED\b", self.text,
                                                                    re.I):
            if not self.d.unsigned_integers:
                self.note("SC403", "UNSIGNED integers become signed (no unsigned types in "
                          f"{self.target})", None, None, "add CHECK (col >= 0) where it matters",
                          Severity.INFO)

    # tables ----------------------------------------------------------------------------------
    def _keyed_columns(self) -> set[tuple[str, str]]:
        keyed = set()
        for key, t in self.cat.tables.items():
            groups = [t.primary_key.columns] if t.primary_key else []
            groups += [u.columns for u in t.uniques] + [f.columns for f in t.foreign_keys]
            for g in groups:
                keyed |= {(key, c) for c in g}
        for i in self.cat.indexes.values():
            keyed |= {(i.table, c) for c in i.columns}
        for t in self.cat.tables.values():
            for f in t.foreign_keys:
                keyed |= {(f.ref_table, c) for c in f.ref_columns}
        return keyed

    def option_notes(self, key: str, table: Table) -> None:
        """SC402 for each table option left out: to another dialect, options are not
        carried (their text is the source dialect's)."""
        for opt in table.options:
            if opt == PARTITION_BOUND:
                continue
            if opt in (INHERITS, PARTITION_OF):
                self.note("SC402", f"table {key}: {opt.replace('_', ' ')} "
                          f"{table.options[opt]} not carried over; columns are copied", key,
                          table.line, "recreate the partitioning or inheritance by hand")
            else:
                label = opt.replace("Property", "").upper()
                self.note("SC402", f"table {key}: {label} ({table.options[opt]}) dropped", key,
                          table.line, f"{self.target} has no equivalent", Severity.INFO)

    def create_table(self, key: str, table: Table) -> str:
        tgt = self.target
        same = self.source == tgt
        if not same:
            self.option_notes(key, table)
        # a partition takes its columns from its parent: PARTITION OF p (constraints)
        child_of = table.options.get(PARTITION_OF) if same else None
        pk = table.primary_key
        inline_pk = None
        if pk and len(pk.columns) == 1 and not child_of and (
                not pk.name or self.d.identity_inline_pk_only):  # keep the key's name
            col = table.column(pk.columns[0])
            if col is not None and col.identity:
                inline_pk = col.name
        on_columns = {} if child_of else column_checks(table)
        lines = []
        for col in [] if child_of else table.columns:
            checks = [self.check(key, ck) for ck in on_columns.get(col.name, ())]
            lines.append(" ".join([self.column(key, table, col, inline_pk == col.name),
                                   *checks]))
        if pk and inline_pk is None:
            cons = f"CONSTRAINT {_q(pk.name, tgt)} " if pk.name and \
                not self.d.primary_key_always_primary else ""
            lines.append(f"{cons}PRIMARY KEY ({self.cols(pk.columns)})")
        for u in table.uniques:
            cons = f"CONSTRAINT {_q(u.name, tgt)} " if u.name else ""
            lines.append(f"{cons}UNIQUE{self.unique_nulls(key, u)} ({self.cols(u.columns)})"
                         f"{self.timing(key, u)}")
        declared = {id(ck) for cks in on_columns.values() for ck in cks}
        lines += [self.check(key, ck) for ck in table.checks if id(ck) not in declared]
        for col in table.columns:
            check = self.enum_check(key, col)
            if check:
                lines.append(check)
        if not self.d.alter_constraints:
            for fk in table.foreign_keys:
                cons = f"CONSTRAINT {_q(fk.name, tgt)} " if fk.name else ""
                lines.append(cons + self.fk_clause(key, fk))
        body = ",\n    ".join(lines)
        body = f" (\n    {body}\n)" if lines or not child_of else ""
        tail = self.options_tail(table, same)
        head = f"CREATE {table_persistence(table, tgt) if same else ''}TABLE {_q_table(key, tgt)}"
        if child_of:
            bound = table.options.get(PARTITION_BOUND, "DEFAULT")
            return f"{head} PARTITION OF {_q_table(child_of, tgt)}{body} {bound}{tail};"
        return f"{head}{body}{tail};"

    def options_tail(self, table: Table, same: bool) -> str:
        """What follows the table's body: its options (to its own dialect only, see
        ``option_notes``) and its comment where the target writes it there (MySQL)."""
        options = table_options(table, self.target) if same else (
            [f"COMMENT={sql_string(table.comment)}"]
            if self.d.inline_table_comments and table.comment else [])
        return " " + self.d.table_option_separator.join(options) if options else ""

    def check(self, key: str, ck: Check) -> str:
        """``[CONSTRAINT name] CHECK (...)`` with its expression for the target."""
        cons = f"CONSTRAINT {_q(ck.name, self.target)} " if ck.name else ""
        tail = ""
        if ck.no_inherit and self.d.check_no_inherit:
            tail = " NO INHERIT"
        elif ck.no_inherit:
            self.note("SC402", f"table {key}: NO INHERIT of CHECK ({ck.expression}) dropped",
                      key, ck.line, f"{self.target} has no table inheritance", Severity.INFO)
        return f"{cons}CHECK ({self.expr(ck.expression, key, ck.line)}){tail}"

    def column(self, key: str, table: Table, col: Column, inline_pk: bool) -> str:
        tgt = self.target
        ctype = self.type_of(key, col)
        d = self.d
        serial = (key, col.name) in self.serials
        if serial:  # the column and the sequence it owns, as written
            ctype = d.serial_types[col.type]
        parts = [_q(col.name, tgt), ctype]
        if serial:
            parts.append("PRIMARY KEY" if inline_pk else "")
        elif col.identity and not inline_pk:
            if d.serial_types and col.type in ("integer", "bigint", "smallint"):
                parts.append(identity_clause(col, tgt))
            elif d.auto_increment_must_be_key and (key, col.name) in self.keyed:
                parts.append(d.identity_clause)
            else:
                self.note("SC402", f"{key}.{col.name}: auto-increment dropped ({tgt} allows it "
                          "only on a single-column integer primary key)", f"{key}.{col.name}",
                          col.line, "generate the value in the application")
        if inline_pk and not serial:
            if not d.identity_inline_pk_only:
                parts.append(f"{identity_clause(col, tgt)} PRIMARY KEY")
            else:
                parts[1] = "INTEGER"  # only INTEGER PRIMARY KEY is SQLite's rowid alias
                parts.append(f"PRIMARY KEY {d.identity_clause}")
        if col.generated:
            expr = self.expr(col.generated, key, col.line)
            parts.append(f"GENERATED ALWAYS AS ({expr}) {self.generated_kind(key, col)}")
        if col.collation:
            if self.source == tgt:
                parts.append(collation_sql(col.collation))
            else:
                self.note("SC402", f"{key}.{col.name}: COLLATE {col.collation} dropped "
                          "(collation names differ per engine)", f"{key}.{col.name}", col.line,
                          f"choose a {tgt} collation", Severity.INFO)
        if not col.nullable and not inline_pk:
            parts.append("NOT NULL")
        if col.default is not None and not col.generated:
            parts.append("DEFAULT " + self.default(key, col))
        if col.on_update and self.d.on_update_current_timestamp:
            parts.append(f"ON UPDATE {col.on_update.upper()}")
        elif col.on_update:
            self.note("SC402", f"{key}.{col.name}: ON UPDATE {col.on_update.upper()} dropped",
                      f"{key}.{col.name}", col.line,
                      "maintain the column in the application or with a trigger")
        if self.d.inline_column_comments and col.comment:
            parts.append(f"COMMENT {sql_string(col.comment)}")
        return " ".join(p for p in parts if p)

    def timing(self, key: str, c: Unique | ForeignKey) -> str:
        """`` DEFERRABLE [INITIALLY DEFERRED]`` of a unique or foreign key, or a note where
        the target checks every constraint at once."""
        if not c.deferrable:
            return ""
        if self.d.deferrable_constraints:
            return constraint_timing(c, self.target)
        what, meanwhile = ("unique", "no duplicate") if isinstance(c, Unique) else \
            ("foreign key", "no row without its referenced row")
        self.note("SC402", f"table {key}: DEFERRABLE {what} ({', '.join(c.columns)}) is "
                  f"checked at once on {self.target}", key, c.line,
                  f"order the statements of a transaction so that {meanwhile} shows between "
                  "them")
        return ""

    def unique_nulls(self, key: str, u: Unique) -> str:
        """`` NULLS NOT DISTINCT`` where the target has it (PostgreSQL), else a note."""
        if not u.nulls_not_distinct:
            return ""
        if self.d.nulls_not_distinct:
            return " NULLS NOT DISTINCT"
        self.note("SC402", f"{key}: UNIQUE NULLS NOT DISTINCT ({', '.join(u.columns)}) "
                  "becomes UNIQUE (NULLs are distinct)", key, u.line,
                  "use NOT NULL columns or a sentinel value", Severity.WARNING)
        return ""

    def generated_kind(self, key: str, col: Column) -> str:
        """``STORED`` / ``VIRTUAL`` as read; STORED (with a note) where the target has no
        virtual columns (PostgreSQL before 18) and the schema comes from another dialect."""
        kind = col.generated_kind or "stored"
        if kind == "virtual" and not self.d.virtual_generated_columns and \
                self.source != self.target:
            self.note("SC403", f"{key}.{col.name}: virtual generated column becomes STORED "
                      f"({self.target} computes it on write)", f"{key}.{col.name}", col.line,
                      "check the disk space it takes", Severity.INFO)
            kind = "stored"
        return kind.upper()

    def type_of(self, key: str, col: Column) -> str:
        """The column's type written for the target (UNSIGNED only where it has it)."""
        t, unsigned = unsigned_part(col.type)
        out = self.signed_type_of(key, col, t)
        return out + unsigned if unsigned and self.d.unsigned_integers else out

    def signed_type_of(self, key: str, col: Column, t: str) -> str:
        tgt = self.target
        base = t.split("(", 1)[0]
        enum = self.cat.enums.get(t) or self.cat.enums.get(t.split(".")[-1])
        if enum is not None and self.d.named_types:
            return t  # the target has the named type (a domain ``year`` is not MySQL's)
        if enum is not None:
            if enum.values and self.d.inline_enums:
                return "enum(" + sql_list(enum.values) + ")"
            return _TYPES[tgt].get(enum.base or "text", enum.base or "text")
        if base in ("enum", "set") and not self.d.inline_enums:
            self.note("SC403", f"{key}.{col.name}: {base} type becomes text"
                      + (" with a CHECK of its values" if base == "enum" else ""),
                      f"{key}.{col.name}", col.line,
                      "create an enum type or a lookup table if you need one", Severity.INFO)
            return self.d.enum_fallback_type
        if t.endswith("[]") and self.d.array_storage:
            self.note("SC403", f"{key}.{col.name}: array {t} stored as json", f"{key}.{col.name}",
                      col.line, "use a child table if you query the elements")
            return self.d.array_storage
        if base == "text" and self.d.index_prefix_lengths and self.source != tgt and \
                (key, col.name) in self.keyed:
            self.note("SC403", f"{key}.{col.name}: text in a key or index becomes varchar(255) "
                      "(MySQL cannot index text without a prefix length)", f"{key}.{col.name}",
                      col.line, "choose a real maximum length", Severity.INFO)
            return "varchar(255)"
        if (tgt, base) in _CHANGED_MEANING and self.source != tgt:
            self.changed.setdefault(base, []).append((f"{key}.{col.name}", col.line))
        # to its own dialect a type keeps its meaning (MySQL timestamp is not datetime)
        names = TYPE_NAMES[tgt] if self.source == tgt else _TYPES[tgt]
        mapped = names.get(t) or names.get(base)
        if mapped:
            return mapped if "(" in mapped or "(" not in t else mapped + t[len(base):]
        if base in ("numeric",):
            return self.d.numeric_type + t[len(base):]
        if base == "varchar" and "(" not in t and self.d.varchar_needs_length:
            return "varchar(255)"
        if self.source != tgt and base not in _PORTABLE.get(tgt, set()):
            self.note("SC403", f"{key}.{col.name}: type {t} has no {tgt} equivalent known to "
                      "archkit; kept as written", f"{key}.{col.name}", col.line,
                      f"choose a {tgt} type for it", Severity.WARNING)
        return t

    def enum_check(self, key: str, col: Column) -> str | None:
        enum = self.cat.enums.get(col.type)
        values: tuple[str, ...] = ()
        if enum is not None and enum.values and not (self.d.named_types or self.d.inline_enums):
            values = enum.values
        elif col.type.startswith("enum(") and not self.d.inline_enums:
            values = tuple(v.replace("''", "'") for v in re.findall(r"'((?:[^']|'')*)'", col.type))
        if not values:
            return None
        listed = sql_list(values)
        return f"CHECK ({_q(col.name, self.target)} IN ({listed}))"

    def default(self, key: str, col: Column) -> str:
        out = None
        tree = col.default_tree() if self.source != self.target else None
        if tree is not None:
            out = default_expression(tree, self.target)  # the tree, for the target
        if out is None:
            sql = col.default_sql
            if sql is None:
                sql = col.default if col.default is not None else "NULL"
                if not re.fullmatch(r"-?\d+(\.\d+)?|true|false|current_timestamp|current_date",
                                    sql, re.I):
                    sql = sql_string(sql)
            out = self.expr(sql, key, col.line)
        if self.d.expression_defaults_in_parens and not in_parens(out) and not re.fullmatch(
            r"-?[\d.]+|'(?:[^']|'')*'|NULL|TRUE|FALSE|CURRENT_TIMESTAMP|CURRENT_DATE|"
            r"CURRENT_TIME", out, re.I,
        ):
            out = f"({out})"
        if self.d.text_defaults_in_parens and col.type.split("(")[0] in ("text", "json", "jsonb",
                                                                         "blob") \
                and not in_parens(out):
            out = f"({out})"  # MySQL 8 / MariaDB take expression defaults in parentheses
        return out

    def fk_clause(self, key: str, fk: ForeignKey) -> str:
        tgt = self.target
        out = (f"FOREIGN KEY ({self.cols(fk.columns)}) REFERENCES {_q_table(fk.ref_table, tgt)}"
               f" ({self.cols(fk.ref_columns)})")
        return out + fk_actions(fk) + self.timing(key, fk)

    def cols(self, names: Iterable[str]) -> str:
        return ", ".join(_q(n, self.target) for n in names)

    # indexes, views, comments -----------------------------------------------------------------
    def create_index(self, index: Index) -> str | None:
        tgt = self.target
        same = self.source == tgt
        d = get_dialect(tgt)
        parts = []
        for i, part in enumerate(index.columns):
            if not index.is_expr(i):
                text = _q(part, tgt)
            elif same and index.part_sql(i):  # as written (a MySQL multi-valued index)
                parts.append(index.part_sql(i))
                continue
            elif not d.expression_indexes:
                self.note("SC402", f"index {index.name}: expression part ({part}) not carried "
                          "over; MariaDB has no expression indexes", index.name, index.line,
                          "index a generated column instead")
                return None
            else:
                text = f"({self.expr(part, index.name, index.line)})"
            if index.length(i) is not None:
                if d.index_prefix_lengths:
                    text += f"({index.length(i)})"
                else:
                    self.note("SC402", f"index {index.name}: prefix length {part}"
                              f"({index.length(i)}) dropped; {tgt} indexes the whole value",
                              index.name, index.line, "check the index size", Severity.INFO)
            suffix = index.suffix(i)
            if suffix and not same and not re.fullmatch(r"(?i)(ASC|DESC)", suffix):
                self.note("SC402", f"index {index.name}: {suffix} on {part} dropped", index.name,
                          index.line, f"write the {tgt} equivalent by hand", Severity.INFO)
                suffix = re.sub(r"(?is)^.*?\b(ASC|DESC)\b.*$", r"\1", suffix) \
                    if re.search(r"(?i)\b(ASC|DESC)\b", suffix) else ""
            parts.append(text + (f" {suffix}" if suffix else ""))
        where = ""
        if index.where:
            if not d.partial_indexes:
                sev = Severity.WARNING if index.unique else Severity.INFO
                extra = "; uniqueness now applies to all rows" if index.unique else ""
                self.note("SC402", f"index {index.name}: partial WHERE {index.where} dropped "
                          f"(MySQL has no partial indexes){extra}",
                          index.name, index.line, "enforce the rule another way", sev)
            elif same and index.where_sql:  # as written: the engine keeps its text
                where = f" WHERE {index.where_sql}"
            else:
                where = f" WHERE {self.expr(index.where, index.name, index.line)}"
        using = after = ""
        if index.using and index.using != "btree":
            # to its own dialect a method is kept as read (pgvector's hnsw, ...)
            if same or (index.using in d.index_methods and index.using == "hash"):
                if d.index_using_after_parts:
                    after = f" USING {index.using.upper()}"
                else:
                    using = f" USING {index.using}"
            else:
                self.note("SC402", f"index {index.name}: USING {index.using} dropped", index.name,
                          index.line, f"{tgt} builds a b-tree index", Severity.INFO)
        kind = "UNIQUE " if index.unique else ""
        if index.kind:
            if index.kind in d.index_kinds:
                kind = f"{index.kind.upper()} "
            else:
                self.note("SC402", f"index {index.name}: {index.kind.upper()} index becomes a "
                          f"plain index on {tgt}", index.name, index.line,
                          "use the target's full-text or spatial search", Severity.WARNING)
        include = nulls = comment = ""
        if index.include:
            if d.index_include:
                include = f" INCLUDE ({self.cols(index.include)})"
            else:
                self.note("SC402", f"index {index.name}: INCLUDE dropped", index.name,
                          index.line, "add the columns to the index if it must cover them",
                          Severity.INFO)
        if index.nulls_not_distinct:
            if d.nulls_not_distinct:
                nulls = " NULLS NOT DISTINCT"
            else:
                self.note("SC402", f"index {index.name}: NULLS NOT DISTINCT dropped (NULLs "
                          "are distinct)", index.name, index.line,
                          "use a NOT NULL column or a sentinel value", Severity.WARNING)
        if index.comment and d.index_comments:
            comment = f" COMMENT {sql_string(index.comment)}"
        iname = index.name
        if d.index_names_per_schema:  # index names are per schema here, per table in MySQL
            if iname in self.index_names:
                iname = f"{split_key(index.table)[1]}_{index.name}"
                self.note("SC403", f"index {index.name} on {index.table} renamed {iname} "
                          f"(index names are per schema in {tgt})", index.name, index.line,
                          "give indexes schema-wide unique names", Severity.INFO)
            self.index_names.add(iname)
        name = _q(iname, tgt)
        table = _q_table(index.table, tgt)
        return (f"CREATE {kind}INDEX {name} ON {table}{using} ({', '.join(parts)}){include}"
                f"{nulls}{where}{after}{comment};")

    def create_view(self, key: str, view: View) -> str | None:
        query = self.expr(view.sql, key, view.line, statement=True)
        if view.materialized and not self.d.materialized_views:
            self.note("SC402", f"materialized view {key} becomes a plain view", key, view.line,
                      "refresh a table yourself if the query is slow", Severity.INFO)
        kind = "MATERIALIZED VIEW" if view.materialized and self.d.materialized_views else "VIEW"
        return f"CREATE {kind} {_q_table(key, self.target)} AS\n{query};"

    def comments(self) -> list[str]:
        """COMMENT ON statements (PostgreSQL); MySQL has its comments inline, and a
        comment the target cannot keep is noted (SC402)."""
        items = []
        for key, table in self.cat.tables.items():
            items.append((key, "TABLE", _q_table(key, self.target), table.comment, table.line))
            items += [(key, "COLUMN", f"{_q_table(key, self.target)}.{_q(c.name, self.target)}",
                       c.comment, c.line) for c in table.columns]
        for key, view in self.cat.views.items():
            kind = "MATERIALIZED VIEW" if view.materialized and self.d.materialized_views \
                else "VIEW"
            items.append((key, kind, _q_table(key, self.target), view.comment, view.line))
        out: list[str] = []
        for key, kind, target, comment, line in items:
            if not comment:
                continue
            if self.d.comment_statements:
                out.append(f"COMMENT ON {kind} {target} IS {sql_string(comment)};")
            elif not self.d.keeps_comments or kind.endswith("VIEW"):
                self.note("SC402", f"comment on {target} dropped ({self.target} keeps no "
                          f"{kind.lower()} comments)", key, line,
                          "keep it as a -- comment in the DDL", Severity.INFO)
        return out

    def expr(self, sql: str, obj: str | None, line: int | None, statement: bool = False) -> str:
        if self.source == self.target:
            return sql
        import sqlglot
        from sqlglot.errors import SqlglotError

        try:
            out = sqlglot.transpile(sql, read=self.source, write=self.target,
                                    unsupported_level=_raise_level())[0]
        except (SqlglotError, IndexError, ValueError, TypeError, RecursionError) as err:
            self.note("SC404", f"kept as written (not translatable: {str(err).splitlines()[0]}):"
                      f" {_first(sql)}", obj, line, f"rewrite it for {self.target}")
            return sql
        return out


def _parents_first(cat: Catalog) -> list[str]:
    """The tables in the order they were read, a partition or an inheriting table moved
    after its parents."""
    order = {k: i for i, k in enumerate(tables_in_order(cat)[0])}
    done: dict[str, None] = {}  # an ordered set
    for key in cat.tables:
        for parent in sorted(_ancestors(cat, key), key=order.__getitem__):
            done.setdefault(parent)
        done.setdefault(key)
    return list(done)


def _ancestors(cat: Catalog, key: str, seen: frozenset[str] = frozenset()) -> set[str]:
    direct = [p for p in parents_of(cat.tables[key]) if p in cat.tables and p not in seen]
    out = set(direct)
    for p in direct:
        out |= _ancestors(cat, p, seen | {key})
    return out


def _raise_level() -> ErrorLevel:
    from sqlglot.errors import ErrorLevel

    return ErrorLevel.RAISE


_NO_SCHEMA_EFFECT = re.compile(r"\s*CREATE\s+(?:SCHEMA|EXTENSION|DATABASE)\b", re.I)
_NAME = r"([\w$.\"`]+)"
_EXTENSION = re.compile(r"(?is)^\s*CREATE\s+EXTENSION\b")
_COMMENT_ON_EXTENSION = re.compile(r"(?is)^\s*COMMENT\s+ON\s+EXTENSION\b")
_SCHEMA_DEF = re.compile(rf"(?is)^\s*CREATE\s+SCHEMA\s+(?:IF\s+NOT\s+EXISTS\s+)?{_NAME}")
_TYPE_DEF = re.compile(rf"(?is)^\s*CREATE\s+(?:DOMAIN\s+{_NAME}|TYPE\s+{_NAME}\s+AS\s+"
                       r"(?:\(|RANGE\b))")
_SEQUENCE_DEF = re.compile(rf"(?is)^\s*CREATE\s+SEQUENCE\s+(?:IF\s+NOT\s+EXISTS\s+)?{_NAME}")
_ROUTINE_DEF = re.compile(
    r"(?is)^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?"
    rf"(?:(?:AGGREGATE\s+)?(?:FUNCTION|PROCEDURE)|AGGREGATE)\s+(?:IF\s+NOT\s+EXISTS\s+)?{_NAME}")
_LATE_DEF = re.compile(
    r"(?is)^\s*(?:CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:CONSTRAINT\s+)?"
    r"(?:TRIGGER|POLICY|RULE|EVENT)\b|ALTER\s+TABLE\s+.*\bROW\s+LEVEL\s+SECURITY\s*$|"
    r"COMMENT\s+ON\s+(?:FUNCTION|PROCEDURE|AGGREGATE|TRIGGER|POLICY|DOMAIN|TYPE|SCHEMA|"
    r"SEQUENCE|RULE)\b)")


@dataclass(slots=True)
class _Carried:
    """Statements written as they are, by where they go in the output; ``ids`` are their
    indexes among the parsed statements (no "not carried over" note for those)."""

    head: list[str] = field(default_factory=list)  # schemas and extensions
    schemas: set[str] = field(default_factory=set)
    types: dict[str, str] = field(default_factory=dict)  # domains, composite, range types
    sequences: dict[str, str] = field(default_factory=dict)
    routines: list[tuple[str, str]] = field(default_factory=list)  # (name, text)
    late: list[str] = field(default_factory=list)  # triggers, policies, comments on them
    ids: set[int] = field(default_factory=set)


def _is_routine(text: str) -> bool:
    return bool(re.match(r"\s*(?:CREATE|ALTER)\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?"
                         r"(?:FUNCTION|PROCEDURE|TRIGGER|AGGREGATE|EVENT|RULE)\b", text, re.I))


def _first(text: str, limit: int = 80) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"
