"""Prove a migration on a real engine: current → up = desired, then down = current.

Usage::

    from archkit.migrations.verify import verify
    result = verify(v1_sql, v2_sql, engine="sqlite")        # or a postgresql:// / mysql:// DSN
    result.passed, result.up_differences, result.down_differences

The check is semantic, like sqldef's own test suite: apply ``current`` in a throwaway
database, run the up statements, and the engine's catalog must equal the catalog the
engine reports for ``desired`` applied alone; then run down and it must equal
``current``'s. ``run_sqldef_cases`` runs sqldef's YAML cases through the same check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from archkit.display import escape_markdown, markdown_table
from archkit.errors import ArchkitError
from archkit.migrations.diff import Migration, diff_sql
from archkit.schema.dialects import dialect as get_dialect
from archkit.schema.introspect import introspect_objects

__all__ = [
    "CaseResult",
    "Conformance",
    "Verification",
    "apply_schema",
    "apply_sql",
    "as_script",
    "reset",
    "run_sqldef_cases",
    "verify",
]


@dataclass(slots=True)
class Verification:
    """The outcome of applying a migration up and down on one engine."""

    engine: str
    up: list[str] = field(default_factory=list)
    down: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    up_differences: list[str] = field(default_factory=list)
    down_differences: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not (self.errors or self.up_differences or self.down_differences)

    def __bool__(self) -> bool:
        return self.passed

    def summary(self) -> str:
        if self.passed:
            return (f"{self.engine}: up ({len(self.up)} statements) reaches the desired schema "
                    f"and down ({len(self.down)}) returns to the current one")
        parts = self.errors + [f"after up: {d}" for d in self.up_differences] + [
            f"after down: {d}" for d in self.down_differences]
        return f"{self.engine}: FAILED — " + "; ".join(parts)

    def _repr_markdown_(self) -> str:
        head = "✅" if self.passed else "❌"
        rows = [["up reaches desired", "yes" if not self.up_differences else
                 "; ".join(self.up_differences)],
                ["down returns to current", "yes" if not self.down_differences else
                 "; ".join(self.down_differences)]]
        rows += [["engine error", e] for e in self.errors]
        return (f"{head} **Verified on {escape_markdown(self.engine)}**\n\n"
                + markdown_table(["check", "result"], rows))


@contextmanager
def _box(engine: str) -> Iterator:
    from archkit.schema.engines import sandbox

    with sandbox(engine) as box:
        yield box


def _q(box, sql: str) -> list[tuple]:
    if get_dialect(box.dialect).embedded and hasattr(box, "conn"):
        return box.conn.execute(sql).fetchall()
    return box.query(sql)


def reset(box) -> None:
    """Empty a sandbox so the next case starts from nothing (one sandbox, many cases)."""
    d = get_dialect(box.dialect)
    if d.schema_objects:  # PostgreSQL: every schema goes, tables with it
        schemas = [r[0] for r in _q(box,
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname <> 'information_schema'")]
        for s in schemas:
            box.execute(f'DROP SCHEMA "{s}" CASCADE')
        box.execute("CREATE SCHEMA public")
    elif d.foreign_key_checks:  # MySQL/MariaDB: the database's tables, views, routines, events
        rows = _q(box, "SELECT table_name, table_type FROM information_schema.tables "
                         "WHERE table_schema = DATABASE()")
        rows += [(name, kind) for kind, name in _q(box,
                 "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES "
                 "WHERE ROUTINE_SCHEMA = DATABASE() UNION ALL SELECT 'EVENT', EVENT_NAME "
                 "FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()")]
        box.execute("SET FOREIGN_KEY_CHECKS = 0")
        for name, kind in rows:
            what = kind.upper() if kind.upper() in ("FUNCTION", "PROCEDURE", "EVENT") else \
                "VIEW" if "VIEW" in kind.upper() else "TABLE"
            box.execute(f"DROP {what} IF EXISTS `{name.replace('`', '``')}`")
        box.execute("SET FOREIGN_KEY_CHECKS = 1")
    else:
        box.execute("PRAGMA foreign_keys = OFF")
        for name, kind in _q(box,
                "SELECT name, type FROM sqlite_master WHERE type IN ('view', 'table', 'trigger')"
                " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type = 'table'"):
            what = {"view": "VIEW", "trigger": "TRIGGER"}.get(kind, "TABLE")
            box.execute(f'DROP {what} IF EXISTS "{name.replace(chr(34), chr(34) * 2)}"')
        box.execute("PRAGMA foreign_keys = ON")


def apply_sql(box, sql: str) -> str | None:
    """Run ``sql`` statement by statement; None when it all went through, else the error."""
    result = box.execute_script(sql)
    if result.ok:
        return None
    e = result.errors[0]
    return f"line {e.line}: {e.engine_message} — in: {' '.join(e.statement.split())[:120]}"


def apply_schema(box, sql: str, *, defer_foreign_keys: bool = False) -> str | None:
    """Apply a schema file as a tool like sqldef would: statements in any order.

    Statements the engine rejects are retried after the others (a foreign key to
    a table defined further down); schemas that tables are qualified with are
    created first. With ``defer_foreign_keys``, tables whose foreign keys point at
    each other are created without them and the keys added after. Only a statement
    that never goes through is an error.
    """
    from archkit.schema.split import split_statements

    if get_dialect(box.dialect).schema_objects:
        declared = {m.lower() for m in re.findall(r"(?i)\bCREATE\s+SCHEMA\s+\"?(\w+)", sql)}
        for schema in sorted(set(re.findall(
                r"(?i)\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?\"?(\w+)\"?\.", sql))):
            if schema.lower() not in ("public", "pg_catalog", *declared):
                box.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    pending = [st.text for st in split_statements(sql, box.dialect) if not st.for_psql_only]
    try:
        return _apply_in_any_order(box, pending, defer_foreign_keys)
    finally:  # a pg_dump file empties search_path for itself; a migration runs in a new session
        if get_dialect(box.dialect).schema_objects:
            box.execute("RESET search_path")


def _apply_in_any_order(box, pending: list[str], defer_foreign_keys: bool) -> str | None:
    """Run statements, retrying the rejected ones while others go through; the first error
    of a round where none did, else None (with ``defer_foreign_keys``, one more round with
    the foreign keys of what is left taken apart)."""
    deferred = False
    while pending:
        failed = []
        first_error = None
        for text in pending:
            if err := apply_sql(box, text):
                failed.append(text)
                first_error = first_error or err
        if not failed:
            return None
        if len(failed) == len(pending):
            if deferred or not defer_foreign_keys:
                return first_error
            # tables whose foreign keys point at each other: tables first, keys after
            deferred = True
            failed = [part for text in failed
                      for part in _foreign_keys_apart(text, box.dialect) or [text]]
        pending = failed
    return None


def _foreign_keys_apart(text: str, dialect: str) -> list[str] | None:
    """A CREATE TABLE as the table without its foreign keys, then one ALTER TABLE ... ADD
    per key; None when ``text`` is no CREATE TABLE with a foreign key."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    from archkit.schema.parse import quiet_sqlglot

    reader = get_dialect(dialect).sqlglot
    try:
        with quiet_sqlglot():  # no "falling back to Command" warning on stderr
            tree = sqlglot.parse_one(text, read=reader)
    except (ParseError, TokenError):
        return None
    if not isinstance(tree, exp.Create) or not isinstance(tree.this, exp.Schema):
        return None
    keys: list[str] = []
    for element in list(tree.this.expressions):
        if isinstance(element, exp.ForeignKey) or (
                isinstance(element, exp.Constraint) and element.find(exp.ForeignKey)):
            keys.append(element.sql(reader))
            element.pop()
        elif isinstance(element, exp.ColumnDef):
            for cc in list(element.args.get("constraints") or []):
                if isinstance(cc.args.get("kind"), exp.Reference):
                    name = f"CONSTRAINT {cc.this.sql(reader)} " if cc.this else ""
                    column = element.this.sql(reader)
                    keys.append(f"{name}FOREIGN KEY ({column}) {cc.args['kind'].sql(reader)}")
                    cc.pop()
    if not keys:
        return None
    table = tree.this.this.sql(reader)
    return [tree.sql(reader)] + [f"ALTER TABLE {table} ADD {key}" for key in keys]


