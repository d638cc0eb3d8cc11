"""Read a schema for a diff: its catalog, the statements to reuse as written, what was not read.

Usage::

    from archkit.migrations.source import parse_source
    src, findings = parse_source(ddl, "postgres", file="schema.sql")
    src.catalog, src.originals[("table", "orders")], src.unparsed
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archkit.findings import Finding, Findings, Severity
from archkit.schema.catalog import Catalog, serial_sequence_name
from archkit.schema.dialects import dialect as get_dialect
from archkit.schema.parse import _split_name

if TYPE_CHECKING:  # pragma: no cover
    from archkit.schema.parse import ParsedStatement

__all__ = ["CARRIED", "CREATE_TABLE_LINE", "ENDS_NOT_VALID", "Source", "SqlObject", "bare_name",
           "norm_sql", "parse_source", "unparsed_finding"]

CREATE_TABLE_LINE = re.compile(
    r"CREATE\s+(?:TEMP\w*\s+|UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([\w$.\"`]+)", re.I)


def bare_name(name: str) -> str:
    """A name without schema, quotes or case: ``"Sales"."Orders"`` → ``orders``."""
    return name.split(".")[-1].strip('"`[]').lower()


def norm_sql(text: str) -> str:
    """A statement compared loosely: case, spacing and a trailing semicolon do not count."""
    # whitespace runs first, so that the second pass never rescans one (linear time)
    one = re.sub(r"\s+", " ", text.strip().rstrip(";"))
    return re.sub(r" ?([(),=<>]) ?", r"\1", one).lower()


@dataclass(slots=True)
class Source:
    """A parsed schema plus what the diff reuses from its text.

    ``originals`` maps ``("table"|"index"|"view", key)`` to the statement as the
    person wrote it (reused verbatim when that object is created, so operator
    classes, storage options and the like survive); ``inline`` names the indexes
    a reused ``CREATE TABLE`` already defines; ``extensions`` and ``schemas`` are
    the ``CREATE EXTENSION`` / ``CREATE SCHEMA`` statements by name.
    """

    catalog: Catalog
    originals: dict[tuple[str, str], str] = field(default_factory=dict)
    inline: dict[str, set[str]] = field(default_factory=dict)
    extensions: dict[str, str] = field(default_factory=dict)
    schemas: dict[str, str] = field(default_factory=dict)
    file: str | None = None
    routines: dict[str, tuple[int, str]] = field(default_factory=dict)
    objects: dict[tuple[str, str], SqlObject] = field(default_factory=dict)
    unparsed: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    #: ``CREATE SEQUENCE`` statements as written (their options), by catalog key
    sequences: dict[str, str] = field(default_factory=dict)
    #: constraints added ``NOT VALID`` (PostgreSQL; existing rows not checked yet), as
    #: (table key, constraint name)
    not_valid: set[tuple[str, str]] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class SqlObject:
    """A function, procedure, aggregate, trigger, policy, domain, composite type or MySQL
    event carried by its text.

    ``name`` is as written (quotes kept), ``table`` the table a trigger or policy is on.
    """

    kind: str
    name: str
    text: str
    line: int | None
    table: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        on = f" on {_qualified(self.table)}" if self.table else ""
        return (self.kind, _qualified(self.name) + on)


def _home(key: tuple[str, str], dialect: str) -> tuple[str, str]:
    """A key without the default schema: ``public.f`` and ``f`` are the same function."""
    home = get_dialect(dialect).default_schema
    if not home:
        return key
    return key[0], re.sub(rf"(^| on ){re.escape(home)}\.", r"\1", key[1])


def _qualified(name: str) -> str:
    """``"Sales".Orders`` → ``sales.orders`` (schemas kept: two schemas may share a name)."""
    return ".".join(p.strip('"`[]') for p in name.split(".")).lower()


_ON_TABLE = re.compile(r"(?is)\bON\s+([\w$.\"`]+)")
# comments the catalog does not hold (tables, views and columns have theirs): carried
_COMMENT_ON = re.compile(r"(?is)^\s*COMMENT\s+ON\s+(DOMAIN|TRIGGER|FUNCTION|PROCEDURE|POLICY|"
                         r"TYPE|INDEX|SEQUENCE|SCHEMA|EXTENSION|CONSTRAINT)"
                         r"\s+(.+?)\s+IS\s+")
_OTHER_TYPE = re.compile(r"(?is)^\s*CREATE\s+TYPE\s+([\w$.\"]+)\s+AS\s+(?:\(|RANGE\b)")
_RLS = re.compile(r"(?is)^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?([\w$.\"]+)\s+"
                  r"(ENABLE|FORCE)\s+ROW\s+LEVEL\s+SECURITY\s*$")
# table settings pg_dump writes as their own ALTER TABLE: carried like RLS (kind "rls")
_SETTING = re.compile(r"(?is)^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?([\w$.\"]+)\s+"
                      r"(REPLICA\s+IDENTITY|CLUSTER\s+ON)\b")
CARRIED = ("function", "procedure", "aggregate", "trigger", "policy", "domain", "type",
           "statistics", "event", "exclusion")
_FROM_TABLE = re.compile(r"(?is)\bFROM\s+([\w$.\"`]+)\s*$")  # CREATE STATISTICS … FROM t


def parse_source(text: str, dialect: str, file: str | None = None) -> tuple[Source, Findings]:
    """Parse a schema for diffing: its catalog, reusable statements, and what was not read."""
    from archkit.schema.parse import parse_schema
    from archkit.schema.split import split_statements

    if not split_statements(text, dialect):  # an empty schema is a valid starting point
        return Source(Catalog(dialect=dialect)), Findings()
    result = parse_schema(text, dialect, file=file)
    catalog = result.catalog
    if get_dialect(dialect).keeps_declared_types:
        _sqlite_declared_types(text, catalog)
    bad = list(result.unparsed) + [
        (ps.statement.line, ps.statement.text) for ps in result.statements
        if ps.kind == "error" and (ps.statement.line, ps.statement.text) not in result.unparsed]
    src = _source(catalog, result.statements, dialect)
    _shared_sequences(catalog, (ps.statement.text for ps in result.statements))
    src.file = file
    src.unparsed = {norm_sql(t or ""): (line, t or "") for line, t in bad
                    if not _ROUTINE.match(t or "") and not _COMMENT_ON.match(t or "")
                    and not _SETTING.match(t or "")}
    return src, Findings(unparsed_finding(line, t, file)
                         for line, t in sorted(src.unparsed.values(), key=lambda x: x[0] or 0))


# a column default that draws from a sequence: ``n integer DEFAULT nextval('s'::regclass)``
# in a CREATE TABLE, or ``ALTER TABLE t ALTER COLUMN n SET DEFAULT nextval(...)``
_NEXTVAL_COLUMN = re.compile(r"""(?im)(?:^|[(,])\s*("[^"]+"|[\w$]+)\s[^,]*?\bDEFAULT\s+"""
                             r"""(nextval\s*\(\s*'([^']+)'[^)]*\))""")
