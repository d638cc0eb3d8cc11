"""Throwaway database sandboxes: apply SQL on a real engine, read its catalog back, explain.

Usage::

    from archkit.schema.engines import sandbox
    with sandbox("sqlite") as box:                       # or a DSN: postgresql://... mysql://...
        result = box.execute_script(ddl)                 # ScriptResult: .ok, .errors, .findings
        catalog = box.introspect()                       # archkit.schema.catalog.Catalog
        print(box.explain("SELECT * FROM orders WHERE user_id = 1"))

API summary (for the migration engine):

* ``sandbox(engine)`` — a context manager. ``engine`` is ``"sqlite"`` (in-process, in
  memory), a ``postgresql://`` DSN (a database ``archkit_sbx_<hex>`` is created and dropped
  afterwards) or a ``mysql://`` / ``mariadb://`` DSN (likewise). ``engine_dsn(dialect)``
  reads ``ARCHKIT_PG_DSN`` / ``ARCHKIT_MYSQL_DSN``.
* ``Sandbox.dialect`` — ``sqlite|postgres|mysql``.
* ``Sandbox.execute_script(sql, stop_on_error=True, file=None) -> ScriptResult`` — runs
  statement by statement (split by ``archkit.schema.split``) and maps an engine error back
  to the statement and its line: ``ScriptResult.errors`` is a list of ``EngineError``
  (``line``, ``statement``, ``message``); ``.raise_for_errors()`` raises ArchkitError.
* ``Sandbox.execute(sql)`` — one statement, raising ``EngineError`` (an ArchkitError).
* ``Sandbox.introspect() -> Catalog`` — read back from pragma / pg_catalog /
  information_schema, normalised so ``parsed.compare(introspected)`` is meaningful.
* ``Sandbox.explain(query) -> str`` — the engine's plan as text.
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity
from archkit.schema.split import Statement, split_statements

__all__ = [
    "EngineError",
    "Sandbox",
    "ScriptResult",
    "engine_dsn",
    "sandbox",
    "engine_dialect",
]

_DSN_ENV = {"postgres": "ARCHKIT_PG_DSN", "mysql": "ARCHKIT_MYSQL_DSN"}


def engine_dsn(dialect: str) -> str | None:
    """The DSN configured for a dialect (``sqlite`` needs none and returns ``"sqlite"``)."""
    if dialect not in _DSN_ENV:  # an in-process engine: no server, no DSN
        return _IN_PROCESS.get(dialect)
    return os.environ.get(_DSN_ENV[dialect], "") or None


_IN_PROCESS = {"sqlite": "sqlite", "sqlite3": "sqlite", ":memory:": "sqlite"}
# DSN scheme prefix → dialect
_SCHEMES = (("postgres", "postgres"), ("mysql", "mysql"), ("mariadb", "mysql"))


def engine_dialect(engine: str) -> str:
    """``sqlite``, ``postgres`` or ``mysql`` for an engine name or DSN."""
    low = engine.strip().lower()
    if low in _IN_PROCESS:
        return _IN_PROCESS[low]
    scheme = low.split("://", 1)[0] if "://" in low else ""
    for prefix, dialect in _SCHEMES:
        if scheme and scheme.startswith(prefix):
            return dialect
    raise ArchkitError(
        f"unknown engine {_redact(engine)!r}",
        hint="use 'sqlite', a postgresql://user@host/db DSN or a mysql://user@host/db DSN",
    )


def _redact(dsn: str) -> str:
    return re.sub(r"://([^:@/]+):[^@/]*@", r"://\1:***@", dsn)


class EngineError(ArchkitError):
    """The engine rejected a statement; ``line`` is where that statement starts in the script."""

    def __init__(self, message: str, *, statement: str = "", line: int | None = None,
                 file: str | None = None, engine: str = ""):
        super().__init__(f"{engine} rejected the statement: {message}",
                         where=Where(file, line), hint="fix the statement at this line")
        self.engine_message = message
        self.statement = statement
        self.line = line


@dataclass(slots=True)
class ScriptResult:
    """What happened when a script ran: statements run and the errors met."""

    engine: str
    executed: int = 0
    errors: list[EngineError] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def findings(self) -> Findings:
        """SC301 for each statement the engine rejected; SC303 for each one skipped."""
        out = [
            Finding("SC301", Severity.ERROR, f"{self.engine}: {e.engine_message}",
                    _first_words(e.statement), e.line, "fix the statement so the engine accepts it",
                    e.where.file if e.where else None)
            for e in self.errors
        ]
        out += [
            Finding("SC303", Severity.INFO, f"not run on {self.engine}: it would act outside "
                    f"the sandbox database: {text}", text, line,
                    "keep database / schema switching out of the schema file")
            for line, text in self.skipped
        ]
        return Findings(out)

    def raise_for_errors(self) -> None:
        if self.errors:
            raise self.errors[0]


def _first_words(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class Sandbox:
    """A throwaway database on one engine. Use through ``sandbox(...)``."""

    dialect = "sqlite"
    name = "SQLite"

    def execute(self, sql: str) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:  # pragma: no cover
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover
        pass

    def execute_script(self, sql: str, *, stop_on_error: bool = True,
                       file: str | None = None) -> ScriptResult:
        """Run a script statement by statement; errors carry the statement's line."""
        result = ScriptResult(self.name)
        for st in split_statements(sql, self.dialect):
            if st.for_psql_only:
                continue  # psql's own (\restrict KEY), or rows to load: no schema to apply
            if self._leaves_sandbox(st.text):
                result.skipped.append((st.line, _first_words(st.text)))
                continue
            try:
                self._run(st)
            except _DriverError as err:
                result.errors.append(EngineError(
                    err.message, statement=st.text, line=st.line + err.line_offset, file=file,
                    engine=self.name))
                if stop_on_error:
                    break
                continue
            result.executed += 1
        return result

    def _run(self, st: Statement) -> None:
        try:
            self.execute(st.text)
        except Exception as err:  # every driver has its own error family
            if not self._is_driver_error(err):
                raise
            raise _DriverError(*self._describe(err, st.text)) from err

    def _is_driver_error(self, err: Exception) -> bool:
        return isinstance(err, sqlite3.Error)

    def _leaves_sandbox(self, text: str) -> bool:
        """Statements that would act outside the throwaway database are skipped."""
        return bool(_LEAVES.get(self.dialect, _NEVER).match(text))

    def _describe(self, err: Exception, text: str) -> tuple[str, int]:
        return str(err), 0

    def introspect(self):
        from archkit.schema import introspect

        return introspect.introspect(self)

    def explain(self, query: str) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


