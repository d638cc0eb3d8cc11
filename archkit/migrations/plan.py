"""Expand/contract planner: a risky migration as a safe sequence of separate migrations.

Usage::

    from archkit.migrations.diff import diff_sql
    from archkit.migrations.plan import plan_rollout
    migration = diff_sql(v1, v2, "postgres")
    plan = plan_rollout(migration, backfill={"*.tenant_id": "1"})
    plan             # phases in Jupyter: what runs, under which lock, and the app steps between
    plan.write(Path("migrations"))   # one numbered migration per SQL phase

A lint only flags the problem; this says what to do instead. For each risky step it
emits the zero-downtime sequence, e.g. a new NOT NULL column becomes: add it nullable
→ deploy code that writes it → backfill in batches → ``CHECK (...) NOT VALID`` →
``VALIDATE`` → ``SET NOT NULL``; a type change or a rename becomes: new column →
dual-write trigger → backfill → switch reads → drop the old column. Indexes are built
``CONCURRENTLY`` outside a transaction, foreign keys and checks ``NOT VALID`` first.
PostgreSQL gets the full sequence, MySQL/MariaDB the online-DDL variants
(``ALGORITHM=INPLACE, LOCK=NONE``); SQLite has no online DDL, so its plan is one
maintenance-window phase.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from archkit.display import markdown_table
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity
from archkit.migrations.diff import P_NAME_PARTITION_INDEX, Change, Migration, auto_index_name
from archkit.schema.catalog import Column, Index, object_key, split_key
from archkit.schema.ddl import column_sql, create_index_sql, default_sql, quote_ident, render_type
from archkit.schema.dialects import dialect

__all__ = ["Phase", "Plan", "plan_rollout", "PHASES"]

# (key, title, runs in a transaction, app step between releases or None)
PHASES: list[tuple[str, str, bool, str | None]] = [
    ("expand", "expand: additive, backwards-compatible DDL", True, None),
    ("index", "build indexes without blocking writes", False, None),
    ("dual_write", "release: write both old and new shapes", True,
     "deploy the version that writes the new columns (and keeps writing the old ones)"),
    ("backfill", "backfill existing rows in batches", False, None),
    ("constrain", "add keys and constraints, unchecked (NOT VALID / USING INDEX)", True, None),
    ("validate", "validate constraints without a long lock", True, None),
    ("switch_reads", "release: read the new shape", True,
     "deploy the version that reads only the new columns and tables"),
    ("contract", "contract: remove what no released version uses", True, None),
]
_ORDER = {key: i for i, (key, *_rest) in enumerate(PHASES)}


@dataclass(slots=True)
class Phase:
    """One step of a rollout: a migration of its own, or an application release."""

    key: str
    title: str
    up: list[str] = field(default_factory=list)
    down: list[str] = field(default_factory=list)
    transactional: bool = True
    app_step: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_release(self) -> bool:
        return self.app_step is not None and not self.up

    @property
    def up_notes(self) -> list[str]:
        out = [self.title]
        if not self.transactional:
            out.append("run outside a transaction (CONCURRENTLY / batches); rerunnable")
        return out + self.notes

    @property
    def down_notes(self) -> list[str]:
        return [f"undo: {self.title}"]


@dataclass(slots=True)
class Plan:
    """The phases of a zero-downtime rollout, in order, plus what needs a person."""

    dialect: str
    phases: list[Phase] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)

    @property
    def migrations(self) -> list[Phase]:
        """The phases that carry SQL (each becomes its own migration file)."""
        return [p for p in self.phases if p.up]

    @property
    def blocking(self) -> list[Finding]:
        """Findings that stop the plan from being run (PL001: a backfill with no value)."""
        return [f for f in self.findings if f.code.startswith("PL")
                and f.severity is Severity.ERROR]

    def write(self, folder: Path, *, layout: str = "golang-migrate",
              prefix: str = "") -> list[Path]:
        """Write one numbered migration per SQL phase (never overwriting; see migration_files).

        A blocked plan (see ``blocking``) raises ArchkitError with the fix and writes nothing.
        """
        from archkit.migrations.files import write_migration

        if self.blocking:
            first = self.blocking[0]
            raise ArchkitError(
                f"the plan is blocked: {len(self.blocking)} finding(s), e.g. {first.code} "
                f"{first.message}", where=Where(str(folder)), hint=first.fix)
        paths: list[Path] = []
        for phase in self.migrations:
            name = f"{prefix}_{phase.key}" if prefix else phase.key
            paths += write_migration(phase, Path(folder), name, layout=layout)
        return paths

    def to_json(self) -> dict:
        return {
            "dialect": self.dialect,
            "phases": [{"key": p.key, "title": p.title, "up": p.up, "down": p.down,
                        "transactional": p.transactional, "app_step": p.app_step,
                        "notes": p.notes} for p in self.phases],
            "findings": self.findings.to_list(),
        }

    def to_text(self) -> str:
        lines: list[str] = []
        for i, p in enumerate(self.phases, 1):
            lines.append(f"-- phase {i}: {p.title}" + ("" if p.transactional else
                                                       " (no transaction)"))
            if p.app_step:
                lines.append(f"--   app: {p.app_step}")
            lines += [f"--   {n}" for n in p.notes]
            lines += [f"{s};" for s in p.up]
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    def _repr_html_(self) -> str:
        """The phases as a table whose SQL is monospace, scrolls, and is never maths."""
        from archkit.display import escape_html_text, rich_table_html

        rows = [[str(i), p.title + "".join(f" — {n}" for n in p.notes if n.startswith(
                    "BLOCKED")), p.app_step or "—", ";\n".join(p.up) + (";" if p.up else ""),
                 "yes" if p.transactional else "no"] for i, p in enumerate(self.phases, 1)]
        head = (f"<p><b>Rollout plan</b> ({escape_html_text(self.dialect)}): "
                f"{len(self.migrations)} migrations, "
                f"{sum(1 for p in self.phases if p.app_step)} releases</p>")
        if self.blocking:
            head += ('<p><b style="color:#b71c1c">BLOCKED</b>: '
                     f"{escape_html_text(self.blocking[0].fix)}</p>")
        table = rich_table_html(["#", "phase", "application step", "SQL", "transaction"], rows,
                                sql=(3,))
        return head + table + (self.findings._repr_html_() if self.findings else "")

    def _repr_markdown_(self) -> str:
        rows = []
        for i, p in enumerate(self.phases, 1):
            sql = "; ".join(p.up) or "—"
            tx = "yes" if p.transactional else "no"
            rows.append([str(i), p.title, p.app_step or "—", sql, tx])
        out = f"**Rollout plan** ({self.dialect}): {len(self.migrations)} migrations, " \
              f"{sum(1 for p in self.phases if p.app_step)} releases\n\n"
        out += markdown_table(["#", "phase", "application step", "SQL", "transaction"], rows)
        if self.findings:
            out += "\n\n" + self.findings._repr_markdown_()
        return out


def _q(name: str, d: str) -> str:
    return quote_ident(name, d)


def _qc(name: str, d: str) -> str:
    return quote_ident(name, d, qualified=False)


# how to index a partitioned table without blocking writes; the plan says so rather than
# write it (one index per partition, each named and attached by the team)
_PARTITIONED_BUILD = ("to keep writes going instead: CREATE INDEX ... ON ONLY the table, then "
                      "for each partition CREATE INDEX CONCURRENTLY and ALTER INDEX ... ATTACH "
                      "PARTITION; or run the index phase at a quiet hour")


class _Planner:
    def __init__(self, migration: Migration, backfill: dict[str, str], batch: int,
                 lock_timeout: str = "2s", statement_timeout: str = "30s"):
        self.lock_timeout = lock_timeout
        self.statement_timeout = statement_timeout
        self.m = migration
        self.d = migration.dialect
        self.D = dialect(migration.dialect)
        self.backfill = backfill
        self.batch = batch
        self.phases = {key: Phase(key, title, transactional=tx, app_step=app)
                       for key, title, tx, app in PHASES}
        self.findings = Findings()
        self.used: set[str] = set()
        self.pk_drops: dict[str, Change] = {}

    def put(self, key: str, up: list[str], down: list[str] | None = None,
            note: str | None = None) -> None:
        phase = self.phases[key]
        phase.up.extend(up)
        # a phase's down undoes its own ups in reverse order
        phase.down[:0] = list(down or [])
        if note and note not in phase.notes:
            phase.notes.append(note)
        self.used.add(key)

    def given_value(self, table: str, column: Column) -> str | None:
        """What existing rows get: a ``backfill`` expression, else the column's default as
        the DDL writer renders it for the target (an expression default through sqlglot:
        ``INTERVAL '2 DAYS'`` on PostgreSQL, not a string holding the expression)."""
        for pattern in (f"{table}.{column.name}", f"*.{column.name}", f"{table}.*"):
            for key, value in self.backfill.items():
                if fnmatch.fnmatch(pattern, key) or key == pattern:
                    return value
        return default_sql(column, self.d)

    def value_for(self, table: str, column: Column) -> str | None:
        if (value := self.given_value(table, column)) is not None:
            return value
        self.findings.append(Finding(
            "PL001", Severity.ERROR, f"no backfill value for new NOT NULL column "
            f"{table}.{column.name}: existing rows would stay NULL, so the plan cannot make "
            "it NOT NULL (a batch setting NULL would never reach 0 rows); the plan is blocked",
            f"{table}.{column.name}", None,
            f"pass backfill={{'{table}.{column.name}': '<SQL expression>'}} "
            f"(or '*.{column.name}' for every table; CLI: --backfill "
            f"'{table}.{column.name}=<SQL>')"))
        return None

    def batched_update(self, table: str, assignment: str, where: str) -> str:
        return self.D.batched_update_sql.format(table=_q(table, self.d), assignment=assignment,
                                                where=where, batch=self.batch)

    # -- the steps --------------------------------------------------------------------------
    def run(self) -> Plan:
        if self.D.table_rebuilds:
            return self.sqlite()
        for change in self.m.changes:
            handler = getattr(self, f"on_{change.kind}", None)
            if handler is None or not handler(change):
                self.default(change)
        phases = [self.phases[k] for k, *_ in PHASES
                  if k in self.used or (self.phases[k].app_step and self._needs_release(k))]
        for phase in phases:
            if self.D.online_alter:
                phase.up[:] = _online(phase.up, self.D.online_alter)
                phase.down[:] = _online(phase.down, self.D.online_alter)
            self.timeouts(phase)
        return Plan(self.d, phases, Findings([*_kept(self.m), *self.findings]))

    def timeouts(self, phase: Phase) -> None:
        """Bound every phase's wait for locks, and its run time (not an index build's)."""
        if not phase.up:
            return
        if not self.D.lock_timeout_sql:
            return
        seconds = max(1, int(re.sub(r"\D", "", self.lock_timeout) or 2))
        head = [self.D.lock_timeout_sql.format(value=self.lock_timeout, seconds=seconds)]
        if self.D.statement_timeout_sql:
            run = "0" if phase.key == "index" else self.statement_timeout
            head.append(self.D.statement_timeout_sql.format(value=run))
        phase.up[:0] = head
        phase.down[:0] = head

    def _needs_release(self, key: str) -> bool:
        if key == "dual_write":
            return bool({"backfill"} & self.used)
        return bool({"backfill", "contract"} & self.used)


    def default(self, change: Change) -> None:
        # Expand only adds: whatever removes or rebuilds (a view, a foreign key, a check)
        # waits for contract, so the running release keeps every object it reads.
        if change.kind.startswith(("drop_", "rebuild_")) or self._recreated(change):
            self.put("contract", change.up, change.down,
                     "destructive steps run only once no released version uses the objects")
        else:
            self.put("expand", change.up, change.down)

    def _recreated(self, change: Change) -> bool:
        """A view or constraint created under the name of one this migration drops."""
        if not change.kind.startswith(("create_", "add_")):
            return False
        dropped = "drop_" + change.kind.split("_", 1)[1]
        return any(o.kind == dropped and o.object == change.object for o in self.m.changes)

    def on_add_column(self, c: Change) -> bool:
        col: Column = c.new
        if col.nullable or col.default is not None or col.identity or col.generated:
            return False
        table, name = c.table, col.name
        t, qc = _q(table, self.d), _qc(name, self.d)
        loose = Column(col.name, col.type, True, None)
        self.put("expand", [f"ALTER TABLE {t} ADD COLUMN {column_sql(loose, self.d)}"],
                 [f"ALTER TABLE {t} DROP COLUMN {qc}"],
                 "new NOT NULL columns start nullable so the running version's INSERTs work")
        value = self.value_for(table, col)
        if value is None:  # PL001: no UPDATE that could never finish
            self.put("backfill", [], [], f"BLOCKED (PL001): {table}.{name} has no backfill value")
        else:
            self.put("backfill", [self.batched_update(table, f"{qc} = {value}", f"{qc} IS NULL")],
                     [], f"repeat each UPDATE until it touches 0 rows ({self.batch} per batch)")
        self.not_null(table, name, col)
        return True

    def not_null(self, table: str, name: str, col: Column) -> None:
        t, qc = _q(table, self.d), _qc(name, self.d)
        if self.D.not_valid_constraints:
            check = _qc(f"{table.split('.')[-1]}_{name}_not_null"[:63], self.d)
            # undone with the constrain phase: a key added there may need the column NOT NULL
            self.put("constrain", [
                f"ALTER TABLE {t} ADD CONSTRAINT {check} CHECK ({qc} IS NOT NULL) NOT VALID",
            ], [f"ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {check}",
                f"ALTER TABLE {t} ALTER COLUMN {qc} DROP NOT NULL"])
            self.put("validate", [
                f"ALTER TABLE {t} VALIDATE CONSTRAINT {check}",
                f"ALTER TABLE {t} ALTER COLUMN {qc} SET NOT NULL",
                f"ALTER TABLE {t} DROP CONSTRAINT {check}",
            ], [],
                "SET NOT NULL after a validated CHECK skips the full-table scan (PostgreSQL 12+)")
        else:
            strict = column_sql(Column(col.name, col.type, False, col.default), self.d)
            loose = column_sql(Column(col.name, col.type, True, col.default), self.d)
            self.put("validate", [f"ALTER TABLE {t} MODIFY COLUMN {strict}, "
                                  f"{', '.join(self.D.online_alter)}"],
                     [f"ALTER TABLE {t} MODIFY COLUMN {loose}"])

    def on_alter_column(self, c: Change) -> bool:
        a, b = c.old, c.new
        if a.type == b.type and a.identity == b.identity and a.generated == b.generated:
            if a.nullable and not b.nullable:
                other = [s for s in c.up if "NOT NULL" not in s]
                if other:
                    self.put("expand", other, [s for s in c.down if "NOT NULL" not in s])
                # rows already NULL would fail the NOT NULL step: give them the new default
                # (or the backfill value) first
                if (value := self.given_value(c.table, b)) is not None:
                    qc = _qc(b.name, self.d)
                    self.put("backfill", [self.batched_update(c.table, f"{qc} = {value}",
                                                              f"{qc} IS NULL")], [],
                             f"repeat each UPDATE until it touches 0 rows ({self.batch} per "
                             "batch)")
                self.not_null(c.table, b.name, b)
                return True
            return False
        if a.type == b.type:
            return False
        self.shadow_column(c.table, a, b, f"{b.name}__new", cast=True)
        return True

    def on_rename_column(self, c: Change) -> bool:
        a, b = c.old, c.new
        self.shadow_column(c.table, a, b, b.name, cast=False)
        return True

    def shadow_column(self, table: str, old: Column, new: Column, shadow: str,
                      *, cast: bool) -> None:
        """New column + dual-write trigger + backfill + switch reads + drop the old column."""
        t, d = _q(table, self.d), self.d
        qo, qs = _qc(old.name, d), _qc(shadow, d)
        loose = Column(shadow, new.type, True, new.default)
        # MySQL converts on assignment (and its CAST knows few type names)
        cast = cast and self.D.cast_on_copy
        expr_new = f"CAST(NEW.{qo} AS {render_type(new.type, d)})" if cast else f"NEW.{qo}"
        expr_row = f"CAST({qo} AS {render_type(new.type, d)})" if cast else qo
        self.put("expand", [f"ALTER TABLE {t} ADD COLUMN {column_sql(loose, d)}"],
                 [f"ALTER TABLE {t} DROP COLUMN {qs}"],
                 "the new column lives next to the old one until every release uses it")
        fn = _qc(f"{table.split('.')[-1]}_{shadow}_sync"[:63], d)
        if self.D.trigger_functions:
            body = (f"BEGIN IF NEW.{qs} IS NULL THEN NEW.{qs} := {expr_new}; END IF; "
                    f"RETURN NEW; END")
            self.put("expand", [
                f"CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$",
                f"CREATE TRIGGER {fn} BEFORE INSERT OR UPDATE ON {t} FOR EACH ROW "
                f"EXECUTE FUNCTION {fn}()",
            ], [f"DROP TRIGGER IF EXISTS {fn} ON {t}", f"DROP FUNCTION IF EXISTS {fn}()"],
                "a trigger keeps the new column in step while old releases write the old one")
        else:
            for event in ("INSERT", "UPDATE"):
                trig = _qc(f"{table.split('.')[-1]}_{shadow}_{event.lower()}"[:63], d)
                self.put("expand", [
                    f"CREATE TRIGGER {trig} BEFORE {event} ON {t} FOR EACH ROW "
                    f"SET NEW.{qs} = COALESCE(NEW.{qs}, {expr_new})"],
                    [f"DROP TRIGGER IF EXISTS {trig}"])
        self.put("backfill", [self.batched_update(table, f"{qs} = {expr_row}",
                                                  f"{qs} IS NULL AND {qo} IS NOT NULL")], [],
                 f"repeat each UPDATE until it touches 0 rows ({self.batch} per batch)")
        if not new.nullable:
            self.not_null(table, shadow, Column(shadow, new.type, False, new.default))
        contract = [f"DROP TRIGGER IF EXISTS {fn} ON {t}", f"DROP FUNCTION IF EXISTS {fn}()"] \
            if self.D.trigger_functions else [
                f"DROP TRIGGER IF EXISTS "
                f"{_qc(f'{table.split(chr(46))[-1]}_{shadow}_{e}'[:63], d)}"
                for e in ("insert", "update")]
        contract.append(f"ALTER TABLE {t} DROP COLUMN {qo}")
        restored = Column(old.name, old.type, True, old.default)
        back = [f"ALTER TABLE {t} ADD COLUMN {column_sql(restored, d)}",
                f"UPDATE {t} SET {qo} = {qs}"]
        if not old.nullable:
            back.append(f"ALTER TABLE {t} MODIFY COLUMN {column_sql(old, d)}"
                        if self.D.modify_column else
                        f"ALTER TABLE {t} ALTER COLUMN {qo} SET NOT NULL")
        if shadow != new.name:
            contract.append(f"ALTER TABLE {t} RENAME COLUMN {qs} TO {_qc(new.name, d)}")
            back.insert(0, f"ALTER TABLE {t} RENAME COLUMN {_qc(new.name, d)} TO {qs}")
        self.put("contract", contract, back,
                 "the old column goes only after every running release reads the new one")

    def on_create_index(self, c: Change) -> bool:
        if self.D.concurrent_indexes and c.table in self.m.partitioned \
                and c.table not in self._created_tables():
            if isinstance(c.new, Index) and self.m.partitions.get(c.table):
                self.put("index", self.partitioned_build(c.new), c.down,
                         "a partitioned table's index: made on the table ONLY (at once), "
                         "built CONCURRENTLY on each partition, each attached to it")
                return True
            self.put("index", c.up, c.down, "an index on a partitioned table is built under "
                     "lock: PostgreSQL cannot build it CONCURRENTLY")
            self.locked_on_partitions(c, "builds", "holds a SHARE lock on every partition "
                                      "(writes wait) while it builds", _PARTITIONED_BUILD)
            return True
        if self.D.concurrent_indexes and c.table not in self._created_tables():
            up = [re.sub(r"(?i)^CREATE\s+(UNIQUE\s+)?INDEX\s+", lambda m: m.group(0) +
                         "CONCURRENTLY ", s, count=1) for s in c.up]
            down = [re.sub(r"(?i)^DROP\s+INDEX\s+", "DROP INDEX CONCURRENTLY ", s, count=1)
                    for s in c.down]
            self.put("index", up, down, "CONCURRENTLY builds without blocking writes")
            return True
        if self.D.online_alter and c.table not in self._created_tables():
            online = self.D.online_alter
            self.put("index", [f"{s}, {', '.join(online)}" if s.startswith("ALTER")
                               else f"{s} {' '.join(online)}" for s in c.up], c.down)
            return True
        return False

    def on_rename_index(self, c: Change) -> bool:
        """A partition's copy of a new parent index is renamed once the index phase has
        made it (the migration names it after creating the parent's)."""
        if c.phase == P_NAME_PARTITION_INDEX and c.up:
            self.put("index", c.up, c.down)
            return True
        return False

    def partitioned_build(self, index: Index) -> list[str]:
        """``index`` on a partitioned table without blocking writes: ``CREATE INDEX ... ON
        ONLY`` the table (an invalid index, made at once), then on each partition the same
        index built ``CONCURRENTLY`` (a partitioned partition: the same, one level down)
        and ``ALTER INDEX ... ATTACH PARTITION``; the last attach makes it valid. Each
        partition's index gets the name PostgreSQL would give it, which the migration's
        renames then expect."""
        d, table = self.d, index.table
        head = create_index_sql(index, d)
        on = f" ON {quote_ident(table, d)}"
        out = [head.replace(on, f" ON ONLY {quote_ident(table, d)}", 1)]
        schema = split_key(table)[0]
        parent = quote_ident(object_key(index.name, schema), d)
        for part in self.m.partitions.get(table, ()):
            name = auto_index_name(split_key(part)[1], index.columns)
            child = replace(index, name=name, table=part)
            if part in self.m.partitioned and self.m.partitions.get(part):
                out += self.partitioned_build(child)
            else:
                out.append(re.sub(r"^CREATE (UNIQUE )?INDEX ", r"CREATE \1INDEX CONCURRENTLY ",
                                  create_index_sql(child, d), count=1))
            child_key = object_key(name, split_key(part)[0])
            out.append(f"ALTER INDEX {parent} ATTACH PARTITION {quote_ident(child_key, d)}")
        return out

    def locked_on_partitions(self, c: Change, verb: str, lock: str, hint: str) -> None:
        self.findings.append(Finding(
            "PL002", Severity.WARNING, f"index {c.object} on partitioned table {c.table}: "
            f"PostgreSQL cannot run this CONCURRENTLY, so the plan {verb} it as written, which "
            f"{lock}", c.object, None, hint))

    def on_drop_index(self, c: Change) -> bool:
        if self.D.concurrent_indexes and c.table in self.m.partitioned:
            self.put("contract", c.up, c.down)
            self.locked_on_partitions(c, "drops", "takes an ACCESS EXCLUSIVE lock on the "
                                      "table and its partitions for a moment",
                                      "run the contract phase at a quiet hour")
            return True
        if self.D.concurrent_indexes:
            up = [re.sub(r"(?i)^DROP\s+INDEX\s+", "DROP INDEX CONCURRENTLY ", s, count=1)
                  for s in c.up]
            phase = self.phases["contract"]
            # concurrent drops cannot share the contract transaction: own phase at the end
            phase.notes.append("DROP INDEX CONCURRENTLY runs outside a transaction")
            phase.transactional = False
            self.put("contract", up, c.down)
            return True
        return False

    def on_add_unique(self, c: Change) -> bool:
        if not self.D.constraint_using_index or c.table in self._created_tables():
            return False
        u = c.new
        t = _q(c.table, self.d)
        name = c.object.split(".")[-1]
        idx = _qc(f"{name}_idx"[:63], self.d)
        cols = ", ".join(_qc(x, self.d) for x in u.columns)
        self.put("index", [f"CREATE UNIQUE INDEX CONCURRENTLY {idx} ON {t} ({cols})"],
                 [f"DROP INDEX CONCURRENTLY IF EXISTS {idx}"])
        self.put("constrain", [f"ALTER TABLE {t} ADD CONSTRAINT {_qc(name, self.d)} UNIQUE "
                               f"USING INDEX {idx}"], c.down,
                 "a unique constraint adopts the index built concurrently (no lock to build it)")
        return True

    def on_add_foreign_key(self, c: Change) -> bool:
        if c.table in self._created_tables() or self._recreated(c):
            return False
        if self.D.not_valid_constraints:
            name = c.object.split(".")[-1]
            self.put("constrain", [f"{s} NOT VALID" for s in c.up], c.down,
                     "foreign keys and checks start NOT VALID: no scan under lock")
            self.put("validate", [f"ALTER TABLE {_q(c.table, self.d)} VALIDATE CONSTRAINT "
                                  f"{_qc(name, self.d)}"], [],
                     "VALIDATE takes a lock that lets reads and writes go on")
            return True
        if self.D.foreign_key_checks:
            self.put("constrain", ["SET foreign_key_checks = 0", *c.up,
                                  "SET foreign_key_checks = 1"], c.down,
                     "with foreign_key_checks=0 InnoDB adds the key in place, without a copy; "
                     "check orphans yourself first")
            return True
        return False

    def on_add_check(self, c: Change) -> bool:
        if not self.D.not_valid_constraints or c.table in self._created_tables() or \
                self._recreated(c):
            return False
        name = c.object.split(".")[-1]
        self.put("constrain", [f"{s} NOT VALID" for s in c.up], c.down)
        self.put("validate", [f"ALTER TABLE {_q(c.table, self.d)} VALIDATE CONSTRAINT "
                              f"{_qc(name, self.d)}"], [])
        return True

    def _pk_phase(self, table: str) -> str:
        """A primary key swap is a rebuild: contract, unless a new foreign key needs it.

        MySQL/MariaDB swap it in constrain: undoing a swap there while the new composite
        foreign keys still lean on the key loses them (MariaDB 10/11, errno 150 after).
        """
        needed = any(o.kind == "add_foreign_key" and getattr(o.new, "ref_table", None) == table
                     for o in self.m.changes)
        return "constrain" if needed or not self.D.constraint_using_index else "contract"

    def on_drop_primary_key(self, c: Change) -> bool:
        if not self.D.table_rebuilds and c.table not in self._created_tables() and any(
                o.kind == "add_primary_key" and o.table == c.table for o in self.m.changes):
            self.pk_drops[c.table] = c  # swapped in one statement with the new key
            return True
        self.put(self._pk_phase(c.table), c.up, c.down,
                 "the old primary key goes only once no released version relies on it")
        return True

    def on_add_primary_key(self, c: Change) -> bool:
        phase = self._pk_phase(c.table)
        if self.D.clustered_primary_key and c.table in self.pk_drops:
            drop = self.pk_drops.pop(c.table)
            t = _q(c.table, self.d)
            cols = ", ".join(_qc(x, self.d) for x in c.new.columns)
            old_cols = ", ".join(_qc(x, self.d) for x in drop.old.columns)
            self.put(phase, [f"ALTER TABLE {t} DROP PRIMARY KEY, ADD PRIMARY KEY ({cols})"],
                     [f"ALTER TABLE {t} DROP PRIMARY KEY, ADD PRIMARY KEY ({old_cols})"],
                     "InnoDB swaps a primary key in place only in one ALTER with both steps")
            return True
        if not self.D.constraint_using_index or c.table in self._created_tables():
            self.put("constrain", c.up, c.down)
            return True
        t = _q(c.table, self.d)
        base = c.table.split(".")[-1]
        idx = _qc(f"{base}_pkey_new"[:63], self.d)
        cols = ", ".join(_qc(x, self.d) for x in c.new.columns)
        name = _qc(c.new.name or f"{base}_pkey", self.d)
        self.put("index", [f"CREATE UNIQUE INDEX CONCURRENTLY {idx} ON {t} ({cols})"],
                 [f"DROP INDEX CONCURRENTLY IF EXISTS {idx}"])
        drop = self.pk_drops.pop(c.table, None)
        # one ALTER drops the old key and adopts the new index: never a moment without a key
        first = [re.sub(r"(?is)^ALTER\s+TABLE\s+\S+\s+", "", s) for s in drop.up] if drop else []
        self.put(phase, [f"ALTER TABLE {t} " + ", ".join(
                     [*first, f"ADD CONSTRAINT {name} PRIMARY KEY USING INDEX {idx}"])],
                 [*c.down, *(drop.down if drop else [])],
                 "the primary key is swapped in one statement, using the index built before")
        return True

    def _created_tables(self) -> set[str]:
        return {c.table for c in self.m.changes if c.kind == "create_table"}

    def sqlite(self) -> Plan:
        phase = Phase("maintenance", "one maintenance window (SQLite has no online DDL)",
                      list(self.m.up), list(self.m.down))
        backfills = []
        for c in self.m.changes:
            for col in _new_not_null(c):
                value = self.value_for(c.table, col)
                backfills.append(f"{col.name} = {value}")
        if backfills:
            phase.notes.append("the table rebuild copies rows; give new NOT NULL columns a "
                               "value in the INSERT ... SELECT or a DEFAULT")
        return Plan("sqlite", [phase], Findings([*self.m.findings.errors, *self.findings]))


def _kept(migration: Migration) -> list[Finding]:
    """The diff's errors a plan does not fix (its zero-downtime ZD findings are what it fixes)."""
    return [f for f in migration.findings.errors if not f.code.startswith("ZD")]


def _online(statements: list[str], online: tuple[str, ...]) -> list[str]:
    """MySQL: ask for online ALTERs, so the server refuses rather than copy the table.

    A foreign key is added in place only with foreign_key_checks off; elsewhere it is
    left to the server's choice.
    """
    out, checks_off = [], False
    for sql in statements:
        if m := re.match(r"(?i)^SET\s+foreign_key_checks\s*=\s*(\d)", sql):
            checks_off = m.group(1) == "0"
        adds_fk = re.search(r"(?i)\bADD\s+(CONSTRAINT\s+\S+\s+)?FOREIGN\s+KEY\b", sql)
        if re.match(r"(?i)^ALTER\s+TABLE\b", sql) and not re.search(
                r"(?i)\bALGORITHM\s*=", sql) and (checks_off or not adds_fk):
            sql = f"{sql}, {', '.join(online)}"
        out.append(sql)
    return out


def _new_not_null(c: Change) -> list[Column]:
    if c.kind == "add_column" and not c.new.nullable and c.new.default is None:
        return [c.new]
    if c.kind == "rebuild_table" and c.old is not None and c.new is not None:
        old = {col.name for col in c.old.columns}
        return [col for col in c.new.columns if col.name not in old and not col.nullable
                and col.default is None and not col.identity]
    return []


def plan_rollout(migration: Migration, *, backfill: dict[str, str] | None = None,
                 batch_size: int = 10_000, lock_timeout: str = "2s",
                 statement_timeout: str = "30s") -> Plan:
    """Turn ``migration`` into zero-downtime phases (see the module docstring).

    ``backfill`` maps ``table.column`` (``*`` wildcards allowed) to the SQL expression
    existing rows get for a new NOT NULL column; a missing one is finding PL001. Every
    phase starts by bounding its lock waits (``lock_timeout``) and its run time
    (``statement_timeout``; index builds run unbounded but still wait at most
    ``lock_timeout`` for their lock): on timeout, retry the phase.
    """
    return _Planner(migration, dict(backfill or {}), batch_size, lock_timeout,
                    statement_timeout).run()