_NEXTVAL_ALTER = re.compile(r"""(?is)^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?([\w$".]+)\s+ALTER\s+"""
                            r"""(?:COLUMN\s+)?("[^"]+"|[\w$]+)\s+SET\s+DEFAULT\s+"""
                            r"""(nextval\s*\(\s*'([^']+)'[^)]*\))""")


def _shared_sequences(catalog: Catalog, texts: Iterable[str]) -> None:
    """A column numbered from a sequence that is not its own (``<table>_<column>_seq``, as
    SERIAL makes): keep it a plain ``DEFAULT nextval(...)`` (the parser reads any nextval
    default as auto-numbering, which a writer would give a sequence of its own)."""
    for text in texts:
        if m := _NEXTVAL_ALTER.match(text):
            table = catalog.table(*_split_name(m.group(1)))
            found = [(m.group(2), m.group(3), m.group(4))]
        elif (m := CREATE_TABLE_LINE.match(text.lstrip())) and "nextval" in text.lower():
            table = catalog.table(*_split_name(m.group(1)))
            found = [(x.group(1), x.group(2), x.group(3)) for x in
                     _NEXTVAL_COLUMN.finditer(text[m.end():])]
        else:
            continue
        for name, call, seq in found if table is not None else ():
            col = table.column(_split_name(name)[0])
            if col is None or not col.identity or \
                    _split_name(seq)[0] == serial_sequence_name(table.name, col.name):
                continue
            col.identity, col.default, col.default_sql = False, call, call


def unparsed_finding(line: int | None, text: str, file: str | None) -> Finding:
    """MG007: a statement the parser did not understand (left out of the diff)."""
    return Finding("MG007", Severity.WARNING,
                   f"statement not understood, left out of the diff: {' '.join(text.split())[:60]}",
                   None, line, "rewrite it in plain DDL or apply it by hand", file)


_ALTER_TARGET = re.compile(r"(?is)^\s*(?:ALTER|COMMENT\s+ON)\s+(?:TABLE|COLUMN)\s+"
                           r"(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?([\w$.\"`]+)")
