"""DDL text → catalog, one statement at a time, so one bad statement never sinks the file.

Usage::

    from archkit.schema.parse import parse_schema, read_schema
    result = parse_schema(read_schema("schema.sql"), "postgres", file="schema.sql")
    result.catalog.tables["orders"].columns
    result.unparsed      # [(line, text), ...] what sqlglot could not understand
    result.findings      # syntax errors, duplicates, statements not understood

API summary: ``parse_schema(text, dialect, file=None) -> ParseResult`` with ``.catalog``
(``archkit.schema.catalog.Catalog``), ``.statements`` (``ParsedStatement``: the split
``Statement``, its sqlglot expression or None, and ``kind``), ``.unparsed``,
``.findings`` and ``.dialect``. ``normalise_dialect(name)`` maps aliases (``pg``,
``postgresql``, ``mariadb``, ``sqlite3``) to ``postgres|mysql|sqlite`` or raises.
``read_schema(path)`` reads a file with the size / binary / encoding checks.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity
from archkit.lazy import LazyPattern
from archkit.schema.catalog import (
    Catalog,
    Check,
    Column,
    EnumType,
    ForeignKey,
    Index,
    PrimaryKey,
    Sequence,
    Table,
    Unique,
    View,
    declared_type,
    normalise_on_update,
    normalise_type,
    object_key,
    split_key,
)
from archkit.schema.dialects import dialect as get_dialect
from archkit.schema.dialects import names as dialect_names
from archkit.schema.split import Places, Statement, split_statements

__all__ = [
    "DIALECTS",
    "MAX_BYTES",
    "ParseResult",
    "ParsedStatement",
    "normalise_dialect",
    "parse_schema",
    "read_schema",
]

DIALECTS = dialect_names()
MAX_BYTES = 16 * 1024 * 1024  # a schema larger than this is almost surely not a schema


def normalise_dialect(name: str | None) -> str:
    """``postgres``, ``mysql`` or ``sqlite`` for a dialect name or alias; else ArchkitError."""
    return get_dialect(name).name


def read_schema(path: str | Path) -> str:
    """The text of a schema file, or an ArchkitError saying why it cannot be one."""
    path = Path(path)
    where = Where(str(path))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ArchkitError(
            f"file is {size / 1e6:.1f} MB; a schema file is expected to be under "
            f"{MAX_BYTES // (1024 * 1024)} MB",
            where=where, hint="pass the DDL only (pg_dump --schema-only), not a data dump",
        )
    raw = path.read_bytes()
    return decode_schema(raw, str(path))


def decode_schema(raw: bytes, file: str | None = None) -> str:
    where = Where(file)
    if b"\x00" in raw[:65536]:
        raise ArchkitError("file is binary, not SQL text", where=where,
                           hint="give a .sql file with CREATE TABLE statements")
    # without a byte-order mark "utf-8-sig" decodes as "utf-8" does (errors at the same
    # offsets); only a file with one then loads that codec's module
    codec = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ArchkitError("file is not UTF-8 text", where=Where(file, line),
                           hint="save the schema as UTF-8") from None


@dataclass(slots=True)
class ParsedStatement:
    """One statement and what it was. ``expression`` is None: sqlglot trees are not kept
    (holding thousands of them makes every garbage collection slower); view queries are in
    ``ParseResult.view_trees``."""

    statement: Statement
    expression: object | None
    kind: str  # "table", "view", "index", "alter", "type", "sequence", "comment", "other",
    # "ignored" (understood, no schema effect), "unparsed", "error"


@dataclass(slots=True)
class ParseResult:
    catalog: Catalog
    dialect: str
    file: str | None = None
    statements: list[ParsedStatement] = field(default_factory=list)
    unparsed: list[tuple[int, str]] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    view_trees: dict[str, object] = field(default_factory=dict, repr=False)
    _places: Places | None = field(default=None, repr=False, compare=False)

    def places(self) -> Places:
        """Where names are written in the statements (line and column), built on first use:
        only findings ask, so a clean file never pays for it."""
        if self._places is None:
            self._places = Places([p.statement for p in self.statements], self.dialect)
        return self._places

    def _repr_markdown_(self) -> str:
        head = (
            f"**{len(self.statements)} statements** → {len(self.catalog.tables)} tables, "
            f"{len(self.catalog.views)} views, {len(self.catalog.indexes)} indexes; "
            f"{len(self.unparsed)} not understood.\n\n"
        )
        return head + self.findings._repr_markdown_()


# Statements that sqlglot keeps as a Command but that have no effect on the catalog.
_NO_EFFECT = LazyPattern(
    r"^\s*(?:SET\b|SELECT\s+pg_catalog\.set_config|GRANT\b|REVOKE\b|USE\b|START\s+TRANSACTION|"
    r"BEGIN\b|COMMIT\b|PRAGMA\b|ANALYZE\b|VACUUM\b|ALTER\s+\w+(?:\s+\w+)?\s+\S+\s+OWNER\s+TO\b|"
    r"ALTER\s+(?:TABLE|SEQUENCE)\s+(?:ONLY\s+)?\S+\s+OWNER\s+TO\b|DROP\b|"
    r"CREATE\s+SCHEMA\b|CREATE\s+EXTENSION\b|COMMENT\s+ON\s+(?:EXTENSION|SCHEMA|FUNCTION)\b|"
    r"ALTER\s+SEQUENCE\s+\S+\s+OWNED\s+BY\b|"
    r"ALTER\s+TABLE\s+(?:ONLY\s+)?\S+\s+(?:ENABLE|DISABLE|FORCE|NO\s+FORCE)\s+ROW\s+LEVEL\s+"
    r"SECURITY\b|"
    r"ALTER\s+(?:FUNCTION|PROCEDURE|AGGREGATE|TYPE|DOMAIN|VIEW|MATERIALIZED\s+VIEW)\s+.*\bOWNER\s+TO\b|"
    r"ALTER\s+TABLE\s+(?:ONLY\s+)?\S+\s+ATTACH\s+PARTITION\b|ALTER\s+INDEX\s+\S+\s+ATTACH\b|"
    r"SELECT\s+pg_catalog\.setval|LOCK\s+TABLES|UNLOCK\s+TABLES|ALTER\s+DEFAULT\s+PRIVILEGES\b|"
    # mysqldump's bracket around a table's rows: index maintenance, no schema
    r"ALTER\s+TABLE\s+\S+\s+(?:DISABLE|ENABLE)\s+KEYS\s*$)",
    re.I,
)
_DOMAIN_HEAD = LazyPattern(
    r"\s*CREATE\s+DOMAIN\s+(?P<name>(?:\"[^\"]+\"|[\w$]+)(?:\.(?:\"[^\"]+\"|[\w$]+))?)\s+"
    r"(?:AS\s+)?", re.I)
_DOMAIN_STOP = LazyPattern(r"\s(?:CONSTRAINT|CHECK|DEFAULT|NOT|NULL|COLLATE)\b", re.I)
_DOMAIN_BASE = LazyPattern(r"[\w .]+(?:\([^)]*\))?(?:\[\])?")


def _domain(text: str) -> tuple[str, str] | None:
    """``(name, base type)`` of a CREATE DOMAIN statement (linear: no backtracking regex)."""
    m = _DOMAIN_HEAD.match(text)
    if m is None:
        return None
    stop = _DOMAIN_STOP.search(text, m.end())
    base = text[m.end():stop.start() if stop else len(text)].strip()
    return (m.group("name"), base) if _DOMAIN_BASE.fullmatch(base) else None


# pg_dump writes an identity column as a plain column made identity afterwards
_ADD_IDENTITY = LazyPattern(
    r"^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?(?P<table>\S+)\s+ALTER\s+(?:COLUMN\s+)?(?P<column>\S+)\s+"
    r"ADD\s+GENERATED\s+(?:ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY\b", re.I)
# PostgreSQL 18 names NOT NULL constraints, and pg_dump may add one after the table
_ADD_NOT_NULL = LazyPattern(
    r"^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?(?P<table>\S+)\s+ADD\s+CONSTRAINT\s+\S+\s+NOT\s+NULL\s+"
    r"(?P<column>\S+)(?:\s+NO\s+INHERIT)?\s*$", re.I)
_ATTACH = LazyPattern(
    r"^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?(?P<parent>\S+)\s+ATTACH\s+PARTITION\s+(?P<child>\S+)"
    r"(?P<bound>.*)",
    re.I | re.S,
)


def _partition_bound(node) -> str:
    """``FOR VALUES ...`` / ``DEFAULT`` of a partition, as PostgreSQL writes it."""
    text = _sql(node, "postgres")
    return text if text.upper() == "DEFAULT" else f"FOR VALUES {text}"


# pg_dump's range bound of plain string literals, which sqlglot writes back as it is read:
# taken as written, without parsing the statement a second time (~0.1 ms each)
_PLAIN_RANGE_BOUND = LazyPattern(r"FOR VALUES FROM \('[^'\\]*'(?:, '[^'\\]*')*\) "
                                r"TO \('[^'\\]*'(?:, '[^'\\]*')*\)")


def _attached_bound(text: str) -> str | None:
    """The bound of ``ALTER TABLE p ATTACH PARTITION c <bound>``, written as the parser
    writes one of ``CREATE TABLE c PARTITION OF p <bound>`` (so both read back alike)."""
    bound = text.strip().rstrip(";").strip()
    if _PLAIN_RANGE_BOUND.fullmatch(bound):
        return bound
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    sql = f"CREATE TABLE c PARTITION OF p {text.strip().rstrip(';')}"
    try:  # sqlglot.parse_one(sql, read="postgres"), without a new dialect object each time
        trees = _dialect("postgres").parse(sql)
    except (SqlglotError, ValueError):
        return None
    if not trees or trees[0] is None:
        return None
    tree = exp.Block(expressions=trees) if len(trees) > 1 else trees[0]
    prop = tree.find(exp.PartitionedOfProperty)
    return _partition_bound(prop.expression) if prop is not None and prop.expression else None
_COMMA_GAP = LazyPattern(r",\s*[,)]|\(\s*,|,\s*(?:--|/\*)")
_CORE_DDL = LazyPattern(
    r"^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\b|^\s*CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\b", re.I
)
_BOOLEAN_NUMBERS = {"0": "false", "1": "true"}
_DO_BLOCK = LazyPattern(r"\s*DO\s+(?:LANGUAGE\s+\w+\s+)?(?:\$|')", re.I)
# a MySQL executable comment the splitter left as a comment: gated on MySQL 5.7 and later
_GATED_COMMENT = LazyPattern(r"/\*!\d{5,6}.*?\*/", re.S)
# psql meta-commands that only set up psql's own session (pg_dump's \restrict guard among
# them): no schema in them
_PSQL_SESSION_ONLY = frozenset({"restrict", "unrestrict", "set", "unset", "pset", "echo",
                                "qecho", "warn", "encoding", "timing", "x"})
_INDEX_HEAD = LazyPattern(r"\s*CREATE\s+(?:UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX\b", re.I)
_ROUTINE = LazyPattern(
    r"^\s*(?:CREATE|ALTER)\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?"
    r"(FUNCTION|PROCEDURE|TRIGGER|AGGREGATE|EVENT|RULE|POLICY|PUBLICATION)\b",
    re.I,
)


def _blank(m: re.Match) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def _array_brackets(m: re.Match) -> str:
    """``integer ARRAY`` → ``integer[]`` padded to the same length (offsets stay put)."""
    return "[]".ljust(len(m.group(0)))


#: the key in ``Table.options`` of what follows a salvaged table's body, as written
SALVAGED_OPTIONS = "options"
_NO_INHERIT = LazyPattern(r"(?<=[\s)])NO\s+INHERIT\b", re.I)
_CHECK_OPEN = LazyPattern(r"\bCHECK\s*\(", re.I)
_NO_INHERIT_AFTER = LazyPattern(r"\s*NO\s+INHERIT\b", re.I)


def _no_inherit_flags(text: str) -> list[bool]:
    """For each ``CHECK (...)`` of ``text`` in order: whether ``NO INHERIT`` follows it."""
    out = []
    for m in _CHECK_OPEN.finditer(text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        out.append(_NO_INHERIT_AFTER.match(text, i) is not None)
    return out


# Clauses that sqlglot cannot parse but that do not change the catalog, blanked out for a
# retry; or spellings it cannot parse, rewritten to an equivalent one of the same length.
_CLEANUPS = {
    "mysql": [
        (LazyPattern(r"\bDEFINER\s*=\s*\S+\s*", re.I), _blank),
        (LazyPattern(r"\bSQL\s+SECURITY\s+(?:INVOKER|DEFINER)\s*", re.I), _blank),
        (LazyPattern(r"\bALGORITHM\s*=\s*\w+\s*", re.I), _blank),
        # MariaDB's synonym of STORED for a generated column, which sqlglot cannot read
        (LazyPattern(r"(?<=\))(\s*)PERSISTENT\b", re.I),
         lambda m: m.group(1) + "STORED    "),
    ],
    "postgres": [
        # the default timing, which sqlglot cannot read
        (LazyPattern(r"\bNOT\s+DEFERRABLE\b", re.I), _blank),
        # starts at the word, not at the spaces before it: no rescan of a long run of spaces
        (LazyPattern(r"(?<=\s)WITH\s+(?:NO\s+)?DATA\s*$", re.I), _blank),
        # SQL-standard array type: "c integer ARRAY" is "c integer[]" (not ARRAY[...] values)
        (LazyPattern(r"(?<=\w) ARRAY(?=\s*(?:[,)]|$|(?:NOT|NULL|DEFAULT|CHECK|CONSTRAINT|"
                    r"REFERENCES|UNIQUE|PRIMARY|COLLATE|GENERATED)\b))", re.I), _array_brackets),
        # kept on the Check (``no_inherit``): see _no_inherit_flags
        (_NO_INHERIT, _blank),
        # in CREATE TABLE, PostgreSQL accepts NOT VALID and makes the constraint valid (the
        # table is empty); an ALTER TABLE's NOT VALID is read from its text (migrations.source)
        (LazyPattern(r"(?<=[\s)])NOT\s+VALID\b", re.I), _blank),
    ],
    "sqlite": [],
}


# Column attributes the catalog has no place for, which sqlglot cannot parse: blanked for the
# retry like the clauses above, but said (SC002 info), as they change the engine's behaviour.
_UNKEPT = {
    "mysql": [LazyPattern(r"(?<=\S)\s+(?:COLUMN_FORMAT\s+(?:FIXED|DYNAMIC|DEFAULT)|SRID\s+\d+|"
                          r"STORAGE\s+(?:DISK|MEMORY))\b", re.I)],
    "postgres": [LazyPattern(r"(?<=\S)\s+(?:COMPRESSION\s+(?:pglz|lz4|default)|"
                             r"STORAGE\s+(?:PLAIN|EXTERNAL|EXTENDED|MAIN|DEFAULT))\b", re.I)],
    "sqlite": [LazyPattern(r"(?<=\S)\s+ON\s+CONFLICT\s+(?:ROLLBACK|ABORT|FAIL|IGNORE|REPLACE)\b",
                           re.I)],
}


def _clean_up(text: str, dialect: str) -> str:
    """``text`` without those clauses (or with them respelled); every offset stays put."""
    for pattern, respell in _CLEANUPS[dialect]:
        text = pattern.sub(respell, text)
    for pattern in _UNKEPT[dialect]:
        text = pattern.sub(_blank, text)
    return text


def parse_schema(text: str, dialect: str, file: str | None = None) -> ParseResult:
    """Parse DDL into a catalog; every statement not understood is listed, never dropped."""
    dialect = normalise_dialect(dialect)
    if "\x00" in text:
        raise ArchkitError("input is binary, not SQL text", where=Where(file),
                           hint="give a .sql file with CREATE TABLE statements")
    if len(text) > MAX_BYTES:
        raise ArchkitError(f"input is {len(text) / 1e6:.1f} MB; too large for a schema",
                           where=Where(file), hint="pass the DDL only, not a data dump")
    statements = split_statements(text, dialect)
    if not statements:
        raise ArchkitError("no SQL statements found (the input is empty or only comments)",
                           where=Where(file), hint="write at least one CREATE TABLE statement")
    builder = _Builder(dialect, file)
    with quiet_sqlglot():
        for st in statements:
            builder.statement(st)
    builder.finish()
    result = ParseResult(builder.catalog, dialect, file, builder.parsed, builder.unparsed,
                         Findings(builder.findings), builder.view_trees)
    _check_dialect(result, text, dialect, file)
    return result


# -- dialect sanity --------------------------------------------------------------------
# Plain substrings (lower case) that give a dialect away; str.count is fast on big files.
_MARKERS = {
    "mysql": ("`", "auto_increment", "engine=", "engine =", "unsigned", "\ndelimiter "),
    "postgres": (" serial", "$$", "::", "create extension", "jsonb", "plpgsql"),
    "sqlite": ("autoincrement", "without rowid", ") strict"),
}


def _marker_counts(text: str) -> dict[str, int]:
    sample = text[:200_000].lower()
    counts = {d: sum(sample.count(m) for m in marks) for d, marks in _MARKERS.items()}
    counts["mysql"] -= sample.count("`") // 2  # a pair of backticks is one quoted name
    return counts


def guess_dialect(text: str) -> str | None:
    """The dialect whose markers occur most in ``text`` (None when no marker is seen)."""
    counts = _marker_counts(text)
    best = max(counts, key=counts.get)
    return best if counts[best] else None


def _check_dialect(result: ParseResult, text: str, dialect: str, file: str | None) -> None:
    # a routine or trigger body is not read in any dialect: no sign of another one
    bad = sum(1 for p in result.statements if p.kind == "error" or (
        p.kind == "unparsed" and not _ROUTINE.match(p.statement.text)))
    bad += sum(1 for f in result.findings if f.code == "SC002" and f.object)  # salvaged parts
    if not bad:
        return
    counts = _marker_counts(text)
    guess = max(counts, key=counts.get)
    clear = counts[guess] >= 3 and counts[guess] >= 4 * counts[dialect]
    if guess != dialect and (clear or bad * 2 >= len(result.statements) and counts[guess]):
        raise ArchkitError(
            f"{bad} of {len(result.statements)} statements are not valid {dialect} SQL; "
            f"this looks like {guess} SQL",
            where=Where(file), hint=f"use --dialect {guess}",
        )


class quiet_sqlglot:
    """sqlglot logs a warning for every fallback to Command; we report those as findings.

    Usage: ``with quiet_sqlglot(): tree = sqlglot.parse_one(text)``"""

    def __enter__(self):
        self.logger = logging.getLogger("sqlglot")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)


@lru_cache(maxsize=8)
def _dialect(name: str):
    from sqlglot.dialects.dialect import Dialect

    return Dialect.get_or_raise(name)


def _sql(node, dialect: str, **opts) -> str:
    """``node.sql(dialect, **opts)`` with sqlglot's dialect object made once, not per call.

    Usage: ``_sql(check_node, "postgres")``"""
    return _dialect(dialect).generate(node, **opts)


def _first_line(text: str, limit: int = 120) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"


# -- the builder -----------------------------------------------------------------------
class _Builder:
    """Applies statements to a catalog in order, collecting findings."""

    def __init__(self, dialect: str, file: str | None):
        self.dialect = dialect
        self.d = get_dialect(dialect)
        self.file = file
        self.catalog = Catalog(dialect=dialect)
        self.parsed: list[ParsedStatement] = []
        self.unparsed: list[tuple[int, str]] = []
        self.findings: list[Finding] = []
        self.constraint_names: dict[tuple[str, str], int] = {}
        self.current: Statement | None = None
        self.view_trees: dict[str, object] = {}
        d = _dialect(dialect)
        self.tokenizer, self.parser = d.tokenizer(), d.parser()  # reused: both reset per call
        self.serial_columns: set[int] = set()

    def own_schema(self, schema: str | None) -> str | None:
        """``schema`` as stored: the dialect's default schema (``public.t``) is the same
        object as the unqualified name, so it is kept as None (as introspection reads it)."""
        return None if schema == self.d.default_schema else schema

    # findings -------------------------------------------------------------------------
    def finding(self, code, severity, message, obj=None, line=None, fix=None, place=None):
        """Add a finding; ``place`` (file line, column) overrides ``line`` when known."""
        col = None
        if place is not None and place[1] is not None:
            line, col = place
        self.findings.append(Finding(code, severity, message, obj, line, fix, self.file, col))

    def place_of(self, node) -> tuple[int, int | None]:
        """File line and column where ``node`` (or its first identifier) is written.
        Only asked for findings: positions of every node would cost on every statement."""
        st = self.current
        if node is not None and hasattr(node, "walk"):
            for child in node.walk():
                meta = getattr(child, "_meta", None)
                if meta and "start" in meta:
                    return st.position(meta["start"])
        return self.line_of(node), None

    def place_token(self, line: int, name: str, after=()) -> tuple[int, int | None]:
        """File line and column of the token ``name`` from ``line`` on in this statement."""
        found = Places([self.current], self.dialect).find(line, name, after)
        return found if found is not None else (line, None)

    def line_of(self, node) -> int:
        """The file line of a node: its own position, else its first identifier's."""
        st = self.current
        meta = getattr(node, "meta", None) or {}
        if "line" not in meta and node is not None and hasattr(node, "walk"):
            for child in node.walk():
                child_meta = getattr(child, "_meta", None)
                if child_meta and "line" in child_meta:
                    meta = child_meta
                    break
        return st.line + meta["line"] - 1 if "line" in meta else st.line

    def not_understood(self, st: Statement) -> None:
        snippet = _first_line(st.text)
        self.unparsed.append((st.line, snippet))
        # routines, triggers and anonymous blocks (DO $$ ... $$) do not declare tables:
        # worth knowing, not a warning
        severity = Severity.INFO if _ROUTINE.match(st.text) or _DO_BLOCK.match(st.text) \
            else Severity.WARNING
        self.finding("SC002", severity, f"statement not understood: {snippet}",
                     None, st.line, "check the syntax, or keep it out of the schema file")

    def retry_cleaned(self, st: Statement) -> bool:
        """Parse again without clauses that have no effect on the catalog (DEFINER=...)."""
        from sqlglot import exp
        from sqlglot.errors import ParseError, TokenError

        cleaned = _clean_up(st.text, self.dialect)
        if cleaned == st.text:
            return False
        d = _dialect(self.dialect)
        try:
            tree = d.parser().parse(d.tokenize(cleaned), cleaned)[0]
        except (ParseError, TokenError):
            return False
        if tree is None or isinstance(tree, exp.Command):
            return False
        had = {id(c) for t in self.catalog.tables.values() for c in t.checks}
        self.current = replace(st, text=cleaned)  # what raw reads see (offsets kept)
        try:
            kind = self.apply(st, tree)
        finally:
            self.current = st
        self.parsed.append(ParsedStatement(st, None, kind))
        for pattern in _UNKEPT[self.dialect]:
            for m in pattern.finditer(st.text):
                self.finding("SC002", Severity.INFO, f"attribute not kept: {m.group(0).strip()}",
                             None, st.position(m.start())[0], "archkit's catalog, diff and "
                             "writers leave it out: add it to migrations by hand")
        new = [c for t in self.catalog.tables.values() for c in t.checks if id(c) not in had]
        flags = _no_inherit_flags(st.text)
        if len(flags) == len(new):
            for check, flag in zip(new, flags, strict=True):
                check.no_inherit = flag
        return True

    # statements -----------------------------------------------------------------------
    def statement(self, st: Statement) -> None:
        """Apply one statement; whatever goes wrong in it becomes a finding on its line."""
        done = len(self.parsed)
        try:
            self._statement(st)
        except ArchkitError:
            raise
        except RecursionError:
            self._failed(st, done, f"nested more deeply than {_MAX_DEPTH} levels",
                         "split the expression or use fewer parentheses")
        except Exception as err:  # noqa: BLE001 - sqlglot's parser has more than ParseError
            message = str(err).splitlines()[0][:120] if str(err) else type(err).__name__
            self._failed(st, done, f"cannot be read ({message})", "fix the SQL of this statement")

    def _failed(self, st: Statement, done: int, why: str, fix: str) -> None:
        del self.parsed[done:]
        self.parsed.append(ParsedStatement(st, None, "error"))
        self.finding("SC001", Severity.ERROR, f"syntax error: statement {why}: "
                     f"{_first_line(st.text, 60)}", _first_line(st.text, 60), st.line, fix)

    def _statement(self, st: Statement) -> None:
        # ``import x.y as z``: ``from sqlglot.errors import ...`` costs ~2 us a statement
        import sqlglot.errors as errors
        from sqlglot import exp

        self.current = st
        if st.is_meta_command:
            self.meta_command(st)
            return
        if "/*!" in st.text and self.d.mysql_lexicon:
            self.gated_comments(st)
        depth = _paren_depth(st.text)
        if depth > _MAX_DEPTH:  # sqlglot recurses per level: refuse before the stack does
            raise RecursionError(depth)
        try:
            tokens = self.tokenizer.tokenize(st.text)
            if _COMMA_GAP.search(st.text):  # cheap pre-check; the token scan decides
                self._double_commas(tokens, st)
            trees = self.parser.parse(tokens, st.text)
        except (errors.ParseError, errors.TokenError) as err:
            self.syntax_error(st, err)
            return
        tree = trees[0] if trees else None
        if tree is None:
            self.parsed.append(ParsedStatement(st, None, "ignored"))
            return
        if isinstance(tree, exp.Command):
            self.command(st, tree)
            return
        kind = self.apply(st, tree)
        self.parsed.append(ParsedStatement(st, None, kind))

    def meta_command(self, st: Statement) -> None:
        """A psql meta-command line: pg_dump's ``\\restrict KEY`` and session settings
        change no schema; any other (``\\connect``, ``\\i file``) is said, not read."""
        name = st.text[1:].split(maxsplit=1)[0].lower() if st.text[1:].strip() else ""
        if name in _PSQL_SESSION_ONLY:
            self.parsed.append(ParsedStatement(st, None, "ignored"))
            return
        snippet = _first_line(st.text)
        self.parsed.append(ParsedStatement(st, None, "unparsed"))
        self.unparsed.append((st.line, snippet))
        self.finding("SC002", Severity.INFO, f"psql meta-command not read: {snippet}", None,
                     st.line, "archkit reads the SQL; if this line changes the schema, "
                     "write that as SQL")

    def gated_comments(self, st: Statement) -> None:
        """A clause in a MySQL comment that only some servers run (``/*!80023 INVISIBLE */``:
        MySQL 8.0.23 and later, not MariaDB): not read, and said (the splitter has already
        made the ones every server runs plain SQL)."""
        for m in _GATED_COMMENT.finditer(st.text):
            line = st.position(m.start())[0]
            self.finding("SC002", Severity.INFO, f"clause for some servers only, not read: "
                         f"{_first_line(m.group(0), 60)}", None, line,
                         "write it as plain SQL if the schema needs it on every server")

    def _double_commas(self, tokens, st: Statement) -> None:
        # sqlglot silently accepts "(a INT,, b INT)" and "(a INT,)"; a real engine does not.
        from sqlglot.errors import ParseError
        from sqlglot.tokens import TokenType

        prev = None
        for tok in tokens:
            tt = tok.token_type
            if prev is not None and (
                (prev.token_type is TokenType.COMMA and tt in (TokenType.COMMA, TokenType.R_PAREN))
                or (prev.token_type is TokenType.L_PAREN and tt is TokenType.COMMA)
            ):
                err = ParseError(f"unexpected {tok.text!r} after {prev.text!r}")
                err.errors = [{"line": tok.line, "col": tok.col, "description": str(err),
                               "highlight": st.text[tok.start:tok.end + 1]}]
                raise err
            prev = tok

    def syntax_error(self, st: Statement, err) -> None:
        info = (getattr(err, "errors", None) or [{}])[0]
        line, col = _error_place(st, info)
        desc = info.get("description") or str(err).splitlines()[0]
        if _ROUTINE.match(st.text) or _clean_up(st.text, self.dialect) != st.text:
            if self.retry_cleaned(st):
                return
            if _ROUTINE.match(st.text):
                self.parsed.append(ParsedStatement(st, None, "unparsed"))
                self.not_understood(st)
                return
        if _INDEX_HEAD.match(st.text) and self.index_clauses(st):
            return
        # keep every good column of a table the parser chokes on
        if _looks_like_create_table(st.text) and self.salvage_table(st):
            return
        self.parsed.append(ParsedStatement(st, None, "error"))
        where = f" (column {col})" if col else ""
        self.finding("SC001", Severity.ERROR, f"syntax error{where}: {desc}",
                     _first_line(st.text, 60), line, "fix the SQL at this line", (line, col))

    def command(self, st: Statement, tree) -> None:
        text = st.text
        m = _ATTACH.match(text)
        if m:
            child_name, child_schema = _split_name(m.group("child"))
            parent_name, parent_schema = _split_name(m.group("parent"))
            child = self.catalog.table(child_name, child_schema)
            if child is not None:
                child.options["partition_of"] = object_key(parent_name, parent_schema,
                                                           self.dialect)
                bound = _attached_bound(m.group("bound"))
                if bound:
                    child.options["partition_bound"] = bound
        if _NO_EFFECT.match(text):
            self.parsed.append(ParsedStatement(st, None, "ignored"))
            return
        if (m := _ADD_IDENTITY.match(text)) and self.add_identity(st, m):
            return
        if (m := _ADD_NOT_NULL.match(text)) and self.add_not_null(st, m):
            return
        domain = _domain(text)
        if domain:
            name, schema = _split_name(domain[0])
            key = object_key(name, schema, self.dialect)
            base, _ = normalise_type(domain[1])
            self.catalog.enums[key] = EnumType(key, base=base, line=st.line)
            self.parsed.append(ParsedStatement(st, None, "type"))
            return
        if _looks_like_create_table(text) and self.salvage_table(st):
            return
        if self.retry_cleaned(st):
            return
        if self.index_clauses(st):
            return
        if _CORE_DDL.match(text):
            # sqlglot gave up on a statement it supports: that is a syntax error
            self.parsed.append(ParsedStatement(st, None, "error"))
            self.finding("SC001", Severity.ERROR, f"syntax error: cannot parse "
                         f"{_first_line(text, 60)}", _first_line(text, 60), st.line,
                         "fix the SQL of this statement")
            return
        self.parsed.append(ParsedStatement(st, None, "unparsed"))
        self.not_understood(st)

    def _named_column(self, m: re.Match) -> Column | None:
        """The column a statement matched by ``m`` names (``table`` and ``column`` groups)."""
        table = self.catalog.table(*_split_name(m.group("table")))
        return table.column(_split_name(m.group("column"))[0]) if table else None

    def add_identity(self, st: Statement, m: re.Match) -> bool:
        """``ALTER TABLE t ALTER COLUMN c ADD GENERATED … AS IDENTITY (…)``: c is identity."""
        col = self._named_column(m)
        if col is None:
            return False
        col.identity = True
        if self.d.identity_implies_not_null:
            col.nullable = False
        self.parsed.append(ParsedStatement(st, None, "alter"))
        return True

    def add_not_null(self, st: Statement, m: re.Match) -> bool:
        """``ALTER TABLE t ADD CONSTRAINT name NOT NULL c`` (PostgreSQL 18): c is NOT NULL."""
        col = self._named_column(m)
        if col is None:
            return False
        col.nullable = False
        self.parsed.append(ParsedStatement(st, None, "alter"))
        return True

    def apply(self, st: Statement, tree) -> str:
        from sqlglot import exp

        if isinstance(tree, exp.Create):
            kind = (tree.args.get("kind") or "").upper()
            if kind == "TABLE":
                return self.create_table(tree)
            if kind == "VIEW":
                return self.create_view(tree)
            if kind == "INDEX":
                return self.create_index(tree)
            if kind == "TYPE":
                return self.create_type(tree)
            if kind == "SEQUENCE":
                name, schema = _table_name(tree.this)
                key = object_key(name, schema, self.dialect)
                self.catalog.sequences[key] = Sequence(key, line=st.line)
                return "sequence"
            return "other"  # functions, triggers, schemas: no catalog effect
        if isinstance(tree, exp.Alter):
            return self.alter(tree)
        if isinstance(tree, exp.Comment):
            return self.comment(tree)
        if isinstance(tree, exp.Drop):
            return self.drop(tree)
        return "ignored"

    # CREATE TABLE -----------------------------------------------------------------------
    def create_table(self, tree) -> str:
        from sqlglot import exp

        schema_node = tree.this
        props = tree.args.get("properties")
        if not isinstance(schema_node, exp.Schema) and props is not None and any(
                isinstance(p, exp.PartitionedOfProperty) for p in props.expressions):
            name, schema = _table_name(schema_node)  # CREATE TABLE c PARTITION OF p ...
            table = Table(name, schema, line=self.line_of(schema_node))
            self.table_properties(table, props)
            self.add_table(table, schema_node)
            return "table"
        if not isinstance(schema_node, exp.Schema):  # CREATE TABLE ... AS SELECT / LIKE
            name, schema = _table_name(schema_node)
            table = Table(name, self.own_schema(schema), line=self.line_of(schema_node))
            if tree.expression is not None and hasattr(tree.expression, "named_selects"):
                for col in tree.expression.named_selects:
                    table.columns.append(Column(col.lower(), "unknown", line=table.line))
            self.add_table(table, schema_node)
            return "table"
        name, schema = _table_name(schema_node.this)
        table = Table(name, self.own_schema(schema), line=self.line_of(schema_node.this))
        for node in schema_node.expressions:
            self.table_element(table, node)
        if self.d.redundant_keys_dropped and table.primary_key is not None:
            # PostgreSQL keeps no UNIQUE of CREATE TABLE that repeats its primary key
            pk = table.primary_key
            same = [u for u in table.uniques
                    if u.columns == pk.columns and not (u.nulls_not_distinct or u.deferrable)]
            table.uniques = [u for u in table.uniques if u not in same]
            if same and pk.name is None and same[0].name:  # the key takes the first's name
                table.primary_key = replace(pk, name=same[0].name)
        if props is not None:
            self.table_properties(table, props)
        self.add_table(table, schema_node.this)
        return "table"

    def table_properties(self, table: Table, props) -> None:
        from sqlglot import exp

        for p in props.expressions:
            if isinstance(p, (exp.InheritsProperty, exp.PartitionedOfProperty)):
                parents = p.expressions if isinstance(p, exp.InheritsProperty) else [p.this]
                kind = "inherits" if isinstance(p, exp.InheritsProperty) else "partition_of"
                keys = []
                for parent_node in parents:
                    # PARTITION OF p (constraints...): the parent's name, then the constraints
                    node = parent_node.this if isinstance(parent_node, exp.Schema) \
                        else parent_node
                    pname, pschema = _table_name(node)
                    keys.append(object_key(pname, pschema, self.dialect))
                    parent = self.catalog.table(pname, pschema)
                    if parent is not None:
                        own = {c.name for c in table.columns}
                        table.columns[:0] = [replace(c, line=table.line) for c in parent.columns
                                             if c.name not in own]
                    if isinstance(parent_node, exp.Schema):
                        for element in parent_node.expressions:
                            self.table_element(table, element)
                table.options[kind] = ", ".join(keys)
                if isinstance(p, exp.PartitionedOfProperty) and p.expression is not None:
                    table.options["partition_bound"] = _partition_bound(p.expression)
            elif isinstance(p, exp.SchemaCommentProperty) and p.this is not None:
                table.comment = p.this.name
            else:  # a plain Property (KEY_BLOCK_SIZE=8) by its own name: there are many
                name = type(p).__name__ if type(p) is not exp.Property else p.name.upper()
                table.options[name or "Property"] = _sql(p, self.dialect)

    def add_table(self, table: Table, at=None) -> None:
        """Add ``table``; ``at`` is its name's node, or its (line, column), for a finding."""
        key = self.catalog.key(table.name, table.schema)
        if key in self.catalog.tables:
            first = self.catalog.tables[key].line
            place = at if isinstance(at, tuple) else self.place_of(at) if at is not None \
                else None
            self.finding("SC101", Severity.ERROR, f"table {key} is created twice (first on line "
                         f"{first})", key, table.line, "drop or rename the second CREATE TABLE",
                         place)
            return
        self.catalog.tables[key] = table
        for uniq in table.uniques + ([table.primary_key] if table.primary_key else []):
            self._pk_not_null(table, uniq)

    def _pk_not_null(self, table: Table, key) -> None:
        if isinstance(key, PrimaryKey):
            for name in key.columns:
                col = table.column(name)
                if col is not None:
                    col.nullable = False

    def table_element(self, table: Table, node) -> None:
        from sqlglot import exp

        if isinstance(node, exp.ColumnDef):
            self.column_def(table, node)
        elif isinstance(node, exp.Identifier | exp.Column) and self.d.typeless_column_type:
            # SQLite: ``CREATE TABLE t (data)`` declares a column with no type
            self.column_def(table, exp.ColumnDef(this=exp.to_identifier(node.name,
                                                                        quoted=_quoted(node))))
        elif isinstance(node, exp.Constraint):
            name = _nm(node.this) if node.this is not None else None
            for inner in node.expressions:
                self.table_constraint(table, inner, name, self.line_of(node.this), node.this)
        else:
            self.table_constraint(table, node, None, self.line_of(node))

    def column_def(self, table: Table, node) -> None:
        name = _nm(node.this)
        line = self.line_of(node.this)
        if any(self.d.same_name(c.name, name) for c in table.columns):
            self.finding("SC102", Severity.ERROR, f"column {name} is declared twice in "
                         f"{table.name}", f"{table.name}.{name}", line,
                         "remove or rename the second declaration", self.place_of(node.this))
            return
        col = self.make_column(node, table, line)
        table.columns.append(col)

    def make_column(self, node, table: Table, line: int) -> Column:
        from sqlglot import exp

        name = _nm(node.this)
        kind = node.args.get("kind")
        # The type as written: SQLite keeps exactly that, and reading it is much cheaper
        # than generating SQL from the tree (the fallback for spellings we cannot read).
        type_sql = self.raw_type(node)
        if type_sql is None:
            type_sql = _sql(kind, self.d.type_writer) if kind is not None else "unknown"
        ctype, serial = declared_type(type_sql, self.dialect)
        if kind is None and self.d.typeless_column_type:
            ctype = self.d.typeless_column_type  # SQLite: no type is BLOB ("none") affinity
        col = Column(name, ctype, identity=serial, line=line)
        if serial:
            self.serial_columns.add(id(col))
            if self.d.identity_implies_not_null:  # a serial column is NOT NULL
                col.nullable = False
        for cc in node.args.get("constraints") or []:
            c = cc.args.get("kind") if isinstance(cc, exp.ColumnConstraint) else cc
            if isinstance(c, exp.NotNullColumnConstraint):
                col.nullable = bool(c.args.get("allow_null"))
            elif isinstance(c, exp.PrimaryKeyColumnConstraint):
                col.nullable = False
                self.set_pk(table, PrimaryKey((name,), _cc_name(cc), line),
                            (_cc_name(cc) or name,))
            elif isinstance(c, exp.UniqueColumnConstraint):
                table.uniques.append(Unique((name,), _cc_name(cc), line, *_timing(c),
                                            nulls_not_distinct=bool(c.args.get("nulls"))))
            elif isinstance(c, exp.DefaultColumnConstraint):
                value = c.this
                if isinstance(value, exp.Collate) and self.d.column_attributes_any_order:
                    # MySQL: "DEFAULT NULL COLLATE x" is a default, then the column's collation
                    col.collation = _sql(value.expression, self.dialect)
                    value = value.this
                self.set_default(col, value)
            elif isinstance(c, exp.AutoIncrementColumnConstraint):
                col.identity = True
            elif isinstance(c, exp.GeneratedAsIdentityColumnConstraint):
                if c.args.get("expression") is not None:
                    col.generated = _sql(c.args["expression"], self.dialect)
                    col.generated_kind = "virtual"  # no STORED: PostgreSQL 18's default
                else:
                    col.identity = True
                    col.identity_always = bool(c.this)
                    col.identity_options = self.identity_options(node)
                    if self.d.identity_implies_not_null:
                        col.nullable = False
            elif isinstance(c, exp.ComputedColumnConstraint):
                # ``AS (a * 2)`` and ``GENERATED ALWAYS AS (a * 2)``: one expression, unwrapped
                col.generated = _sql(c.this.unnest(), self.dialect)
                # sqlglot: persisted False for VIRTUAL or nothing (MySQL's, SQLite's default)
                col.generated_kind = "virtual" if c.args.get("persisted") is False else "stored"
            elif isinstance(c, exp.CheckColumnConstraint):
                table.checks.append(Check(_sql(c.this, self.dialect), _cc_name(cc), line,
                                          column=name))
            elif isinstance(c, exp.Reference):
                table.foreign_keys.append(self.reference((name,), c, _cc_name(cc), line))
            elif isinstance(c, exp.OnUpdateColumnConstraint) and c.this is not None:
                col.on_update = normalise_on_update(_sql(c.this, self.dialect))
            elif isinstance(c, exp.CommentColumnConstraint):
                col.comment = c.this.name
            elif isinstance(c, exp.CollateColumnConstraint) and c.this is not None:
                col.collation = _sql(c.this, self.dialect)
            elif isinstance(c, exp.CharacterSetColumnConstraint) and c.this is not None:
                # MySQL: its character set's default collation (a COLLATE says which)
                col.collation = col.collation or f"CHARACTER SET {_sql(c.this, self.dialect)}"
            elif isinstance(c, exp.BinaryColumnConstraint):  # MySQL: the charset's _bin
                col.collation = f"{col.collation} BINARY" if col.collation and \
                    col.collation.upper().startswith("CHARACTER SET") else \
                    col.collation or "BINARY"
            elif c is not None:  # an attribute the catalog has no place for: said, not lost
                self.finding("SC002", Severity.INFO, f"{table.name}.{name}: column attribute "
                             f"not kept: {_first_line(_sql(c, self.dialect), 60)}",
                             f"{table.name}.{name}", line, "archkit's catalog, diff and "
                             "writers leave it out: add it to migrations by hand")
        if col.type == "boolean" and col.default in _BOOLEAN_NUMBERS:
            # MySQL's BOOLEAN is tinyint(1): DEFAULT 0 / '1' is false / true, as it reads back
            col.default = _BOOLEAN_NUMBERS[col.default]
        return col

    def identity_options(self, node) -> str | None:
        """The sequence options of the identity column ``node`` as written (sqlglot keeps
        only some), from the statement text after its name."""
        end = (node.this.meta or {}).get("end")
        if end is None or self.current is None:
            return None
        return _identity_options(self.current.text, end + 1)[0]

    def raw_type(self, node) -> str | None:
        end = (node.this.meta or {}).get("end")
        if end is None or self.current is None:
            return None
        return raw_type(self.current.text, end + 1)

    def set_default(self, col: Column, node) -> None:
        from sqlglot import exp

        if isinstance(node, exp.Anonymous) and node.name.lower() == "nextval":
            col.identity = True
            col.default = None
            return
        if isinstance(node, exp.Anonymous) and node.name.lower() != "now" and \
                _unqualified_builtins(node, self.dialect) is node:
            # a plain call (``uuidv7()``): normalise_default_node and _default_source would
            # each write the same SQL of it (a sqlglot generator run costs ~0.1 ms)
            text = _sql(node, self.dialect)
            col.default, col.default_sql = text.lower(), text
        else:
            col.default = normalise_default_node(node, self.dialect)
            col.default_sql = None if col.default is None else _default_source(node,
                                                                               self.dialect)
        # typed literals and expressions: writers parse default_sql back into a tree
        col.default_from = None if col.default is None or isinstance(
            node, (exp.Literal, exp.Boolean, exp.Null)) else self.dialect

    def set_pk(self, table: Table, pk: PrimaryKey, at=()) -> None:
        """Set the primary key. ``at`` says where it is written, for a finding: a node, or
        the names just before its PRIMARY KEY (a column's own)."""
        if table.primary_key is not None:
            place = (self.place_token(pk.line, "primary", at) if isinstance(at, tuple)
                     else self.place_of(at))
            self.finding("SC103", Severity.ERROR, f"table {table.name} has two primary keys",
                         table.name, pk.line, "keep one PRIMARY KEY; make the other UNIQUE",
                         place)
            return
        if self.d.primary_key_always_primary and pk.name:
            pk = replace(pk, name=None)  # MySQL calls every primary key PRIMARY
        table.primary_key = pk
        self._pk_not_null(table, pk)

    def check_name(self, table: Table, name: str | None, line: int, node=None,
                   indexed: bool = True) -> bool:
        """Record a constraint name; a finding when it is taken. Only a constraint with an
        index (primary key, unique) shares the schema's names; a check or foreign key
        name is the table's own."""
        if not name:
            return True
        key = (table.schema or "", name) if self.d.constraint_names_per_schema and indexed \
            else (table.schema or "", table.name, name)
        if key in self.constraint_names:
            self.finding("SC103", Severity.ERROR, f"constraint name {name} is used twice "
                         f"(first on line {self.constraint_names[key]})", f"{table.name}.{name}",
                         line, "give the constraint a unique name",
                         self.place_of(node) if node is not None else None)
            return False
        self.constraint_names[key] = line
        return True

    def table_constraint(self, table: Table, node, name: str | None, line: int,
                         name_node=None) -> None:
        from sqlglot import exp

        indexed = not isinstance(node, (exp.ForeignKey, exp.CheckColumnConstraint))
        if not self.check_name(table, name, line, name_node, indexed):
            return
        if isinstance(node, exp.PrimaryKey):
            self.set_pk(table, PrimaryKey(_names(node.expressions), name, line),
                        name_node if name_node is not None else node)
        elif isinstance(node, exp.ForeignKey):
            ref = node.args.get("reference")
            cols = _names(node.expressions)
            if ref is None or not cols:
                what = "no REFERENCES clause" if ref is None else "no columns"
                self.finding("SC001", Severity.ERROR, f"syntax error: FOREIGN KEY with {what} "
                             f"in table {table.name}", table.name, line,
                             "write FOREIGN KEY (col, ...) REFERENCES other (col, ...)",
                             self.place_of(node))
                return
            table.foreign_keys.append(self.reference(cols, ref, name, line))
        elif isinstance(node, exp.UniqueColumnConstraint):
            schema = node.this
            cols = _names(schema.expressions) if schema is not None else ()
            if name is None and schema is not None and schema.this is not None:
                name = _nm(schema.this)
            if not cols:
                self.finding("SC001", Severity.ERROR, f"syntax error: UNIQUE without columns "
                             f"in table {table.name}", table.name, line,
                             "write UNIQUE (col, ...)", self.place_of(node))
                return
            lengths = tuple(_index_part(p, self.dialect)[2] for p in schema.expressions) \
                if self.d.index_prefix_lengths else ()
            table.uniques.append(Unique(cols, name, line, *_timing(node),
                                        nulls_not_distinct=bool(node.args.get("nulls")),
                                        lengths=lengths if any(lengths) else ()))
        elif isinstance(node, exp.CheckColumnConstraint):
            table.checks.append(Check(_sql(node.this, self.dialect), name, line))
        elif isinstance(node, exp.IndexColumnConstraint):  # MySQL inline KEY / INDEX
            iname = _nm(node.this) if node.this is not None else None
            parts = [_index_part(p, self.dialect) for p in node.expressions]
            cols = tuple(p[0] for p in parts)
            key = self.catalog.key(table.name, table.schema)
            if iname is None:
                from archkit.schema.index_names import index_name

                iname = index_name(self.dialect, table.name, cols, taken=self.names_taken(key))
            index = Index(iname, key, cols, line=line, exprs=tuple(p[1] for p in parts))
            if any(p[2] is not None for p in parts):
                index.lengths = tuple(p[2] for p in parts)
            if any(p[3] for p in parts):
                index.suffixes = tuple(p[3] for p in parts)
            if node.this is not None and any(index.exprs):
                index.parts_sql = self.parts_as_written(index.exprs,
                                                        (node.this.meta or {}).get("end"))
            kind = node.args.get("kind")
            index.kind = str(kind).lower() if kind else None
            for opt in node.args.get("options") or []:
                if opt.args.get("using"):
                    using = str(opt.args["using"]).lower()
                    index.using = None if using == "btree" else using
                if opt.args.get("comment") is not None:
                    index.comment = opt.args["comment"].name
            self.add_index(index, node.this)
        elif isinstance(node, exp.ColumnDef):
            self.column_def(table, node)

    def reference(self, cols, ref, name, line) -> ForeignKey:
        from sqlglot import exp

        target = ref.this
        if isinstance(target, exp.Schema):
            tname, tschema = _table_name(target.this)
            ref_cols = _names(target.expressions)
        else:
            tname, tschema = _table_name(target)
            ref_cols = ()
        fk = ForeignKey(tuple(cols), object_key(tname, tschema, self.dialect), ref_cols,
                        name=name, line=line)
        fk.deferrable, fk.initially_deferred = _timing(ref)
        for opt in ref.args.get("options") or []:
            m = re.match(r"ON\s+(DELETE|UPDATE)\s+(.+)", str(opt), re.I)
            if m:
                action = _fk_action(m.group(2), self.dialect)
                if m.group(1).upper() == "DELETE":
                    fk.on_delete = action
                else:
                    fk.on_update = action
        return fk

    # salvage: keep every good column of a CREATE TABLE the parser cannot take whole --------
    def salvage_table(self, st: Statement) -> bool:
        from sqlglot import exp
        from sqlglot.errors import ParseError, TokenError

        m = re.match(r"\s*CREATE\s+(?:(?:GLOBAL|LOCAL|TEMP|TEMPORARY|UNLOGGED)\s+)*TABLE\s+"
                     r"(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>[^\s(]+)\s*\(", st.text, re.I)
        if not m:
            return False
        body_start = m.end()
        parts = _split_top_level(st.text, body_start)
        if parts is None:
            return False
        name, schema = _split_name(m.group("name"))
        head = st.position(m.start("name"))
        table = Table(name, self.own_schema(schema), line=head[0])
        d = _dialect(self.dialect)
        understood = True
        for start, text in parts:
            place = st.position(start + len(text) - len(text.lstrip()))
            line = place[0]
            if not text.strip():  # points at the comma or parenthesis that ends it
                understood = False
                self.finding("SC001", Severity.ERROR, "syntax error: empty element (a doubled "
                             "or trailing comma)", name, line, "remove the extra comma", place)
                continue
            prefix = "CREATE TABLE _salvage ("
            sql, tree, extras = f"{prefix}{text})", None, {}
            for attempt in range(2):
                if attempt:  # again without the clauses sqlglot cannot read, kept aside
                    readable, extras = _readable_column(text)
                    if not extras:
                        break
                    sql = f"{prefix}{readable})"
                try:
                    tree = d.parser().parse(d.tokenize(sql), sql)[0]
                except (ParseError, TokenError):
                    tree = None
                if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Schema):
                    break
            if not isinstance(tree, exp.Create) or not isinstance(tree.this, exp.Schema):
                understood = False
                self.unparsed.append((line, _first_line(text)))
                self.finding("SC002", Severity.WARNING,
                             f"part of table {name} not understood: {_first_line(text, 80)}",
                             f"{name}", line, "check this column or constraint definition",
                             place)
                # keep the column (name and type) so the table stays whole
                col = _COLUMN_HEAD.match(text)
                if col and col.group(1).upper() not in ("CONSTRAINT", "PRIMARY", "FOREIGN",
                                                        "UNIQUE", "CHECK", "KEY", "INDEX"):
                    raw = col.group(2)
                    if self.d.keeps_declared_types:
                        raw = raw_type(text, col.end(1)) or raw
                    ctype, serial = declared_type(raw, self.dialect)
                    generated = "GENERATED" in text.upper()
                    table.columns.append(Column(_split_name(col.group(1))[0], ctype,
                                                nullable="NOT NULL" not in text.upper(),
                                                identity=serial, line=line,
                                                generated=text if generated else None))
                continue
            saved = self.current
            # positions in ``sql`` map back to the file: the part starts at ``start``
            part_line, part_col = st.position(start)
            self.current = Statement(sql, part_line, part_col - len(prefix))
            count = len(table.columns)
            for node in tree.this.expressions:
                self.table_element(table, node)
            self.current = saved
            for col in table.columns[count:]:  # what the retry took out, put back
                for attr, value in extras.items():
                    setattr(col, attr, value)
        last_start, last = parts[-1]
        tail = st.text[last_start + len(last) + 1:].strip().rstrip(";").strip()
        if tail:  # what follows the body (WITHOUT ROWID, PARTITION BY ...): kept as written
            table.options[SALVAGED_OPTIONS] = tail
        self.add_table(table, head)
        if not understood:  # the statement is not carried over whole
            self.parsed.append(ParsedStatement(st, None, "error"))
        self.parsed.append(ParsedStatement(st, None, "table"))
        return True

    # other statements ---------------------------------------------------------------------
    def create_view(self, tree) -> str:
        from sqlglot import exp

        target = tree.this
        cols: tuple[str, ...] = ()
        if isinstance(target, exp.Schema):
            cols = _names(target.expressions)
            target = target.this
        name, schema = _table_name(target)
        query = tree.expression
        if not cols and query is not None and hasattr(query, "named_selects"):
            cols = tuple(c.lower() for c in query.named_selects)
        props = tree.args.get("properties")
        materialized = bool(props and props.find(exp.MaterializedProperty))
        key = object_key(name, schema, self.dialect)
        line = self.line_of(target)
        if key in self.catalog.views or key in self.catalog.tables:
            self.finding("SC101", Severity.ERROR, f"{key} is created twice", key, line,
                         "drop or rename the second definition", self.place_of(target))
            return "view"
        sql = _view_body(self.current.text) if self.current is not None else ""
        self.catalog.views[key] = View(key, sql, self.own_schema(schema), cols, materialized,
                                         line=line)
        # the statement: node offsets in the query are offsets in its text
        self.view_trees[key] = (query, self.current or Statement(sql, line))
        return "view"

    def create_index(self, tree, extra: dict | None = None) -> str:
        """CREATE INDEX; ``extra`` sets what the statement had that sqlglot does not read."""

        idx = tree.this
        line = self.line_of(idx)
        table_node = idx.args.get("table")
        tname, tschema = _table_name(table_node) if table_node is not None else ("?", None)
        params = idx.args.get("params")
        cols: list[str] = []
        exprs: list[bool] = []
        lengths: list[int | None] = []
        suffixes: list[str] = []
        where = using = where_sql = None
        if params is not None:
            for part in params.args.get("columns") or []:
                text, is_expr, length, suffix = _index_part(part, self.dialect)
                cols.append(text)
                exprs.append(is_expr)
                lengths.append(length)
                suffixes.append(suffix)
            w = params.args.get("where")
            where = _sql(w.this, self.dialect) if w is not None else None
            where_sql = self.where_text() if w is not None else None
            u = params.args.get("using")
            using = u.name.lower() if u is not None else None
        name = _nm(idx.this) if idx.this is not None else None
        table_key = object_key(tname, tschema, self.dialect)
        include = tuple(_nm(c) for c in params.args.get("include") or ()) \
            if params is not None else ()
        if name is None:  # the engine's own name for it
            from archkit.schema.index_names import index_name

            name = index_name(self.dialect, tname, cols, include=include,
                              taken=self.names_taken(table_key))
        table = self.catalog.tables.get(table_key)
        if self.d.unique_index_is_constraint and tree.args.get("unique") and table is not None:
            # MySQL keeps no difference between a unique index and a unique constraint
            if self.check_name(table, name, line, idx.this):
                table.uniques.append(Unique(tuple(cols), name, line,
                                            lengths=tuple(lengths) if any(lengths) else ()))
            return "index"
        index = Index(name, table_key, tuple(cols), bool(tree.args.get("unique")), where,
                      using if using not in (None, "btree") else None, line, tuple(exprs),
                      tuple(lengths) if any(x is not None for x in lengths) else (),
                      tuple(suffixes) if any(suffixes) else ())
        index.where_sql = where_sql
        if include:  # as sqlglot read it
            index.include = include
        if any(exprs):
            index.parts_sql = self.parts_as_written(tuple(exprs), 0)
        for attr, value in (extra or {}).items():
            setattr(index, attr, value)
        self.add_index(index, idx.this)
        return "index"

    def parts_as_written(self, exprs: tuple[bool, ...], after: int | None
                         ) -> tuple[str | None, ...]:
        """The expression parts of an index as written in this statement: the first
        parenthesised list from offset ``after`` on, split at its commas; () when its parts
        do not line up with ``exprs``."""
        from sqlglot.tokens import TokenType

        text = self.current.text if self.current is not None and after is not None else ""
        depth, start, parts = 0, None, []
        for tok in self.tokenizer.tokenize(text) if text else []:
            if tok.start < after:
                continue
            if tok.token_type is TokenType.L_PAREN:
                depth += 1
                if depth == 1:
                    start = tok.end + 1
            elif tok.token_type is TokenType.R_PAREN:
                depth -= 1
                if depth == 0:
                    parts.append(text[start:tok.start].strip())
                    break
            elif tok.token_type is TokenType.COMMA and depth == 1:
                parts.append(text[start:tok.start].strip())
                start = tok.end + 1
        if len(parts) != len(exprs):
            return ()
        return tuple(p if e else None for p, e in zip(parts, exprs, strict=True))

    def where_text(self) -> str | None:
        """The predicate of this CREATE INDEX statement's top-level WHERE, as written."""
        from sqlglot.tokens import TokenType

        text = self.current.text if self.current is not None else ""
        depth, start = 0, None
        for tok in self.tokenizer.tokenize(text):
            if tok.token_type is TokenType.L_PAREN:
                depth += 1
            elif tok.token_type is TokenType.R_PAREN:
                depth -= 1
            elif tok.token_type is TokenType.WHERE and depth == 0:
                start = tok.end + 1
        if start is None:
            return None
        return text[start:].strip().rstrip(";").strip() or None

    def index_clauses(self, st: Statement) -> bool:
        """CREATE INDEX with clauses sqlglot does not read (FULLTEXT / SPATIAL, MySQL
        ``USING HASH`` before ON or after the parts, INCLUDE, NULLS NOT DISTINCT, COMMENT):
        parse the plain statement, keep the clauses on the index."""
        from sqlglot import exp
        from sqlglot.errors import ParseError, TokenError

        split = _split_index(st.text, self.tokenizer)
        if split is None:
            return False
        plain, extra = split
        d = _dialect(self.dialect)
        try:
            tree = d.parser().parse(d.tokenize(plain), plain)[0]
        except (ParseError, TokenError):
            return False
        if not isinstance(tree, exp.Create) or (tree.args.get("kind") or "").upper() != "INDEX":
            return False
        saved, self.current = self.current, Statement(plain, st.line, st.col)
        try:
            kind = self.create_index(tree, extra)
        finally:
            self.current = saved
        self.parsed.append(ParsedStatement(st, None, kind))
        return True

    def names_taken(self, table_key: str) -> set[str]:
        """Names an unnamed index of ``table_key`` cannot take: its table's index and key
        names where they are per table (MySQL), else every relation's name (PostgreSQL)."""
        if not self.d.index_names_per_schema:
            table = self.catalog.tables.get(table_key)
            keys = [u.name for u in table.uniques] if table is not None else []
            return {i.name for i in self.catalog.indexes_of(table_key)} | \
                {k for k in keys if k}
        return {split_key(k)[1] for k in (*self.catalog.tables, *self.catalog.views,
                                          *self.catalog.sequences)} | \
            {i.name for i in self.catalog.indexes.values()}

    def add_index(self, index: Index, name_node=None) -> None:
        key = self.catalog.index_key(index.name, index.table)
        if key in self.catalog.indexes:
            first = self.catalog.indexes[key].line
            self.finding("SC103", Severity.ERROR, f"index {index.name} is created twice "
                         f"(first on line {first})", index.name, index.line,
                         "give the second index another name",
                         self.place_of(name_node) if name_node is not None else None)
            return
        self.catalog.add_index(index)

    def create_type(self, tree) -> str:
        from sqlglot import exp

        name, schema = _table_name(tree.this)
        key = object_key(name, schema, self.dialect)
        dt = tree.args.get("expression")
        values: tuple[str, ...] = ()
        if isinstance(dt, exp.DataType) and dt.this == exp.DataType.Type.ENUM:
            values = tuple(v.name for v in dt.expressions)
        self.catalog.enums[key] = EnumType(key, values, line=self.line_of(tree.this))
        return "type"

    def alter(self, tree) -> str:
        from sqlglot import exp

        kind = (tree.args.get("kind") or "").upper()
        if kind == "INDEX":
            return self.alter_index(tree)
        if kind != "TABLE":
            return "ignored"
        name, schema = _table_name(tree.this)
        table = self.catalog.table(name, schema)
        line = self.line_of(tree.this)
        if table is None:
            self.finding("SC104", Severity.ERROR, f"ALTER TABLE on unknown table {name}", name,
                         line, "create the table before altering it", self.place_of(tree.this))
            return "alter"
        for action in tree.args.get("actions") or []:
            if isinstance(action, exp.AddConstraint):
                for c in action.expressions:
                    if isinstance(c, exp.Constraint):
                        cname = _nm(c.this) if c.this is not None else None
                        for inner in c.expressions:
                            self.table_constraint(table, inner, cname, self.line_of(c.this),
                                                  c.this)
                    else:
                        self.table_constraint(table, c, None, self.line_of(c))
            elif isinstance(action, exp.ColumnDef):
                self.column_def(table, action)
                self.place_column(table, action)
            elif isinstance(action, exp.AlterColumn):
                self.alter_column(table, action)
            elif isinstance(action, exp.Drop):
                self.drop_in_table(table, action)
            elif isinstance(action, exp.RenameColumn):
                col = table.column(action.this.name)
                if col is not None:
                    col.name = _nm(action.args["to"])
            elif isinstance(action, exp.AlterRename):
                self.rename_table(table, _table_name(action.this)[0])
            elif isinstance(action, exp.ModifyColumn):
                self.modify_column(table, action)
            elif isinstance(action, exp.DropPrimaryKey):
                table.primary_key = None
            elif isinstance(action, (exp.Constraint, exp.ForeignKey, exp.PrimaryKey)):
                self.table_constraint(table, action, None, self.line_of(action))
            else:  # never ignore a change silently
                text = _sql(action, self.dialect)
                self.unparsed.append((self.line_of(action), _first_line(text)))
                self.finding("SC002", Severity.WARNING, f"part of ALTER TABLE {name} not "
                             f"applied to the catalog: {_first_line(text, 80)}", name,
                             self.line_of(action), "check the catalog by hand for this change",
                             self.place_of(action))
        return "alter"

    def place_column(self, table: Table, node) -> None:
        """MySQL ``ADD COLUMN ... FIRST | AFTER other``: move the new column there."""
        pos = node.args.get("position")
        if pos is None or not table.columns:
            return
        col = table.columns.pop()
        if (pos.args.get("position") or "").upper() == "FIRST":
            table.columns.insert(0, col)
            return
        after = _nm(pos.this) if pos.this is not None else ""
        names = [c.name for c in table.columns]
        table.columns.insert(names.index(after) + 1 if after in names else len(names), col)

    def rename_table(self, table: Table, new: str) -> None:
        old_key = self.catalog.key(table.name, table.schema)
        self.catalog.tables.pop(old_key, None)
        table.name = new
        self.catalog.add_table(table)
        new_key = self.catalog.key(new, table.schema)
        for ikey, index in list(self.catalog.indexes.items()):
            if index.table == old_key:
                del self.catalog.indexes[ikey]
                index.table = new_key
                self.catalog.add_index(index)
        for other in self.catalog.tables.values():
            for fk in other.foreign_keys:
                if fk.ref_table == old_key:
                    fk.ref_table = new_key

    def modify_column(self, table: Table, action) -> None:
        """MySQL MODIFY / CHANGE: the column is redefined in place (CHANGE may rename it)."""
        node = action.this
        old_name = _nm(action.args.get("rename_from") or node.this)
        for i, col in enumerate(table.columns):
            if col.name == old_name:
                table.columns[i] = self.make_column(node, table, self.line_of(node.this))
                return
        self.finding("SC105", Severity.ERROR, f"MODIFY/CHANGE of unknown column {old_name}",
                     f"{table.name}.{old_name}", self.line_of(node.this),
                     "add the column first, or fix the name", self.place_of(node.this))

    def alter_index(self, tree) -> str:
        from sqlglot import exp

        name = _nm(tree.this) if tree.this is not None else ""
        for action in tree.args.get("actions") or []:
            if isinstance(action, exp.AlterRename) and name in self.catalog.indexes:
                index = self.catalog.indexes.pop(name)
                index.name = _nm(action.this)
                self.catalog.add_index(index)
        return "alter"

    def alter_column(self, table: Table, action) -> None:
        col = table.column(action.this.name)
        if col is None:
            self.finding("SC105", Severity.ERROR, f"ALTER COLUMN on unknown column "
                         f"{action.this.name}", f"{table.name}.{action.this.name}",
                         self.line_of(action.this), "add the column first, or fix the name",
                         self.place_of(action.this))
            return
        if action.args.get("drop"):
            col.default = col.default_sql = col.default_from = None
        if action.args.get("default") is not None:
            self.set_default(col, action.args["default"])
        if action.args.get("dtype") is not None:
            col.type, serial = declared_type(_sql(action.args["dtype"], self.dialect), self.dialect)
        allow_null = action.args.get("allow_null")
        if allow_null is not None:
            col.nullable = bool(allow_null)

    def drop_in_table(self, table: Table, action) -> None:
        kind = (action.args.get("kind") or "").upper()
        targets = action.args.get("tables") or ([action.this] if action.this else [])
        target = _nm(targets[0]) if targets else ""
        key = self.catalog.key(table.name, table.schema)
        if kind in ("COLUMN", ""):
            table.columns = [c for c in table.columns if c.name != target]
            # the engine drops indexes on the column too (PostgreSQL, SQLite)
            for ikey, index in list(self.catalog.indexes.items()):
                if index.table == key and target in index.columns:
                    del self.catalog.indexes[ikey]
        elif kind in ("INDEX", "KEY"):
            self.catalog.indexes.pop(self.catalog.index_key(target, key), None)
            table.uniques = [u for u in table.uniques if u.name != target]
        elif kind == "CONSTRAINT":
            table.foreign_keys = [f for f in table.foreign_keys if f.name != target]
            table.uniques = [u for u in table.uniques if u.name != target]
            table.checks = [c for c in table.checks if c.name != target]
            if table.primary_key and table.primary_key.name == target:
                table.primary_key = None

    def comment(self, tree) -> str:
        from sqlglot import exp

        kind = (tree.args.get("kind") or "").upper()
        text = tree.expression.name if tree.expression is not None else None
        target = tree.this
        if kind in ("TABLE", "VIEW"):
            name, schema = _table_name(target)
            obj = self.catalog.table(name, schema) or self.catalog.views.get(
                object_key(name, schema, self.dialect))
            if obj is not None:
                obj.comment = text
        elif kind == "COLUMN" and isinstance(target, exp.Column):
            parts = [_nm(p) for p in target.parts]
            if len(parts) < 2:
                named = parts[0] if parts else ""
                self.finding("SC105", Severity.ERROR, f"COMMENT ON COLUMN {named} names no "
                             "table", None, self.line_of(target),
                             "write COMMENT ON COLUMN table.column IS '...'",
                             self.place_of(target))
                return "comment"
            tname, cname = parts[-2], parts[-1]
            tschema = parts[-3] if len(parts) > 2 else None
            table = self.catalog.table(tname, tschema)
            col = table.column(cname) if table else None
            if col is not None:
                col.comment = text
        return "comment"

    def drop(self, tree) -> str:
        kind = (tree.args.get("kind") or "").upper()
        store = {"TABLE": self.catalog.tables, "VIEW": self.catalog.views,
                 "INDEX": self.catalog.indexes, "SEQUENCE": self.catalog.sequences,
                 "TYPE": self.catalog.enums}.get(kind)
        for node in tree.args.get("tables") or ([tree.this] if tree.this else []):
            name, schema = _table_name(node)
            key = object_key(name, schema, self.dialect)
            if kind == "INDEX":
                on = tree.args.get("cluster")  # MySQL: DROP INDEX i ON t
                table_key = object_key(*_table_name(on.this), self.dialect) if on else None
                key = self.catalog.index_key(name, table_key) if table_key else name
            if store is not None:
                store.pop(key, None)
            if kind == "TABLE":
                for ikey in [k for k, i in self.catalog.indexes.items() if i.table == key]:
                    del self.catalog.indexes[ikey]
        return "drop"

    def finish(self) -> None:
        """Fill FK targets given without columns; add the sequences SERIAL columns imply."""
        for table in list(self.catalog.tables.values()):
            if self.d.serial_types:
                for col in table.columns:
                    if col.identity and col.line is not None and id(col) in self.serial_columns:
                        seq = self.catalog.serial_sequence(table, col.name)
                        self.catalog.sequences.setdefault(seq, Sequence(seq, line=col.line))
            for fk in table.foreign_keys:
                if not fk.ref_columns:
                    target = self.catalog.tables.get(fk.ref_table)
                    if target is not None and target.primary_key is not None:
                        fk.ref_columns = target.primary_key.columns