_NEVER = re.compile(r"(?!)")
_LEAVES = {
    "mysql": re.compile(
        r"\s*(?:USE\b|(?:CREATE|DROP|ALTER)\s+(?:DATABASE|SCHEMA)\b|"
        # a table, view or index named in another database: `other`.`t`
        r"(?:CREATE|DROP|ALTER|TRUNCATE|RENAME)\s+(?:OR\s+REPLACE\s+)?(?:TEMPORARY\s+)?"
        r"(?:TABLE|VIEW)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?:`[^`]+`|\w+)\s*\.)",
        re.I,
    ),
    "postgres": re.compile(r"\s*(?:(?:CREATE|DROP|ALTER)\s+(?:DATABASE|ROLE|USER|TABLESPACE)\b|"
                           r"ALTER\s+SYSTEM\b)", re.I),
    "sqlite": re.compile(r"\s*(?:ATTACH|DETACH)\b", re.I),
}


class _DriverError(Exception):
    def __init__(self, message: str, line_offset: int = 0):
        super().__init__(message)
        self.message = message
        self.line_offset = line_offset


class SQLiteSandbox(Sandbox):
    """SQLite in memory, in-process, with foreign keys enforced."""

    dialect = "sqlite"
    name = "SQLite"

    def __init__(self):
        self.conn = sqlite3.connect(":memory:", isolation_level=None)
        self.conn.execute("PRAGMA foreign_keys = ON")

    def execute(self, sql: str) -> None:
        if not sqlite3.complete_statement(sql + ";"):
            raise sqlite3.OperationalError("incomplete statement")
        self.conn.execute(sql)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        return self.conn.execute(sql, params).fetchall()

    def explain(self, query: str) -> str:
        rows = self.query(f"EXPLAIN QUERY PLAN {query}")
        return "\n".join(f"{'  ' * _depth(rows, r)}{r[-1]}" for r in rows)

    def close(self) -> None:
        self.conn.close()


def _depth(rows, row) -> int:
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent in parents and depth < 20:
        depth, parent = depth + 1, parents[parent]
    return depth