def as_script(statements: list[str]) -> str:
    """Statements as one script, each ending in ``;``."""
    return "".join(s.rstrip().rstrip(";") + ";\n" for s in statements)


def verify(current: str, desired: str, migration: Migration | None = None, *,
           engine: str = "sqlite", box=None, dialect: str | None = None,
           compare: dict | None = None) -> Verification:
    """Apply ``current``, then up (must equal ``desired``), then down (must equal ``current``).

    ``migration`` defaults to the diff of the two texts (destructive steps allowed);
    pass ``box`` to reuse one sandbox across many calls (it is reset before each use).
    """
    if box is None:
        with _box(engine) as fresh:
            return verify(current, desired, migration, engine=engine, box=fresh,
                          dialect=dialect, compare=compare)
    dialect = dialect or box.dialect
    if migration is None:
        migration = diff_sql(current, desired, dialect, allow_destructive=True, lint=False)
    opts = compare or {}
    out = Verification(box.name, migration.up, migration.down)
    reset(box)
    if err := apply_schema(box, desired, defer_foreign_keys=True):
        out.errors.append(f"desired schema does not apply: {err}")
        return out
    want_desired = box.introspect()
    objects_desired = introspect_objects(box)
    reset(box)
    if err := apply_schema(box, current, defer_foreign_keys=True):
        out.errors.append(f"current schema does not apply: {err}")
        return out
    want_current = box.introspect()
    objects_current = introspect_objects(box)
    if err := apply_sql(box, as_script(migration.up)):
        out.errors.append(f"up failed: {err}")
        return out
    out.up_differences = want_desired.compare(box.introspect(), **opts) + \
        _object_differences(objects_desired, introspect_objects(box))
    if err := apply_sql(box, as_script(migration.down)):
        out.errors.append(f"down failed: {err}")
        return out
    out.down_differences = want_current.compare(box.introspect(), **opts) + \
        _object_differences(objects_current, introspect_objects(box))
    return out