_ROUTINE = re.compile(
    r"(?is)^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:CONSTRAINT\s+)?"
    r"(FUNCTION|PROCEDURE|TRIGGER|AGGREGATE|EVENT|RULE|POLICY|DOMAIN|STATISTICS)\s+"
    r"(?:IF\s+NOT\s+EXISTS\s+)?([\w$.\"`]+)")
_EXT = re.compile(r"(?is)^\s*CREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?([\w$\"]+)")
_SCHEMA = re.compile(r"(?is)^\s*CREATE\s+SCHEMA\s+(?:IF\s+NOT\s+EXISTS\s+)?([\w$\"]+)")
_NOT_VALID = re.compile(r"(?is)^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?([\w$\".]+)\s+ADD\s+CONSTRAINT\s+"
                        r"(\"[^\"]+\"|[\w$]+)\s")
ENDS_NOT_VALID = re.compile(r"(?i)\bNOT\s+VALID\s*$")  # a constraint added unchecked
_SEQUENCE = re.compile(r"(?is)^\s*CREATE\s+(?:TEMP\w*\s+|UNLOGGED\s+)?SEQUENCE\s+"
                       r"(?:IF\s+NOT\s+EXISTS\s+)?([\w$\".]+)")


_EXCLUDE = re.compile(r"(?is)(?:\bCONSTRAINT\s+([\w$\"]+)\s+)?\bEXCLUDE\b")
_TABLE_OF = re.compile(r"(?is)^\s*(?:CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"
                       r"|ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?)([\w$.\"]+)")


def exclusions(text: str) -> list[tuple[str | None, str]]:
    """``(name, "CONSTRAINT name EXCLUDE USING gist (...)")`` for each exclusion
    constraint of a CREATE or ALTER TABLE statement (PostgreSQL), as written."""
    out = []
    for m in _EXCLUDE.finditer(text):
        depth, i = 0, m.end()
        while i < len(text) and not (depth == 0 and text[i] in ",)"):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        out.append((m.group(1), text[m.start():i].strip()))
    return out


def _source(catalog: Catalog, statements: Iterable[ParsedStatement], dialect: str
            ) -> Source:
    """Find the statement each table, index and view came from (when it is reusable)."""
    src = Source(catalog)
    altered: set[str] = set()
    spans = []
    for ps in statements:
        st = ps.statement
        text = st.text.strip().rstrip(";")
        if m := _ROUTINE.match(text):
            kind = m.group(1).lower()
            what = f"{kind} {bare_name(m.group(2))}"
            on = _ON_TABLE.search(text) if kind in ("trigger", "policy") else \
                _FROM_TABLE.search(text) if kind == "statistics" else None
            if kind in CARRIED and (on or kind not in ("trigger", "policy", "statistics")) and (
                    kind != "aggregate" or get_dialect(dialect).routine_signatures) and (
                    kind != "event" or bare_name(m.group(2)) != "trigger"):  # PG EVENT TRIGGER
                obj = SqlObject(kind, m.group(2), text, st.line, on.group(1) if on else None)
                src.objects[_home(obj.key, dialect)] = obj
            else:
                src.routines[norm_sql(text)] = (st.line, what)
        elif m := _COMMENT_ON.match(text):  # on a carried object: goes with it
            target = f"{m.group(1).upper()} {m.group(2)}"
            home = get_dialect(dialect).default_schema or ""
            key = re.sub(rf'(^|\s)"?{home}"?\.', r"\1", norm_sql(target)) if home else \
                norm_sql(target)
            src.objects[("comment", key)] = SqlObject("comment", target, text, st.line)
        elif m := _OTHER_TYPE.match(text):  # composite and range types: carried as written
            obj = SqlObject("type", m.group(1), text, st.line)
            src.objects[_home(obj.key, dialect)] = obj
        elif m := _RLS.match(text):
            obj = SqlObject("rls", m.group(2).upper(), text, st.line, m.group(1))
            src.objects[_home(obj.key, dialect)] = obj
        elif m := _SETTING.match(text):
            obj = SqlObject("rls", " ".join(m.group(2).upper().split()), text, st.line,
                            m.group(1))
            src.objects[_home(obj.key, dialect)] = obj
        elif m := _EXT.match(text):
            src.extensions[bare_name(m.group(1))] = text
        elif m := _SCHEMA.match(text):
            src.schemas[_split_name(m.group(1))[0]] = text
        elif m := _SEQUENCE.match(text):
            src.sequences[catalog.key(*_split_name(m.group(1)))] = text
        elif (m := _NOT_VALID.match(text)) and ENDS_NOT_VALID.search(text):
            src.not_valid.add((catalog.key(*_split_name(m.group(1))),
                               _split_name(m.group(2))[0]))
        elif m := _ALTER_TARGET.match(text):
            name = _qualified(m.group(1))  # "public"."userTable" → public.usertable
            altered.update({name, name.split(".")[-1]})
        if "exclude" in text.lower() and (on := _TABLE_OF.match(text)):
            for name, clause in exclusions(text):  # an unnamed one: "#" and its text
                obj = SqlObject("exclusion", name or f"#{norm_sql(clause)}",
                                f"ALTER TABLE {on.group(1)} ADD {clause}", st.line, on.group(1))
                src.objects[_home(obj.key, dialect)] = obj
        end = st.end_line or st.line + text.count("\n")
        spans.append((ps.kind, st.line, end, text))

    starts = [a for _k, a, _b, _t in spans]

    def owner(kind: str, line: int | None) -> str | None:
        """The one statement of ``kind`` on ``line``; None when there is none, or several
        (two CREATE TABLEs on one line: which is whose is not known, so neither text is
        reused and the writer renders the object from the catalog)."""
        # statements are in file order and do not overlap: bisect on their first line
        if line is None:
            return None
        found: list[str] = []
        i = bisect.bisect_right(starts, line) - 1
        while i >= 0 and spans[i][1] <= line:
            k, a, b, text = spans[i]
            if k == kind and a <= line <= b:
                found.append(text)
            if b < line:
                break
            i -= 1
        return found[0] if len(found) == 1 else None

    for key, table in catalog.tables.items():
        text = owner("table", table.line)
        if text and key.lower() not in altered and table.name.lower() not in altered and \
                re.match(r"(?is)^\s*CREATE\s+TABLE\b", text):
            src.originals[("table", key)] = text
            src.inline[key] = {i.name for i in catalog.indexes_of(key)
                               if i.line is not None and owner("table", i.line) == text}
    for name, index in catalog.indexes.items():
        text = owner("index", index.line)
        if text and re.match(r"(?is)^\s*CREATE\s+(UNIQUE\s+)?INDEX\b", text):
            src.originals[("index", name)] = re.sub(
                r"(?i)\bINDEX\s+CONCURRENTLY\b", "INDEX", text, count=1)
    for key, view in catalog.views.items():
        text = owner("view", view.line)
        if text and re.match(r"(?is)^\s*CREATE\s+(OR\s+REPLACE\s+)?(MATERIALIZED\s+)?VIEW\b",
                             text):
            src.originals[("view", key)] = text
    return src


