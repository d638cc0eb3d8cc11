"""Design lint: warnings about schemas that work today and hurt later, each with a fix.

Usage::

    from archkit.schema.lint import LintConfig, lint
    findings = lint(parse_result, LintConfig(disabled={"SC206"}))

Silence a finding for one object with a comment in or just before its statement::

    -- archkit: ignore SC201
    CREATE TABLE audit_log (at timestamptz, line text);

or in the object's own comment (kept in the database)::

    COMMENT ON TABLE audit_log IS 'Append-only. archkit: ignore SC201';

or for every object, with ``LintConfig(disabled={"SC201"})``; or for named objects, with
``LintConfig(ignore={"SC201": {"audit_log"}})``. Errors are never silenced.

=======  ================================================================
SC201    table without a primary key
SC202    foreign key without an index that starts with its columns
SC203    integer / serial key that will overflow (prefer bigint / identity)
SC204    timestamp without time zone (PostgreSQL)
SC205    floating-point type for money
SC206    name does not follow the naming convention
SC207    multi-tenant table whose unique constraint / index does not lead with the tenant column
=======  ================================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archkit.findings import Finding, Findings, Severity
from archkit.lazy import LazyPattern
from archkit.schema.catalog import Catalog, Table
from archkit.schema.dialects import dialect as get_dialect
from archkit.schema.parse import ParseResult

__all__ = ["LintConfig", "RULES", "apply_silences", "lint"]

RULES = {
    "SC201": "table without a primary key",
    "SC202": "foreign key without a supporting index",
    "SC203": "integer key that will overflow",
    "SC204": "timestamp without time zone",
    "SC205": "floating-point type for money",
    "SC206": "naming convention",
    "SC207": "multi-tenant key does not lead with the tenant column",
}

_MONEY = LazyPattern(r"(price|amount|cost|total|balance|fee|money|salary|revenue|tax|subtotal|"
                    r"discount|refund|payment)", re.I)


@dataclass(slots=True)
class LintConfig:
    """Which rules run and how: disable codes, ignore per object, tune conventions."""

    disabled: set[str] = field(default_factory=set)
    ignore: dict[str, set[str]] = field(default_factory=dict)
    table_name: str = r"^[a-z][a-z0-9_]*$"
    column_name: str = r"^[a-z][a-z0-9_]*$"
    tenant_column: str = "tenant_id"

    def enabled(self, code: str) -> bool:
        return code not in self.disabled


def lint(result: ParseResult, config: LintConfig | None = None) -> Findings:
    """Design warnings for the parsed catalog (codes SC201–SC207)."""
    config = config or LintConfig()
    cat = result.catalog
    out: list[Finding] = []

    def add(code, message, obj, line, fix, *, name=None, after=(), place=None):
        if not config.enabled(code) or obj in config.ignore.get(code, ()):
            return
        if obj and obj.split(".")[0] in config.ignore.get(code, ()):
            return
        # the object's name as written (looked up only for a finding that is kept)
        if place is None and name:
            place = result.places().find(line, name, after)
        col = None
        if place is not None:
            line, col = place
        out.append(Finding(code, Severity.WARNING, message, obj, line, fix, result.file, col))

    if config.enabled("SC206"):
        _quoted_names(result, config, add)
    by_table = cat.indexes_by_table()
    for key, table in cat.tables.items():
        indexes = by_table.get(key, [])
        _no_primary_key(table, key, add)
        _unindexed_foreign_keys(cat, table, key, indexes, add)
        _overflowing_keys(cat, table, key, add)
        _column_types(cat, table, key, add)
        _naming(config, table, key, add)
        _tenant_keys(config, table, key, indexes, add)
    return Findings(out)


def _no_primary_key(table: Table, key: str, add) -> None:
    if table.primary_key is None and "partition_of" not in table.options:
        # A link table (two or more single-column references) has a natural key: suggesting
        # a surrogate id there would contradict "one row per pair".
        links = [fk.columns[0] for fk in table.foreign_keys if len(fk.columns) == 1]
        fix = (f"make its natural key the primary key: PRIMARY KEY ({', '.join(links)})"
               if len(links) >= 2 else
               "add a primary key (e.g. id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)")
        add("SC201", f"table {key} has no primary key", key, table.line, fix, name=table.name)


def _leading(cols: tuple[str, ...], prefix: tuple[str, ...]) -> bool:
    return tuple(c.lower() for c in cols[: len(prefix)]) == tuple(p.lower() for p in prefix)


def _unindexed_foreign_keys(cat: Catalog, table: Table, key: str, indexes, add) -> None:
    if get_dialect(cat.dialect).indexes_foreign_keys:
        return  # InnoDB creates an index for every foreign key that lacks one
    keys = [i.columns for i in indexes]
    keys += [u.columns for u in table.uniques]
    if table.primary_key:
        keys.append(table.primary_key.columns)
    for fk in table.foreign_keys:
        if not any(_leading(k, fk.columns) for k in keys):
            cols = ", ".join(fk.columns)
            add("SC202", f"foreign key {key}({cols}) → {fk.ref_table} has no index; deletes on "
                f"{fk.ref_table} and joins will scan {key}", f"{key}({cols})",
                fk.line or table.line, f"CREATE INDEX ON {key} ({cols})",
                name=fk.columns[0], after=("foreign",))


def _overflowing_keys(cat: Catalog, table: Table, key: str, add) -> None:
    if table.primary_key is None or len(table.primary_key.columns) != 1:
        return
    col = table.column(table.primary_key.columns[0])
    if col is None or not col.identity:
        return
    if col.type in ("integer", "smallint", "tinyint"):
        limit = {"integer": "2.1 billion", "smallint": "32,767", "tinyint": "127"}[col.type]
        d = get_dialect(cat.dialect)
        better = d.big_identity
        if d.integers_are_64bit:
            return  # SQLite integers are 64-bit whatever the declared type
        add("SC203", f"{key}.{col.name} is an auto-generated {col.type}; it stops at {limit} rows",
            f"{key}.{col.name}", col.line or table.line, f"use {better}", name=col.name)


def _column_types(cat: Catalog, table: Table, key: str, add) -> None:
    for col in table.columns:
        if get_dialect(cat.dialect).has_timestamptz and col.type.startswith("timestamp") and \
                not col.type.startswith("timestamptz"):
            add("SC204", f"{key}.{col.name} is timestamp without time zone; instants become "
                "ambiguous across zones", f"{key}.{col.name}", col.line or table.line,
                "use timestamptz", name=col.name)
        base = col.type.split("(")[0]
        if base in ("real", "double", "float") and _MONEY.search(col.name):
            add("SC205", f"{key}.{col.name} stores money as {col.type}; binary floats round "
                "cents", f"{key}.{col.name}", col.line or table.line,
                "use numeric(12,2) or an integer amount in minor units", name=col.name)


def _naming(config: LintConfig, table: Table, key: str, add) -> None:
    # names that keep capitals were quoted: _quoted_names reports them where written
    if not re.match(config.table_name, table.name) and table.name == table.name.lower():
        add("SC206", f"table name {table.name} does not match {config.table_name}", key,
            table.line, "rename the table in snake_case", name=table.name)
    for col in table.columns:
        if not re.match(config.column_name, col.name) and col.name == col.name.lower():
            add("SC206", f"column name {key}.{col.name} does not match {config.column_name}",
                f"{key}.{col.name}", col.line or table.line, "rename the column in snake_case",
                name=col.name)


_QUOTED = re.compile(r'"((?:[^"]|"")+)"|`((?:[^`]|``)+)`')


def _quoted_names(result: ParseResult, config: LintConfig, add) -> None:
    # A quoted name with capitals keeps them in the engine, and then every query has to
    # quote it. Read those from the text, where the place of each is known.
    seen = set()
    # where names compare without case (MySQL, SQLite), capitals need no quotes: then it
    # is only the convention
    folding = not get_dialect(result.dialect).case_insensitive
    for ps in result.statements:
        if ps.kind not in ("table", "alter", "index", "view"):
            continue
        text = ps.statement.text
        for m in _QUOTED.finditer(text):
            name = m.group(1) or m.group(2)
            if name == name.lower() or name in seen:
                continue
            if re.match(config.table_name, name) or re.match(config.column_name, name):
                continue
            seen.add(name)
            line, col = ps.statement.position(m.start())
            why = ("keeps its capitals; every query must quote it" if folding else
                   f"does not match {config.column_name}")
            add("SC206", f"{'quoted name' if folding else 'name'} {name} {why}", name, line,
                f"rename it in snake_case: {_snake(name)}", place=(line, col))


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower().replace(" ", "_")


def declared_global(name: str | None) -> bool:
    """A unique whose name says ``global`` is global across tenants on purpose (a payment
    provider's reference); the lint (SC207) and the multi-tenant check cell both accept it."""
    return bool(name) and "global" in str(name).lower()


def _tenant_keys(config: LintConfig, table: Table, key: str, indexes, add) -> None:
    tenant = config.tenant_column
    if table.column(tenant) is None:
        return
    for u in table.uniques:
        if not _leading(u.columns, (tenant,)) and not declared_global(u.name):
            cols = ", ".join(u.columns)
            add("SC207", f"unique ({cols}) on multi-tenant table {key} is global across tenants",
                f"{key}({cols})", u.line or table.line,
                f"make it UNIQUE ({tenant}, {cols}), or name it {key.split('.')[-1]}_"
                f"{'_'.join(u.columns)}_global_key if it is truly global",
                name=u.columns[0] if u.columns else None, after=("unique",))
    for i in indexes:
        if not _leading(i.columns, (tenant,)):
            kind = "unique index" if i.unique else "index"
            add("SC207", f"{kind} {i.name} on multi-tenant table {key} does not lead with "
                f"{tenant}; every tenant's query filters by it", i.name, i.line,
                f"put {tenant} first: ({tenant}, {', '.join(i.columns)})", name=i.name)


# -- silencing ------------------------------------------------------------------------------
_IGNORE = re.compile(r"archkit:\s*ignore\s+((?:SC\d{3}|all)(?:\s*,\s*(?:SC\d{3}|all))*)", re.I)


def apply_silences(findings: Findings, result: ParseResult) -> Findings:
    """Drop findings silenced by an ``archkit: ignore CODE`` comment in their statement."""
    spans: list[tuple[int, int, set[str]]] = []
    for ps in result.statements:
        st = ps.statement
        text = " ".join(st.comments) + " " + st.text
        if "archkit" not in text:
            continue
        codes: set[str] = set()
        for m in _IGNORE.finditer(text):
            codes |= {c.strip().upper() for c in m.group(1).split(",")}
        if codes:
            spans.append((st.line, st.end_line or st.line, codes))
    # COMMENT ON TABLE / COLUMN ... IS '... archkit: ignore SC201' silences that object
    by_object: dict[str, set[str]] = {}
    for key, table in result.catalog.tables.items():
        notes = [(key, table.comment)] + [(f"{key}.{c.name}", c.comment) for c in table.columns]
        for obj, comment in notes:
            for m in _IGNORE.finditer(comment or ""):
                by_object.setdefault(obj, set()).update(
                    c.strip().upper() for c in m.group(1).split(","))
    if not spans and not by_object:
        return findings
    kept = []
    for f in findings:
        if f.severity is Severity.ERROR:
            kept.append(f)
            continue
        in_span = f.line is not None and any(
            lo <= f.line <= hi and (f.code in codes or "ALL" in codes) for lo, hi, codes in spans
        )
        if not (in_span or _object_silenced(f, by_object)):
            kept.append(f)
    return Findings(kept)


def _object_silenced(f: Finding, by_object: dict[str, set[str]]) -> bool:
    obj = f.object or ""
    for name, codes in by_object.items():
        if f.code in codes or "ALL" in codes:
            if obj == name or obj.startswith((name + ".", name + "(")):
                return True
    return False