def _driver(module: str, engine: str, package: str):
    """The database driver module, or an ArchkitError saying how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ArchkitError(f"the {engine} driver ({module}) is not installed",
                           hint=f"pip install '{package}', or use --engine sqlite") from None


class PostgresSandbox(Sandbox):
    """A database ``archkit_sbx_<hex>`` created on the server and dropped on close."""

    dialect = "postgres"
    name = "PostgreSQL"

    def __init__(self, dsn: str):
        psycopg = _driver("psycopg", "PostgreSQL", "psycopg[binary]")
        self._psycopg = psycopg
        self.dsn = dsn
        self.dbname = f"archkit_sbx_{secrets.token_hex(6)}"
        try:
            self.admin = psycopg.connect(dsn, autocommit=True, connect_timeout=10)
        except psycopg.Error as err:
            raise ArchkitError(f"cannot connect to PostgreSQL at {_redact(dsn)}: "
                               f"{str(err).strip()}", hint="check ARCHKIT_PG_DSN") from None
        try:
            self.admin.execute(f'CREATE DATABASE "{self.dbname}"')
        except psycopg.Error as err:
            self.admin.close()
            raise ArchkitError(f"cannot create a sandbox database: {str(err).strip()}",
                               hint="the DSN's user needs CREATEDB") from None
        url = urlparse(dsn)
        try:
            self.conn = psycopg.connect(url._replace(path=f"/{self.dbname}").geturl(),
                                        autocommit=True, connect_timeout=10)
        except psycopg.Error as err:  # never leave the sandbox database behind
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.dbname}"')
            self.admin.close()
            raise ArchkitError(f"cannot connect to the sandbox database: {str(err).strip()}",
                               hint="check ARCHKIT_PG_DSN") from None

    def _is_driver_error(self, err: Exception) -> bool:
        return isinstance(err, self._psycopg.Error)

    def _describe(self, err, text: str) -> tuple[str, int]:
        diag = getattr(err, "diag", None)
        message = (getattr(diag, "message_primary", None) or str(err)).strip()
        pos = getattr(diag, "statement_position", None)
        offset = text.count("\n", 0, int(pos) - 1) if pos else 0
        return message, offset

    def execute(self, sql: str) -> None:
        self.conn.execute(sql)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        return self.conn.execute(sql, params or None).fetchall()

    def explain(self, query: str) -> str:
        return "\n".join(r[0] for r in self.query(f"EXPLAIN {query}"))

    def close(self) -> None:
        try:
            self.conn.close()
        finally:
            try:
                try:
                    self.admin.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
                except self._psycopg.errors.SyntaxError:  # before PostgreSQL 13
                    self.admin.execute(f'DROP DATABASE IF EXISTS "{self.dbname}"')
            finally:
                self.admin.close()


class MySQLSandbox(Sandbox):
    """A database ``archkit_sbx_<hex>`` on MySQL / MariaDB, dropped on close."""

    dialect = "mysql"
    name = "MySQL"

    def __init__(self, dsn: str):
        pymysql = _driver("pymysql", "MySQL/MariaDB", "pymysql")
        self._pymysql = pymysql
        url = urlparse(dsn)
        self.dbname = f"archkit_sbx_{secrets.token_hex(6)}"
        try:
            self.conn = pymysql.connect(
                host=url.hostname or "127.0.0.1", port=url.port or 3306,
                user=unquote(url.username or "root"), password=unquote(url.password or ""),
                autocommit=True, connect_timeout=10, charset="utf8mb4",
            )
        except pymysql.Error as err:
            raise ArchkitError(f"cannot connect to MySQL at {_redact(dsn)}: {err}",
                               hint="check ARCHKIT_MYSQL_DSN") from None
        with self.conn.cursor() as cur:
            try:
                cur.execute(f"CREATE DATABASE `{self.dbname}` CHARACTER SET utf8mb4")
            except pymysql.Error as err:
                self.conn.close()
                raise ArchkitError(f"cannot create a sandbox database: {err}",
                                   hint="the DSN's user needs CREATE and DROP") from None
            try:
                cur.execute(f"USE `{self.dbname}`")
                cur.execute("SELECT VERSION()")
                version = cur.fetchone()[0]
            except pymysql.Error:  # never leave the sandbox database behind
                cur.execute(f"DROP DATABASE IF EXISTS `{self.dbname}`")
                self.conn.close()
                raise
        self.name = "MariaDB" if "mariadb" in version.lower() else "MySQL"

    def _is_driver_error(self, err: Exception) -> bool:
        return isinstance(err, self._pymysql.Error)

    def _describe(self, err, text: str) -> tuple[str, int]:
        args = getattr(err, "args", ())
        message = str(args[1]) if len(args) > 1 else str(err)
        m = re.search(r"at line (\d+)", message)
        return message, (int(m.group(1)) - 1 if m else 0)

    def execute(self, sql: str) -> None:
        with self.conn.cursor() as cur:
            cur.execute(sql)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self.conn.cursor() as cur:
            cur.execute(sql, params or None)
            return list(cur.fetchall())

    def explain(self, query: str) -> str:
        with self.conn.cursor() as cur:
            cur.execute(f"EXPLAIN {query}")
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
        return "\n".join(
            ", ".join(f"{n}={v}" for n, v in zip(names, row, strict=True) if v is not None)
            for row in rows
        )

    def close(self) -> None:
        try:
            with self.conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{self.dbname}`")
        finally:
            self.conn.close()


@contextmanager
def sandbox(engine: str = "sqlite") -> Iterator[Sandbox]:
    """A throwaway database on ``engine`` (``sqlite`` or a DSN), removed afterwards."""
    kind = _SANDBOXES[engine_dialect(engine)]
    box: Sandbox = kind() if kind is SQLiteSandbox else kind(engine)
    try:
        yield box
    finally:
        box.close()


_SANDBOXES: dict[str, type[Sandbox]] = {"sqlite": SQLiteSandbox, "postgres": PostgresSandbox,
                                        "mysql": MySQLSandbox}
