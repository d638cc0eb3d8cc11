"""Validation: the errors that make a schema wrong, each with a code, an object and a place.

A finding points at the token at fault — file line and column (the referenced column of a
foreign key, the duplicate name, the view's unknown column) — where that is known; else at
the statement's line, with no column.

Usage::

    from archkit.schema.validate import check_schema
    report = check_schema(ddl, "postgres")              # parse + validate + lint
    report.findings.errors                              # [] when the schema is right
    check_schema(ddl, "postgres", engine="sqlite")      # ... and apply it on an engine

Codes (all errors unless said otherwise):

=======  ===============================================================
SC001    syntax error
SC002    statement not understood (warning; info for routines/triggers)
SC101    table or view created twice
SC102    column declared twice
SC103    constraint or index name used twice; two primary keys
SC104    unknown table (FK target, index, ALTER TABLE)
SC105    unknown column in a foreign key
SC106    foreign key type mismatch (different type families)
SC107    index on an unknown column
SC108    primary key / unique constraint on an unknown column
SC109    view selects an unknown table or column
SC110    identifier longer than the engine allows
SC111    foreign key column count differs from the referenced key
SC112    foreign key target is not a primary key or unique (warning)
SC113    foreign key integer size differs from the target (warning)
SC301    engine rejected a statement (engine check)
SC302    engine catalog differs from archkit's (engine check, warning)
=======  ===============================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archkit.findings import Finding, Findings, Severity
from archkit.schema.catalog import Catalog, Table
from archkit.schema.dialects import dialect as get_dialect
from archkit.schema.parse import ParseResult, normalise_dialect, parse_schema

__all__ = ["SchemaReport", "check_schema", "validate", "type_family", "MAX_IDENTIFIER"]

MAX_IDENTIFIER = {"postgres": 63, "mysql": 64, "sqlite": None}

_FAMILIES = {
    "smallint": "int", "integer": "int", "bigint": "int", "tinyint": "int",
    "numeric": "numeric", "real": "float", "double": "float",
    "varchar": "text", "char": "text", "text": "text", "mediumtext": "text",
    "longtext": "text", "tinytext": "text",
    "timestamp": "time", "timestamptz": "time", "datetime": "time", "date": "date",
    "uuid": "uuid", "boolean": "bool", "json": "json", "jsonb": "json",
    "bytea": "binary", "blob": "binary",
}


def type_family(type_: str) -> str:
    """The family a normalised type belongs to (``varchar(20)`` → ``text``)."""
    base = type_.split("(", 1)[0].strip()
    return _FAMILIES.get(base, base)


@dataclass(slots=True)
class SchemaReport:
    """The result of ``check_schema``: the parse, all findings, and the engine's view."""

    parse: ParseResult
    findings: Findings
    engine: str | None = None
    engine_catalog: Catalog | None = None
    differences: list[str] = field(default_factory=list)

    @property
    def catalog(self) -> Catalog:
        return self.parse.catalog

    @property
    def ok(self) -> bool:
        return not self.findings.errors

    def to_dict(self) -> dict:
        """The JSON shape of ``archkit schema check --json``."""
        cat = self.catalog
        return {
            "statements": len(self.parse.statements),
            "tables": len(cat.tables),
            "views": len(cat.views),
            "indexes": len(cat.indexes),
            "unparsed": [{"line": line, "text": text} for line, text in self.parse.unparsed],
            "findings": [
                {"code": f.code, "severity": str(f.severity), "message": f.message,
                 "object": f.object, "line": f.line, "col": f.col}
                for f in self.findings
            ],
        }

    def to_text(self) -> str:
        d = self.to_dict()
        head = (f"{d['statements']} statements: {d['tables']} tables, {d['views']} views, "
                f"{d['indexes']} indexes, {len(d['unparsed'])} not understood"
                + (f"; applied on {self.engine}" if self.engine else ""))
        lines = [head]
        lines += [str(f) for f in self.findings.worst_first()]  # errors first
        errors = len(self.findings.errors)
        lines.append(f"{errors} error(s), {len(self.findings) - errors} other finding(s)")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        d = self.to_dict()
        head = (f"**{d['statements']} statements** → {d['tables']} tables, {d['views']} views, "
                f"{d['indexes']} indexes; {len(d['unparsed'])} not understood"
                + (f"; applied on **{self.engine}**" if self.engine else "") + "\n\n")
        return head + self.findings._repr_markdown_()


