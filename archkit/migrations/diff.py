"""Diff two catalogs into ordered up and down statements (postgres, mysql, sqlite).

Usage::

    from archkit.migrations.diff import diff_sql
    migration = diff_sql(v1_text, v2_text, "postgres", allow_destructive=False)
    migration.up, migration.down, migration.findings
    migration          # shows the steps, exact/lossy downs and findings in Jupyter

Each :class:`Change` is one step with its own up and down statements; the up
script runs the changes in dependency order (drop views and foreign keys first,
schemas and extensions before what lives in them, create tables in foreign-key
order, views last; functions, aggregates, domains, types, triggers, policies and
views after the objects their texts reference, dropped before them) and the down
script runs every change's inverse in reverse. A down step that cannot bring data
back is labelled lossy; an up step that destroys data is an error finding unless
``allow_destructive``.
Renames come from ``-- archkit: renamed from old_name`` comments or the ``renames``
argument, never from guessing: a likely rename is only suggested (finding MG002).
SQLite gets its table-rebuild pattern where its ALTER TABLE cannot make the change.
The statements come from :mod:`archkit.schema.ddl`, the schema texts are read by
:mod:`archkit.migrations.source` and declared renames by :mod:`archkit.migrations.renames`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from archkit.display import escape_markdown, markdown_table
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity
from archkit.migrations.domains import alter_domain
from archkit.migrations.renames import Renames, parse_renames, rename_hints
from archkit.migrations.source import (
    CARRIED,
    ENDS_NOT_VALID,
    Source,
    SqlObject,
    bare_name,
    norm_sql,
    parse_source,
    unparsed_finding,
)
from archkit.schema.catalog import (
    Catalog,
    Check,
    Column,
    EnumType,
    ForeignKey,
    Index,
    Table,
    Unique,
    View,
    object_key,
    split_key,
)
from archkit.schema.ddl import (
    INHERITS,
    PARTITION_BOUND,
    PARTITION_OF,
    PARTITIONED,
    ROUTINE_KINDS,
    UNLOGGED,
    check_name,
    check_sql,
    column_list,
    column_sql,
    create_index_sql,
    create_table_sql,
    create_view_sql,
    drop_index_sql,
    drop_view_sql,
    fk_clause,
    fk_name,
    identity_clause,
    is_partitioning,
    is_storage_parameter,
    object_name,
    parents,
    pk_name,
    quote_ident,
    render_type,
    routines_after_tables,
    set_default_sql,
    short_name,
    sql_list,
    sql_string,
    unique_clause,
    unique_name,
)
from archkit.schema.ddl import mentions as _mentions
from archkit.schema.ddl import named_in as _named
from archkit.schema.ddl import tables_in_order as _topo_tables
from archkit.schema.ddl import views_in_order as _topo_views
from archkit.schema.dialects import dialect as get_dialect
from archkit.schema.dialects import names as dialect_names
from archkit.schema.index_names import auto_index_name
from archkit.schema.parse import _split_name

__all__ = [
    "Change",
    "Migration",
    "diff_catalogs",
    "diff_sql",
    "diff_files",
]

DIALECTS = dialect_names()

# Phases order the up script; the down script is every change's inverse in reverse.
P_DROP_VIEW, P_DROP_FK, P_DROP_INDEX, P_ENUM, P_RENAME_TABLE, P_CREATE_TABLE = 0, 1, 2, 3, 4, 5
P_ALTER, P_CREATE_INDEX, P_ADD_FK, P_DROP_TABLE, P_DROP_ENUM, P_CREATE_VIEW = 6, 7, 8, 9, 10, 11
# indexes on (materialized) views: dropped before their view goes, created after it comes
P_DROP_VIEW_INDEX, P_CREATE_VIEW_INDEX = -1, 12
# triggers and policies go before anything they sit on; functions and domains after the
# tables that used them are gone, and before the enums their signatures may name
P_DROP_TRIGGER, P_DROP_ROUTINE = -2, 9.5
# a MySQL table's character set: before its columns change (they take it), last on down
P_RECHARSET = 5.5
# a partition's copy of its parent's index is named as dumped once both exist
P_NAME_PARTITION_INDEX = 7.5
# ... and, on down, once a dropped parent index is back (before it goes, on up: nothing)
P_UNNAME_PARTITION_INDEX = 1.5
#: extensions every PostgreSQL database has from template1: a dump lists them or not by
#: pg_dump's version (newer ones leave plpgsql out), so one side naming them is no change
ALWAYS_INSTALLED = frozenset({"plpgsql"})

# schemas and extensions come before anything that lives in them or uses what they bring
P_NAMESPACE = 2.5
# a comment on an index, a sequence...: once everything it may sit on is there
P_COMMENT = 12.5
# within these phases, objects are ordered by the names their texts reference
_CREATE_PHASES, _DROP_PHASES = (P_ENUM, P_CREATE_VIEW), (P_DROP_TRIGGER, P_DROP_VIEW,
                                                         P_DROP_ROUTINE)

_REBUILD_PREFIX = "_archkit_new_"


@dataclass(slots=True)
class Change:
    """One migration step: its up and down SQL, and what it does to the data.

    ``down_exact`` is False when running the down statements cannot bring back what
    the up step removed (a dropped column's values) or changed (a narrowed type).
    """

    kind: str
    object: str
    up: list[str]
    down: list[str]
    phase: int = P_ALTER
    destructive: bool = False
    down_exact: bool = True
    note: str = ""
    table: str | None = None
    column: str | None = None
    old: Any = field(default=None, repr=False)
    new: Any = field(default=None, repr=False)

    @property
    def down_label(self) -> str:
        return "exact" if self.down_exact else "lossy"


@dataclass(slots=True)
class Migration:
    """The result of a diff: ordered changes, their up/down SQL and the findings."""

    dialect: str
    changes: list[Change] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    suggestions: list[tuple[str, str]] = field(default_factory=list)
    #: tables partitioned (``PARTITION BY``) before or after: what the rollout plan must
    #: not build or drop indexes on CONCURRENTLY (PostgreSQL refuses it there)
    partitioned: frozenset[str] = frozenset()
    #: each partitioned table's partitions after the migration (keys, in name order): where
    #: the rollout plan builds a partitioned table's index one partition at a time
    partitions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def up(self) -> list[str]:
        return [s for c in self.changes for s in c.up]

    @property
    def down(self) -> list[str]:
        return [s for c in reversed(self.changes) for s in c.down]

    @property
    def up_notes(self) -> list[str]:
        return [f"{c.kind} {c.object}: destroys data" for c in self.changes if c.destructive]

    @property
    def down_notes(self) -> list[str]:
        return [f"lossy: {c.kind} {c.object} — {c.note or 'data removed by up is not restored'}"
                for c in self.changes if not c.down_exact]

    @property
    def empty(self) -> bool:
        return not self.changes

    def to_json(self) -> dict:
        return {
            "up": self.up,
            "down": self.down,
            "findings": self.findings.to_list(),
            "steps": [
                {"kind": c.kind, "object": c.object, "up": c.up, "down": c.down,
                 "down_exact": c.down_exact, "destructive": c.destructive}
                for c in self.changes
            ],
        }

    def to_text(self) -> str:
        if self.empty:
            lines = ["-- no changes"]
        else:
            lines = ["-- up"] + [f"{s};" for s in self.up] + ["", "-- down"]
            lines += [f"{s};" for s in self.down]
        if self.findings:
            lines += ["", "-- findings"] + [f"-- {f}" for f in self.findings]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The steps with their SQL monospace and scrollable (and never typeset as maths)."""
        from archkit.display import escape_html_text, rich_table_html

        if self.empty:
            return "<p><i>No changes: the schemas are equivalent.</i></p>"
        rows = [[str(i), c.kind, c.object, ";\n".join(c.up) or "—", ";\n".join(c.down) or "—",
                 c.down_label + (" ⚠ destroys data" if c.destructive else "")]
                for i, c in enumerate(self.changes, 1)]
        out = (f"<p><b>Migration</b> ({escape_html_text(self.dialect)}): "
               f"{len(self.changes)} steps</p>")
        out += rich_table_html(["#", "step", "object", "up", "down", "down is"], rows,
                               sql=(3, 4))
        if self.findings:
            out += self.findings._repr_html_()
        if self.suggestions:
            out += "<ul>" + "".join(f"<li>possible rename: <code>{escape_html_text(a)}</code> → "
                                    f"<code>{escape_html_text(b)}</code></li>"
                                    for a, b in self.suggestions) + "</ul>"
        return out

    def _repr_markdown_(self) -> str:
        if self.empty:
            return "*No changes: the schemas are equivalent.*"
        rows = [
            [str(i), c.kind, c.object, "; ".join(c.up) or "—", "; ".join(c.down) or "—",
             c.down_label + (" ⚠ destroys data" if c.destructive else "")]
            for i, c in enumerate(self.changes, 1)
        ]
        out = f"**Migration** ({self.dialect}): {len(self.changes)} steps\n\n"
        out += markdown_table(["#", "step", "object", "up", "down", "down is"], rows)
        if self.findings:
            out += "\n\n" + self.findings._repr_markdown_()
        if self.suggestions:
            out += "\n\n" + "\n".join(
                f"* possible rename: `{escape_markdown(a)}` → `{escape_markdown(b)}`"
                for a, b in self.suggestions
            )
        return out


# -- the differ --------------------------------------------------------------------------

def _is_key(table: Table, columns: tuple[str, ...] | list[str]) -> bool:
    """Whether ``columns`` are the primary key or a unique key of ``table`` (case-blind)."""
    cols = tuple(c.lower() for c in columns)
    keys = [u.columns for u in table.uniques]
    if table.primary_key:
        keys.append(table.primary_key.columns)
    return any(tuple(c.lower() for c in k) == cols for k in keys)


class _Differ:
    def __init__(self, old: Source, new: Source, dialect: str, renames: Renames,
                 allow_destructive: bool):
        self.src_old, self.src_new = old, new
        self.old, self.new, self.d = old.catalog, new.catalog, dialect
        self.dd = get_dialect(dialect)  # what the dialect can do
        self.renames = renames
        self.allow = allow_destructive
        self.changes: list[Change] = []
        self.findings = Findings()
        self.suggestions: list[tuple[str, str]] = []
        self.rebuilt: set[str] = set()
        self.view_touch: set[str] = set()  # tables whose dependent views must be recreated
        self.created: set[str] = set()
        self.reused: set[str] = set()  # new tables created by their own CREATE TABLE text
        self.dropped: set[str] = set()
        self.gone_routines: set[str] = set()
        self.replaced_routines: set[str] = set()
        #: (table key, column name) of generated columns this migration drops and adds again
        self.regenerated: set[tuple[str, str]] = set()
        self.retyped: set[tuple[str, str]] = set()
        self._remade_enums: set[str] | None = None

    # -- helpers
    def place(self, change: Change) -> tuple[int | None, str | None]:
        """Where the step comes from: the line of the new object, else of the old one."""
        for obj, src in ((change.new, self.src_new), (change.old, self.src_old)):
            line = getattr(obj, "line", None)
            if line is not None:
                return line, src.file
        return None, None

    def add(self, change: Change) -> None:
        line, file = self.place(change)
        if change.destructive:
            sev = Severity.WARNING if self.allow else Severity.ERROR
            self.findings.append(Finding(
                "MG001", sev, f"up step destroys data: {change.kind} {change.object}",
                change.object, line,
                "keep the data (rename or copy it first); pass allow_destructive=True "
                "(--allow-destructive) once you are sure", file,
            ))
        if not change.down_exact:
            self.findings.append(Finding(
                "MG003", Severity.INFO,
                f"down step is lossy: {change.kind} {change.object} — "
                f"{change.note or 'what up removed is not restored'}",
                change.object, line, "restore from a backup or keep the old data until sure",
                file,
            ))
        self.changes.append(change)

    def q(self, name: str) -> str:
        return quote_ident(name, self.d)

    def _table_key(self, written: str | None) -> str:
        """The catalog key of a table named as a statement writes it (``public."T"``)."""
        return self.new.key(*_split_name(written or ""))

    def catalog_of(self, table: Table) -> Catalog:
        return self.old if any(t is table for t in self.old.tables.values()) else self.new

    def qc(self, name: str) -> str:
        """A column name (a dot in it is part of the name)."""
        return quote_ident(name, self.d, qualified=False)

    def serials(self, cat: Catalog, table: Table) -> set[str]:
        """Columns of ``table`` declared SERIAL (their sequence is in the catalog)."""
        if not self.dd.serial_types:
            return set()
        return {c.name for c in table.columns if c.identity and
                cat.serial_sequence(table, c.name) in cat.sequences}

    def serial_sequence(self, table: Table, a: Column, b: Column) -> str | None:
        """The key of the sequence a SERIAL column ``a`` owns, when ``b`` keeps it."""
        if not (a.identity and b.identity) or b.type not in ("smallint", "integer", "bigint"):
            return None
        old_table = next((t for t in self.old.tables.values() if t.name == table.name
                          and t.schema == table.schema), None)
        if old_table is None or a.name not in self.serials(self.old, old_table):
            return None
        return self.old.serial_sequence(table, a.name)

    def implied_sequences(self, cat: Catalog) -> set[str]:
        return {cat.serial_sequence(t, c) for t in cat.tables.values()
                for c in self.serials(cat, t)}

    def table_sql(self, src: Source, key: str, *, with_fks: bool = True) -> str:
        original = src.originals.get(("table", key))
        if original and with_fks:
            return original
        table = src.catalog.tables[key]
        parent = src.catalog.tables.get(table.options.get(PARTITION_OF, ""))
        if parent is not None:  # PostgreSQL gives a partition its parent's keys itself
            table = replace(table, primary_key=None if parent.primary_key else
                            table.primary_key, uniques=[u for u in table.uniques if not any(
                                u.columns == pu.columns for pu in parent.uniques)])
        return create_table_sql(table, self.d, with_fks=with_fks,
                                serials=self.serials(src.catalog, table),
                                named=src.catalog.enums)

    def detached_uniques(self, src: Source, key: str, *, with_fks: bool = True) -> list[str]:
        """Unique keys the reused CREATE TABLE text does not hold (MySQL reads a separate
        CREATE UNIQUE INDEX as the table's unique constraint): written after it."""
        original = src.originals.get(("table", key))
        if not (original and with_fks):
            return []
        text = original.lower()
        return [f"CREATE UNIQUE INDEX {self.qc(u.name)} ON {self.q(key)} "
                f"({column_list(u.columns, self.d)})"
                for u in src.catalog.tables[key].uniques
                if u.name and u.name.lower() not in text]

    def index_sql(self, src: Source, index: Index) -> str:
        key = src.catalog.index_key(index.name, index.table)
        text = src.originals.get(("index", key))
        # pg_dump's ON ONLY parent makes an index its partitions' copies are attached to
        # later, one by one; a migration lets PostgreSQL make and attach them: plain ON
        return _ON_ONLY.sub(r"\1", text, count=1) if text else create_index_sql(index, self.d)

    def view_sql(self, src: Source, key: str, view: View) -> str:
        return src.originals.get(("view", key)) or create_view_sql(view, self.d)

    # -- entry
    def run(self) -> Migration:
        self.table_renames()
        self.gone_routines = self.routines_that_go()
        self.replaced_routines = self.routines_replaced()
        old_keys, new_keys = set(self.old.tables), set(self.new.tables)
        renamed_new = set(self.renames.tables.values())
        kept = sorted(old_keys & new_keys | {self.renames.tables[k] for k in
                                             self.renames.tables if k in old_keys} & new_keys)
        self.retyped = self.retyped_columns(kept)
        # parents first: a rebuilt child's foreign keys need the parent's new keys
        for key in _topo_tables(self.new, kept)[0]:
            old_key = self._old_key(key)
            if old_key in self.old.tables and key in self.new.tables:
                self.alter_table(self.old.tables[old_key], self.new.tables[key], key)
        created = sorted(new_keys - old_keys - renamed_new)
        dropped = sorted(old_keys - new_keys - set(self.renames.tables))
        self.suggest_table_renames(created, dropped)
        self.drop_tables(dropped)
        self.create_tables(created)
        self.view_touch |= self.enum_users()  # before any view or view index is weighed
        self.indexes()
        self.enums()
        self.sequences()
        self.views()
        self.namespaces()
        self.objects()
        if self.dd.not_valid_constraints:
            self.validity()
        order = sorted(range(len(self.changes)), key=lambda i: (self.changes[i].phase, i))
        changes = _by_reference([self.changes[i] for i in order])
        if get_dialect(self.d).auto_increment_must_be_key:
            auto: dict[str, set[str]] = {}
            for cat in (self.old, self.new):
                for k, t in cat.tables.items():
                    auto.setdefault(k, set()).update(c.name for c in t.columns if c.identity)
            changes = _one_alter_for_auto_increment(changes, auto)
        if get_dialect(self.d).indexes_foreign_keys:
            changes = _one_alter_for_foreign_key_indexes(changes, self.old, self.new)
        partitioned = frozenset(key for cat in (self.old, self.new)
                                for key, table in cat.tables.items()
                                if PARTITIONED in table.options)
        partitions: dict[str, list[str]] = {}
        for key, table in sorted(self.new.tables.items()):
            if (parent := table.options.get(PARTITION_OF)) is not None:
                partitions.setdefault(parent, []).append(key)
        return Migration(self.d, changes, self.findings, self.suggestions, partitioned,
                         {k: tuple(v) for k, v in partitions.items()})

    def _old_key(self, new_key: str) -> str:
        for old, new in self.renames.tables.items():
            if new == new_key:
                return old
        return new_key

    def table_renames(self) -> None:
        self.renames = self.valid_renames()
        for old, new in sorted(self.renames.tables.items()):
            if old not in self.old.tables or new not in self.new.tables:
                self.findings.append(Finding(
                    "MG004", Severity.ERROR,
                    f"rename {old} → {new} does not match the schemas", old, None,
                    f"the old schema must have table {old} and the new one {new}"))
                continue
            up = [f"ALTER TABLE {self.q(old)} RENAME TO {self.q(new)}"]
            down = [f"ALTER TABLE {self.q(new)} RENAME TO {self.q(old)}"]
            self.add(Change("rename_table", f"{old} → {new}", up, down, P_RENAME_TABLE,
                            table=new, old=old, new=new))

    def valid_renames(self) -> Renames:
        """The declared renames, without those whose old table is not in the old schema
        while the new one is in the new schema: that table is created (or kept) as it is,
        and a finding says the rename was ignored."""
        ignored = {old: new for old, new in self.renames.tables.items()
                   if old not in self.old.tables and new in self.new.tables}
        for old, new in sorted(ignored.items()):
            table = self.new.tables[new]
            what = "kept as it is" if new in self.old.tables else "created"
            self.findings.append(Finding(
                "MG004", Severity.WARNING,
                f"rename {old} → {new} ignored: there is no table {old} in the old schema, "
                f"so {new} is {what}", new, table.line,
                f"check the old name, or drop the '-- archkit: renamed from {old}' "
                "annotation once the rename is applied",
                self.src_new.file if table.line is not None else None))
        if not ignored:
            return self.renames
        return replace(self.renames, tables={o: n for o, n in self.renames.tables.items()
                                             if o not in ignored})

    # -- tables
    def retyped_columns(self, kept: list[str]) -> set[tuple[str, str]]:
        """``(table key, column)`` of each kept column whose type changes."""
        out = set()
        for key in kept:
            old = self.old.tables.get(self._old_key(key))
            if old is None:
                continue
            for col in self.new.tables[key].columns:
                was = old.column(col.name)
                if was is not None and was.type != col.type:
                    out.add((key, col.name.lower()))
        return out

    def on_retyped(self, key: str, fk: ForeignKey) -> bool:
        """Whether foreign key ``fk`` of table ``key`` has a column, or references one, whose
        type changes: the engine cannot keep the key across the change (text to integer),
        so it goes before and comes back after."""
        return any((key, c.lower()) in self.retyped for c in fk.columns) or \
            any((fk.ref_table, c.lower()) in self.retyped for c in fk.ref_columns)

    def create_tables(self, keys: list[str]) -> None:
        self.created = set(keys)
        ordered, cyclic = _topo_tables(self.new, keys)
        for key in ordered:
            table = self.new.tables[key]
            # tables in a foreign-key cycle get their keys once all of them exist, and so do
            # keys whose target is unique only through an index created after the tables
            with_fks = not self.dd.alter_constraints or (
                key not in cyclic and not any(self._needs_index(fk) or self.on_retyped(key, fk)
                                              for fk in table.foreign_keys))
            up = [self.table_sql(self.src_new, key, with_fks=with_fks),
                  *self.detached_uniques(self.src_new, key, with_fks=with_fks),
                  *self.serial_options(self.src_new, key)]
            if with_fks and ("table", key) in self.src_new.originals:
                self.reused.add(key)
            drop = [f"DROP TABLE {self.q(key)}"]
            self.add(Change("create_table", key, up, drop, P_CREATE_TABLE, table=key,
                            new=table))
            if self.dd.comment_statements:  # the CREATE TABLE text does not hold them
                self.comment_changes(None, table, key, P_CREATE_TABLE)
            if not with_fks:
                for fk in table.foreign_keys:
                    self.add_fk(table, key, fk)

    def serial_options(self, src: Source, key: str) -> list[str]:
        """``ALTER SEQUENCE`` for a SERIAL column's sequence the dump writes with other
        options than SERIAL gives it (an old pg_dump's integer key over a bigint
        sequence, a START WITH): written after the table."""
        table = src.catalog.tables[key]
        out = []
        for c in table.columns:
            if c.name not in self.serials(src.catalog, table):
                continue
            seq = src.catalog.serial_sequence(table, c.name)
            written = src.sequences.get(seq)
            made = ("" if c.type == "bigint" else f"AS {c.type} ") + \
                "START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1"
            if written and norm_sql(_created_sequence_options(written)) != norm_sql(made):
                out.append(f"ALTER SEQUENCE {self.q(seq)} "
                           f"{_options_over(_created_sequence_options(written), f'AS {c.type}')}")
        return out

    def _needs_index(self, fk: ForeignKey) -> bool:
        target = self.new.tables.get(fk.ref_table)
        return target is not None and not _is_key(target, fk.ref_columns)

    def drop_tables(self, keys: list[str]) -> None:
        ordered, cyclic = _topo_tables(self.old, keys)
        self.dropped = set(keys)
        for key in reversed(ordered):
            table = self.old.tables[key]
            # a foreign key to a kept table whose referenced key goes: drop the foreign key
            # first (the key cannot go while it is referenced) and add it back last on down
            early = [fk for fk in table.foreign_keys if self.dd.alter_constraints
                     and fk.ref_table not in self.dropped and self._key_goes(fk)]
            with_fks = not self.dd.alter_constraints or (key not in cyclic and not early)
            create = self.table_sql(self.src_old, key, with_fks=with_fks)
            inline = self.src_old.inline.get(key, set()) if ("table", key) in \
                self.src_old.originals and with_fks else set()
            down = [create, *self.detached_uniques(self.src_old, key, with_fks=with_fks),
                    *self.serial_options(self.src_old, key)]
            for i in sorted(self.old.indexes_of(key), key=lambda i: i.name):
                if self.inherited_index(self.old, i) is not None:  # comes with the table
                    down += self.inherited_name(i)[0]
                elif i.name not in inline:
                    down.append(self.index_sql(self.src_old, i))
            down += self.comments_back(key, table, table.columns)
            if not with_fks:
                for fk in table.foreign_keys:  # dropped before any table of the cycle goes,
                    # or before the key it references
                    self.add(Change("drop_foreign_key", f"{key}.{fk_name(table, fk, self.d)}",
                                    [self._drop_fk_sql(table, key, fk)],
                                    [self._add_fk_sql(table, key, fk)], P_DROP_FK, table=key))
            self.add(Change("drop_table", key, [f"DROP TABLE {self.q(key)}"], down,
                            P_DROP_TABLE, destructive=True, down_exact=False,
                            note="the table comes back empty", table=key, old=table))

    def _key_goes(self, fk: ForeignKey) -> bool:
        """Whether the key ``fk`` references is no longer a key in the new schema."""
        target = self.new.tables.get(self.renames.tables.get(fk.ref_table, fk.ref_table))
        return target is None or not _is_key(target, fk.ref_columns)

    def add_fk(self, table: Table, key: str, fk: ForeignKey) -> None:
        name = fk_name(table, fk, self.d)
        self.add(Change("add_foreign_key", f"{key}.{name}", [self._add_fk_sql(table, key, fk)],
                        [self._drop_fk_sql(table, key, fk)], P_ADD_FK, table=key, new=fk))

    def _add_fk_sql(self, table: Table, key: str, fk: ForeignKey) -> str:
        name = fk_name(table, fk, self.d)
        index = ""
        if self.dd.indexes_foreign_keys and not fk.name and \
                not _fk_covered(table, fk, self.catalog_of(table)):
            # name the index InnoDB would make, as CREATE TABLE names it (a named key's
            # index takes the key's name either way; an unnamed one's, its first column's)
            index = (f"ADD INDEX {self.qc(fk.columns[0])} "
                     f"({column_list(fk.columns, self.d)}), ")
        return (f"ALTER TABLE {self.q(key)} {index}ADD CONSTRAINT {self.qc(name)} "
                f"{fk_clause(fk, self.d)}")

    def drop_index(self, index: Index, cat: Catalog) -> str:
        """DROP INDEX; on MySQL keep an index under a foreign key that still needs one."""
        sql = drop_index_sql(index, self.d)
        if not self.dd.indexes_foreign_keys:
            return sql
        table = cat.tables.get(index.table)
        if table is None:
            return sql
        n_cols = [c.lower() for c in index.columns]
        for fk in table.foreign_keys:
            cols = [c.lower() for c in fk.columns]
            if n_cols[: len(cols)] != cols:
                continue
            others = replace(cat, indexes={k: i for k, i in cat.indexes.items()
                                           if not (i.name == index.name and
                                                   i.table == index.table)})
            if not _fk_covered(table, fk, others):
                return (f"ALTER TABLE {self.q(index.table)} ADD INDEX "
                        f"{self.qc(fk.name or fk.columns[0])} ({column_list(fk.columns, self.d)}), "
                        f"DROP INDEX {self.qc(index.name)}")
        return sql

    def _drop_fk_sql(self, table: Table, key: str, fk: ForeignKey) -> str:
        name = fk_name(table, fk, self.d)
        if self.d == "mysql":
            out = f"ALTER TABLE {self.q(key)} DROP FOREIGN KEY {self.qc(name)}"
            if not _fk_covered(table, fk, self.catalog_of(table)):
                # InnoDB made an index for the key; it stays unless dropped with it
                implicit = fk.name or fk.columns[0]
                out += f", DROP INDEX {self.qc(implicit)}"
            return out
        return f"ALTER TABLE {self.q(key)} DROP CONSTRAINT {self.qc(name)}"

    # -- altering one table
    def alter_table(self, old: Table, new: Table, key: str) -> None:
        col_renames = {o: n for (t, o), n in self.renames.columns.items() if t == key}
        old_cols = {c.name: c for c in old.columns}
        new_cols = {c.name: c for c in new.columns}
        for o, n in sorted(col_renames.items()):
            if o not in old_cols or n not in new_cols:
                self.findings.append(Finding(
                    "MG004", Severity.ERROR, f"rename {key}.{o} → {n} does not match the schemas",
                    f"{key}.{o}", None,
                    f"the old table must have column {o} and the new one {n}"))
        for o, n in sorted(col_renames.items()):
            if o in new_cols or n in old_cols:
                clash = o if o in new_cols else n
                self.findings.append(Finding(
                    "MG004", Severity.ERROR,
                    f"cannot rename {key}.{o} to {n}: column {clash} exists on both sides",
                    f"{key}.{o}", None, "rename to a name that is free, or drop the hint"))
        col_renames = {o: n for o, n in col_renames.items() if o in old_cols and n in new_cols
                       and o not in new_cols and n not in old_cols}
        renamed_old = {n: o for o, n in col_renames.items()}
        added = [c for c in new.columns if c.name not in old_cols and c.name not in renamed_old]
        dropped = [c for c in old.columns if c.name not in new_cols and c.name not in col_renames]
        common = [(old_cols[renamed_old.get(c.name, c.name)], c) for c in new.columns
                  if renamed_old.get(c.name, c.name) in old_cols]
        altered = [(a, b) for a, b in common if _col_sig(a) != _col_sig(b)]
        added, dropped, altered = self.own_column_changes(old, new, added, dropped, altered)
        self.suggest_column_renames(key, added, dropped)
        fks_old = {_fk_sig(f, col_renames): f for f in old.foreign_keys}
        fks_new = {_fk_sig(f, {}): f for f in new.foreign_keys}
        fk_drop = [fks_old[s] for s in fks_old if s not in fks_new]
        fk_add = [fks_new[s] for s in fks_new if s not in fks_old]
        if self.dd.alter_constraints:  # kept, but over a column whose type changes
            remade = [s for s in fks_new if s in fks_old and self.on_retyped(key, fks_new[s])]
            fk_drop += [fks_old[s] for s in remade]
            fk_add += [fks_new[s] for s in remade]
        pk_old = tuple(col_renames.get(c, c) for c in old.primary_key.columns) if \
            old.primary_key else None
        pk_new = new.primary_key.columns if new.primary_key else None
        # keyed by what they are: NULLS NOT DISTINCT on the same columns is another key
        u_old = {(tuple(col_renames.get(c, c) for c in u.columns), u.nulls_not_distinct,
                  u.prefixes()): u for u in old.uniques}
        u_new = {(u.columns, u.nulls_not_distinct, u.prefixes()): u for u in new.uniques}
        ck_old, ck_new = _check_keys(old.checks), _check_keys(new.checks)
        for k in [k for k in ck_old if k in ck_new and ck_old[k].name and ck_new[k].name
                  and ck_old[k].name.lower() != ck_new[k].name.lower()]:
            # the same check under another name: it goes and comes back named anew
            renamed_check = ck_old.pop(k)
            ck_old[f"{k}#{renamed_check.name}"] = renamed_check
        constraint_change = pk_old != pk_new or set(u_old) != set(u_new) or \
            set(ck_old) != set(ck_new)
        self.table_option_changes(old, new, key)
        self.place_changes(old, new, key)
        if not (added or dropped or altered or col_renames or fk_drop or fk_add or
                constraint_change):
            self.comment_changes(old, new, key, P_ALTER)
            return
        if not self.dd.alter_constraints and (dropped or altered or fk_drop or fk_add
                                              or constraint_change
                                   or any(not _sqlite_can_add(c, new) for c in added)):
            self.sqlite_rebuild(old, new, key, col_renames, dropped, altered)
            return
        for o, n in sorted(col_renames.items()):
            self.add(Change("rename_column", f"{key}.{o} → {n}",
                            [self._rename_col(key, o, n, new_cols[n])],
                            [self._rename_col(key, n, o, old_cols[o])], P_ALTER,
                            table=key, column=n, old=old_cols[o], new=new_cols[n]))
            self.view_touch.add(key)
        for fk in fk_drop:
            self.add(Change("drop_foreign_key", f"{key}.{fk_name(old, fk, self.d)}",
                            [self._drop_fk_sql(old, key, fk)], [self._add_fk_sql(old, key, fk)],
                            P_DROP_FK, table=key, old=fk))
        if self.dd.alter_constraints:
            enum_columns = self.changed_enum_columns(self._old_key(key))
            for ck in [ck_old[k] for k in ck_old if k not in ck_new]:
                name = check_name(old, ck, self.d)
                # one over a column of an enum made again goes before the enum step (its
                # constants would have no operator while the column changes type)
                early = bool(enum_columns) and _mentions(ck.expression, enum_columns)
                self.add(Change("drop_check", f"{key}.{name}",
                                [f"ALTER TABLE {self.q(key)} DROP CONSTRAINT {self.qc(name)}"],
                                [self._add_check_sql(old, key, ck)],
                                P_DROP_FK if early else P_ALTER, table=key, old=ck))
            for cols in [k for k in u_old if k not in u_new]:
                self.drop_unique(old, key, u_old[cols])
            if pk_old != pk_new and pk_old:
                self.drop_pk(old, key)
        for col in added:
            self.add_column(new, key, col)
        # MySQL wants the key in place before a column turns AUTO_INCREMENT; otherwise the
        # key comes after the columns (so down drops it before loosening NOT NULL)
        pk_first = self.dd.auto_increment_must_be_key and pk_old != pk_new and pk_new and any(
            b.identity and not a.identity for a, b in altered)
        if pk_first:
            self.add_pk(new, key)
        for a, b in altered:
            self.alter_column(key, a, b, new)
        for col in dropped:
            self.drop_column(old, key, col)
        if pk_old != pk_new and pk_new and not pk_first:
            self.add_pk(new, key)
        for cols in [k for k in u_new if k not in u_old]:
            self.add_unique(new, key, u_new[cols])
        for ck in [ck_new[k] for k in ck_new if k not in ck_old]:
            name = check_name(new, ck, self.d)
            self.add(Change("add_check", f"{key}.{name}",
                            [self._add_check_sql(new, key, ck)],
                            [f"ALTER TABLE {self.q(key)} DROP CONSTRAINT {self.qc(name)}"],
                            P_ALTER, table=key, new=ck))
        for fk in fk_add:
            name = fk_name(new, fk, self.d)
            self.add(Change("add_foreign_key", f"{key}.{name}", [self._add_fk_sql(new, key, fk)],
                            [self._drop_fk_sql(new, key, fk)], P_ADD_FK, table=key, new=fk))
        self.comment_changes(old, new, key, P_ALTER, skip={b.name for _a, b in altered})

    # -- NOT VALID constraints (PostgreSQL): existing rows not checked yet
    def validity(self) -> None:
        """Write each constraint added NOT VALID as its side's dump has it, and change a
        kept one's validity: VALIDATE CONSTRAINT, or drop and add it back NOT VALID."""
        for change in self.changes:
            change.up = [self._as_dumped(s, self.src_new) for s in change.up]
            change.down = [self._as_dumped(s, self.src_old) for s in change.down]
        old_nv, new_nv = self.src_old.not_valid, self.src_new.not_valid
        for key, name in sorted(old_nv ^ new_nv):
            old_t, new_t = self.old.tables.get(self._old_key(key)), self.new.tables.get(key)
            a = self._constraint_sql(old_t, key, name) if old_t is not None else None
            b = self._constraint_sql(new_t, key, name) if new_t is not None else None
            if a is None or b is None or norm_sql(a) != norm_sql(b):
                continue  # not kept as it was: added or dropped with its validity above
            t, q = self.q(key), self.qc(name)
            validate = [f"ALTER TABLE {t} VALIDATE CONSTRAINT {q}"]
            unvalidate = [f"ALTER TABLE {t} DROP CONSTRAINT {q}", f"{a} NOT VALID"]
            up, down = (validate, unvalidate) if (key, name) in old_nv else (unvalidate, validate)
            self.add(Change("validate_constraint", f"{key}.{name}", up, down, P_ADD_FK,
                            table=key))

    def _constraint_sql(self, table: Table, key: str, name: str) -> str | None:
        """``ALTER TABLE t ADD CONSTRAINT name ...`` for the check or foreign key ``name``."""
        for fk in table.foreign_keys:
            if fk_name(table, fk, self.d).lower() == name.lower():
                return self._add_fk_sql(table, key, fk)
        for ck in table.checks:
            if check_name(table, ck, self.d).lower() == name.lower():
                return self._add_check_sql(table, key, ck)
        return None

    def _add_check_sql(self, table: Table, key: str, ck: Check) -> str:
        """``ALTER TABLE t ADD CONSTRAINT name CHECK (...)``, named as the engine names it."""
        return f"ALTER TABLE {self.q(key)} ADD " \
               f"{check_sql(replace(ck, name=check_name(table, ck, self.d)), self.d)}"

    def _as_dumped(self, statement: str, src: Source) -> str:
        """``statement`` with NOT VALID when it adds a constraint ``src`` has NOT VALID."""
        m = _ADD_CONSTRAINT.match(statement)
        if m is None or ENDS_NOT_VALID.search(statement):
            return statement
        key = src.catalog.key(*_split_name(m.group(1)))
        name = _split_name(m.group(2))[0]
        return f"{statement} NOT VALID" if (key, name) in src.not_valid else statement

    def own_column_changes(self, old: Table, new: Table, added: list[Column],
                           dropped: list[Column], altered: list[tuple[Column, Column]]):
        """The column changes of a partition that its parent's ALTER does not make already
        (PostgreSQL adds, drops and retypes a partitioned table's column on every partition,
        and refuses to do it on a partition alone)."""
        parent_key = new.options.get(PARTITION_OF)
        if parent_key is None or old.options.get(PARTITION_OF) != parent_key:
            return added, dropped, altered
        p_old = self.old.tables.get(self._old_key(parent_key))
        p_new = self.new.tables.get(parent_key)
        if p_old is None or p_new is None:
            return added, dropped, altered
        was, now = {c.name: c for c in p_old.columns}, {c.name: c for c in p_new.columns}

        def parents_too(a: Column, b: Column) -> bool:
            pa, pb = was.get(a.name), now.get(b.name)
            return pa is not None and pb is not None and \
                (_col_sig(pa), _col_sig(pb)) == (_col_sig(a), _col_sig(b))
        return ([c for c in added if c.name not in now or c.name in was],
                [c for c in dropped if c.name not in was or c.name in now],
                [(a, b) for a, b in altered if not parents_too(a, b)])

    def place_changes(self, old: Table, new: Table, key: str) -> None:
        """A kept table that becomes a partition, stops being one, moves, or gets another
        bound (PostgreSQL ``DETACH PARTITION`` then ``ATTACH PARTITION ... FOR VALUES``), or
        whose INHERITS parents change (``INHERIT`` / ``NO INHERIT``)."""
        t = self.q(key)
        was = (old.options.get(PARTITION_OF), norm_sql(old.options.get(PARTITION_BOUND) or ""))
        now = (new.options.get(PARTITION_OF), norm_sql(new.options.get(PARTITION_BOUND) or ""))
        if was != now:
            bounds = (old.options.get(PARTITION_BOUND), new.options.get(PARTITION_BOUND))
            self.add(Change("partition_of", key,
                            self._moved(t, (was[0], bounds[0]), (now[0], bounds[1])),
                            self._moved(t, (now[0], bounds[1]), (was[0], bounds[0])),
                            P_ALTER, table=key))
        a, b = (set(parents(x.options.get(INHERITS, ""))) for x in (old, new))
        for parent in sorted(a ^ b):
            gains = parent in b
            self.add(Change("inherit", f"{key} {parent}",
                            [f"ALTER TABLE {t} {'' if gains else 'NO '}INHERIT {self.q(parent)}"],
                            [f"ALTER TABLE {t} {'NO ' if gains else ''}INHERIT {self.q(parent)}"],
                            P_ALTER, table=key))

    def _moved(self, t: str, was: tuple[str | None, str | None],
               now: tuple[str | None, str | None]) -> list[str]:
        """Statements taking partition ``t`` from ``(parent, bound)`` ``was`` to ``now``."""
        out = []
        if was[0] and now[0]:  # attached again at once: its index copies are attached too
            out.append(f"ALTER TABLE {self.q(was[0])} DETACH PARTITION {t}")
        elif was[0]:
            out.append(_detach_dropping_copies(self.q(was[0]), t))
        if now[0]:
            out.append(f"ALTER TABLE {self.q(now[0])} ATTACH PARTITION {t} {now[1] or ''}".rstrip())
        return out

    def table_option_changes(self, old: Table, new: Table, key: str) -> None:
        """A kept table's options that changed. PostgreSQL: storage parameters (``ALTER TABLE
        t SET (...)`` / ``RESET (...)``) and UNLOGGED (``SET [UN]LOGGED``); MySQL: ENGINE= and
        ROW_FORMAT= (``ALTER TABLE t ENGINE=...``). Any other option that changed is a
        finding (MG008), never a silent no-op: a default character set or collation (the
        columns' own would need converting), a tablespace, a partitioning scheme."""
        t = self.q(key)

        def same(a: str | None, b: str | None) -> bool:
            return a == b or bool(a and b and norm_sql(a) == norm_sql(b))

        recharset = self.dd.modify_column and not all(
            same(old.options.get(o), new.options.get(o)) for o in _CHARSET_OPTIONS)
        if recharset:
            # before the table's other changes: a column added after it takes the new set;
            # last on down, when every old column is back
            kept = {c.name.lower() for c in old.columns}
            self.add(Change("table_option", f"{key} character set",
                            [self._recharset_sql(t, new, kept)],
                            [self._recharset_sql(t, old, kept)], P_RECHARSET, table=key,
                            down_exact=False,
                            note="the text columns are converted (the table is copied); "
                            "characters the old set lacks do not come back"))
        for option in dict.fromkeys([*old.options, *new.options]):
            a, b = old.options.get(option), new.options.get(option)
            if same(a, b) or option in _OPTIONS_MIGRATED_ELSEWHERE or \
                    (recharset and option in _CHARSET_OPTIONS):
                continue
            if self.dd.storage_parameters and option == UNLOGGED:
                logged = ("SET UNLOGGED", "SET LOGGED")[::1 if b else -1]
                self.add(Change("table_option", f"{key} {b or 'LOGGED'}",
                                [f"ALTER TABLE {t} {logged[0]}"],
                                [f"ALTER TABLE {t} {logged[1]}"], P_ALTER, table=key))
            elif self.dd.storage_parameters and is_storage_parameter(option):
                self.add(Change("table_option", f"{key} {b or option.lower()}",
                                [_set_option(t, a, b)], [_set_option(t, b, a)], P_ALTER,
                                table=key))
            elif self.dd.repartition_in_place and is_partitioning(option):
                self.add(Change("table_option", f"{key} {b or 'REMOVE PARTITIONING'}",
                                [_repartition_sql(t, b)], [_repartition_sql(t, a)], P_ALTER,
                                table=key, note="the table's rows are copied"))
            elif b is not None and _TABLE_OPTIONS.get(option):
                self.add(Change("table_option", f"{key} {b}", [f"ALTER TABLE {t} {b}"],
                                [f"ALTER TABLE {t} {a}"] if a else [], P_ALTER, table=key,
                                down_exact=a is not None, note="the option as it was is "
                                "the server's default: set it by hand"))
            else:
                self.findings.append(Finding(
                    "MG008", Severity.WARNING, f"table {key}: {a or 'no ' + option} -> "
                    f"{b or 'the default'}; archkit does not migrate this table option", key,
                    new.line, "add the ALTER TABLE (CONVERT TO CHARACTER SET, SET TABLESPACE, "
                    "or a rebuild) to the migration by hand", self.src_new.file))

    def _recharset_sql(self, t: str, table: Table, there: set[str]) -> str:
        """One ALTER giving MySQL table ``t`` the default character set and collation of
        ``table`` and converting to them each text column of ``there`` (lower-case names:
        those the table has at that point) that has none of its own (a column written
        without one takes the table's; ``BINARY`` is its ``_bin``)."""
        options = [table.options[o] for o in _CHARSET_OPTIONS if table.options.get(o)]
        parts = [" ".join(options) or "CHARACTER SET DEFAULT"]  # the database's
        for col in table.columns:
            own = (col.collation or "").upper()
            if _TEXT_TYPE.match(col.type) and not col.generated and \
                    col.name.lower() in there and (not own or own == "BINARY"):
                parts.append(f"MODIFY COLUMN {self._mysql_col(col, table, at=False)}")
        return f"ALTER TABLE {t} " + ", ".join(parts)

    def comment_changes(self, old: Table | None, new: Table, key: str, phase: int,
                        skip: set[str] = frozenset()) -> None:
        """Table and column comments that differ: ``COMMENT ON`` (PostgreSQL), ``ALTER TABLE
        ... COMMENT =`` and ``MODIFY COLUMN`` (MySQL); SQLite keeps none."""
        if not self.dd.keeps_comments:
            return
        t = self.q(key)

        def table_sql(text: str | None) -> str:
            value = "NULL" if text is None else sql_string(text)
            if self.dd.comment_statements:
                return f"COMMENT ON TABLE {t} IS {value}"
            return f"ALTER TABLE {t} COMMENT = {sql_string(text or '')}"

        before = old.comment if old is not None else None
        if before != new.comment:
            self.add(Change("comment", key, [table_sql(new.comment)], [table_sql(before)],
                            phase, table=key))
        if old is None and not self.dd.comment_statements:
            return
        renamed_from = {n: o for (t, o), n in self.renames.columns.items() if t == key}
        for col in new.columns:
            was = old.column(renamed_from.get(col.name, col.name)) if old is not None else None
            if col.name in skip or (was.comment if was is not None else None) == col.comment:
                continue
            if was is None and not self.dd.comment_statements:
                continue  # MySQL: ADD COLUMN wrote it
            if self.dd.comment_statements:
                target = f"{t}.{self.qc(col.name)}"
                up = f"COMMENT ON COLUMN {target} IS " + (
                    "NULL" if col.comment is None else sql_string(col.comment))
                down = f"COMMENT ON COLUMN {target} IS " + (
                    "NULL" if was is None or was.comment is None else sql_string(was.comment))
            else:
                up = f"ALTER TABLE {t} MODIFY COLUMN {self._mysql_col(col, new, at=False)}"
                back = replace(was, name=col.name)  # a renamed column has its new name then
                down = f"ALTER TABLE {t} MODIFY COLUMN {self._mysql_col(back, old, at=False)}"
            self.add(Change("comment", f"{key}.{col.name}", [up], [down], phase, table=key,
                            column=col.name))

    def _rename_col(self, key: str, a: str, b: str, col: Column) -> str:
        return f"ALTER TABLE {self.q(key)} RENAME COLUMN {self.qc(a)} TO {self.qc(b)}"

    def add_column(self, table: Table, key: str, col: Column) -> None:
        serial = col.name in self.serials(self.new, table)
        up = (f"ALTER TABLE {self.q(key)} ADD COLUMN "
              f"{column_sql(col, self.d, serial=serial, named=self.new.enums)}")
        if col.identity and self.dd.auto_increment_must_be_key:
            up += " UNIQUE" if not (table.primary_key and col.name in table.primary_key.columns) \
                else ""
        down = f"ALTER TABLE {self.q(key)} DROP COLUMN {self.qc(col.name)}"
        self.add(Change("add_column", f"{key}.{col.name}", [up], [down], P_ALTER,
                        down_exact=False, note="the column's values are dropped", table=key,
                        column=col.name, new=col))

    def comments_back(self, key: str, table: Table | None, columns: list[Column]) -> list[str]:
        """``COMMENT ON`` statements putting back the comments of a table (None: not it) and
        of ``columns`` that a down step creates again (PostgreSQL: not in their DDL)."""
        if not self.dd.comment_statements:
            return []
        t = self.q(key)
        out = [f"COMMENT ON TABLE {t} IS {sql_string(table.comment)}"] \
            if table is not None and table.comment else []
        return out + [f"COMMENT ON COLUMN {t}.{self.qc(c.name)} IS {sql_string(c.comment)}"
                      for c in columns if c.comment]

    def drop_column(self, table: Table, key: str, col: Column) -> None:
        up = f"ALTER TABLE {self.q(key)} DROP COLUMN {self.qc(col.name)}"
        serial = col.name in self.serials(self.old, table)
        down = (f"ALTER TABLE {self.q(key)} ADD COLUMN "
                f"{column_sql(col, self.d, serial=serial, named=self.old.enums)}")
        self.view_touch.add(key)
        self.add(Change("drop_column", f"{key}.{col.name}",
                        [up], [down, *self.comments_back(key, None, [col])], P_ALTER,
                        destructive=True, down_exact=False,
                        note="the column comes back without its values", table=key,
                        column=col.name, old=col))

    def alter_column(self, key: str, a: Column, b: Column, table: Table) -> None:
        t = self.q(key)
        c = self.qc(b.name)
        up: list[str] = []
        down: list[str] = []
        if self.dd.modify_column:
            old_table = self.old.tables.get(self._old_key(key), table)
            back = replace(a, name=b.name)
            if _generation(a) != _generation(b):
                # MariaDB cannot MODIFY a generated column: drop it, add it back in its place
                # (its indexes go with it and are made again: see regenerated)
                if not self._unconstrained(key, a, b, old_table, table):
                    up = down = []
                else:
                    self.regenerated.add((key, b.name.lower()))
                    up = [f"ALTER TABLE {t} DROP COLUMN {c}",
                          f"ALTER TABLE {t} ADD COLUMN {self._mysql_col(b, table)}"]
                    down = [f"ALTER TABLE {t} DROP COLUMN {c}",
                            f"ALTER TABLE {t} ADD COLUMN {self._mysql_col(back, old_table)}"]
            else:
                up = [f"ALTER TABLE {t} MODIFY COLUMN {self._mysql_col(b, table, at=False)}"]
                if _enum_append(a, b):  # appending ENUM values changes only metadata
                    up[0] += ", ALGORITHM=INSTANT"
                down = [f"ALTER TABLE {t} MODIFY COLUMN "
                        f"{self._mysql_col(back, old_table, at=False)}"]
        elif _generation(a) != _generation(b):
            old_table = self.old.tables.get(self._old_key(key), table)
            up, down = self.regenerate(key, a, b, old_table, table)
        else:
            up = self.column_steps(t, c, table, a, b)
            down = self.column_steps(t, c, table, b, a)
        if a.type != b.type:
            self.view_touch.add(key)
        narrowing = a.type != b.type and _narrows(a.type, b.type)
        # going back narrows what up widened: values only the new type holds do not fit
        back_narrows = a.type != b.type and _narrows(b.type, a.type)
        note = ("values cut by the narrower type are not restored" if narrowing else
                f"values that fit {b.type} but not {a.type} do not survive" if back_narrows
                else "")
        if b.generated and not a.generated and up:  # computed values replace the stored
            narrowing, note = True, "the column's values are replaced by computed ones"
        elif a.generated and not b.generated and up:
            back_narrows, note = True, "down computes the column again over its values"
        self.add(Change("alter_column", f"{key}.{b.name}", up, down, P_ALTER,
                        destructive=narrowing, down_exact=not (narrowing or back_narrows),
                        note=note, table=key, column=b.name, old=a, new=b))

    def regenerate(self, key: str, a: Column, b: Column, old_table: Table, table: Table
                   ) -> tuple[list[str], list[str]]:
        """Up and down taking column ``a`` to ``b`` where its generation changes
        (PostgreSQL, which cannot change a generated expression in place before 17).

        A generated column that becomes plain keeps its values (``DROP EXPRESSION``); one
        that gets a new expression, or a plain one that becomes generated, is dropped and
        added again, and the engine computes it anew. Indexes on it are made again
        (dropping the column drops them) and views over the table rebuilt. A key, check or
        foreign key on the column would go with it unseen: then nothing is written, and
        that is said."""
        t, c = self.q(key), self.qc(b.name)
        if not self._unconstrained(key, a, b, old_table, table):
            return [], []

        moves = (f"generated expression of {key}.{b.name} changed: the column is dropped and "
                 "added again, so it moves to the end of the table")

        def remake(col: Column, tab: Table) -> list[str]:
            enums = self.new.enums if tab is table else self.old.enums
            if [x.name for x in tab.columns[-1:]] != [col.name] and \
                    not any(f.message == moves for f in self.findings):  # once, up or down
                self.findings.append(Finding(
                    "MG005", Severity.WARNING, moves, key, b.line, "on PostgreSQL 17 or later, "
                    "ALTER TABLE ... ALTER COLUMN ... SET EXPRESSION AS (...) keeps its place",
                    self.src_new.file))
            return [f"ALTER TABLE {t} DROP COLUMN {c}",
                    f"ALTER TABLE {t} ADD COLUMN {column_sql(col, self.d, named=enums)}",
                    *self.comments_back(key, None, [col])]

        def plain(x: Column, y: Column) -> list[str]:  # generated x becomes plain y
            return [f"ALTER TABLE {t} ALTER COLUMN {c} DROP EXPRESSION",
                    *self.column_steps(t, c, table, replace(x, generated=None), y)]

        self.regenerated.add((key, b.name.lower()))
        self.view_touch.add(key)
        up = remake(b, table) if b.generated else plain(a, b)
        down = remake(a, old_table) if a.generated else plain(b, a)
        return up, down

    def _unconstrained(self, key: str, a: Column, b: Column, old_table: Table,
                       table: Table) -> bool:
        """Whether generated column ``a``/``b`` may be dropped and added again: no key,
        check or foreign key uses it (they would go with it unseen); else that is said."""
        if not (self._constrained(old_table, self._old_key(key), a.name)
                or self._constrained(table, key, b.name)):
            return True
        self.findings.append(Finding(
            "MG005", Severity.WARNING,
            f"generated expression of {key}.{b.name} changed; not migrated: a key, check or "
            "foreign key uses the column, and dropping the column would drop it", key,
            b.line, "drop the constraint, drop and re-add the column, and add the constraint "
            "again by hand", self.src_new.file))
        return False

    def _constrained(self, table: Table, key: str, column: str) -> bool:
        """Whether a key, check or foreign key of ``table`` (catalog key ``key``), or a
        foreign key of any table pointing at it, uses ``column``."""
        name = column.lower()
        groups = [u.columns for u in table.uniques] + [fk.columns for fk in table.foreign_keys]
        if table.primary_key is not None:
            groups.append(table.primary_key.columns)
        if any(name in (x.lower() for x in group) for group in groups) or \
                any(_mentions(ck.expression, {column}) for ck in table.checks):
            return True
        return any(fk.ref_table == key and name in (x.lower() for x in fk.ref_columns)
                   for cat in (self.old, self.new) for other in cat.tables.values()
                   for fk in other.foreign_keys)

    def _mysql_col(self, col: Column, table: Table, *, at: bool = True) -> str:
        """A MySQL column definition with the CHECKs declared on it (MODIFY drops what it
        does not repeat) and, with ``at``, its place (``AFTER prev`` / ``FIRST``)."""
        out = column_sql(col, self.d)
        for ck in table.checks:
            if ck.column is not None and ck.column.lower() == col.name.lower():
                out += f" CHECK ({ck.expression})"
        if at:
            names = [x.name for x in table.columns]
            i = names.index(col.name) if col.name in names else len(names)
            out += f" AFTER {self.qc(names[i - 1])}" if i > 0 else " FIRST"
        return out

    def column_steps(self, t: str, c: str, table: Table, x: Column, y: Column) -> list[str]:
        """``ALTER COLUMN`` statements taking column ``x`` to ``y``, in the order the engine
        needs: identity off before NOT NULL goes, the default off while the type changes
        (it may not cast), NOT NULL on before identity comes."""
        alter = f"ALTER TABLE {t} ALTER COLUMN {c}"
        out: list[str] = []
        x_serial, y_serial = self._serial_of(x), self._serial_of(y)
        if x_serial and (not y.identity or y_serial is None or y_serial[0] != x_serial[0]):
            # a SERIAL is a default over a sequence the column owns, not an identity
            out.append(f"{alter} DROP DEFAULT")
            seq, there, _src = x_serial
            if not there:  # the other side has no such sequence
                out.append(f"DROP SEQUENCE {self.q(seq)}")
            x = replace(x, identity=False)
        if x.identity and not y.identity:
            out.append(f"{alter} DROP IDENTITY")
        if y.nullable and not x.nullable:
            out.append(f"{alter} DROP NOT NULL")
        retyped = x.type != y.type
        # a collation changes with TYPE; none is the type's own ("default")
        collate = "" if _collation(x) == _collation(y) else \
            " COLLATE " + (y.collation or '"default"')
        if retyped or collate:
            if retyped and x.default is not None:
                out.append(f"{alter} DROP DEFAULT")  # the old default may not cast to y.type
            new = render_type(y.type, self.d, self.old.enums.keys() | self.new.enums.keys())
            via = "::text" if self._user_type(x.type) or self._user_type(y.type) else ""
            using = f" USING {c}{via}::{new}" if retyped else ""
            if retyped and _no_cast(x.type, y.type):
                said = f"{t}.{c}: PostgreSQL has no cast from {x.type} to {y.type}"
                if not any(f.message == said for f in self.findings):
                    self.findings.append(Finding(
                        "MG005", Severity.WARNING, said, t, y.line, "write the USING "
                        "expression by hand, or add a new column, backfill it and swap",
                        self.src_new.file))
            out.append(f"{alter} TYPE {new}{collate}{using}")
            seq = self.serial_sequence(table, x, y) or self.serial_sequence(table, y, x)
            if retyped and seq is not None:  # serial ↔ bigserial: its sequence's type too
                out.append(f"ALTER SEQUENCE {self.q(seq)} AS {new}")
        if retyped and x.default is not None:
            if y.default is not None:
                out.append(f"{alter} {set_default_sql(y, self.d)}")
        elif x.default != y.default:
            out.append(f"{alter} {set_default_sql(y, self.d)}")
        gains_identity = y.identity and not x.identity
        if x.nullable and (not y.nullable or gains_identity):  # an identity is NOT NULL
            out.append(f"{alter} SET NOT NULL")
        if gains_identity and y_serial:  # its sequence (as written, unless there), owned
            seq, there, src = y_serial
            if not there:
                out.append(src.sequences.get(seq) or
                           f"CREATE SEQUENCE {self.q(seq)} AS {y.type}")
            out.append(f"ALTER SEQUENCE {self.q(seq)} OWNED BY {t}.{c}")
            out.append(f"{alter} SET DEFAULT nextval({sql_string(self.q(seq))}::regclass)")
        elif gains_identity:
            out.append(f"{alter} ADD {identity_clause(y, self.d)}")
        elif x.identity and y.identity and x.identity_always != y.identity_always:
            out.append(f"{alter} SET GENERATED {'ALWAYS' if y.identity_always else 'BY DEFAULT'}")
        said = f"identity sequence options of {t}.{c} changed; archkit does not migrate them"
        if x.identity and y.identity and (steps := _sequence_option_steps(x, y)) and \
                not any(f.message == said for f in self.findings):  # once (up, not down)
            # the sequence's current value may fall outside the new bounds (it would need a
            # RESTART, which on a used sequence hands out taken values): said, not written
            self.findings.append(Finding(
                "MG008", Severity.WARNING, said, t, y.line, f"run ALTER TABLE {t} ALTER "
                f"COLUMN {c}{steps} (with RESTART if its values must move) by hand",
                self.src_new.file))
        return out

    def _serial_of(self, col: Column) -> tuple[str, bool, Source] | None:
        """``(sequence key, whether the other side has that sequence, col's own side)`` when
        ``col`` is a SERIAL column (identity by a sequence it owns) of either catalog."""
        for src, other in ((self.src_old, self.new), (self.src_new, self.old)):
            cat = src.catalog
            for table in cat.tables.values():
                if any(c is col for c in table.columns):
                    if col.name not in self.serials(cat, table):
                        return None
                    seq = cat.serial_sequence(table, col.name)
                    return seq, seq in other.sequences, src
        return None

    def _user_type(self, type_: str) -> bool:
        base = type_.split("[")[0].replace('"', "")
        return base in self.new.enums or base in self.old.enums

    def drop_pk(self, table: Table, key: str) -> None:
        up = self._drop_pk_sql(table, key)
        down = self._add_pk_sql(table, key)
        self.add(Change("drop_primary_key", f"{key}", [up], [down], P_ALTER, table=key,
                        old=table.primary_key))

    def _drop_pk_sql(self, table: Table, key: str) -> str:
        if self.dd.named_primary_keys:
            return f"ALTER TABLE {self.q(key)} DROP CONSTRAINT {self.qc(pk_name(table, self.d))}"
        return f"ALTER TABLE {self.q(key)} DROP PRIMARY KEY"  # MySQL: it is always PRIMARY

    def _add_pk_sql(self, table: Table, key: str) -> str:
        pk = table.primary_key
        named = f"CONSTRAINT {self.qc(pk.name)} " if pk.name and self.dd.named_primary_keys \
            else ""
        return (f"ALTER TABLE {self.q(key)} ADD {named}PRIMARY KEY "
                f"({column_list(pk.columns, self.d)})")

    def add_pk(self, table: Table, key: str) -> None:
        down = self._drop_pk_sql(table, key)
        self.add(Change("add_primary_key", key, [self._add_pk_sql(table, key)], [down],
                        P_ALTER, table=key, new=table.primary_key))

    def _unique_sql(self, table: Table, key: str, u: Unique, add: bool) -> str:
        name = self.qc(unique_name(table, u, self.d))
        t = self.q(key)
        if add:
            return f"ALTER TABLE {t} ADD CONSTRAINT {name} {unique_clause(u, self.d)}"
        if self.dd.unique_index_is_constraint:
            return f"ALTER TABLE {t} DROP INDEX {name}"
        return f"ALTER TABLE {t} DROP CONSTRAINT {name}"

    def drop_unique(self, table: Table, key: str, u: Unique) -> None:
        self.add(Change("drop_unique", f"{key}.{unique_name(table, u, self.d)}",
                        [self._unique_sql(table, key, u, False)],
                        [self._unique_sql(table, key, u, True)], P_ALTER, table=key, old=u))

    def add_unique(self, table: Table, key: str, u: Unique) -> None:
        self.add(Change("add_unique", f"{key}.{unique_name(table, u, self.d)}",
                        [self._unique_sql(table, key, u, True)],
                        [self._unique_sql(table, key, u, False)], P_ALTER, table=key, new=u))

    def sqlite_rebuild(self, old: Table, new: Table, key: str, col_renames: dict[str, str],
                       dropped: list[Column], altered: list) -> None:
        """SQLite's 12-step pattern: new table, copy rows, drop, rename, re-create indexes."""
        self.rebuilt.add(key)
        self.view_touch.add(key)
        back = {n: o for o, n in col_renames.items()}
        old_names = {c.name for c in old.columns}
        pairs = [(back.get(c.name, c.name), c.name) for c in new.columns
                 if back.get(c.name, c.name) in old_names]
        old_idx = {i.name: i for i in self.old.indexes_of(self._old_key(key))}
        keep = [i for i in self.new.indexes_of(key)
                if i.name in old_idx and self._same_index(old_idx[i.name], i)]
        keep.sort(key=lambda i: i.name)
        up = self._rebuild_sql(new, key, pairs, keep)
        down = self._rebuild_sql(old, key, [(b, a) for a, b in pairs],
                                 [old_idx[i.name] for i in keep])
        lossy = bool(dropped) or any(_narrows(a.type, b.type) for a, b in altered)
        self.findings.append(Finding(
            "MG006", Severity.INFO, f"SQLite cannot ALTER this change: {key} is rebuilt "
            "(new table, copy rows, drop, rename)", key, None,
            "run it when writers can wait; foreign keys into the table are re-checked"))
        self.add(Change("rebuild_table", key, up, down, P_ALTER, destructive=bool(dropped),
                        down_exact=not lossy,
                        note="dropped columns come back empty" if lossy else "", table=key,
                        old=old, new=new))

    def _rebuild_sql(self, table: Table, key: str, pairs: list[tuple[str, str]],
                     indexes: list[Index]) -> list[str]:
        tmp = _REBUILD_PREFIX + short_name(key)
        computed = {c.name for c in table.columns if c.generated}  # the engine fills them
        pairs = [(a, b) for a, b in pairs if b not in computed]
        src = ", ".join(self.qc(a) for a, _b in pairs)
        dst = ", ".join(self.qc(b) for _a, b in pairs)
        out = [create_table_sql(table, self.d, name=tmp, named=self.new.enums)]
        if pairs:
            out.append(f"INSERT INTO {self.q(tmp)} ({dst}) SELECT {src} FROM {self.q(key)}")
        out += [f"DROP TABLE {self.q(key)}", f"ALTER TABLE {self.q(tmp)} RENAME TO {self.q(key)}"]
        out += [create_index_sql(i, self.d) for i in indexes]
        return out

    # -- indexes
    def indexes(self) -> None:
        old_i, new_i = self.old.indexes, self.new.indexes
        dropped_tables = self.dropped
        renamed = self.index_renames(old_i, new_i)
        rebuilt_views = self.rebuilt_views()  # their indexes go with them and come back
        for name in sorted(set(old_i) | set(new_i)):
            if name in renamed or name in renamed.values():
                continue
            a, b = old_i.get(name), new_i.get(name)
            if a is not None and b is not None and not self._remade(a, b, rebuilt_views):
                continue
            # a partition's copy of its parent's index goes and comes with that index
            a_copy = a is not None and self.inherited_index(self.old, a) is not None
            if a is not None and a.table not in dropped_tables and not a_copy:
                phase = P_DROP_VIEW_INDEX if a.table in self.old.views else P_DROP_INDEX
                self.add(Change("drop_index", name, [self.drop_index(a, self.new)],
                                [self.index_sql(self.src_old, a)], phase,
                                table=a.table, old=a))
            if a_copy and b is None and (parent := self.inherited_index(self.old, a)) and \
                    a.table not in dropped_tables:  # down makes it anew with the parent's
                back, later = self.inherited_name(a)[0], new_i.get(parent.name)
                if back and (later is None or self._remade(parent, later, rebuilt_views)):
                    self.add(Change("rename_index", name, [], back, P_UNNAME_PARTITION_INDEX,
                                    table=a.table, old=a))
            if b is not None and (made := self.inherited_index(self.new, b)) is not None:
                if not a_copy or self._remade(old_i.get(made.name), made, rebuilt_views):
                    self.name_inherited(b)  # PostgreSQL makes it anew, under its own name
                continue
            if b is not None and not self._created_inline(b):
                phase = P_CREATE_VIEW_INDEX if b.table in self.new.views else P_CREATE_INDEX
                self.add(Change("create_index", name, [self.index_sql(self.src_new, b)],
                                [self.drop_index(b, self.old)], phase, table=b.table,
                                new=b))

    def _remade(self, a: Index | None, b: Index, rebuilt_views: set[str]) -> bool:
        """Whether index ``b`` is created by this migration (new, changed, on a view made
        again, or using a function that goes or gets a new body)."""
        text = " ".join((*a.columns, a.where or "")) if a is not None else ""
        return a is None or not self._same_index(a, b) or a.table in rebuilt_views or \
            _mentions(text, self.gone_routines | self.replaced_routines) or \
            _mentions(text, {c for k, c in self.regenerated if k == b.table})

    # -- partitions (PostgreSQL): what a partition gets from its parent by itself
    def inherited_index(self, cat: Catalog, index: Index) -> Index | None:
        """The parent's index that ``index`` on a partition copies (PostgreSQL makes the copy
        when the partition, or the parent's index, is created), else None."""
        table = cat.tables.get(index.table)
        parent = table.options.get(PARTITION_OF) if table is not None else None
        if parent is None:
            return None
        return next((p for p in cat.indexes_of(parent)
                     if _index_sig(replace(p, table=index.table)) == _index_sig(index)), None)

    def name_inherited(self, index: Index) -> None:
        """Rename the copy PostgreSQL made of a parent's index when the dump names it
        otherwise than PostgreSQL does."""
        up, down = self.inherited_name(index)
        if up:
            self.add(Change("rename_index", index.name, up, down, P_NAME_PARTITION_INDEX,
                            table=index.table, new=index))

    def inherited_name(self, index: Index) -> tuple[list[str], list[str]]:
        """``ALTER INDEX made RENAME TO name`` and back, for a partition's copy of its
        parent's index; nothing when PostgreSQL's own name is the dumped one."""
        made = auto_index_name(split_key(index.table)[1], index.columns)
        if made == index.name:
            return [], []
        schema = split_key(index.table)[0]
        made_key, key = object_key(made, schema), object_key(index.name, schema)
        return ([f"ALTER INDEX {self.q(made_key)} RENAME TO {self.qc(index.name)}"],
                [f"ALTER INDEX {self.q(key)} RENAME TO {self.qc(made)}"])

    def _created_inline(self, index: Index) -> bool:
        """The index came with a reused CREATE TABLE text of a new table (a table written
        from the catalog, as one in a foreign-key cycle, gets its indexes after it)."""
        key = index.table
        return key in self.reused and index.name in self.src_new.inline.get(key, set())

    def index_renames(self, old_i: dict[str, Index], new_i: dict[str, Index]) -> dict[str, str]:
        """Declared index renames that keep the index as it is: old key → new key."""
        out: dict[str, str] = {}
        if not self.dd.rename_index:  # SQLite: drop and create
            return out
        for ok, a in old_i.items():
            new_name = self.renames.indexes.get(a.name)
            if new_name is None:
                continue
            table = self.renames.tables.get(a.table, a.table)
            nk = self.new.index_key(new_name, table)
            b = new_i.get(nk)
            if b is None or ok in new_i or not self._same_index(a, replace(b, name=a.name)):
                continue
            out[ok] = nk
            if not self.dd.index_names_per_schema:
                t = self.q(table)
                up = f"ALTER TABLE {t} RENAME INDEX {self.qc(a.name)} TO {self.qc(b.name)}"
                down = f"ALTER TABLE {t} RENAME INDEX {self.qc(b.name)} TO {self.qc(a.name)}"
            else:
                schema = split_key(a.table)[0]
                up = (f"ALTER INDEX {self.q(object_key(a.name, schema))} "
                      f"RENAME TO {self.qc(b.name)}")
                down = (f"ALTER INDEX {self.q(object_key(b.name, schema))} "
                        f"RENAME TO {self.qc(a.name)}")
            self.add(Change("rename_index", f"{a.name} → {b.name}", [up], [down],
                            P_CREATE_INDEX, table=table, old=a, new=b))
        return out

    def _same_index(self, a: Index, b: Index) -> bool:
        a = replace(a, table=self.renames.tables.get(a.table, a.table),
                    columns=_renamed_cols(a, self.renames))
        return _index_sig(a) == _index_sig(b)

    # -- schemas, extensions, sequences (PostgreSQL)
    def namespaces(self) -> None:
        def schemas(src: Source) -> set[str]:  # every kind of object lives in a schema
            cat = src.catalog
            keys = [*cat.tables, *cat.views, *cat.enums, *cat.sequences]
            out = {s for k in keys if (s := split_key(k)[0]) is not None}
            return out | {o.key[1].split(" on ")[0].rsplit(".", 1)[0]
                          for o in src.objects.values()
                          if o.kind in CARRIED and "." in o.key[1].split(" on ")[0]}

        used = schemas(self.src_new) | set(self.src_new.schemas)
        had = schemas(self.src_old) | set(self.src_old.schemas)
        for name in sorted(used - had - {self.dd.default_schema}):  # before its extensions
            if self.dd.schema_objects:
                self.add(Change("create_schema", name,
                                [f"CREATE SCHEMA IF NOT EXISTS {self.qc(name)}"],
                                [f"DROP SCHEMA IF EXISTS {self.qc(name)}"], P_NAMESPACE))
        self.extensions()

    def extensions(self) -> None:
        """CREATE EXTENSION for a new one, DROP for a gone one (after what uses it), and
        ALTER EXTENSION … SET SCHEMA when ``WITH SCHEMA`` moved."""
        old_e, new_e = ({k: v for k, v in e.items() if k.lower() not in ALWAYS_INSTALLED}
                        for e in (self.src_old.extensions, self.src_new.extensions))
        for name in sorted(set(new_e) - set(old_e)):
            self.add(Change("create_extension", name, [new_e[name]],
                            [f"DROP EXTENSION IF EXISTS {self.qc(name)}"], P_NAMESPACE))
        for name in sorted(set(old_e) - set(new_e)):
            self.add(Change("drop_extension", name, [f"DROP EXTENSION IF EXISTS {self.qc(name)}"],
                            [old_e[name]], P_DROP_ENUM))
        home = self.dd.default_schema or "public"
        for name in sorted(set(old_e) & set(new_e)):
            a, b = _extension_schema(old_e[name]) or home, _extension_schema(new_e[name]) or home
            if a != b:
                ext = self.qc(name)
                self.add(Change("alter_extension", name,
                                [f"ALTER EXTENSION {ext} SET SCHEMA {self.qc(b)}"],
                                [f"ALTER EXTENSION {ext} SET SCHEMA {self.qc(a)}"],
                                P_NAMESPACE))

    def sequences(self) -> None:
        if not self.dd.schema_objects:
            return
        # a SERIAL's sequence comes and goes with its column (column_steps), also where the
        # other side has it as a sequence of its own
        implied = self.implied_sequences(self.old) | self.implied_sequences(self.new)
        old_s = set(self.old.sequences) - implied
        new_s = set(self.new.sequences) - implied
        written_old, written_new = self.src_old.sequences, self.src_new.sequences
        for name in sorted(new_s - old_s):  # as written: START WITH 1000 is kept
            self.add(Change("create_sequence", name,
                            [written_new.get(name, f"CREATE SEQUENCE {self.q(name)}")],
                            [f"DROP SEQUENCE {self.q(name)}"], P_ENUM))
        for name in sorted(old_s - new_s):
            self.add(Change("drop_sequence", name, [f"DROP SEQUENCE {self.q(name)}"],
                            [written_old.get(name, f"CREATE SEQUENCE {self.q(name)}")],
                            P_DROP_ENUM, down_exact=False, note="the sequence restarts at 1"))
        for name in sorted(set(written_old) & set(written_new)):
            a, b = (_created_sequence_options(written_old[name]),
                    _created_sequence_options(written_new[name]))
            if name in self.old.sequences and name in self.new.sequences and \
                    norm_sql(a) != norm_sql(b):
                self.add(Change("alter_sequence", name,
                                [f"ALTER SEQUENCE {self.q(name)} {_options_over(b, a)}"],
                                [f"ALTER SEQUENCE {self.q(name)} {_options_over(a, b)}"],
                                P_ENUM))

    # -- functions, procedures, domains, triggers, policies (carried by their text)
    def objects(self) -> None:
        old_o, new_o = dict(self.src_old.objects), dict(self.src_new.objects)
        for key in set(old_o) ^ set(new_o):  # like the extension itself: no change
            if _on_always_installed(key):
                old_o.pop(key, None)
                new_o.pop(key, None)
        rank = {"type": -1, "function": 0, "procedure": 1, "aggregate": 1.5, "domain": 2,
                "trigger": 3, "exclusion": 3.5, "rls": 4, "policy": 5, "statistics": 6,
                "event": 6.5, "comment": 7}
        def order(keys: set[tuple[str, str]], objs: dict[tuple[str, str], SqlObject]) -> list:
            return sorted(keys, key=lambda k: (rank[k[0]], objs[k].line or 0))
        late = self.late_objects(new_o)
        self.unnamed_exclusions(old_o, new_o)
        for key in order(set(new_o) - set(old_o), new_o):
            o = new_o[key]
            if o.kind == "exclusion" and self._table_key(o.table) in self.reused:
                continue  # its table's CREATE TABLE text has it
            phase = P_COMMENT if o.kind == "comment" else \
                P_CREATE_VIEW if key in late else P_ENUM
            self.add(Change(f"create_{o.kind}", key[1], [o.text], [self._drop_object(o)],
                            phase, new=o))
        for key in reversed(order(set(old_o) - set(new_o), old_o)):
            o = old_o[key]
            if o.kind == "exclusion" and self._table_key(o.table) in self.dropped:
                continue  # it goes with its table
            self.add(Change(f"drop_{o.kind}", key[1], [self._drop_object(o)], [o.text],
                            P_DROP_TRIGGER if o.table or o.kind == "comment" else P_DROP_ROUTINE,
                            old=o))
        # a table SQLite rebuilds, a view dropped and created again: their triggers go with them
        redone = {c.object.split(".")[-1].lower() for c in self.changes
                  if c.kind in ("rebuild_table", "drop_view")}
        remade = {f"index {c.object.split('.')[-1].lower()}" for c in self.changes
                  if c.kind == "drop_index"}
        regenerated: dict[str, set[str]] = {}
        for table_key, column in self.regenerated:
            regenerated.setdefault(table_key, set()).add(column)

        def on_remade_column(o: SqlObject) -> bool:
            """A trigger, policy, statistics object or exclusion constraint that names a
            column dropped and added again: PostgreSQL refuses the drop (trigger, policy)
            or drops the object with the column (statistics, exclusion)."""
            return o.kind in ("trigger", "policy", "statistics", "exclusion") and \
                bool(o.table) and _mentions(o.text, regenerated.get(self._table_key(o.table),
                                                                    ()))

        for key in order(set(old_o) & set(new_o), new_o):
            a, b = old_o[key], new_o[key]
            if a.kind == "trigger" and a.table and \
                    a.table.split(".")[-1].strip('"`').lower() in redone or \
                    on_remade_column(a) or on_remade_column(b):
                self.add(Change(f"drop_{a.kind}", key[1], [self._drop_object(a)], [a.text],
                                P_DROP_TRIGGER, old=a))
                self.add(Change(f"create_{b.kind}", key[1], [b.text], [self._drop_object(b)],
                                P_CREATE_VIEW, new=b))
                continue
            if norm_sql(a.text) == norm_sql(b.text):
                if a.kind == "comment" and key[1] in remade:  # its index is made again:
                    # the comment comes back after it, both ways
                    self.add(Change("comment", key[1], [b.text], [], P_COMMENT, new=b))
                    self.add(Change("comment", key[1], [], [a.text], P_DROP_TRIGGER, old=a))
                continue
            if a.kind == "comment":
                up, down = [b.text], [a.text]
            elif a.kind == "function" and self.dd.routine_signatures and \
                    _pg_signature(a.text) == _pg_signature(b.text):
                up, down = [_or_replace(b.text)], [_or_replace(a.text)]
            elif a.kind == "domain" and (steps := alter_domain(a.text, b.text, b.name)):
                up, down = steps
                if not up:  # the same domain written differently (public.email, email)
                    continue
            elif a.kind == "type":
                self.findings.append(Finding(
                    "MG008", Severity.WARNING, f"type {key[1]} changed; archkit does not "
                    "rewrite a composite or range type in place", key[1], b.line,
                    "add ALTER TYPE … ADD/DROP ATTRIBUTE statements by hand", self.src_new.file))
                continue
            elif a.kind == "domain":
                self.findings.append(Finding(
                    "MG008", Severity.WARNING, f"domain {key[1]} changed; archkit does not "
                    "change a domain's base type or collation in place", key[1], b.line,
                    "add the column type changes to the migration by hand", self.src_new.file))
                continue
            elif a.kind in ("trigger", "policy", "statistics"):  # it may use a column that goes
                self.add(Change(f"drop_{a.kind}", key[1], [self._drop_object(a)], [a.text],
                                P_DROP_TRIGGER, old=a))
                self.add(Change(f"create_{b.kind}", key[1], [b.text], [self._drop_object(b)],
                                P_CREATE_VIEW, new=b))
                continue
            else:
                up = [self._drop_object(a), b.text]
                down = [self._drop_object(b), a.text]
            self.add(Change(f"replace_{a.kind}", key[1], up, down,
                            P_CREATE_VIEW if key in late else P_ENUM, old=a, new=b))

    def late_objects(self, objs: dict[tuple[str, str], SqlObject]) -> set[tuple[str, str]]:
        """The carried objects created after the tables and with the views: those on a
        table (triggers, policies, comments), and routines that read a table or view this
        migration creates or call such a routine, unless a table, an index or an earlier
        object uses them (ddl's one rule: :func:`routines_after_tables`)."""
        made = {short_name(c.object).lower() for c in self.changes
                if c.kind in ("create_table", "create_view", "rebuild_table")}
        using = [s for c in self.changes if P_RENAME_TABLE <= c.phase <= P_ADD_FK
                 for s in c.up]  # what tables, columns and indexes are made of
        routines = {k: (object_name(o.name), o.text) for k, o in objs.items()
                    if k[0] in ROUTINE_KINDS}
        typed = [o.text for o in objs.values() if o.kind in ("type", "domain")]
        late = {k for k, o in objs.items() if o.table or o.kind in ("comment", "rls")}
        return late | routines_after_tables(routines, made, "\n".join([*using, *typed]))

    def unnamed_exclusions(self, old_o: dict, new_o: dict) -> None:
        """Take unnamed exclusion constraints out of ``old_o``/``new_o``: archkit cannot
        name one to drop it, so where one comes or goes (its table staying) it says so."""
        def unnamed(objs: dict) -> dict:
            return {k: o for k, o in objs.items() if o.kind == "exclusion" and
                    o.name.startswith("#")}
        a, b = unnamed(old_o), unnamed(new_o)
        changed = [o for k in set(a) ^ set(b) if self._table_key((o := a.get(k) or b[k]).table)
                   not in self.dropped | self.reused]
        for o in changed[:1]:
            self.findings.append(Finding(
                "MG008", Severity.WARNING, f"an unnamed EXCLUDE constraint of {o.table} "
                "changed; archkit does not migrate it", o.table, o.line, "name the constraint "
                "(CONSTRAINT name EXCLUDE ...), or add the ALTER TABLE statements by hand",
                self.src_new.file))
        for k in set(a) | set(b):
            old_o.pop(k, None), new_o.pop(k, None)

    def _drop_object(self, o: SqlObject) -> str:
        if o.kind == "exclusion":
            return f"ALTER TABLE {o.table} DROP CONSTRAINT {o.name}"
        if o.kind == "comment":
            return f"COMMENT ON {o.name} IS NULL"
        if o.kind == "rls":  # ALTER TABLE t ENABLE|FORCE ROW LEVEL SECURITY, undone
            return f"ALTER TABLE {o.table} {_UNDO_SETTING[o.name]}"
        per_table = o.kind == "policy" or self.dd.routine_signatures
        on = f" ON {o.table}" if o.table and per_table and o.kind != "statistics" else ""
        args = ""
        if self.dd.routine_signatures and o.kind in ("function", "procedure", "aggregate"):
            args = _pg_signature(o.text)[0]  # overloads share a name: say which one
        return f"DROP {o.kind.upper()} IF EXISTS {o.name}{args}{on}"

    # -- enums (PostgreSQL named types)
    def enums(self) -> None:
        if not self.dd.named_types:
            return
        carried = {k for kind, k in (*self.src_old.objects, *self.src_new.objects)
                   if kind == "type"}  # composite/range types go with the other objects
        old_e = {k: e for k, e in self.old.enums.items() if k.lower() not in carried}
        new_e = {k: e for k, e in self.new.enums.items() if k.lower() not in carried}
        for name in sorted(set(new_e) - set(old_e)):
            e = new_e[name]
            if e.base:
                continue
            self.add(Change("create_enum", name,
                            [f"CREATE TYPE {self.q(name)} AS ENUM ({sql_list(e.values)})"],
                            [f"DROP TYPE {self.q(name)}"], P_ENUM, new=e))
        for name in sorted(set(old_e) - set(new_e)):
            e = old_e[name]
            if e.base:
                continue
            self.add(Change("drop_enum", name, [f"DROP TYPE {self.q(name)}"],
                            [f"CREATE TYPE {self.q(name)} AS ENUM ({sql_list(e.values)})"],
                            P_DROP_ENUM, old=e))
        for name in sorted(set(old_e) & set(new_e)):
            a, b = old_e[name], new_e[name]
            if a.values == b.values or a.base or b.base:
                continue
            self.alter_enum(name, a, b)

    def enum_users(self) -> set[str]:
        """Tables with a column of an enum whose values change, and functions taking or
        returning one: one way or the other the type is made again, their columns retyped
        and functions made again, which PostgreSQL refuses under a view (so the views over
        them go first and come back after)."""
        changed = self.remade_enums()
        routines = {bare_name(o.name) for n in changed for src in (self.src_old, self.src_new)
                    for o in self._enum_routines(n, src)}
        return routines | {k for k, t in self.old.tables.items()
                           if any(c.type.split("[")[0] in changed for c in t.columns)}

    def remade_enums(self) -> set[str]:
        """The enums whose values change (made again or added to), worked out once."""
        if self._remade_enums is None:
            old_e, new_e = self.old.enums, self.new.enums
            self._remade_enums = {n for n in set(old_e) & set(new_e)
                                  if old_e[n].values != new_e[n].values
                                  and not old_e[n].base and not new_e[n].base}
        return self._remade_enums

    def changed_enum_columns(self, old_key: str) -> set[str]:
        """The columns of old table ``old_key`` whose enum type is made again."""
        table = self.old.tables.get(old_key)
        changed = self.remade_enums() if table is not None else set()
        return {c.name for c in table.columns if c.type.split("[")[0] in changed} \
            if changed else set()

    def _checks_using(self, users: list[tuple[str, Column]]) -> list[tuple[str, Check]]:
        """Checks, kept by the migration, that name one of the ``users`` columns: like
        :meth:`_indexes_using`, they go while the column changes type."""
        out = []
        for key, table in sorted(self.old.tables.items()):
            names = {c.name for k, c in users if k == key}
            new = self.new.tables.get(key)
            if not names or new is None:
                continue
            kept = _check_keys(new.checks)
            for k, ck in _check_keys(table.checks).items():
                if k in kept and _mentions(ck.expression, names):
                    out.append((key, ck))
        return out

    def alter_enum(self, name: str, a: EnumType, b: EnumType) -> None:
        removed = [v for v in a.values if v not in b.values]
        kept_order = [v for v in b.values if v in a.values] == list(a.values)
        if not removed and kept_order:
            up = []
            for i, v in enumerate(b.values):
                if v in a.values:
                    continue
                after = [x for x in b.values[:i] if x in a.values or x in b.values[:i]]
                where = f" AFTER '{after[-1]}'" if after else f" BEFORE '{b.values[i + 1]}'" \
                    if i + 1 < len(b.values) else ""
                up.append(f"ALTER TYPE {self.q(name)} ADD VALUE '{v}'{where}")
            down = self._recreate_enum(name, a, self.src_old)
            self.add(Change("alter_enum", name, up, down, P_ENUM, down_exact=True,
                            note="PostgreSQL cannot drop enum values: down recreates the type",
                            old=a, new=b))
        else:
            self.add(Change("alter_enum", name, self._recreate_enum(name, b, self.src_new),
                            self._recreate_enum(name, a, self.src_old), P_ENUM,
                            destructive=bool(removed),
                            down_exact=not removed, old=a, new=b))

    def _recreate_enum(self, name: str, e: EnumType, src: Source) -> list[str]:
        """The enum ``name`` made again with ``e``'s values; ``src``: the side whose
        functions taking or returning it are made again over the new type."""
        tmp = f"{short_name(name)}__archkit_old"
        # the step runs before tables and columns change, in both directions: the old ones
        users = [(k, c) for k, t in sorted(self.old.tables.items()) for c in t.columns
                 if c.type.split("[")[0] == name]
        held = self._indexes_using(users)
        checks = self._checks_using(users)
        tmp_key = object_key(tmp, split_key(name)[0])  # RENAME TO keeps the type's schema
        out = [f"ALTER TYPE {self.q(name)} RENAME TO {self.qc(tmp)}",
               f"CREATE TYPE {self.q(name)} AS ENUM ({sql_list(e.values)})"]
        out += [drop_index_sql(i, self.d) for i in held]
        out += [f"ALTER TABLE {self.q(k)} DROP CONSTRAINT "
                f"{self.qc(check_name(self.old.tables[k], ck, self.d))}" for k, ck in checks]
        for k, c in users:
            col = self.qc(c.name)
            dims = c.type[len(c.type.split("[")[0]):]  # an array of the enum stays an array
            if c.default is not None:
                out.append(f"ALTER TABLE {self.q(k)} ALTER COLUMN {col} DROP DEFAULT")
            out.append(f"ALTER TABLE {self.q(k)} ALTER COLUMN {col} TYPE {self.q(name)}{dims} "
                       f"USING {col}::text{dims}::{self.q(name)}{dims}")
            if c.default is not None:
                out.append(f"ALTER TABLE {self.q(k)} ALTER COLUMN {col} "
                           f"{set_default_sql(c, self.d)}")
        out += [self.index_sql(self.src_old, i) for i in held]
        out += [self._add_check_sql(self.old.tables[k], k, ck) for k, ck in checks]
        for fn in self._enum_routines(name, src):  # they hold the old type until made again
            args = re.sub(rf"(?i)\b{re.escape(short_name(name))}\b", tmp,
                          _pg_signature(fn.text)[0])
            out += [f"DROP FUNCTION {fn.name}{args}", fn.text]
        out.append(f"DROP TYPE {self.q(tmp_key)}")
        return out

    def _enum_routines(self, name: str, src: Source) -> list[SqlObject]:
        """The functions of ``src`` whose arguments or result are of the enum ``name``."""
        word = re.compile(rf"(?i)\b{re.escape(short_name(name))}\b")
        return [o for _k, o in sorted(src.objects.items()) if o.kind == "function"
                and word.search(" ".join(_pg_signature(o.text)))]

    def _indexes_using(self, users: list[tuple[str, Column]]) -> list[Index]:
        """Partial and expression indexes, kept by the migration, that name one of the
        ``users`` columns: their constants are of the enum type, so they must go while the
        column changes type (``status = 'active'::loan_status`` has no operator then)."""
        out = []
        for key, index in sorted(self.old.indexes.items()):
            if self.new.indexes.get(key) != index:
                continue  # dropped before the enum step, or made again after it
            names = {c.name for k, c in users if k == index.table}
            texts = [index.where or "", *(p for p, e in zip(index.columns, index.exprs,
                                                             strict=False) if e)]
            if names and any(_mentions(t, names) for t in texts if t):
                out.append(index)
        return out

    # -- views
    def views(self) -> None:
        old_v, new_v = self.old.views, self.new.views
        rebuilt = self.rebuilt_views()
        for key in _topo_views(self.old, sorted(old_v))[::-1]:
            if key not in rebuilt:
                continue
            a = old_v[key]
            self.add(Change("drop_view", key, [drop_view_sql(key, a, self.d)],
                            [self.view_sql(self.src_old, key, a),
                             *self.view_comment(key, a, a.comment)], P_DROP_VIEW, old=a))
        for key in _topo_views(self.new, sorted(new_v)):
            a, b = old_v.get(key), new_v[key]
            if a is not None and key not in rebuilt:
                if a.comment != b.comment and self.dd.comment_statements:
                    self.add(Change("comment", key, self.view_comment(key, b, b.comment, True),
                                    self.view_comment(key, b, a.comment, True), P_CREATE_VIEW))
                continue
            self.add(Change("create_view", key, [self.view_sql(self.src_new, key, b),
                                                 *self.view_comment(key, b, b.comment)],
                            [drop_view_sql(key, b, self.d)], P_CREATE_VIEW, new=b))

    def routines_that_go(self) -> set[str]:
        """Names of the old functions dropped rather than replaced in place (gone, or their
        arguments or result change): the views and indexes using them go first and come
        back after (PostgreSQL refuses to drop a function they depend on)."""
        out = set()
        for key, a in self.src_old.objects.items():
            if a.kind not in ("function", "procedure", "aggregate"):
                continue
            b = self.src_new.objects.get(key)
            if b is None or (norm_sql(a.text) != norm_sql(b.text) and not (
                    a.kind == "function" and self.dd.routine_signatures
                    and _pg_signature(a.text) == _pg_signature(b.text))):
                out.add(bare_name(a.name))
        return out

    def routines_replaced(self) -> set[str]:
        """Names of the functions whose body changes in place (``CREATE OR REPLACE``): an
        index over one holds values the old body computed, so it is made again after."""
        return {bare_name(a.name) for key, a in self.src_old.objects.items()
                if a.kind == "function" and bare_name(a.name) not in self.gone_routines
                and (b := self.src_new.objects.get(key)) is not None
                and norm_sql(a.text) != norm_sql(b.text)}

    def rebuilt_views(self) -> set[str]:
        """Old views that go: changed or dropped ones, those over a changed table, and every
        view reading one of these (the engine refuses to drop a view others depend on)."""
        old_v, new_v = self.old.views, self.new.views
        touched = self.view_touch | set(self.renames.tables) | self.gone_routines
        rebuilt = {k for k, a in old_v.items()
                   if (b := new_v.get(k)) is None or norm_sql(a.sql) != norm_sql(b.sql)
                   or a.materialized != b.materialized or _mentions(a.sql, touched)}
        grown = True
        while grown:
            more = {k for k in old_v.keys() - rebuilt if _mentions(old_v[k].sql, rebuilt)}
            rebuilt |= more
            grown = bool(more)
        return rebuilt

    def view_comment(self, key: str, view: View, comment: str | None,
                     clear: bool = False) -> list[str]:
        """``COMMENT ON [MATERIALIZED] VIEW`` (PostgreSQL): ``[]`` when there is none to
        write (``clear``: write ``IS NULL`` for none)."""
        if not self.dd.comment_statements or (comment is None and not clear):
            return []
        kind = "MATERIALIZED VIEW" if view.materialized else "VIEW"
        value = "NULL" if comment is None else sql_string(comment)
        return [f"COMMENT ON {kind} {self.q(key)} IS {value}"]

    # -- rename suggestions (never applied without a confirmation)
    def suggest_column_renames(self, key: str, added: list[Column], dropped: list[Column]):
        for d in dropped:
            same = [a for a in added if a.type == d.type and a.nullable == d.nullable]
            if len(same) == 1:
                self._suggest(f"{key}.{d.name}", f"{key}.{same[0].name}",
                              f"--rename {key}.{d.name}={same[0].name}, or write "
                              f"'-- archkit: renamed from {d.name}' on the new column",
                              same[0].line)

    def suggest_table_renames(self, created: list[str], dropped: list[str]) -> None:
        for d in dropped:
            sig = _table_sig(self.old.tables[d])
            same = [c for c in created if _table_sig(self.new.tables[c]) == sig]
            if len(same) == 1:
                self._suggest(d, same[0], f"--rename {d}={same[0]}, or write "
                              f"'-- archkit: renamed from {d}' above CREATE TABLE {same[0]}",
                              self.new.tables[same[0]].line)

    def _suggest(self, old: str, new: str, fix: str, line: int | None = None) -> None:
        self.suggestions.append((old, new))
        self.findings.append(Finding(
            "MG002", Severity.WARNING,
            f"{old} is dropped and {new} added with the same shape: is it a rename? "
            "As written, the data in the old one is lost", old, line, f"if so, confirm: {fix}",
            self.src_new.file if line is not None else None))


# -- signatures and small helpers -----------------------------------------------------------



# MySQL table options read into Table.options: whether archkit writes their change
_TABLE_OPTIONS = {"EngineProperty": True, "RowFormatProperty": True,
                  "CharacterSetProperty": False, "CollateProperty": False}


# a MySQL table's default character set and collation: changed with its text columns
_CHARSET_OPTIONS = ("CharacterSetProperty", "CollateProperty")
_TEXT_TYPE = re.compile(r"(?i)\s*(?:(?:var)?char|(?:tiny|medium|long)?text|enum|set|"
                        r"character|national|n(?:var)?char)\b")

# options whose change is migrated as the table's place (place_changes)
_OPTIONS_MIGRATED_ELSEWHERE = frozenset({INHERITS, PARTITION_OF, PARTITION_BOUND})


_NUMBERS = frozenset({"smallint", "integer", "bigint", "numeric", "real", "double precision"})


def _no_cast(a: str, b: str) -> bool:
    """Whether PostgreSQL has no cast between types ``a`` and ``b`` (a uuid and a number,
    as when integer keys become uuids): the migration's USING cannot convert the values."""
    base = {a.split("(")[0].strip(), b.split("(")[0].strip()}
    return "uuid" in base and bool(base & _NUMBERS)


def _col_sig(c: Column) -> tuple:
    return (c.type, c.nullable, c.default, c.identity, _generation(c), _collation(c),
            c.identity and c.identity_always, c.identity and _sequence_options(c), c.on_update)


def _generation(c: Column) -> tuple[str, str] | None:
    """A generated column's expression and whether it is ``stored`` or ``virtual`` (an
    engine changes neither in place: VIRTUAL to STORED is a new column); None if plain."""
    return (c.generated, c.generated_kind or "stored") if c.generated else None


_SEQ_OPTION = re.compile(r"(?i)\b(START\s+WITH|INCREMENT\s+BY|NO\s+MINVALUE|MINVALUE|"
                         r"NO\s+MAXVALUE|MAXVALUE|NO\s+CYCLE|CYCLE|CACHE|AS)\b")
# what an identity's sequence option is when not given (an ascending sequence)
_SEQ_DEFAULTS = {"START WITH": "START WITH 1", "INCREMENT BY": "INCREMENT BY 1",
                 "MINVALUE": "NO MINVALUE", "MAXVALUE": "NO MAXVALUE", "CYCLE": "NO CYCLE",
                 "CACHE": "CACHE 1"}


def _sequence_options(c: Column) -> dict[str, str]:
    """An identity column's sequence options by kind: ``{"INCREMENT BY": "INCREMENT BY 5"}``
    (``NO MINVALUE`` is of kind ``MINVALUE``)."""
    text = c.identity_options or ""
    marks = list(_SEQ_OPTION.finditer(text))
    out = {}
    for m, nxt in zip(marks, [*marks[1:], None][:len(marks)], strict=True):
        clause = " ".join(text[m.start():nxt.start() if nxt else len(text)].split()).upper()
        out[" ".join(m.group(1).upper().split()).removeprefix("NO ")] = clause
    return out


def _sequence_option_steps(x: Column, y: Column) -> str:
    """`` SET INCREMENT BY 5 SET NO MAXVALUE ...`` taking ``x``'s identity sequence options
    to ``y``'s (an option ``y`` leaves out goes back to its default); empty when equal."""
    a, b = _sequence_options(x), _sequence_options(y)
    steps = [b.get(k) or _SEQ_DEFAULTS.get(k) for k in [*b, *(k for k in a if k not in b)]
             if a.get(k) != b.get(k) and k != "AS"]
    return "".join(f" SET {s}" for s in steps if s)


# how a carried table setting (kind "rls") is undone
_UNDO_SETTING = {"ENABLE": "DISABLE ROW LEVEL SECURITY", "FORCE": "NO FORCE ROW LEVEL SECURITY",
                 "REPLICA IDENTITY": "REPLICA IDENTITY DEFAULT",
                 "CLUSTER ON": "SET WITHOUT CLUSTER"}
_ADD_CONSTRAINT = re.compile(r"(?is)^ALTER\s+TABLE\s+([\w$\".]+)\s+ADD\s+CONSTRAINT\s+"
                             r"(\"[^\"]+\"|[\w$]+)\s+(?:CHECK|FOREIGN\s+KEY)\b")


def _created_sequence_options(text: str) -> str:
    """What follows the name in ``CREATE SEQUENCE name ...``: its options as written."""
    m = re.match(r"(?is)^\s*CREATE\s+(?:TEMP\w*\s+|UNLOGGED\s+)?SEQUENCE\s+"
                 r"(?:IF\s+NOT\s+EXISTS\s+)?[\w$\".]+\s*(.*?)\s*;?\s*$", text)
    return " ".join(m.group(1).split()) if m else ""


def _options_over(now: str, was: str) -> str:
    """ALTER SEQUENCE options that take a sequence from ``was`` to ``now``: pg_dump leaves
    out AS bigint and NO CYCLE (the defaults), which must be said when ``was`` had others."""
    out = now
    if not re.search(r"(?i)\bAS\s", now) and re.search(r"(?i)\bAS\s", was):
        out = f"AS bigint {out}"
    if not re.search(r"(?i)\bCYCLE\b", now) and re.search(r"(?i)(?<!NO )\bCYCLE\b", was):
        out += " NO CYCLE"
    return out.strip()


def _detach_dropping_copies(parent: str, table: str) -> str:
    """``ALTER TABLE parent DETACH PARTITION table`` (PostgreSQL), dropping the copies of the
    parent's indexes the partition had: detached, they would stay as indexes of its own,
    under names PostgreSQL chose, which no schema file lists."""
    return (
        "DO $archkit$ DECLARE copy text; copies text[]; BEGIN "
        "SELECT array_agg(h.inhrelid::regclass::text) INTO copies FROM pg_inherits h "
        f"JOIN pg_index i ON i.indexrelid = h.inhrelid WHERE i.indrelid = {sql_string(table)}"
        f"::regclass; EXECUTE {sql_string(f'ALTER TABLE {parent} DETACH PARTITION {table}')}; "
        "FOREACH copy IN ARRAY coalesce(copies, '{}') LOOP "
        "EXECUTE 'DROP INDEX ' || copy; END LOOP; END $archkit$")


def _repartition_sql(table: str, partitioning: str | None) -> str:
    """``ALTER TABLE t PARTITION BY ...`` (MySQL), or ``REMOVE PARTITIONING`` for none."""
    return f"ALTER TABLE {table} {partitioning or 'REMOVE PARTITIONING'}"


def _on_always_installed(key: tuple[str, str]) -> bool:
    """Whether a carried object is the comment on an extension every database has (a dump
    lists it, and its comment, or not by pg_dump's version)."""
    words = key[1].split()
    return key[0] == "comment" and len(words) == 2 and words[0].lower() == "extension" \
        and words[1].strip('"').lower() in ALWAYS_INSTALLED


def _collation(c: Column) -> str:
    """A column's collation compared loosely: quotes and case do not count, ``pg_catalog."C"``
    is ``C``, and none is the type's own (``default``)."""
    name = (c.collation or "default").strip()
    return re.sub(r'(?i)^pg_catalog\.', "", name).strip('"`').lower()


def _fk_sig(fk: ForeignKey, col_renames: dict[str, str]) -> tuple:
    return (tuple(col_renames.get(c, c) for c in fk.columns), fk.ref_table, fk.ref_columns,
            fk.on_delete, fk.on_update, fk.deferrable, fk.initially_deferred)


def _one_alter_for_auto_increment(changes: list[Change], auto: dict[str, set[str]]
                                  ) -> list[Change]:
    """MySQL: an AUTO_INCREMENT column must be a key at every moment, so a table's primary
    key change and the changes of its AUTO_INCREMENT column go in one ALTER TABLE (both
    directions). ``auto``: table key → its AUTO_INCREMENT columns (old or new)."""
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(changes):
        if c.phase == P_ALTER and c.table and auto.get(c.table) and (
                c.kind in ("add_primary_key", "drop_primary_key")
                or c.column in auto[c.table]):
            groups.setdefault(c.table, []).append(i)
    merged: dict[int, Change | None] = {}
    for table, idx in groups.items():
        group = [changes[i] for i in idx]
        if len(group) < 2 or \
                not any(c.kind in ("add_primary_key", "drop_primary_key") for c in group):
            continue
        one = _in_one_alter(group, table, like=group[0])
        if one is None:
            continue  # some step is not a plain ALTER TABLE of this table: leave them
        merged[idx[0]] = one
        for i in idx[1:]:
            merged[i] = None
    return [merged.get(i, c) for i, c in enumerate(changes) if merged.get(i, c) is not None]


_DROP_INDEX_ON = re.compile(r"(?is)^DROP\s+INDEX\s+(\S+)\s+ON\s+(\S+)\s*$")
_CREATE_INDEX_ON = re.compile(
    r"(?is)^CREATE\s+((?:UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX)\s+(\S+)\s+ON\s+(\S+)\s*(.*)$")
_ALTER_TABLE = re.compile(r"(?is)^ALTER\s+TABLE\s+(\S+)\s+(.*)$")


def _alter_clause(statement: str) -> tuple[str, str] | None:
    """``(table, clause)`` of a statement that one ALTER TABLE can say as a clause:
    ``DROP INDEX i ON t`` is ``DROP INDEX i``, ``CREATE INDEX i ON t (a)`` is ``ADD INDEX
    i (a)``; None for any other statement."""
    if m := _DROP_INDEX_ON.match(statement):
        return m.group(2), f"DROP INDEX {m.group(1)}"
    if m := _CREATE_INDEX_ON.match(statement):
        return m.group(3), f"ADD {m.group(1)} {m.group(2)} {m.group(4)}".rstrip()
    if m := _ALTER_TABLE.match(statement):
        return m.group(1), m.group(2)
    return None


def _in_one_alter(members: list[Change], table: str, like: Change) -> Change | None:
    """``members`` (changes of one table, in order) as one ``ALTER TABLE`` change, else
    as ``like``: up their clauses in order, down their inverses in reverse; None when a
    statement is not one an ALTER TABLE can say (see :func:`_alter_clause`) or names
    another table."""
    ups = [_alter_clause(s) for c in members for s in c.up]
    downs = [_alter_clause(s) for c in reversed(members) for s in c.down]
    said = [x for x in ups + downs if x is not None]
    if len(said) != len(ups) + len(downs) or len({t for t, _c in said}) != 1:
        return None
    head = f"ALTER TABLE {said[0][0]}"
    up_clauses = [c for _t, c in said[:len(ups)]]
    down_clauses = [c for _t, c in said[len(ups):]]
    return replace(
        like, kind="alter_table", object=table,
        up=[f"{head} " + ", ".join(up_clauses)],
        down=[f"{head} " + ", ".join(down_clauses)] if down_clauses else [],
        destructive=any(c.destructive for c in members),
        down_exact=all(c.down_exact for c in members),
        note="; ".join(c.note for c in members if c.note))


def _one_alter_for_foreign_key_indexes(changes: list[Change], old: Catalog, new: Catalog
                                       ) -> list[Change]:
    """InnoDB: a foreign key needs an index that starts with its columns at every moment.
    Where a table's migration drops the index a kept foreign key stands on and makes its
    replacement later (a wider unique key, a primary key), the table's changes from that
    drop to the last index made go in one ALTER TABLE (both directions), as the engine
    refuses the drop alone."""
    def fk_columns(cat: Catalog, key: str) -> set[tuple[str, ...]]:
        table = cat.tables.get(key)
        return {tuple(c.lower() for c in f.columns) for f in table.foreign_keys} \
            if table is not None else set()

    def serves(obj, fks: set[tuple[str, ...]]) -> bool:
        columns = tuple(c.lower() for c in getattr(obj, "columns", ()) or ())
        return any(columns[:len(f)] == f for f in fks)

    merged: dict[int, Change | None] = {}
    for key in sorted({c.table for c in changes if c.table}):
        kept = fk_columns(old, key) & fk_columns(new, key)
        idx = [i for i, c in enumerate(changes) if c.table == key]
        drops = [i for i in idx if changes[i].kind in ("drop_index", "drop_unique",
                                                         "drop_primary_key")
                 and serves(changes[i].old, kept)]
        makes = [i for i in idx if changes[i].kind in ("create_index", "add_unique",
                                                         "add_primary_key")]
        if not drops or not makes or max(makes) < drops[0]:
            continue
        group = [i for i in idx if drops[0] <= i <= max(makes)]
        members = [changes[i] for i in group]
        one = _in_one_alter(members, key, like=members[-1])
        if one is None:
            continue  # a step one ALTER cannot say: left as it is (the engine will say)
        merged[group[-1]] = one
        for i in group[:-1]:
            merged[i] = None
    return [merged.get(i, c) for i, c in enumerate(changes) if merged.get(i, c) is not None]


def _index_sig(i: Index) -> tuple:
    return (i.table, tuple(c.lower() for c in i.columns), i.unique, norm_sql(i.where or ""),
            (i.using or "btree").lower(), tuple(i.lengths), tuple(norm_sql(x) for x in i.suffixes),
            i.kind, tuple(i.include), i.nulls_not_distinct)


_ON_ONLY = re.compile(r"(?is)^(\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+.*?\bON\s+)ONLY\s+")


def _renamed_cols(i: Index, renames: Renames) -> tuple[str, ...]:
    table = renames.tables.get(i.table, i.table)
    return tuple(renames.columns.get((table, c), c) for c in i.columns)


def _enum_values_of(type_: str) -> list[str] | None:
    m = re.fullmatch(r"(?is)enum\s*\((.*)\)", type_.strip())
    return re.findall(r"'((?:[^']|'')*)'", m.group(1)) if m else None


def _enum_append(a: Column, b: Column) -> bool:
    """MySQL: b's ENUM only adds values at the end of a's (an in-place change)."""
    va, vb = _enum_values_of(a.type), _enum_values_of(b.type)
    return (va is not None and vb is not None and len(vb) > len(va) and vb[: len(va)] == va
            and len(vb) <= 255 and _col_sig(replace(a, type=b.type)) == _col_sig(b))


def _fk_covered(table: Table, fk: ForeignKey, cat: Catalog) -> bool:
    """An index, key or unique constraint already starts with the foreign key's columns."""
    n = len(fk.columns)
    lists = [i.columns for i in cat.indexes.values() if i.table in
             (table.name, cat.key(table.name, table.schema))]
    lists += [u.columns for u in table.uniques]
    if table.primary_key:
        lists.append(table.primary_key.columns)
    return any(tuple(c.lower() for c in cols[:n]) == tuple(c.lower() for c in fk.columns)
               for cols in lists)


def _table_sig(t: Table) -> tuple:
    return tuple(sorted((c.name, c.type) for c in t.columns))


def _norm_expr(text: str) -> str:
    """A check expression compared loosely: case, spaces and parentheses do not count."""
    return re.sub(r"[\s()]+", "", text).lower()


def _sqlite_can_add(col: Column, table: Table) -> bool:
    """SQLite's ADD COLUMN rules: no key, no constraint use, a constant default."""
    if col.generated or col.identity:
        return False
    if table.primary_key and col.name in table.primary_key.columns:
        return False
    if any(col.name in u.columns for u in table.uniques):
        return False
    if any(col.name in fk.columns for fk in table.foreign_keys):
        return False
    if any(re.search(rf"\b{re.escape(col.name)}\b", ck.expression) for ck in table.checks):
        return False
    if col.default is None:
        return col.nullable
    d = col.default.strip().lower()
    return "(" not in d and d not in ("current_time", "current_date", "current_timestamp")


_WIDTH = {"smallint": 2, "integer": 4, "bigint": 8, "tinyint": 1, "real": 4, "double": 8}


def _narrows(a: str, b: str) -> bool:
    """True when values of type ``a`` may not fit in ``b`` (a lossy conversion)."""
    if a == b:
        return False
    ea, eb = _enum_values_of(a), _enum_values_of(b)
    if ea is not None and eb is not None:
        return not set(ea) <= set(eb)
    if a in _WIDTH and b in _WIDTH:
        return _WIDTH[b] < _WIDTH[a]
    ma, mb = re.match(r"^(\w+)\((\d+)", a), re.match(r"^(\w+)\((\d+)", b)
    if ma and mb and ma.group(1) == mb.group(1):
        return int(mb.group(2)) < int(ma.group(2))
    if b == "text" or (a in _WIDTH and b.startswith(("numeric", "varchar(", "text"))):
        return False
    if a.startswith(("varchar", "char")) and b in ("text",):
        return False
    return True


def _check_keys(checks: list[Check]) -> dict[str, Check]:
    """Checks by their normalised expression; a repeated one gets ``#2``, ``#3``… (a table
    may hold the same check twice, and a second copy added is a change)."""
    out: dict[str, Check] = {}
    for ck in checks:
        key = base = _norm_expr(ck.expression)
        n = 1
        while key in out:
            n += 1
            key = f"{base}#{n}"
        out[key] = ck
    return out


# what a change creates, by kind: the name other statements use it by
_NAMED = ("view", "function", "procedure", "aggregate", "domain", "type")


def _made_name(c: Change) -> str | None:
    """The name of the object a create (or drop) step makes (or removes), if others may
    reference it by that name."""
    kind = c.kind.split("_", 1)[-1]
    if kind not in _NAMED:
        return None
    return short_name(c.object.split(" on ")[0]).strip('"`[]').lower() or None


def _uses(c: Change, statements: list[str]) -> str:
    """The text in which a step references other objects: enums and sequences reference
    none (an enum's values are strings, not names)."""
    if c.kind.split("_", 1)[-1] in ("enum", "sequence"):
        return ""
    return " ".join(statements)


def _reference_order(group: list[Change], text_of) -> list[Change]:
    """``group`` with each step after the steps whose names its text references (the order
    kept otherwise; a cycle is broken where it closes)."""
    names = {id(c): n for c in group if (n := _made_name(c))}
    by_name: dict[str, list[Change]] = {}
    for c in group:
        if id(c) in names:
            by_name.setdefault(names[id(c)], []).append(c)
    out: list[Change] = []
    seen: set[int] = set()

    def visit(c: Change) -> None:
        if id(c) in seen:
            return
        seen.add(id(c))
        used = _named(text_of(c), set(by_name)) - {names.get(id(c))}
        for name, others in by_name.items():  # in the group's order, not the names'
            if name in used:
                for other in others:
                    visit(other)
        out.append(c)

    for c in group:
        visit(c)
    return out


def _by_reference(changes: list[Change]) -> list[Change]:
    """Changes (sorted by phase) with the object steps of one phase in the order of the
    names they reference: created after what they use, dropped before it."""
    out: list[Change] = []
    i = 0
    while i < len(changes):
        j = i
        while j < len(changes) and changes[j].phase == changes[i].phase:
            j += 1
        group = changes[i:j]
        if group[0].phase in _CREATE_PHASES:
            group = _reference_order(group, lambda c: _uses(c, c.up))
        elif group[0].phase in _DROP_PHASES:
            group = _reference_order(group[::-1], lambda c: _uses(c, c.down))[::-1]
        out += group
        i = j
    return out


# -- entry points ---------------------------------------------------------------------------

def diff_catalogs(old: Catalog | Source, new: Catalog | Source, dialect: str | None = None, *,
                  renames: Renames | Iterable[str] | None = None,
                  allow_destructive: bool = False) -> Migration:
    """The migration from ``old`` to ``new``: ordered changes, up/down SQL and findings."""
    dialect = dialect or (new.catalog if isinstance(new, Source) else new).dialect
    if dialect not in DIALECTS:
        raise ArchkitError(f"unknown dialect {dialect!r}", hint=f"use one of: {DIALECTS}")
    if renames is None:
        renames = Renames()
    elif not isinstance(renames, Renames):
        renames = parse_renames(renames)
    old_src = old if isinstance(old, Source) else Source(old)
    new_src = new if isinstance(new, Source) else Source(new)
    return _Differ(old_src, new_src, dialect, renames, allow_destructive).run()


def diff_sql(old_text: str, new_text: str, dialect: str, *,
             renames: Iterable[str] | Renames | None = None, allow_destructive: bool = False,
             lint: bool = True, files: tuple[str | None, str | None] = (None, None)) -> Migration:
    """Parse two schema texts and diff them; renames also come from ``-- archkit:`` hints."""
    declared = rename_hints(new_text)
    if renames is not None:
        extra = renames if isinstance(renames, Renames) else parse_renames(renames)
        declared = declared.merge(extra)
    old, f_old = parse_source(old_text, dialect, files[0])
    new, f_new = parse_source(new_text, dialect, files[1])
    # a statement not understood matters only where it differs between the two sides
    f_old, f_new = (
        [unparsed_finding(line, text, a.file) for key, (line, text) in
         sorted(a.unparsed.items(), key=lambda kv: kv[1][0] or 0) if key not in b.unparsed]
        for a, b in ((old, new), (new, old)))
    migration = diff_catalogs(old, new, dialect, renames=declared,
                              allow_destructive=allow_destructive)
    migration.findings = Findings([*f_old, *f_new, *_routine_findings(old, new),
                                   *migration.findings])
    if lint and migration.up:
        from archkit.migrations.safety import lint_migration

        script = "".join(f"{st};\n" for st in migration.up)
        starts, line = [], 1  # the first line of each up statement in the script
        for st in migration.up:
            starts.append(line)
            line += st.count("\n") + 1
        safety = lint_migration(script, dialect)
        # drops are already MG001 findings (errors unless allowed); the rest says how it locks
        migration.findings.extend(
            replace(f, line=bisect.bisect_right(starts, f.line or 1), file="up")
            for f in safety if f.code not in ("ZD001", "ZD002"))
    return migration


def _set_option(table: str, was: str | None, now: str | None) -> str:
    """``ALTER TABLE t SET (name=value)``, or ``RESET (name)`` when ``now`` is None."""
    if now is None:
        return f"ALTER TABLE {table} RESET ({str(was).split('=')[0].strip()})"
    return f"ALTER TABLE {table} SET ({now})"


def _extension_schema(text: str) -> str | None:
    """The schema of ``CREATE EXTENSION … WITH SCHEMA s`` (None without the clause)."""
    m = re.search(r'(?i)\bSCHEMA\s+("[^"]+"|[\w$]+)', text)
    return m.group(1).strip('"').lower() if m else None


def _pg_signature(text: str) -> tuple[str, str]:
    """``("(x integer)", "returns int")`` of a PostgreSQL CREATE FUNCTION/PROCEDURE: its
    argument list without defaults (what DROP names) and its RETURNS clause."""
    start = text.find("(")
    if start < 0:
        return "", ""
    depth, end = 0, start
    for end in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[end], 0)
        if depth == 0:
            break
    args = []
    for arg in _split_top(text[start + 1:end]):
        arg = re.split(r"(?is)\s+DEFAULT\s|\s*=", arg, maxsplit=1)[0].strip()
        if arg:
            args.append(arg)
    m = re.search(r"(?is)\bRETURNS\s+(.*?)(?:\s+(?:AS|LANGUAGE|IMMUTABLE|STABLE|VOLATILE|"
                  r"STRICT|SECURITY|PARALLEL|COST|ROWS|SET|BEGIN)\b|$)", text[end + 1:])
    return f"({', '.join(args)})", norm_sql(m.group(1)) if m else ""


