"""Query check: do the application's main queries resolve, and which indexes do they need?

Usage::

    from archkit.schema.query import check_queries
    report = check_queries({"my orders": "SELECT * FROM orders WHERE user_id = ? "
                                          "ORDER BY placed_at DESC"}, catalog)
    report              # a table in Jupyter: query, resolves?, index suggestions, plan
    check_queries(queries, catalog, engine="sqlite")   # adds the engine's EXPLAIN plan

Codes: SC501 query does not resolve against the catalog (error); SC502 no index serves a
WHERE / JOIN / ORDER BY column (warning; the fix is the CREATE INDEX to add).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archkit.display import markdown_table
from archkit.findings import Finding, Findings, Severity
from archkit.schema.catalog import Catalog
from archkit.schema.dialects import dialect as get_dialect

__all__ = ["QueryReport", "QueryResult", "check_queries", "suggest_index"]


@dataclass(slots=True)
class QueryResult:
    name: str
    sql: str
    resolves: bool = True
    tables: tuple[str, ...] = ()
    suggestions: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    plan: str | None = None


@dataclass(slots=True)
class QueryReport:
    results: list[QueryResult]
    engine: str | None = None

    @property
    def findings(self) -> Findings:
        return Findings(f for r in self.results for f in r.findings)

    @property
    def suggestions(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.results:
            for s in r.suggestions:
                seen.setdefault(s)
        return list(seen)

    def _repr_markdown_(self) -> str:
        rows = [[r.name, "yes" if r.resolves else "no", "; ".join(r.suggestions) or "—",
                 (r.plan or "").replace("\n", " / ")[:160] or "—"] for r in self.results]
        head = f"**{len(self.results)} queries**" + (
            f", plans from {self.engine}" if self.engine else "") + "\n\n"
        body = markdown_table(["query", "resolves", "suggested indexes", "plan"], rows)
        errors = [f for f in self.findings if f.severity is Severity.ERROR]
        return head + body + ("\n\n" + Findings(errors)._repr_markdown_() if errors else "")


def check_queries(queries, catalog: Catalog, *, engine: str | None = None) -> QueryReport:
    """Resolve each query against ``catalog``; suggest indexes; explain on ``engine``."""
    items = list(queries.items()) if isinstance(queries, dict) else [
        (f"q{i + 1}", q) for i, q in enumerate(queries)]
    results = [_check_one(name, sql, catalog) for name, sql in items]
    report = QueryReport(results)
    if engine:
        _explain(report, catalog, engine)
    return report


_PARAMS = re.compile(r"%s|%\(\w+\)s|\$\d+")


def _check_one(name: str, sql: str, catalog: Catalog) -> QueryResult:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import OptimizeError, SqlglotError
    from sqlglot.optimizer.qualify import qualify

    from archkit.schema.validate import _schema_mapping

    result = QueryResult(name, sql)
    dialect = catalog.dialect
    numbered = get_dialect(dialect).numbered_params
    text = sql.replace("%s", "$1") if numbered else _PARAMS.sub("?", sql)
    try:
        tree = sqlglot.parse_one(text, read=dialect)
    except SqlglotError as err:
        result.resolves = False
        result.findings.append(Finding("SC501", Severity.ERROR, f"query {name} does not parse: "
                                       f"{str(err).splitlines()[0]}", name, None,
                                       "fix the query's syntax"))
        return result
    tables = {t.name.lower() for t in tree.find_all(exp.Table)}
    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    missing = sorted(t for t in tables - ctes if t not in catalog.tables and t not in
                     catalog.views)
    if missing:
        result.resolves = False
        result.findings.append(Finding("SC501", Severity.ERROR, f"query {name} uses unknown "
                                       f"table(s) {', '.join(missing)}", name, None,
                                       "create the table or fix the name"))
        return result
    try:
        qualified = qualify(tree.copy(), schema=_schema_mapping(catalog), dialect=dialect,
                            validate_qualify_columns=True, identify=False)
    except (OptimizeError, SqlglotError) as err:
        result.resolves = False
        result.findings.append(Finding("SC501", Severity.ERROR, f"query {name}: "
                                       f"{str(err).split('. Line')[0]}", name, None,
                                       "use columns the tables have"))
        return result
    result.tables = tuple(sorted(tables - ctes))
    for suggestion, why in _index_needs(qualified, catalog):
        result.suggestions.append(suggestion)
        result.findings.append(Finding("SC502", Severity.WARNING, f"query {name}: {why}", name,
                                       None, suggestion))
    return result


def _index_needs(tree, catalog: Catalog) -> list[tuple[str, str]]:
    """Per table: the columns filtered by equality, joined, ranged and sorted on."""
    from sqlglot import exp

    out = []
    for select in tree.find_all(exp.Select):
        aliases = {}
        for t in select.find_all(exp.Table):
            if t.find_ancestor(exp.Select) is select:
                aliases[t.alias_or_name.lower()] = t.name.lower()
        need: dict[str, dict[str, list[str]]] = {}

        def add(col, kind, aliases=aliases, need=need):
            table = aliases.get(col.table.lower()) if col.table else None
            if table in catalog.tables:
                cols = need.setdefault(table, {"eq": [], "join": [], "range": [], "order": []})
                if col.name.lower() not in cols[kind]:
                    cols[kind].append(col.name.lower())

        where = select.args.get("where")
        if where is not None:
            for pred in where.find_all(exp.EQ, exp.In, exp.Is, exp.GT, exp.GTE, exp.LT, exp.LTE,
                                       exp.Between, exp.Like):
                left = pred.this
                right = pred.args.get("expression")
                if isinstance(left, exp.Column) and not isinstance(right, exp.Column):
                    add(left, "eq" if isinstance(pred, (exp.EQ, exp.In, exp.Is)) else "range")
        for join in select.args.get("joins") or []:
            on = join.args.get("on")
            if on is None:
                continue
            for eq in on.find_all(exp.EQ):
                if isinstance(eq.this, exp.Column) and isinstance(eq.expression, exp.Column):
                    add(eq.this, "join")
                    add(eq.expression, "join")
                elif isinstance(eq.this, exp.Column):
                    add(eq.this, "eq")
        order = select.args.get("order")
        if order is not None:
            for o in order.expressions:
                if isinstance(o.this, exp.Column):
                    add(o.this, "order")
        for table, cols in need.items():
            suggestion = suggest_index(catalog, table, cols)
            if suggestion:
                out.append(suggestion)
    return out


def suggest_index(catalog: Catalog, table: str, cols: dict[str, list[str]]
                  ) -> tuple[str, str] | None:
    """The CREATE INDEX a table needs for these columns, or None when one serves already."""
    t = catalog.tables[table]
    existing = [i.columns for i in catalog.indexes_of(table)]
    existing += [u.columns for u in t.uniques]
    if t.primary_key:
        existing.append(t.primary_key.columns)
    leading = {cols_[0] for cols_ in existing if cols_}
    lookups = cols["eq"] + [c for c in cols["join"] if c not in cols["eq"]]
    if lookups and any(c in leading for c in lookups):
        return None
    if not lookups and cols["range"] and any(c in leading for c in cols["range"]):
        return None
    if not lookups and not cols["range"]:
        if cols["order"] and cols["order"][0] in leading:
            return None
        if not cols["order"]:
            return None
    parts = lookups + (cols["range"][:1] if cols["range"] else
                       [c for c in cols["order"] if c not in lookups])
    if not parts:
        return None
    name = f"{table.split('.')[-1]}_{'_'.join(parts)}_idx"
    why = f"no index on {table} starts with {' or '.join(lookups or parts[:1])}"
    return f"CREATE INDEX {name} ON {table} ({', '.join(parts)});", why


def _explain(report: QueryReport, catalog: Catalog, engine: str) -> None:
    from archkit.schema.engines import engine_dialect, sandbox
    from archkit.schema.transpile import render_catalog

    target = engine_dialect(engine)
    ddl = render_catalog(catalog, target)
    with sandbox(engine) as box:
        report.engine = box.name
        box.execute_script(ddl).raise_for_errors()
        for r in report.results:
            if not r.resolves:
                continue
            try:
                r.plan = _plan(box, r.sql)
            except Exception as err:  # noqa: BLE001 - a plan is a bonus; say why it is missing
                r.plan = f"(no plan: {str(err).splitlines()[0][:120]})"


def _plan(box, sql: str) -> str:
    """The engine's plan; parameters become a generic plan (PostgreSQL) or stand-in values."""
    if get_dialect(box.dialect).numbered_params and re.search(r"\$\d+", sql):
        count = max(int(n) for n in re.findall(r"\$(\d+)", sql))
        box.execute("SET plan_cache_mode = force_generic_plan")
        box.execute(f"PREPARE archkit_q AS {sql}")
        try:
            nulls = ", ".join(["NULL"] * count)
            return "\n".join(r[0] for r in box.query(f"EXPLAIN EXECUTE archkit_q({nulls})"))
        finally:
            box.execute("DEALLOCATE archkit_q")
    stand_in = get_dialect(box.dialect).param_stand_in
    return box.explain(_PARAMS.sub(stand_in, sql).replace("?", stand_in))