def check_schema(text: str, dialect: str, *, file: str | None = None, engine: str | None = None,
                 lint_config=None) -> SchemaReport:
    """Parse, validate and lint ``text``; with ``engine`` also apply it in a sandbox."""
    from archkit.schema.lint import lint

    dialect = normalise_dialect(dialect)
    result = parse_schema(text, dialect, file=file)
    findings = list(result.findings)
    findings += validate(result)
    findings += lint(result, lint_config)
    report = SchemaReport(result, Findings())
    if engine:
        findings += engine_check(report, text, engine, file)
    from archkit.schema.lint import apply_silences

    report.findings = apply_silences(Findings(findings), result).sorted()
    return report


def engine_check(report: SchemaReport, text: str, engine: str, file: str | None) -> list[Finding]:
    """Apply the schema on ``engine`` and compare the engine's catalog with ours."""
    from archkit.schema.engines import engine_dialect, sandbox

    dialect = report.parse.dialect
    target = engine_dialect(engine)
    if target != dialect:
        from archkit.errors import ArchkitError

        raise ArchkitError(
            f"the schema is {dialect} SQL but the engine is {target}",
            hint=f"transpile it first (archkit schema transpile --from {dialect} --to {target})",
        )
    out: list[Finding] = []
    with sandbox(engine) as box:
        report.engine = box.name
        result = box.execute_script(text, stop_on_error=False, file=file)
        out += result.findings
        if result.ok:
            report.engine_catalog = box.introspect()
            report.differences = report.catalog.compare(report.engine_catalog, views=False)
            for diff in report.differences:
                out.append(Finding("SC302", Severity.WARNING,
                                   f"archkit and {box.name} disagree: {diff}", diff.split(":")[0],
                                   None, "report this; archkit's catalog may be missing a detail",
                                   file))
    return out


# -- validation ---------------------------------------------------------------------------
def validate(result: ParseResult) -> Findings:
    """Every structural error in the parsed catalog (codes SC104–SC113)."""
    cat = result.catalog
    out: list[Finding] = []
    file = result.file

    def add(code, message, obj, line, fix, severity=Severity.ERROR, *, name=None, after=(),
            then=0, place=None):
        # where: the token ``name`` from ``line`` on (after ``after``), found only now that
        # there is a finding; else ``place``; else the line alone
        if place is None and name:
            place = result.places().find(line, name, after, then)
        col = None
        if place is not None and place[1] is not None:
            line, col = place
        out.append(Finding(code, severity, message, obj, line, fix, file, col))

    unique_indexes: dict[str, list[tuple[str, ...]]] = {}
    for index in cat.indexes.values():
        if index.unique:
            unique_indexes.setdefault(index.table, []).append(tuple(index.columns))
    for key, table in cat.tables.items():
        _check_keys(table, key, add)
        _check_foreign_keys(cat, table, key, unique_indexes, add)
        _check_lengths(cat.dialect, table, key, add)
    for index in cat.indexes.values():
        _check_index(cat, index, add)
    _check_views(result, add)
    return Findings(out)


def _check_keys(table: Table, key: str, add) -> None:
    keys = ([table.primary_key] if table.primary_key else []) + list(table.uniques)
    for k in keys:
        kind = "primary key" if k is table.primary_key else "unique constraint"
        for col in k.columns:
            if table.column(col) is None:
                add("SC108", f"{kind} of {key} names column {col}, which {key} does not have",
                    f"{key}.{col}", k.line or table.line, f"add column {col} or fix the name",
                    name=col, after=(kind.split()[0],))