# the first constraint word after a column's type (a search, no backtracking over spaces)
_COL_STOP = re.compile(
    r"(?<=\s)(?:CONSTRAINT|PRIMARY|NOT|NULL|DEFAULT|UNIQUE|CHECK|REFERENCES|COLLATE|GENERATED"
    r"|AS|AUTOINCREMENT)\b", re.I)


def _without_comments(text: str) -> str:
    """``text`` with ``--`` and ``/* */`` comments blanked (linear, unlike a lazy regex)."""
    out, i = [], 0
    while i < len(text):
        line, block = text.find("--", i), text.find("/*", i)
        starts = [p for p in (line, block) if p >= 0]
        if not starts:
            out.append(text[i:])
            break
        start = min(starts)
        out.append(text[i:start] + " ")
        if start == line:
            end = text.find("\n", start)
        else:
            end = text.find("*/", start + 2)
            end = end + 2 if end >= 0 else -1
        if end < 0:
            break
        i = end
    return "".join(out)


def _sqlite_declared_types(text: str, catalog: Catalog) -> None:
    """Put back the declared column types (SQLite keeps them; sqlglot maps them to affinity)."""
    from archkit.migrations.safety import split_top_level
    from archkit.schema.catalog import normalise_type
    from archkit.schema.split import split_statements

    for st in split_statements(text, "sqlite"):
        m = CREATE_TABLE_LINE.match(st.text.strip())
        opens, closes = st.text.find("("), st.text.rfind(")")
        if not m or opens < 0 or closes < opens:
            continue
        name, schema = _split_name(m.group(1))
        table = catalog.table(name, schema)
        body = st.text[opens + 1: closes]
        if table is None:
            continue
        body = _without_comments(body)
        for part in split_top_level(body):
            mm = re.match(r"\s*(\"[^\"]+\"|`[^`]+`|\[[^\]]+\]|'[^']+'|[\w$]+)\s*(.*)$", part,
                          re.S)
            if not mm or mm.group(1).upper() in {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK",
                                                  "FOREIGN"}:
                continue
            col = table.column(mm.group(1).strip("\"`[]'"))
            rest = " " + mm.group(2)
            stop = _COL_STOP.search(rest)
            declared = (rest[:stop.start()] if stop else rest).strip()
            if col is not None and declared:
                col.type = normalise_type(declared)[0]