def _split_top(text: str) -> list[str]:
    """Split on commas outside parentheses."""
    parts, depth, cur = [], 0, []
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _or_replace(text: str) -> str:
    """A PostgreSQL ``CREATE FUNCTION`` as ``CREATE OR REPLACE FUNCTION``."""
    return re.sub(r"(?is)^\s*CREATE\s+(?:OR\s+REPLACE\s+)?", "CREATE OR REPLACE ", text, count=1)


def _routine_findings(old: Source, new: Source) -> list[Finding]:
    """Event triggers, rules... are not carried: say which ones changed."""
    out = []
    for key in sorted(set(new.routines) - set(old.routines), key=lambda k: new.routines[k]):
        line, what = new.routines[key]
        out.append(Finding("MG008", Severity.WARNING, f"{what} is new or changed; archkit does "
                           "not carry event triggers, rules or MySQL aggregate functions", what,
                           line,
                           "add its CREATE statement to the migration by hand", new.file))
    gone = {what for _line, what in new.routines.values()}
    for key in sorted(set(old.routines) - set(new.routines), key=lambda k: old.routines[k]):
        line, what = old.routines[key]
        if what not in gone:
            out.append(Finding("MG008", Severity.WARNING, f"{what} is gone from the new schema; "
                               "archkit does not drop event triggers, rules or MySQL aggregate "
                               "functions", what,
                               line, "add its DROP statement to the migration by hand",
                               old.file))
    return out


def diff_files(old_path: Path, new_path: Path, dialect: str, *,
               renames: Iterable[str] | None = None, allow_destructive: bool = False) -> Migration:
    """:func:`diff_sql` over two files (errors name the file)."""
    texts = []
    for p in (old_path, new_path):
        p = Path(p)
        if not p.is_file():
            raise ArchkitError(f"schema file not found: {p}", where=Where(str(p)),
                               hint="give the path of a .sql file with CREATE statements")
        texts.append(p.read_text(encoding="utf-8"))
    return diff_sql(texts[0], texts[1], dialect, renames=renames,
                    allow_destructive=allow_destructive,
                    files=(str(old_path), str(new_path)))