def _check_foreign_keys(cat: Catalog, table: Table, key: str, unique_indexes, add) -> None:
    for fk in table.foreign_keys:
        line = fk.line or table.line
        obj = f"{key}({', '.join(fk.columns)})"
        ref_name = fk.ref_table.split(".")[-1]
        at_table = {"name": ref_name, "after": ("references",)}  # the REFERENCES target
        after_ref = ("references", ref_name, "(")  # ... and its column list
        for col in fk.columns:
            if table.column(col) is None:
                add("SC105", f"foreign key on {key} uses column {col}, which {key} does not have",
                    obj, line, f"add column {col} to {key} or fix the name",
                    name=col, after=("foreign",))
        target = cat.tables.get(fk.ref_table)
        if target is None:
            add("SC104", f"foreign key on {key} references table {fk.ref_table}, which does not "
                "exist", obj, line, f"create table {fk.ref_table} first, or fix the name",
                **at_table)
            continue
        ref_cols = fk.ref_columns or (target.primary_key.columns if target.primary_key else ())
        if not ref_cols:
            add("SC112", f"foreign key on {key} references {fk.ref_table}, which has no primary "
                "key", obj, line, f"name the referenced columns or give {fk.ref_table} a primary "
                "key", **at_table)
            continue
        missing = [c for c in ref_cols if target.column(c) is None]
        for col in missing:
            add("SC105", f"foreign key on {key} references {fk.ref_table}.{col}, which does not "
                "exist", obj, line, f"reference an existing column of {fk.ref_table}",
                name=col, after=after_ref)
        if len(ref_cols) != len(fk.columns):
            add("SC111", f"foreign key on {key} has {len(fk.columns)} column(s) but references "
                f"{len(ref_cols)}", obj, line, "list as many referenced columns as local ones",
                **at_table)
            continue
        if missing:
            continue
        keysets = [tuple(target.primary_key.columns)] if target.primary_key else []
        keysets += [tuple(u.columns) for u in target.uniques]
        keysets += unique_indexes.get(fk.ref_table, [])
        if not any(sorted(k) == sorted(ref_cols) for k in keysets):
            add("SC112", f"foreign key on {key} references {fk.ref_table}({', '.join(ref_cols)}), "
                "which is not a primary key or unique", obj, line,
                f"reference the primary key of {fk.ref_table} or add a UNIQUE constraint",
                Severity.ERROR if get_dialect(cat.dialect).fk_needs_key else Severity.WARNING,
                **({"name": ref_cols[0], "after": after_ref} if fk.ref_columns else at_table))
        for local, remote in zip(fk.columns, ref_cols, strict=True):
            lc, rc = table.column(local), target.column(remote)
            if lc is None or rc is None:
                continue
            lf, rf = type_family(lc.type), type_family(rc.type)
            if lf != rf and "unknown" not in (lc.type, rc.type):
                # at the local column's declared type: the thing to change
                add("SC106", f"{key}.{local} is {lc.type} but references {fk.ref_table}.{remote} "
                    f"of type {rc.type}", f"{key}.{local}", lc.line or line,
                    f"declare {key}.{local} as {rc.type}", name=local, then=1)
            elif lf == "int" and lc.type != rc.type and get_dialect(cat.dialect).int_widths_matter:
                add("SC113", f"{key}.{local} is {lc.type} but {fk.ref_table}.{remote} is {rc.type}",
                    f"{key}.{local}", lc.line or line, f"declare {key}.{local} as {rc.type}",
                    Severity.WARNING, name=local, then=1)


def _check_lengths(dialect: str, table: Table, key: str, add) -> None:
    limit = MAX_IDENTIFIER.get(dialect)
    if not limit:
        return
    names = [(table.name, table.line, "table")]
    names += [(c.name, c.line, "column") for c in table.columns]
    names += [(f.name, f.line, "constraint") for f in table.foreign_keys if f.name]
    names += [(u.name, u.line, "constraint") for u in table.uniques if u.name]
    for name, line, kind in names:
        in_bytes = get_dialect(dialect).identifier_limit_in_bytes
        size = len(name.encode()) if in_bytes else len(name)
        if size > limit:
            unit = "bytes" if in_bytes else "characters"
            add("SC110", f"{kind} name {name} is {size} {unit}; {dialect} allows {limit}",
                name, line or table.line, f"shorten the name to {limit} {unit} or less",
                name=name)


