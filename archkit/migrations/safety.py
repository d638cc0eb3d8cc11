"""Zero-downtime safety lint for migration SQL, generated or hand-written.

Usage::

    from archkit.migrations.safety import lint_migration
    findings = lint_migration("ALTER TABLE orders ALTER COLUMN total TYPE numeric;", "postgres")
    findings.codes()   # ['ZD104', 'ZD150', 'ZD151']

Each finding has a stable code, says *why* the statement hurts a running service
(lock level, table rewrite, full scan, or a break of the version still deployed)
and gives the safe rewrite as its ``fix``. Codes: ``ZD0xx`` any dialect,
``ZD1xx`` PostgreSQL, ``ZD2xx`` MySQL/MariaDB, ``ZD3xx`` SQLite. The lint reads the
SQL text statement by statement, so it works on files no parser fully understands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archkit.errors import ArchkitError
from archkit.findings import Finding, Findings, Severity
from archkit.schema.dialects import dialect as dialect_of

__all__ = ["lint_migration", "split_statements", "Statement", "RULES", "SQUAWK_RULES"]

DIALECTS = ("postgres", "mysql", "sqlite")

# code -> (severity, short title); the title doubles as documentation of the rule set.
RULES: dict[str, tuple[Severity, str]] = {
    "ZD001": (Severity.ERROR, "drop column breaks the running version"),
    "ZD002": (Severity.ERROR, "drop table breaks the running version"),
    "ZD003": (Severity.ERROR, "rename column breaks the running version"),
    "ZD004": (Severity.ERROR, "rename table breaks the running version"),
    "ZD005": (Severity.ERROR, "new NOT NULL column without a default"),
    "ZD006": (Severity.ERROR, "backfill sets NULL where it looks for NULL: it never ends"),
    "ZD101": (Severity.ERROR, "column with a volatile default rewrites the table"),
    "ZD102": (Severity.WARNING, "SET NOT NULL scans the table under ACCESS EXCLUSIVE"),
    "ZD103": (Severity.WARNING, "DROP NOT NULL lets the running version read NULLs"),
    "ZD104": (Severity.ERROR, "column type change rewrites the table"),
    "ZD105": (Severity.ERROR, "foreign key without NOT VALID scans and locks both tables"),
    "ZD106": (Severity.WARNING, "check constraint without NOT VALID scans under lock"),
    "ZD107": (Severity.WARNING, "index built without CONCURRENTLY blocks writes"),
    "ZD108": (Severity.ERROR, "CONCURRENTLY inside a transaction fails"),
    "ZD109": (Severity.WARNING, "unique/primary key constraint builds its index under lock"),
    "ZD110": (Severity.WARNING, "index dropped without CONCURRENTLY blocks the table"),
    "ZD111": (Severity.ERROR, "stored generated column rewrites the table"),
    "ZD150": (Severity.WARNING, "no lock_timeout before a locking statement"),
    "ZD151": (Severity.WARNING, "no statement_timeout before a slow statement"),
    "ZD201": (Severity.WARNING, "ALTER TABLE without ALGORITHM/LOCK may copy the table"),
    "ZD202": (Severity.ERROR, "column type change copies the table (ALGORITHM=COPY)"),
    "ZD203": (Severity.ERROR, "ENUM change other than appending copies the table"),
    "ZD204": (Severity.WARNING, "primary key change rebuilds the table"),
    "ZD301": (Severity.WARNING, "table rebuild holds the write lock for the whole copy"),
    "ZD302": (Severity.WARNING, "PRAGMA foreign_keys has no effect inside a transaction"),
}

# archkit code -> the squawk rule(s) that report the same thing (PostgreSQL only)
SQUAWK_RULES: dict[str, tuple[str, ...]] = {
    "ZD001": ("ban-drop-column",),
    "ZD002": ("ban-drop-table",),
    "ZD003": ("renaming-column",),
    "ZD004": ("renaming-table",),
    "ZD005": ("adding-required-field",),
    "ZD101": ("adding-field-with-default",),
    "ZD102": ("adding-not-nullable-field",),
    "ZD103": ("ban-drop-not-null",),
    "ZD104": ("changing-column-type",),
    "ZD105": ("adding-foreign-key-constraint", "constraint-missing-not-valid"),
    "ZD106": ("constraint-missing-not-valid",),
    "ZD107": ("require-concurrent-index-creation",),
    "ZD108": ("ban-concurrent-index-creation-in-transaction",),
    "ZD109": (
        "disallowed-unique-constraint", "adding-serial-primary-key-field",
        "constraint-missing-not-valid",
    ),
    "ZD110": ("require-concurrent-index-deletion",),
    "ZD150": ("require-lock-timeout",),
    "ZD151": ("require-statement-timeout",),
}

# PostgreSQL functions whose DEFAULT is evaluated once (no rewrite since PG 11)
_STABLE_DEFAULTS = {
    "now", "current_timestamp", "current_date", "current_time", "localtimestamp",
    "localtime", "transaction_timestamp", "statement_timestamp", "current_user",
    "session_user", "current_schema", "nextval",
}
_NONVOLATILE_CASTS = {"jsonb", "json", "text", "varchar", "int", "integer", "bigint", "numeric"}


@dataclass(frozen=True, slots=True)
class Statement:
    """One SQL statement: its text without comments, and the 1-based line it starts on."""

    text: str
    line: int

    @property
    def norm(self) -> str:
        """Upper-cased, whitespace-collapsed text (string literals kept as written)."""
        return re.sub(r"\s+", " ", self.text).strip().upper()


def split_statements(sql: str) -> list[Statement]:
    """Split SQL on top-level ``;``, aware of quotes, dollar quotes and comments.

    >>> [s.line for s in split_statements("SELECT 1;\\n-- x;\\nSELECT ';';")]
    [1, 3]
    """
    out: list[Statement] = []
    buf: list[str] = []
    block = _TriggerBlock()
    i, n, line, start = 0, len(sql), 1, None
    while i < n:
        ch = sql[i]
        if sql.startswith("--", i) or (ch == "#" and _hash_comment(sql, i)):
            j = sql.find("\n", i)
            i = n if j < 0 else j
            continue
        if sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += sql.count("\n", i, j)
            buf.append(" ")
            i = j
            continue
        if ch == "\n":
            line += 1
        if ch == ";" and not block.open(buf):
            _flush(buf, start, out)
            buf, start, block = [], None, _TriggerBlock()
            i += 1
            continue
        if start is None and not ch.isspace():
            start = line
        if ch in "'\"`":
            j = _end_quote(sql, i, ch)
            chunk = sql[i:j]
            line += chunk.count("\n")
            buf.append(chunk)
            i = j
            continue
        if ch == "$":
            m = _DOLLAR_TAG.match(sql, i)
            if m:
                tag = m.group(0)
                j = sql.find(tag, i + len(tag))
                j = n if j < 0 else j + len(tag)
                chunk = sql[i:j]
                line += chunk.count("\n")
                buf.append(chunk)
                i = j
                continue
        buf.append(ch)
        i += 1
    _flush(buf, start, out)
    return out


_DOLLAR_TAG = re.compile(r"\$[A-Za-z_0-9]*\$")
_TRIGGER_HEAD = re.compile(r"\s*CREATE\s+(TEMP\w*\s+)?TRIGGER\b", re.I)
_BLOCK_WORD = re.compile(r"\b(BEGIN|END)\b", re.I)


class _TriggerBlock:
    """Inside ``CREATE TRIGGER ... BEGIN ... END`` (SQLite/MySQL) a ``;`` does not end it.

    Counts BEGIN/END over the text added since the last ``;`` only, so a trigger with many
    statements is read once (the text before each ``;`` ends on a non-word character, so
    counting piece by piece finds the same words as counting the whole).
    """

    def __init__(self) -> None:
        self.trigger: bool | None = None
        self.depth = 0
        self.seen = 0

    def open(self, buf: list[str]) -> bool:
        new = "".join(buf[self.seen:])
        self.seen = len(buf)
        if self.trigger is None:
            self.trigger = bool(_TRIGGER_HEAD.match(new))
        if not self.trigger:
            return False
        for m in _BLOCK_WORD.finditer(new):
            self.depth += 1 if m.group(1).upper() == "BEGIN" else -1
        return self.depth > 0


def buf_is_begin_block(buf: list[str]) -> bool:
    """Whether a ``;`` after ``buf`` sits inside a trigger's BEGIN ... END."""
    return _TriggerBlock().open(buf)