def _object_differences(want: dict[str, str], got: dict[str, str]) -> list[str]:
    """Functions, triggers, policies... that differ between two engine states."""
    out = [f"{k}: only on the left" for k in sorted(set(want) - set(got))]
    out += [f"{k}: only on the right" for k in sorted(set(got) - set(want))]
    out += [f"{k}: definition differs ({want[k][:80]!r} vs {got[k][:80]!r})"
            for k in sorted(set(want) & set(got)) if want[k] != got[k]]
    return out


# -- sqldef's test suite --------------------------------------------------------------------

@dataclass(slots=True)
class CaseResult:
    name: str
    status: str  # "pass", "fail", "skip" (out of archkit's scope), "n/a" (another engine)
    reason: str = ""


@dataclass(slots=True)
class Conformance:
    """Results of one sqldef YAML file on one engine."""

    file: str
    engine: str
    cases: list[CaseResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for c in self.cases if c.status == status)

    @property
    def pass_rate(self) -> float:
        ran = self.count("pass") + self.count("fail")
        return self.count("pass") / ran if ran else 1.0

    @property
    def applicable(self) -> int:
        return len(self.cases) - self.count("n/a")

    @property
    def skip_rate(self) -> float:
        """Skipped share of the cases meant for this engine."""
        return self.count("skip") / self.applicable if self.applicable else 0.0

    def summary(self) -> str:
        return (f"{self.file} on {self.engine}: {self.count('pass')} pass, "
                f"{self.count('fail')} fail, {self.count('skip')} skipped, "
                f"{self.count('n/a')} not for this engine, of {len(self.cases)} — pass rate "
                f"{self.pass_rate:.1%} of run cases, {self.skip_rate:.1%} of applicable "
                f"cases skipped")

    def _repr_markdown_(self) -> str:
        rows = [[c.name, c.status, c.reason] for c in self.cases if c.status != "pass"]
        return f"**{escape_markdown(self.summary())}**\n\n" + markdown_table(
            ["case", "status", "reason"], rows)


_FILE_DIALECT = (("psqldef", "postgres"), ("mysqldef", "mysql"), ("sqlite3def", "sqlite"))


def dialect_of_case_file(path: Path) -> str:
    """``postgres``, ``mysql`` or ``sqlite`` from a case file's name (``psqldef-…``)."""
    return _dialect_and_prefix(path)[0]


def _dialect_and_prefix(path: Path) -> tuple[str, str]:
    for prefix, dialect in _FILE_DIALECT:
        if Path(path).name.startswith(prefix):
            return dialect, prefix
    raise ArchkitError(f"cannot tell the engine of {path}",
                       hint="sqldef case files start with psqldef, mysqldef or sqlite3def")


def _in_sandbox(text: str, prefix: str, box) -> str:
    """``text`` with sqldef's own test database (``mysqldef_test`` for mysqldef's cases)
    named as the sandbox database instead: sqldef's harness runs every case in a
    database of that name, and a view may name it (``FROM mysqldef_test.users``)."""
    dbname = getattr(box, "dbname", None)
    if not dbname or f"{prefix}_test" not in text:
        return text
    return re.sub(rf"(?<![\w$]){prefix}_test(?![\w$])", dbname, text)


def _version(box) -> tuple[int, ...]:
    text = _q(box, get_dialect(box.dialect).version_query)[0][0]
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def _not_applicable(case: dict, box, version: tuple[int, ...]) -> str | None:
    """Why a case is meant for another engine, flavor or version (None when it is ours)."""
    if case.get("offline"):
        return "offline-only case for a proprietary dialect (no database to verify on)"
    flavor = case.get("flavor")
    flavors = get_dialect(box.dialect).flavors
    if flavor and flavors:
        ours = flavors[1] if box.name == "MariaDB" else flavors[0]
        if (flavor.startswith("!") and flavor[1:] == ours) or (
                not flavor.startswith("!") and flavor != ours):
            return f"flavor {flavor!r} excludes {ours}"
    for key in ("min_version", "max_version"):
        if key not in case or box.name == "MariaDB":  # the files' versions are MySQL's
            continue
        want = tuple(int(x) for x in str(case[key]).split("."))
        have = version[: len(want)]
        if (key == "min_version" and have < want) or (key == "max_version" and have > want):
            return f"{key} {case[key]} (engine is {'.'.join(map(str, version))})"
    return None