_IDENT = re.compile(r'^"?([\w$]+)"?$')


def _check_index(cat: Catalog, index, add) -> None:
    table = cat.tables.get(index.table)
    if table is None:
        if index.table in cat.views and cat.views[index.table].materialized:
            return
        add("SC104", f"index {index.name} is on table {index.table}, which does not exist",
            index.name, index.line, f"create table {index.table} first, or fix the name",
            name=index.table.split(".")[-1], after=("on",))
        return
    for i, part in enumerate(index.columns):
        m = _IDENT.match(part)
        plain = not index.exprs[i] if i < len(index.exprs) else m is not None
        # a plain part is a column name as it stands (`Product ID`: spaces and all)
        names = ([m.group(1) if m else part] if plain else
                 _expression_columns(part, cat.dialect))
        for col in names:
            if table.column(col) is None:
                add("SC107", f"index {index.name} uses column {col}, which {index.table} does "
                    "not have", f"{index.name}", index.line,
                    f"index an existing column of {index.table}", name=col, after=("on",))
    limit = MAX_IDENTIFIER.get(cat.dialect)
    if limit and len(index.name.encode()) > limit:
        add("SC110", f"index name {index.name} is longer than {limit}", index.name, index.line,
            f"shorten the name to {limit} or less", name=index.name)


def _expression_columns(sql: str, dialect: str) -> list[str]:
    import sqlglot
    from sqlglot import exp

    try:
        node = sqlglot.parse_one(sql, read=dialect)
    except Exception:  # noqa: BLE001 - an index expression we cannot read is not checked
        return []
    return [c.name.lower() for c in node.find_all(exp.Column) if not c.table]


def _check_views(result: ParseResult, add) -> None:
    if not result.view_trees:
        return
    from sqlglot import exp
    from sqlglot.errors import OptimizeError, SqlglotError
    from sqlglot.schema import MappingSchema

    cat = result.catalog
    mapping = None
    for key, (tree, st) in result.view_trees.items():
        view = cat.views[key]
        if tree is None:
            continue
        ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
        unknown = []
        for t in tree.find_all(exp.Table):
            name = t.name.lower()
            tkey = cat.key(name, t.db or None)
            if name and name not in ctes and tkey not in cat.tables and tkey not in cat.views \
                    and not isinstance(t.this, exp.Anonymous) and not t.args.get("joins"):
                unknown.append((tkey, t))
        for tkey, node in unknown:
            add("SC109", f"view {key} selects from {tkey}, which does not exist", key,
                view.line, f"create {tkey} first, or fix the name", place=_place(node, st))
        if unknown:
            continue
        simple = _resolve_simple(tree, cat)
        if simple is not None:  # a plain SELECT ... FROM ... JOIN: resolved directly
            for col in simple:
                where = f"{col.table}.{col.name}" if col.table else col.name
                add("SC109", f"view {key}: column {where} is not in the tables it selects from",
                    key, view.line, "select only columns the referenced tables have",
                    place=_place(col, st))
            continue
        # imported only here: most views are resolved above, and loading the optimizer
        # (qualify, annotate_types) adds 5-8 ms to every `archkit schema check`
        from sqlglot.optimizer.qualify import qualify

        if mapping is None:
            # built once: sqlglot would otherwise normalise the whole mapping for every view
            mapping = MappingSchema(_schema_mapping(cat), dialect=cat.dialect)
        try:
            # in place: the tree is ours and used only here (a copy costs as much as qualify)
            qualify(tree, schema=mapping, dialect=cat.dialect,
                    validate_qualify_columns=True, quote_identifiers=False)
        except OptimizeError as err:
            col = _missing_column(str(err))
            node = _find_column(tree, col) if col else None
            add("SC109", f"view {key}: {str(err).split('. Line')[0]}", key, view.line,
                "select only columns the referenced tables have", place=_place(node, st))
        except (SqlglotError, KeyError, ValueError, TypeError, AttributeError):
            continue  # constructs sqlglot cannot qualify are not reported as errors