# -- helpers ---------------------------------------------------------------------------
def _split_index(text: str, tokenizer) -> tuple[str, dict] | None:
    """A CREATE INDEX statement as sqlglot reads it, and the clauses it cannot read.

    ``CREATE FULLTEXT INDEX f USING BTREE ON t (a) INCLUDE (b) NULLS NOT DISTINCT
    COMMENT 'x' WHERE p`` → ``("CREATE INDEX f ON t (a) WHERE p", {"kind": "fulltext",
    "using": None, "include": ("b",), "nulls_not_distinct": True, "comment": "x"})``.
    None when the statement has some other shape. One pass over its tokens."""
    from sqlglot.errors import TokenError

    try:
        tokens = tokenizer.tokenize(text)
    except TokenError:
        return None
    words = [t.text.upper() for t in tokens]
    n, i = len(tokens), 0
    extra: dict = {}
    head: list[str] = []

    def span(a: int, b: int) -> str:  # source text of tokens a..b-1
        return text[tokens[a].start:tokens[b - 1].end + 1] if b > a else ""

    def group(at: int) -> int:  # index just past the parenthesised group opening at ``at``
        depth = 0
        for k in range(at, n):
            depth += words[k] == "("
            depth -= words[k] == ")"
            if depth == 0:
                return k + 1
        return -1

    if n < 6 or words[0] != "CREATE":
        return None
    i = 1
    if words[i] in ("UNIQUE", "FULLTEXT", "SPATIAL"):
        if words[i] != "UNIQUE":
            extra["kind"] = words[i].lower()
        else:
            head.append("UNIQUE")
        i += 1
    if words[i] != "INDEX":
        return None
    i += 1
    start_name = i
    while i < n and words[i] not in ("ON", "USING"):
        i += 1
    name = span(start_name, i)
    if i < n and words[i] == "USING" and i + 1 < n:
        extra["using"] = words[i + 1].lower()
        i += 2
    if i >= n or words[i] != "ON":
        return None
    i += 1 + (i + 1 < n and words[i + 1] == "ONLY")  # ON ONLY parent: pg_dump's partitioned
    start_table = i  # index, whose partitions' copies it attaches after: the same index
    while i < n and words[i] not in ("(", "USING"):
        i += 1
    table = span(start_table, i)
    using = ""
    if i < n and words[i] == "USING" and i + 1 < n:
        using = f" USING {tokens[i + 1].text}"
        i += 2
    if i >= n or words[i] != "(":
        return None
    end = group(i)
    if end < 0:
        return None
    parts, i = span(i, end), end
    where = ""
    while i < n:
        w = words[i]
        if w == "INCLUDE" and i + 1 < n and words[i + 1] == "(":
            end = group(i + 1)
            if end < 0:
                return None
            names = span(i + 2, end - 1)
            extra["include"] = tuple(_split_name(x.strip())[0] for x in names.split(","))
            i = end
        elif w == "NULLS" and words[i + 1:i + 3] == ["NOT", "DISTINCT"]:
            extra["nulls_not_distinct"] = True
            i += 3
        elif w == "NULLS" and words[i + 1:i + 2] == ["DISTINCT"]:
            i += 2
        elif w == "USING" and i + 1 < n:
            extra["using"] = words[i + 1].lower()
            i += 2
        elif w == "COMMENT" and i + 1 < n:
            extra["comment"] = tokens[i + 1].text
            i += 2
        elif w in ("ALGORITHM", "LOCK"):  # MySQL online-DDL options: no catalog effect
            i += 3 if i + 1 < n and words[i + 1] == "=" else 2
        elif w == "WHERE":
            where = " WHERE " + span(i + 1, n - (words[-1] == ";"))
            break
        elif w == ";":
            i += 1
        else:
            return None
    if extra.get("using") == "btree":
        extra["using"] = None
    plain = f"CREATE {' '.join(head)} INDEX {name} ON {table}{using} {parts}{where}"
    return plain.replace("CREATE  INDEX", "CREATE INDEX"), extra