_PRIVILEGES = re.compile(r"(?i)\b(?:GRANT|REVOKE|OWNER\s+TO|CREATE\s+ROLE|CREATE\s+USER)\b")


def _skip_reason(case: dict, box, version: tuple[int, ...]) -> str | None:
    # a case run "as another user" only sets the default schema: the sandbox's own user
    # applies it the same way; roles and privileges themselves are out of archkit's scope
    texts = " ".join(str(case.get(k) or "") for k in ("current", "desired"))
    if case.get("managed_roles") or _privileges_left_out(case, texts) or (
            case.get("user") and _PRIVILEGES.search(texts)):
        return "needs database roles and privileges management (out of scope)"
    if case.get("enable_drop") is False:
        return "tests sqldef's --enable-drop=false option (archkit always plans drops)"
    if case.get("manage"):  # sqldef leaves what no rule matches, and drops only if told
        return ("tests sqldef's manage: option (which objects it may create or drop); "
                "archkit migrates every object of the schema")
    return None


_GRANTEES = re.compile(r"(?is)\b(?:GRANT|REVOKE)\b[^;]*?\s(?:TO|FROM)\s+([^;]*?)"
                       r"(?:\s+WITH\s+GRANT\b|\s+(?:CASCADE|RESTRICT)\b|\s*;|\s*$)")


def _privileges_left_out(case: dict, texts: str) -> bool:
    """Whether sqldef's ``include_privileges`` leaves out a grant the case makes (sqldef
    then ignores it; archkit would carry it)."""
    included = case.get("include_privileges")
    if included is None:
        return False
    allowed = {str(r).lower() for r in included}
    grantees = {g.strip().strip('"').lower() for m in _GRANTEES.finditer(texts)
                for g in m.group(1).split(",")}
    return bool(grantees - allowed)


def _sqldef_limit(case: dict) -> bool:
    """An expected error that is sqldef's own missing feature (``... is not supported
    yet``): archkit need not refuse it; the case is judged like any other."""
    return "not supported" in str(case.get("error", "")).lower()


def _expect_error(name: str, case: dict, current: str, desired: str,
                  dialect: str) -> CaseResult:
    try:
        migration = diff_sql(current, desired, dialect, allow_destructive=True, lint=False)
    except ArchkitError as err:
        return CaseResult(name, "pass", f"refused: {err}")
    errors = [f for f in migration.findings.errors if f.code.startswith("MG")]
    if errors:
        return CaseResult(name, "pass", f"refused: {errors[0].message}")
    return CaseResult(name, "fail", f"sqldef refuses ({case['error']}); archkit did not")


def run_sqldef_cases(path: Path, engine: str, *, only: list[str] | None = None) -> Conformance:
    """Run every case of one sqldef YAML file through :func:`verify` on ``engine``."""
    import yaml

    path = Path(path)
    cases = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    dialect, prefix = _dialect_and_prefix(path)
    report = Conformance(path.name, engine)
    with _box(engine) as box:
        report.engine = box.name
        version = _version(box)
        for name, case in cases.items():
            if only and name not in only:
                continue
            na = _not_applicable(case, box, version)
            if na is not None:
                report.cases.append(CaseResult(name, "n/a", na))
                continue
            reason = _skip_reason(case, box, version)
            current, desired = (_in_sandbox(case.get(key, "") or "", prefix, box)
                                for key in ("current", "desired"))
            if reason is not None:
                report.cases.append(CaseResult(name, "skip", reason))
                continue
            if "error" in case and not _sqldef_limit(case):  # archkit must refuse too
                report.cases.append(_expect_error(name, case, current, desired, dialect))
                continue
            try:
                migration = diff_sql(current, desired, dialect, allow_destructive=True,
                                     lint=False)
                outside = [f for f in migration.findings if f.code in ("MG007", "MG008")]
                if outside:  # the change involves something outside the catalog
                    report.cases.append(CaseResult(
                        name, "skip", f"changes a statement outside the catalog: "
                                      f"{outside[0].message}"))
                    continue
                result = verify(current, desired, migration, box=box, dialect=dialect)
            except ArchkitError as err:
                report.cases.append(CaseResult(name, "fail", f"archkit error: {err}"))
                continue
            if result.errors and result.errors[0].startswith(("desired schema", "current schema")):
                report.cases.append(CaseResult(name, "skip", f"engine rejects the case's own "
                                               f"schema: {result.errors[0][:150]}"))
            elif result.passed:
                report.cases.append(CaseResult(name, "pass"))
            else:
                report.cases.append(CaseResult(name, "fail", result.summary()[:400]))
    return report