def _resolve_simple(tree, cat: Catalog) -> list | None:
    """Unresolvable columns of a single-level SELECT, or None when the query is not that simple.

    A plain ``SELECT ... FROM t [JOIN u ...]`` (no subquery, CTE, set operation or
    USING/NATURAL join) is checked directly against the catalog; anything richer goes to
    sqlglot's ``qualify``, which understands scopes.
    """
    from sqlglot import exp

    if not isinstance(tree, exp.Select) or tree.find(exp.CTE, exp.SetOperation, exp.Lateral,
                                                      exp.Unnest):
        return None
    if any(isinstance(sq.this, (exp.Select, exp.SetOperation, exp.Values))
           for sq in tree.find_all(exp.Subquery)):
        return None  # a real subquery has its own scope
    sources: dict[str, set[str] | None] = {}
    from_ = tree.args.get("from_") or tree.args.get("from")
    nodes = _join_tables(from_.this) if from_ is not None else []
    for join in tree.args.get("joins") or []:
        nodes += _join_tables(join) or [None]
    for node in nodes:
        if not isinstance(node, exp.Table) or isinstance(node.this, exp.Anonymous):
            return None
        tkey = cat.key(node.name, node.db or None)
        table = cat.tables.get(tkey)
        view = cat.views.get(tkey)
        cols = ({c.name for c in table.columns} if table is not None else
                set(view.columns) if view is not None and view.columns else None)
        sources[node.alias_or_name.lower()] = cols
    outputs = {e.alias.lower() for e in tree.expressions if isinstance(e, exp.Alias)}
    bad = []
    for col in tree.find_all(exp.Column):
        if isinstance(col.this, exp.Star):
            continue
        name = col.name.lower()
        if col.table:
            qualifier = col.table.lower()
            if qualifier not in sources:
                bad.append(col)
            elif sources[qualifier] is not None and name not in sources[qualifier]:
                bad.append(col)
        elif name not in outputs and not any(
            cols is None or name in cols for cols in sources.values()
        ):
            bad.append(col)
    return bad


def _join_tables(node) -> list:
    """The tables of a (possibly parenthesised) join tree; [None] when it is not one."""
    from sqlglot import exp

    if isinstance(node, exp.Join):
        if node.args.get("using") or node.args.get("method"):  # NATURAL / USING: let qualify
            return [None]
        return _join_tables(node.this)
    if isinstance(node, exp.Subquery) and not node.alias and isinstance(
        node.this, (exp.Table, exp.Subquery)
    ):
        out = _join_tables(node.this)
    elif isinstance(node, exp.Table):
        out = [node]
    else:
        return [None]
    for join in node.args.get("joins") or []:
        out += _join_tables(join)
    return out


def _schema_mapping(cat: Catalog) -> dict:
    flat: dict[str, dict[str, str]] = {}
    for key, t in cat.tables.items():
        flat[key.split(".")[-1]] = {c.name: "text" for c in t.columns}
    for key, v in cat.views.items():
        if v.columns:
            flat.setdefault(key.split(".")[-1], {c: "text" for c in v.columns})
    return flat


def _missing_column(message: str) -> str | None:
    m = re.search(r"Unknown column: (\w+)|Column '([^']+)' could not be resolved", message)
    if not m:
        return None
    return (m.group(1) or m.group(2)).split(".")[-1].lower()


def _find_column(tree, name: str):
    from sqlglot import exp

    for c in tree.find_all(exp.Column):
        if c.name.lower() == name:
            return c
    return None


def _place(node, st) -> tuple[int, int] | None:
    """File line and column of a column or table node of a view's query (its name)."""
    for part in (getattr(node, "this", None), node):
        meta = getattr(part, "_meta", None)
        if meta and "start" in meta:
            return st.position(meta["start"])
    return None