def _index_part(part, dialect: str) -> tuple[str, bool, int | None, str]:
    """``(column name or expression SQL, is an expression, prefix length, suffix)`` of one
    index part: ``a COLLATE "C" DESC`` → ``("a", False, None, 'COLLATE "C" DESC')``."""
    from sqlglot import exp

    node, tail = part, ""
    if isinstance(node, exp.Ordered):
        inner = node.this
        tail = _sql(node, dialect)[len(_sql(inner, dialect)):].strip()
        node = inner
    opclass = collate = ""
    if isinstance(node, exp.Opclass):
        opclass, node = _sql(node.expression, dialect), node.this
    if isinstance(node, exp.Collate):
        collate, node = f"COLLATE {_sql(node.expression, dialect)}", node.this
    length = None
    if isinstance(node, exp.ColumnPrefix) and node.expression is not None:
        length, node = int(node.expression.name), node.this
    elif (get_dialect(dialect).index_prefix_lengths and isinstance(node, exp.Anonymous)
          and len(node.expressions) == 1
          and isinstance(node.expressions[0], exp.Literal) and node.expressions[0].is_int):
        length, node = int(node.expressions[0].name), exp.to_identifier(node.name)
    suffix = " ".join(x for x in (collate, opclass, tail) if x)
    while isinstance(node, exp.Paren):  # ``(lower(a))`` and ``lower(a)`` are one expression
        node = node.this
    if isinstance(node, exp.Identifier) or (isinstance(node, exp.Column) and not node.table):
        return _nm(node), False, length, suffix
    return _sql(node, dialect), True, length, suffix