def _hash_comment(sql: str, i: int) -> bool:
    # MySQL '#' comments only at a line start or after whitespace; good enough for migrations.
    return i == 0 or sql[i - 1] in " \t\n"


def _end_quote(sql: str, i: int, q: str) -> int:
    j = i + 1
    while j < len(sql):
        if sql[j] == q:
            if j + 1 < len(sql) and sql[j + 1] == q:
                j += 2
                continue
            return j + 1
        if sql[j] == "\\" and q == "'":
            j += 2
            continue
        j += 1
    return len(sql)


def _flush(buf: list[str], start: int | None, out: list[Statement]) -> None:
    text = "".join(buf).strip()
    if text and start is not None:
        out.append(Statement(text, start))


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside parentheses and quotes."""
    parts, depth, cur, i = [], 0, [], 0
    while i < len(text):
        ch = text[i]
        if ch in "'\"`":
            j = _end_quote(text, i, ch)
            cur.append(text[i:j])
            i = j
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    if "".join(cur).strip():
        parts.append("".join(cur).strip())
    return parts


_IDENT = r'(?:"[^"]+"|`[^`]+`|\[[^\]]+\]|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|`[^`]+`|[\w$]+))?'
_ALTER_TABLE = re.compile(
    rf"^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?({_IDENT})\s+(.*)$", re.I | re.S
)
_CREATE_TABLE = re.compile(
    rf"^CREATE\s+(?:TEMP\w*\s+|UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?({_IDENT})", re.I
)
_CREATE_INDEX = re.compile(
    rf"^CREATE\s+(UNIQUE\s+)?INDEX\s+(CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"
    rf"(?:({_IDENT})\s+)?ON\s+(ONLY\s+)?({_IDENT})",
    re.I,
)


# PostgreSQL refuses CONCURRENTLY on a partitioned table; the hint says what works there
_PARTITIONED_CREATE = ("; on a partitioned table, CREATE INDEX ... ON ONLY the table, then each "
                       "partition's index CONCURRENTLY and ALTER INDEX ... ATTACH PARTITION")


def _bare(name: str) -> str:
    name = name.split(".")[-1].strip()
    return name.strip('"`[]').lower()


class _Linter:
    def __init__(self, dialect: str, file: str | None):
        self.dialect = dialect
        self.d = dialect_of(dialect)
        self.file = file
        self.findings = Findings()
        self.in_tx = False
        self.created: set[str] = set()
        self.lock_timeout = False
        self.statement_timeout = False
        self.timeout_reported = False
        self.not_null_checks: dict[str, tuple[str, str]] = {}
        self.proven_not_null: set[tuple[str, str]] = set()
        self.validated: set[str] = set()

    def add(self, code: str, stmt: Statement, obj: str | None, why: str, fix: str) -> None:
        severity, _title = RULES[code]
        self.findings.append(Finding(code, severity, why, obj, stmt.line, fix, self.file))

    def run(self, sql: str) -> Findings:
        statements = split_statements(sql)
        # a table dropped and then replaced by a rename (a rebuild) keeps existing
        self.replaced = {_bare(m.group(1)) for st in statements if (m := re.match(
            rf"(?is)^ALTER\s+TABLE\s+{_IDENT}\s+RENAME\s+TO\s+({_IDENT})", st.text.strip()))}
        for stmt in statements:
            self.statement(stmt)
        return self.findings

    def statement(self, stmt: Statement) -> None:
        norm = stmt.norm
        if re.match(r"^(BEGIN|START TRANSACTION)\b", norm) and not norm.startswith("BEGIN ATOMIC"):
            self.in_tx = True
            return
        if re.match(r"^(COMMIT|END|ROLLBACK)\b", norm):
            self.in_tx = False
            return
        if m := re.match(r"^SET\s+(?:LOCAL\s+|SESSION\s+)?(\w+)", norm):
            self.lock_timeout |= m.group(1) in ("LOCK_TIMEOUT", "LOCK_WAIT_TIMEOUT")
            self.statement_timeout |= m.group(1) in ("STATEMENT_TIMEOUT", "MAX_EXECUTION_TIME",
                                                     "MAX_STATEMENT_TIME")
            return
        if m := _CREATE_TABLE.match(stmt.text.strip()):
            self.created.add(_bare(m.group(1)))
            return
        if re.match(r"^DROP\s+TABLE\b", norm):
            self.drop_table(stmt)
        elif m := _CREATE_INDEX.match(stmt.text.strip()):
            if not m.group(4):  # ON ONLY a partitioned table: its index alone, no build
                self.create_index(stmt, bool(m.group(2)), _bare(m.group(5)))
        elif re.match(r"^DROP\s+INDEX\b", norm):
            self.drop_index(stmt)
        elif m := _ALTER_TABLE.match(stmt.text.strip()):
            table = _bare(m.group(1))
            if re.match(r"^RENAME\s+TO\b", m.group(2).strip(), re.I):
                self.timeouts(stmt)
                self.rename_table(stmt, table)
            else:
                self.alter_table(stmt, table, m.group(2))
        elif re.match(r"^UPDATE\b", norm):
            self.update(stmt)
        elif m := re.match(rf"^RENAME\s+TABLE\s+({_IDENT})", stmt.text.strip(), re.I):
            self.rename_table(stmt, _bare(m.group(1)))
        elif self.d.pragma_foreign_keys and norm.startswith("PRAGMA FOREIGN_KEYS") and self.in_tx:
            self.add("ZD302", stmt, None,
                     "PRAGMA foreign_keys is a no-op inside a transaction, so the rebuild runs "
                     "with foreign keys still enforced (or never re-enabled)",
                     "move PRAGMA foreign_keys=OFF before BEGIN and =ON after COMMIT")
        elif self.d.table_rebuilds and re.match(r"^INSERT\s+INTO\s+\S+\s*(\(.*\))?\s*SELECT",
                                                   norm, re.S):
            self.sqlite_rebuild(stmt)

    def update(self, stmt: Statement) -> None:
        """A batched backfill ``SET c = NULL ... WHERE c IS NULL`` touches the same rows forever."""
        parts = _update_parts(_strip_comments(stmt.text).strip())
        if not parts:
            return
        target, assignments, where = parts
        for assignment in split_top_level(assignments):
            col, _, value = assignment.partition("=")
            col = _bare(col.strip())
            if col.strip() and value.strip().upper() == "NULL" and re.search(
                    rf"(?i)(^|[\s(.\"`]){re.escape(col)}[\"`]?\s+IS\s+NULL\b", where):
                self.add("ZD006", stmt, f"{_bare(target)}.{col}",
                         f"the backfill sets {col} to NULL on rows where {col} IS NULL: "
                         "every batch finds the same rows, so 'repeat until it touches 0 rows' "
                         "never ends, and the NOT NULL step after it fails",
                         f"give the value existing rows get: SET {col} = <SQL expression> "
                         "(archkit schema diff --plan --backfill "
                         f"'{_bare(target)}.{col}=<SQL>')")

    # -- PostgreSQL timeouts -------------------------------------------------------------
    def timeouts(self, stmt: Statement, obj: str | None = None) -> None:
        if not self.d.statement_timeout_sql or self.timeout_reported:
            return
        self.timeout_reported = True
        if not self.lock_timeout:
            self.add("ZD150", stmt, obj,
                     "this statement waits for an ACCESS EXCLUSIVE lock; while it waits every "
                     "query on the table queues behind it",
                     "SET lock_timeout = '2s'; at the top of the migration, and retry on timeout")
        if not self.statement_timeout:
            self.add("ZD151", stmt, obj,
                     "a slow statement holding a lock stalls the service for as long as it runs",
                     "SET statement_timeout = '30s'; at the top of the migration")

    # -- statements ----------------------------------------------------------------------
    def drop_table(self, stmt: Statement) -> None:
        names = re.sub(r"(?i)^DROP\s+TABLE\s+(IF\s+EXISTS\s+)?", "", stmt.text.strip())
        names = _drop_behaviour_removed(names)
        for name in split_top_level(names):
            table = _bare(name)
            self.timeouts(stmt, table)
            if table in self.created or table in self.replaced:
                continue
            self.add("ZD002", stmt, table,
                     "the version still running reads and writes this table; dropping it breaks "
                     "those queries and loses the data",
                     "stop using the table in a release first, keep a backup, then drop it in a "
                     "later migration")

    def create_index(self, stmt: Statement, concurrently: bool, table: str) -> None:
        if not self.d.concurrent_indexes:
            if self.d.online_alter and table not in self.created:
                self.mysql_algorithm(stmt, table, stmt.norm, "ADD INDEX")
            return
        self.timeouts(stmt, table)
        if concurrently and self.in_tx:
            self.add("ZD108", stmt, table,
                     "CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
                     "run it outside BEGIN/COMMIT, in its own migration without a transaction")
        elif not concurrently and table not in self.created:
            self.add("ZD107", stmt, table,
                     "a plain CREATE INDEX takes a SHARE lock: writes to the table block until "
                     "the index is built",
                     (stmt.text.strip().replace("INDEX", "INDEX CONCURRENTLY", 1)
                      if "INDEX" in stmt.text else "use CREATE INDEX CONCURRENTLY")
                     + _PARTITIONED_CREATE)

    def drop_index(self, stmt: Statement) -> None:
        if not self.d.concurrent_indexes:
            return
        self.timeouts(stmt)
        if "CONCURRENTLY" not in stmt.norm:
            self.add("ZD110", stmt, None,
                     "DROP INDEX takes an ACCESS EXCLUSIVE lock on the table",
                     "DROP INDEX CONCURRENTLY ... (outside a transaction; a partitioned "
                     "table's index cannot be dropped concurrently: drop it at a quiet hour)")
        elif self.in_tx:
            self.add("ZD108", stmt, None,
                     "DROP INDEX CONCURRENTLY cannot run inside a transaction block",
                     "run it outside BEGIN/COMMIT")

    def rename_table(self, stmt: Statement, table: str) -> None:
        if table in self.created:
            return
        self.add("ZD004", stmt, table,
                 "the version still running uses the old table name; its queries fail the moment "
                 "the rename commits",
                 "create a view with the old name (or the new table) and switch readers first; "
                 "drop the old name in a later release")

    def alter_table(self, stmt: Statement, table: str, rest: str) -> None:
        self.timeouts(stmt, table)
        new = table in self.created
        actions = split_top_level(rest)
        for action in actions:
            self.action(stmt, table, action.strip(), new)
        if self.d.online_alter and not new:
            self.mysql_algorithm(stmt, table, stmt.norm, "ALTER TABLE")

    def action(self, stmt: Statement, table: str, action: str, new: bool) -> None:
        up = re.sub(r"\s+", " ", action).upper()
        col = _action_column(action)
        obj = f"{table}.{col}" if col else table
        d = self.d
        if up.startswith("DROP COLUMN") or (up.startswith("DROP ") and d.column_keyword_optional
                                            and not
                                            re.match(r"DROP (INDEX|KEY|PRIMARY|FOREIGN|"
                                                     r"CONSTRAINT|CHECK)", up)):
            if not new:
                self.add("ZD001", stmt, obj,
                         "the version still running selects or inserts this column; dropping it "
                         "breaks those queries and loses its data",
                         "stop reading and writing the column in a release first, then drop it "
                         "in a later migration")
        elif up.startswith("RENAME COLUMN") or (up.startswith("RENAME ") and
                                                not up.startswith("RENAME TO") and
                                                not re.match(r"RENAME (INDEX|KEY|CONSTRAINT)",
                                                             up)):
            if not new:
                self.add("ZD003", stmt, obj,
                         "the version still running uses the old column name",
                         "expand/contract: add the new column, dual-write, backfill, switch "
                         "reads, then drop the old column")
        elif up.startswith("CHANGE ") and d.modify_column:
            parts = action.split()
            if len(parts) >= 3 and _bare(parts[1]) != _bare(parts[2]) and not new:
                self.add("ZD003", stmt, obj, "the version still running uses the old column name",
                         "expand/contract: add the new column, dual-write, backfill, switch "
                         "reads, then drop the old column")
            self.mysql_modify(stmt, obj, up, new)
        elif up.startswith("MODIFY") and d.modify_column:
            self.mysql_modify(stmt, obj, up, new)
        elif up.startswith("ADD") and not re.match(
            r"ADD (CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK|INDEX|KEY|FULLTEXT|SPATIAL|EXCLUDE)",
            up,
        ):
            self.add_column(stmt, obj, up, new)
        elif up.startswith("ADD"):
            if m := re.match(r'ADD CONSTRAINT (\S+) CHECK \(\s*"?(\w+)"? IS NOT NULL\s*\)', up):
                self.not_null_checks[m.group(1).strip('"').lower()] = (table, m.group(2).lower())
            self.add_constraint(stmt, table, up, new)
        elif m := re.match(r"VALIDATE CONSTRAINT (\S+)", up):
            # SET NOT NULL after a validated CHECK (col IS NOT NULL) needs no scan (PG 12+)
            name = m.group(1).strip('"').lower()
            self.validated.add(name)
            if name in self.not_null_checks:
                self.proven_not_null.add(self.not_null_checks[name])
        elif re.match(r"ALTER (COLUMN )?\S+ (SET DATA )?TYPE\b", up):
            if d.rewrites_under_lock and not new:
                self.add("ZD104", stmt, obj,
                         "changing a column's type rewrites the whole table (and its indexes) "
                         "under an ACCESS EXCLUSIVE lock",
                         "add a new column of the new type, backfill in batches, switch reads, "
                         "then drop the old column")
        elif re.match(r"ALTER (COLUMN )?\S+ SET NOT NULL", up):
            if d.rewrites_under_lock and not new and not self.proven(table, col):
                self.add("ZD102", stmt, obj,
                         "SET NOT NULL scans every row while holding an ACCESS EXCLUSIVE lock",
                         f"ALTER TABLE {table} ADD CONSTRAINT {_tail(col)}_not_null CHECK "
                         f"({col} IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT; then SET NOT NULL")
        elif re.match(r"ALTER (COLUMN )?\S+ DROP NOT NULL", up):
            if d.rewrites_under_lock and not new:
                self.add("ZD103", stmt, obj,
                         "the version still running assumes the column is never NULL",
                         "make readers NULL-safe in a release first, then drop NOT NULL")

    def proven(self, table: str, col: str | None) -> bool:
        """A validated CHECK (col IS NOT NULL) came first (added here, or named for it)."""
        if col is None:
            return False
        return (table, col) in self.proven_not_null or any(
            col in name and "null" in name for name in self.validated)

    def add_column(self, stmt: Statement, obj: str, up: str, new: bool) -> None:
        if new:
            return
        has_default = " DEFAULT " in f" {up} "
        generated = _stored_generated(up)
        if re.search(r"\bNOT NULL\b", up) and not has_default and not generated:
            if not re.search(r"\b(SERIAL|BIGSERIAL|SMALLSERIAL|AUTO_INCREMENT)\b", up) and \
                    "GENERATED" not in up:
                self.add("ZD005", stmt, obj,
                         "adding a NOT NULL column without a default fails on a table that has "
                         "rows, and the running version's INSERTs do not set it",
                         "add it nullable (or with a constant DEFAULT), backfill, then add NOT "
                         "NULL via CHECK ... NOT VALID / VALIDATE")
        if not self.d.rewrites_under_lock:
            return
        if generated:
            self.add("ZD111", stmt, obj,
                     "a STORED generated column is computed for every row: a table rewrite "
                     "under ACCESS EXCLUSIVE",
                     "add a plain nullable column, backfill in batches, keep it up to date with "
                     "a trigger")
        elif has_default and _volatile_default(up):
            self.add("ZD101", stmt, obj,
                     "a volatile DEFAULT is evaluated per row: the whole table is rewritten "
                     "under an ACCESS EXCLUSIVE lock",
                     "add the column without a default, set the default in a second statement, "
                     "backfill existing rows in batches")
        elif re.search(r"\b(SERIAL|BIGSERIAL|SMALLSERIAL)\b", up):
            self.add("ZD101", stmt, obj,
                     "a serial column fills every existing row from a sequence: a table rewrite",
                     "add a nullable bigint, backfill in batches, then attach the sequence")

    def add_constraint(self, stmt: Statement, table: str, up: str, new: bool) -> None:
        if new or not self.d.rewrites_under_lock:
            if self.d.clustered_primary_key and "PRIMARY KEY" in up and not new:
                self.add("ZD204", stmt, table,
                         "changing the primary key rebuilds the clustered index: a full table "
                         "copy in InnoDB",
                         "plan it off-peak with an online schema change tool (gh-ost, "
                         "pt-online-schema-change)")
            return
        name = re.match(r"ADD CONSTRAINT (\S+)", up)
        cname = name.group(1).lower() if name else table
        not_valid = "NOT VALID" in up
        if "FOREIGN KEY" in up or re.search(r"\bREFERENCES\b", up):
            if not not_valid:
                self.add("ZD105", stmt, cname,
                         "a new foreign key scans the whole table and takes a SHARE ROW "
                         "EXCLUSIVE lock on both tables, blocking writes to each",
                         f"ALTER TABLE {table} ADD CONSTRAINT ... NOT VALID; then, in a separate "
                         f"transaction, ALTER TABLE {table} VALIDATE CONSTRAINT {cname}")
        elif re.search(r"\bCHECK\b", up):
            if not not_valid:
                self.add("ZD106", stmt, cname,
                         "a new CHECK scans every row while holding an ACCESS EXCLUSIVE lock",
                         f"add it NOT VALID, then ALTER TABLE {table} VALIDATE CONSTRAINT {cname} "
                         f"in a separate transaction")
        elif re.search(r"\b(UNIQUE|PRIMARY KEY)\b", up) and "USING INDEX" not in up:
            self.add("ZD109", stmt, cname,
                     "the constraint builds its unique index while holding an ACCESS EXCLUSIVE "
                     "lock",
                     f"CREATE UNIQUE INDEX CONCURRENTLY {cname}_idx ON {table} (...); then "
                     f"ALTER TABLE {table} ADD CONSTRAINT {cname} UNIQUE USING INDEX "
                     f"{cname}_idx")

    # -- MySQL / MariaDB -----------------------------------------------------------------
    def mysql_modify(self, stmt: Statement, obj: str, up: str, new: bool) -> None:
        if new or re.search(r"ALGORITHM\s*=\s*(INSTANT|INPLACE|NOCOPY)", stmt.norm):
            return  # with an explicit in-place algorithm the server refuses instead of copying
        if " ENUM(" in up.replace(" ENUM (", " ENUM("):
            self.add("ZD203", stmt, obj,
                     "changing an ENUM other than appending values at the end (or past 255 "
                     "members) copies the whole table",
                     "only append new ENUM values at the end, with ALGORITHM=INSTANT; or use a "
                     "lookup table")
        else:
            self.add("ZD202", stmt, obj,
                     "MODIFY/CHANGE of a column's type or nullability runs with ALGORITHM=COPY: "
                     "the table is copied and writes block",
                     "add a new column, backfill in batches, switch reads, drop the old one; or "
                     "use gh-ost / pt-online-schema-change")

    def mysql_algorithm(self, stmt: Statement, table: str, up: str, kind: str) -> None:
        if "ALGORITHM" in up and "LOCK" in up:
            return
        self.add("ZD201", stmt, table,
                 f"without ALGORITHM= and LOCK=, {kind} silently falls back to a table copy "
                 "that blocks writes when the change cannot be done in place",
                 "append ', ALGORITHM=INPLACE, LOCK=NONE' (or ALGORITHM=INSTANT) so the server "
                 "refuses instead of copying")

    # -- SQLite --------------------------------------------------------------------------
    def sqlite_rebuild(self, stmt: Statement) -> None:
        m = re.match(rf"(?is)^INSERT\s+INTO\s+({_IDENT})", stmt.text.strip())
        table = _bare(m.group(1)) if m else None
        if table in self.created:
            self.add("ZD301", stmt, table,
                     "a table rebuild copies every row while holding the database write lock; "
                     "writers wait (SQLITE_BUSY) for the whole copy",
                     "run it in a maintenance window, or keep the change to ADD COLUMN which "
                     "SQLite does without a copy")


def _strip_comments(sql: str) -> str:
    """Block and line comments replaced by a space, in one pass (an unclosed ``/*`` stays)."""
    out, i, n = [], 0, len(sql)
    j = k = -1  # the next /* and -- at or after i (-1 before looking, n when there is none)
    while i < n:
        if j < i:
            j = sql.find("/*", i) % (n + 1)  # -1 (none) becomes n
        if k < i:
            k = sql.find("--", i) % (n + 1)
        if j < k:
            end = sql.find("*/", j + 2)
            if end < 0:  # no */ closes this one or any later /*
                j = n
                continue
            out.extend((sql[i:j], " "))
            i = end + 2
        elif k < n:
            end = sql.find("\n", k)
            out.extend((sql[i:k], " "))
            i = n if end < 0 else end
        else:
            break
    out.append(sql[i:])
    return "".join(out)


# The helpers below replace regexes that backtracked quadratically on long runs of spaces
# or word characters (a 20 KB statement took seconds); each reads its input once.
_UPDATE_HEAD = re.compile(rf"(?is)UPDATE\s+({_IDENT})\s+SET(?=\s)")
_WHERE_WORD = re.compile(r"(?i)\sWHERE(?=\s)")
_FUNCTION_CALL = re.compile(r"(?<![A-Z0-9_])([A-Z0-9_]+)\s*\(")


def _drop_behaviour_removed(names: str) -> str:
    """``names`` without a trailing ``CASCADE`` / ``RESTRICT`` word."""
    text = names.rstrip()
    for word in ("CASCADE", "RESTRICT"):
        head = text[:-len(word)]
        if text[-len(word):].upper() == word and head[-1:].isspace():
            return head.rstrip()
    return text


def _update_parts(text: str) -> tuple[str, str, str] | None:
    """``UPDATE target SET assignments WHERE condition`` split into its three parts."""
    head = _UPDATE_HEAD.match(text)
    if not head:
        return None
    for where in _WHERE_WORD.finditer(text, head.end()):
        if assignments := text[head.end():where.start()].strip():
            return head.group(1), assignments, text[where.end():].lstrip()
    return None


def _stored_generated(up: str) -> bool:
    """``GENERATED ALWAYS AS (...) STORED`` in the upper-cased, one-line ``up``."""
    start = re.search(r"GENERATED ALWAYS AS\s*\(", up)
    if not start:
        return False
    stored = [m.start() for m in re.finditer(r"\)\s*STORED", up)]
    return bool(stored) and stored[-1] >= start.end()


def _action_column(action: str) -> str | None:
    m = re.match(
        r"(?is)^(?:ADD|DROP|ALTER|MODIFY|CHANGE|RENAME)\s+(?:COLUMN\s+)?(?:IF\s+(?:NOT\s+)?EXISTS\s+)?"
        r"(\"[^\"]+\"|`[^`]+`|[\w$]+)",
        action,
    )
    if not m:
        return None
    word = m.group(1)
    if word.upper() in {"CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "INDEX", "KEY",
                        "TO", "NOT", "DEFAULT"}:
        return None
    return word.strip('"`').lower()


def _tail(col: str | None) -> str:
    return col or "col"


def _volatile_default(up: str) -> bool:
    m = re.search(r"\bDEFAULT\s+(.*)$", up)
    if not m:
        return False
    expr = m.group(1)
    for run in _FUNCTION_CALL.findall(expr):
        fn = run.lstrip("0123456789")  # a name starts at the first letter or underscore
        if fn and fn.lower() not in _STABLE_DEFAULTS and fn.lower() not in _NONVOLATILE_CASTS:
            return True
    return False


def lint_migration(sql: str, dialect: str, *, file: str | None = None) -> Findings:
    """Zero-downtime findings for the migration ``sql`` in ``dialect``, sorted by line."""
    if dialect not in DIALECTS:
        hint = f"use one of: {', '.join(DIALECTS)}"
        raise ArchkitError(f"unknown dialect {dialect!r}", hint=hint)
    return _Linter(dialect, file).run(sql).sorted()