_MAX_DEPTH = 200  # parentheses; sqlglot needs ~20 Python frames per level


def _paren_depth(text: str) -> int:
    """The deepest nesting of parentheses in ``text`` (strings not skipped: an upper bound)."""
    if text.count("(") <= _MAX_DEPTH:
        return text.count("(")
    depth = deepest = 0
    for ch in text:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth = max(depth - 1, 0)
    return deepest


def _error_place(st: Statement, info: dict) -> tuple[int, int | None]:
    """File line and column of the token a sqlglot error points at.

    sqlglot gives the line and the column where that token *ends*, relative to the
    statement, and the token's text (``highlight``): its start is found from those."""
    line, end_col = info.get("line"), info.get("col")
    if not line or not end_col:
        return st.line + (line or 1) - 1, None
    text = st.text
    offset = 0
    for _ in range(line - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return st.line + line - 1, None
    end = offset + end_col - 1
    size = len(info.get("highlight") or "") or 1
    return st.position(max(end + 1 - size, 0))


_TYPE_STOP = frozenset({
    "not", "null", "primary", "unique", "default", "check", "references", "constraint",
    "collate", "generated", "as", "autoincrement", "auto_increment", "character", "charset",
    "comment", "on", "identity", "key", "after", "first", "invisible", "visible"})
_TYPE_AFTER_PARAMS = frozenset({"unsigned", "zerofill", "with", "without", "time", "zone"})
# one token at a time, each pattern linear (no nested repetition): no backtracking blow-up
_TYPE_TOKEN = LazyPattern(r"\s*(?:([A-Za-z_][\w.\"]*)|(\([^)']*\))|(\[\d*\])|([,)])|(\S)|$)")


def raw_type(text: str, pos: int) -> str | None:
    """The column type as written from ``pos`` (just after the column name) up to its first
    constraint keyword, ``,`` or ``)``; None when what follows is not a plain type.
    Linear in the length of the text."""
    if pos < len(text) and text[pos] in "\"`]":
        pos += 1
    start, end, params_seen = pos, pos, False
    while True:
        m = _TYPE_TOKEN.match(text, pos)
        if m is None:
            return None
        word, params, array, stop, other = m.groups()
        if word is not None:
            low = word.lower()
            if low in _TYPE_STOP:
                break
            if params_seen and low not in _TYPE_AFTER_PARAMS:
                return None
        elif params is not None:
            if params_seen:
                return None
            params_seen = True
        elif array is None:  # a stop character, the end, or something no type has
            if other is not None:
                return None
            break
        end = pos = m.end()
        if pos >= len(text):
            break
    return text[start:end].strip().strip('"`') or None


_AS_IDENTITY = LazyPattern(r"\bAS\s+IDENTITY\s*", re.I)
_VIRTUAL = LazyPattern(r"(?<=\))\s*VIRTUAL\b", re.I)


def _identity_options(text: str, pos: int = 0) -> tuple[str | None, tuple[int, int]]:
    """``(options, (start, end))`` of the first ``AS IDENTITY (options)`` from ``pos``:
    the options with their spaces normalised, and the span of ``(...)`` in ``text``."""
    m = _AS_IDENTITY.search(text, pos)
    if m is None or not text.startswith("(", m.end()):
        return None, (0, 0)
    depth = 0
    for i in range(m.end(), len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return " ".join(text[m.end() + 1:i].split()) or None, (m.end(), i + 1)
    return None, (0, 0)


# MySQL's spatial types other than GEOMETRY, which sqlglot's MySQL parser does not know
_SPATIAL = LazyPattern(r"\s*(?:\"[^\"]+\"|`[^`]+`|[\w$]+)\s+(point|linestring|polygon|multipoint|"
                      r"multilinestring|multipolygon|geometrycollection|geomcollection)\b", re.I)


def _readable_column(text: str) -> tuple[str, dict]:
    """A column definition without what sqlglot cannot read (identity sequence options,
    PostgreSQL 18 ``VIRTUAL``, a spatial type read as GEOMETRY), and the column attributes
    those clauses give."""
    extras: dict = {}
    spatial = _SPATIAL.match(text)
    if spatial is not None:
        extras["type"] = spatial.group(1).lower()
        text = text[:spatial.start(1)] + "GEOMETRY" + text[spatial.end(1):]
    options, (start, end) = _identity_options(text)
    if options is not None:
        text, extras["identity_options"] = text[:start] + text[end:], options
    virtual = _VIRTUAL.search(text)
    if virtual is not None:
        text = text[:virtual.start()] + " STORED" + text[virtual.end():]
        extras["generated_kind"] = "virtual"
    return text, extras


_COLUMN_HEAD = LazyPattern(r"\s*(\"[^\"]+\"|`[^`]+`|[\w$]+)\s+([\w.\"]+(?:\([^)]*\))?(?:\[\])?)")


_VIEW_WORD = LazyPattern(r"\bVIEW\b", re.I)
_AS_WORD = LazyPattern(r"\bAS\b\s*", re.I)


def _view_body(text: str) -> str:
    """The query of a CREATE VIEW statement, as written."""
    view = _VIEW_WORD.search(text)
    m = _AS_WORD.search(text, view.end()) if view else None
    return text[m.end():].strip() if m else text


def _nm(node) -> str:
    """The stored name of an identifier (or of a node named by one): as written when
    quoted, folded to lower case when not — what the engine stores."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node.lower()
    # by class name: this runs for every name, and an import per call costs more than it
    ident = node if type(node).__name__ == "Identifier" else node.args.get("this")
    if type(ident).__name__ == "Identifier":
        return ident.this if ident.quoted else ident.this.lower()
    return node.name.lower()


def _quoted(node) -> bool:
    ident = node if node.__class__.__name__ == "Identifier" else node.this
    return bool(getattr(ident, "args", {}).get("quoted"))


def _cc_name(cc) -> str | None:
    """The name of a column constraint (``CONSTRAINT name CHECK ...``), if it has one."""
    this = cc.args.get("this") if hasattr(cc, "args") else None
    return _nm(this) if this is not None and this.name else None


def _timing(constraint) -> tuple[bool, bool]:
    """``(deferrable, initially deferred)`` of a constraint's options (``INITIALLY
    DEFERRED`` alone makes it deferrable, as in PostgreSQL)."""
    words = {" ".join(str(o).upper().split()) for o in constraint.args.get("options") or []}
    deferred = "INITIALLY DEFERRED" in words
    return "DEFERRABLE" in words or deferred, deferred


def _looks_like_create_table(text: str) -> bool:
    return bool(re.match(r"\s*CREATE\s+(?:\w+\s+)*?TABLE\b", text, re.I))


def _names(nodes) -> tuple[str, ...]:
    out = []
    for n in nodes:
        node = n.this if n.__class__.__name__ == "Ordered" else n
        out.append(_nm(node) if node.name else node.sql().lower())
    return tuple(out)


def _table_name(node) -> tuple[str, str | None]:
    name = _nm(node) if node is not None else "?"
    db = node.args.get("db") if node is not None and hasattr(node, "args") else None
    schema = _nm(db) if db is not None and db.name else None
    return name, schema


def _unquote(name: str) -> str:
    return name[1:-1] if name[:1] in "\"`" and name[-1:] in "\"`" else name


def _split_name(text: str) -> tuple[str, str | None]:
    parts = [_unquote(p) if p[:1] in "\"`" else p.lower()
             for p in re.findall(r'"[^"]+"|`[^`]+`|[^.]+', text)]
    return (parts[-1], parts[-2] if len(parts) > 1 else None)


def _fk_action(text: str, dialect: str) -> str:
    action = " ".join(text.lower().split())
    if get_dialect(dialect).restrict_is_no_action and action == "restrict":
        return "no action"  # identical in MySQL / MariaDB (both check immediately)
    return action


def normalise_default_node(node, dialect: str) -> str | None:
    """A default expression in a form engines and the parser agree on."""
    from sqlglot import exp

    while isinstance(node, (exp.Cast, exp.Paren)):
        node = node.this
    if isinstance(node, exp.Literal):
        return node.name
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal):
        return "-" + node.this.name
    if isinstance(node, exp.Boolean):
        return "true" if node.this else "false"
    if isinstance(node, (exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentTime)) or (
        isinstance(node, exp.Anonymous) and node.name.lower() == "now"
    ):
        return "current_timestamp" if not isinstance(node, exp.CurrentDate) else "current_date"
    if isinstance(node, exp.Null):
        return None
    return _sql(_unqualified_builtins(node, dialect), dialect).lower()


def _unqualified_builtins(node, dialect: str):
    """``node`` with calls of built-in functions unqualified: PostgreSQL shows
    ``pg_catalog.gen_random_uuid()`` where another schema has a function of that name."""
    from sqlglot import exp

    schema = get_dialect(dialect).builtin_schema
    if schema is None or not any(isinstance(n, exp.Dot) for n in node.walk()):
        return node

    def strip(n):
        if isinstance(n, exp.Dot) and isinstance(n.this, exp.Identifier) and \
                n.this.name.lower() == schema and isinstance(n.expression, exp.Func):
            return n.expression
        return n

    return node.transform(strip)


def generate(node, dialect: str) -> str | None:
    """SQL for a sqlglot tree in ``dialect``; None when sqlglot cannot write it there."""
    from sqlglot.errors import ErrorLevel, SqlglotError

    try:
        return _sql(node, dialect, unsupported_level=ErrorLevel.RAISE)
    except (SqlglotError, ValueError, TypeError, RecursionError):
        return None


def default_expression(node, dialect: str) -> str | None:
    """SQL for a default's tree in ``dialect`` (None when sqlglot cannot write it there);
    a typed literal stays one: MySQL's ``TIMESTAMP '2024-01-01 12:00:00'`` is not written as
    the function call ``TIMESTAMP('...')``, which the engine keeps as another default."""
    from sqlglot import exp

    if isinstance(node, exp.Cast) and isinstance(node.this, exp.Literal) and \
            node.this.is_string and isinstance(node.to, exp.DataType):
        typed = generate(node.to, dialect)
        if typed is not None and typed.upper() in get_dialect(dialect).typed_literals:
            return f"{typed} {_sql(node.this, dialect)}"
    return generate(node, dialect)


def _default_source(node, dialect: str) -> str:
    from sqlglot import exp

    if isinstance(node, exp.Literal):  # the common case, without a generator run
        return "'" + node.name.replace("'", "''") + "'" if node.is_string else node.name
    return default_expression(node, dialect) or _sql(node, dialect)


def normalise_default(text: str | None, dialect: str) -> str | None:
    """Parse an engine-reported default (``'G'::mpaa_rating``, ``now()``) and normalise it."""
    import sqlglot
    from sqlglot.errors import ParseError, TokenError

    if text is None:
        return None
    try:
        with quiet_sqlglot():
            node = sqlglot.parse_one(text, read=dialect)
    except (ParseError, TokenError):
        return text.strip().lower()
    return normalise_default_node(node, dialect)


def _split_top_level(text: str, start: int) -> list[tuple[int, str]] | None:
    """The comma-separated parts of the parenthesised list opening before ``start``."""
    parts, depth, i, part_start = [], 0, start, start
    quote = None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch == "-" and text.startswith("--", i):
            i = text.find("\n", i)
            if i < 0:
                break
        elif ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                parts.append((part_start, text[part_start:i]))
                return parts
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append((part_start, text[part_start:i]))
            part_start = i + 1
        i += 1
    return None
