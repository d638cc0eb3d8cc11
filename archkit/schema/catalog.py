"""The catalog: what a schema defines, as plain dataclasses with no I/O.

Usage::

    from archkit.schema.catalog import Catalog, Table, Column
    cat = Catalog(dialect="postgres")
    cat.add_table(Table("users", columns=[Column("id", "bigint", nullable=False, identity=True)],
                        primary_key=PrimaryKey(("id",))))
    cat.compare(other)          # -> ["table users: column email missing on the right", ...]

API summary (for the diff / migration engine):

* ``Catalog``: ``tables``, ``views``, ``indexes`` (dicts keyed by object key, see
  ``object_key``), ``enums``, ``sequences``, ``comments``; ``table(name)``, ``add_table``,
  ``add_index``; ``sorted()`` gives a copy with deterministic order; ``compare(other,
  names=False)`` gives a readable list of differences (empty ⇔ equivalent);
  ``equivalent(other)``.
* ``Table``: ``columns`` (list, declaration order), ``column(name)``, ``primary_key``,
  ``uniques``, ``checks``, ``foreign_keys``, ``comment``.
* ``Column.type`` is normalised by ``normalise_type`` (``integer``, ``bigint``,
  ``varchar(50)``, ``numeric(5,2)``, ``timestamp``, ``timestamptz``, ``text``, ...), and
  ``identity`` is True for IDENTITY / SERIAL / AUTO_INCREMENT / AUTOINCREMENT /
  ``DEFAULT nextval(...)`` columns (their default is then None).
* Object names are stored as the engine stores them: unquoted names folded to lower case,
  quoted names exactly (``"Users"`` stays ``Users``). A table in a schema other than the
  dialect's default (``public`` on PostgreSQL) is keyed ``schema.name``; a part that holds a
  dot or a double quote is written quoted in the key (``"account.id"``), see ``split_key``.
* ``line`` fields say where the object was declared; they never take part in equality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from archkit.lazy import LazyPattern
from archkit.schema.dialects import dialect as get_dialect

__all__ = [
    "Catalog",
    "Check",
    "Column",
    "EnumType",
    "ForeignKey",
    "Index",
    "PrimaryKey",
    "Sequence",
    "Table",
    "Unique",
    "View",
    "normalise_on_update",
    "normalise_type",
    "declared_type",
    "object_key",
    "serial_sequence_name",
    "DEFAULT_SCHEMA",
]

DEFAULT_SCHEMA = {"postgres": "public", "mysql": None, "sqlite": "main"}


def _key_part(part: str) -> str:
    return '"' + part.replace('"', '""') + '"' if "." in part or '"' in part else part


def object_key(name: str, schema: str | None = None, dialect: str = "postgres") -> str:
    """The key of an object in the catalog: ``name``, or ``schema.name`` off the default.

    Names are taken as stored (already folded by the parser); a part holding a dot or a
    double quote is quoted so that ``split_key`` gives it back whole.
    """
    d = get_dialect(dialect)
    if schema and schema != (d.default_schema or "") and d.has_schemas:
        return f"{_key_part(schema)}.{_key_part(name)}"
    return _key_part(name)


def normalise_on_update(sql: str) -> str:
    """A column's ON UPDATE value as compared: ``NOW()``, ``current_timestamp()`` and
    ``LOCALTIMESTAMP`` are ``current_timestamp``; a precision stays (``current_timestamp(3)``).

    >>> normalise_on_update("CURRENT_TIMESTAMP()")   # 'current_timestamp'
    """
    text = "".join(sql.split()).lower()
    m = _NOW.fullmatch(text)
    if m is None:
        return text
    return f"current_timestamp({m.group(1)})" if m.group(1) else "current_timestamp"


_NOW = LazyPattern(r"(?:current_timestamp|now|localtimestamp|localtime)(?:\((\d*)\))?")


def serial_sequence_name(table: str, column: str) -> str:
    """The name of the sequence SERIAL makes for a column: ``orders_id_seq``."""
    return f"{table}_{column}_seq"


def split_key(key: str) -> tuple[str | None, str]:
    """``(schema or None, name)`` of a catalog key: ``split_key('"a.b"') == (None, 'a.b')``."""
    parts: list[str] = []
    i, n = 0, len(key)
    while i < n:
        if key[i] == '"':
            j, buf = i + 1, []
            while j < n:
                if key[j] == '"':
                    if key.startswith('""', j):
                        buf.append('"')
                        j += 2
                        continue
                    break
                buf.append(key[j])
                j += 1
            parts.append("".join(buf))
            i = j + 2  # past the closing quote and the dot
        else:
            j = key.find(".", i)
            j = n if j < 0 or len(parts) >= 1 else j
            parts.append(key[i:j])
            i = j + 1
    if len(parts) >= 2:
        return parts[0], ".".join(parts[1:])
    return None, parts[0] if parts else ""


def _no_line():
    return field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class Column:
    """A column: normalised type, nullability, default, identity and generation."""

    name: str
    type: str
    nullable: bool = True
    default: str | None = None
    identity: bool = False
    generated: str | None = None
    comment: str | None = None
    line: int | None = _no_line()
    #: ``ON UPDATE CURRENT_TIMESTAMP[(n)]`` (MySQL): what an UPDATE sets the column to, as
    #: :func:`normalise_on_update` spells it (``current_timestamp``, ``current_timestamp(3)``)
    on_update: str | None = None
    #: the default as written (source dialect SQL), for writers; not compared
    default_sql: str | None = field(default=None, compare=False, repr=False)
    #: ``COLLATE`` as written for the source dialect (``"C"``, ``utf8mb4_bin``); not compared
    collation: str | None = field(default=None, compare=False)
    #: the dialect ``default_sql`` is written in, when the default is an expression (not a
    #: plain literal): writers render its tree for their dialect (``interval '2 days'`` stays
    #: an interval); see ``default_tree``; not compared
    default_from: str | None = field(default=None, compare=False, repr=False)
    #: ``stored`` / ``virtual`` for a generated column, as written (or the dialect's
    #: default); not compared
    generated_kind: str | None = field(default=None, compare=False, repr=False)
    #: an identity column's sequence options as written (``START WITH -1 INCREMENT BY
    #: -1``, PostgreSQL); not compared
    identity_options: str | None = field(default=None, compare=False, repr=False)
    #: ``GENERATED ALWAYS AS IDENTITY``: an INSERT cannot give the value; not compared
    identity_always: bool = field(default=False, compare=False, repr=False)

    def default_tree(self):
        """The default as a sqlglot expression (parsed on first use), or None."""
        if self.default_from is None or self.default_sql is None:
            return None
        return _expression(self.default_sql, self.default_from)


@lru_cache(maxsize=4096)
def _expression(sql: str, dialect: str):
    """``sql`` as a sqlglot expression (shared: writers only read it), or None."""
    import sqlglot
    from sqlglot.errors import SqlglotError

    try:
        return sqlglot.parse_one(sql, read=get_dialect(dialect).sqlglot)
    except (SqlglotError, ValueError, TypeError, RecursionError):
        return None


@dataclass(slots=True)
class PrimaryKey:
    columns: tuple[str, ...]
    name: str | None = None
    line: int | None = _no_line()


@dataclass(slots=True)
class Unique:
    columns: tuple[str, ...]
    name: str | None = None
    line: int | None = _no_line()
    #: ``DEFERRABLE`` / ``INITIALLY DEFERRED`` (PostgreSQL; checked at commit); not compared
    deferrable: bool = field(default=False, compare=False)
    initially_deferred: bool = field(default=False, compare=False)
    #: ``NULLS NOT DISTINCT`` (PostgreSQL 15+): two NULLs collide
    nulls_not_distinct: bool = False
    #: each column's prefix length (MySQL ``UNIQUE (name(20))``); None: the whole value
    lengths: tuple[int | None, ...] = ()

    def length(self, i: int) -> int | None:
        return self.lengths[i] if i < len(self.lengths) else None

    def prefixes(self) -> tuple[int | None, ...]:
        """Each column's prefix length (None: the whole value): another length is another
        key."""
        return tuple(self.length(i) for i in range(len(self.columns)))


@dataclass(slots=True)
class Check:
    expression: str
    name: str | None = None
    line: int | None = _no_line()
    #: the column it was declared on (MySQL keeps such a check with the column definition)
    column: str | None = field(default=None, compare=False)
    #: ``NO INHERIT`` (PostgreSQL): tables that inherit this one do not get the check
    no_inherit: bool = field(default=False, compare=False)


@dataclass(slots=True)
class ForeignKey:
    """``columns`` reference ``ref_columns`` of ``ref_table`` (a catalog key)."""

    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str = "no action"
    on_update: str = "no action"
    name: str | None = None
    line: int | None = _no_line()
    #: ``DEFERRABLE`` / ``INITIALLY DEFERRED`` (PostgreSQL); not compared (the diff does)
    deferrable: bool = field(default=False, compare=False)
    initially_deferred: bool = field(default=False, compare=False)


@dataclass(slots=True)
class Index:
    """An index; ``columns`` hold column names, or the SQL of an expression part."""

    name: str
    table: str
    columns: tuple[str, ...]
    unique: bool = False
    where: str | None = None
    using: str | None = None
    line: int | None = _no_line()
    #: per part of ``columns``: True when it is the SQL of an expression (written as is),
    #: False when it is a column name (quoted by writers); empty when not known
    exprs: tuple[bool, ...] = field(default=(), compare=False, repr=False)
    # What engines' introspection does not read back yet: kept and written, not compared.
    #: per part: MySQL prefix length (``name(255)``), else None
    lengths: tuple[int | None, ...] = field(default=(), compare=False)
    #: per part: what follows it as written (``COLLATE "C" DESC NULLS LAST``, an opclass)
    suffixes: tuple[str, ...] = field(default=(), compare=False)
    #: ``fulltext`` / ``spatial`` (MySQL, written before INDEX)
    kind: str | None = field(default=None, compare=False)
    #: PostgreSQL ``INCLUDE (...)`` columns
    include: tuple[str, ...] = field(default=(), compare=False)
    nulls_not_distinct: bool = field(default=False, compare=False)
    comment: str | None = field(default=None, compare=False)
    #: the partial index's predicate as written (``where`` is sqlglot's rewrite of it, which
    #: PostgreSQL may keep as another text: ``NOT x IN`` for ``x NOT IN``); for writers of
    #: the catalog's own dialect
    where_sql: str | None = field(default=None, compare=False, repr=False)
    #: per part: an expression part as written, with what follows it (``(CAST(a AS UNSIGNED
    #: ARRAY)) DESC``: sqlglot cannot write every one back), else None; for writers of the
    #: catalog's own dialect
    parts_sql: tuple[str | None, ...] = field(default=(), compare=False, repr=False)

    def length(self, i: int) -> int | None:
        return self.lengths[i] if i < len(self.lengths) else None

    def suffix(self, i: int) -> str:
        return self.suffixes[i] if i < len(self.suffixes) else ""

    def part_sql(self, i: int) -> str | None:
        return self.parts_sql[i] if i < len(self.parts_sql) else None

    def is_expr(self, i: int) -> bool:
        """Whether part ``i`` is an expression (SQL) rather than a column name."""
        if i < len(self.exprs):
            return self.exprs[i]
        return not _PLAIN.fullmatch(self.columns[i])

    @property
    def expressions(self) -> tuple[str, ...]:
        """The parts that are expressions rather than plain column names."""
        return tuple(c for i, c in enumerate(self.columns) if self.is_expr(i))


_PLAIN = LazyPattern(r'[\w$]+|"[^"]+"')


@dataclass(slots=True)
class Table:
    name: str
    schema: str | None = None
    columns: list[Column] = field(default_factory=list)
    primary_key: PrimaryKey | None = None
    uniques: list[Unique] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    comment: str | None = None
    options: dict[str, str] = field(default_factory=dict, compare=False)
    line: int | None = _no_line()

    def column(self, name: str) -> Column | None:
        """The column named exactly ``name``, else the one whose name differs only in case."""
        for col in self.columns:
            if col.name == name:
                return col
        low = name.lower()
        for col in self.columns:
            if col.name.lower() == low:
                return col
        return None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(slots=True)
class View:
    name: str
    sql: str
    schema: str | None = None
    columns: tuple[str, ...] = ()
    materialized: bool = False
    comment: str | None = None
    line: int | None = _no_line()


@dataclass(slots=True)
class EnumType:
    """A named type: an enum (``values``) or a domain / other type (``base``)."""

    name: str
    values: tuple[str, ...] = ()
    base: str | None = None
    line: int | None = _no_line()


@dataclass(slots=True)
class Sequence:
    name: str
    line: int | None = _no_line()


@dataclass(slots=True)
class Catalog:
    """Everything a schema defines, keyed by ``object_key``."""

    dialect: str = "postgres"
    tables: dict[str, Table] = field(default_factory=dict)
    views: dict[str, View] = field(default_factory=dict)
    indexes: dict[str, Index] = field(default_factory=dict)
    enums: dict[str, EnumType] = field(default_factory=dict)
    sequences: dict[str, Sequence] = field(default_factory=dict)

    # -- building ---------------------------------------------------------------
    def key(self, name: str, schema: str | None = None) -> str:
        return object_key(name, schema, self.dialect)

    def serial_sequence(self, table: Table, column: str) -> str:
        """The key of the sequence SERIAL makes for ``table``'s ``column``
        (``<table>_<column>_seq``, in the table's schema), whether or not it exists."""
        return self.key(serial_sequence_name(table.name, column), table.schema)

    def table(self, name: str, schema: str | None = None) -> Table | None:
        """The table named ``name`` (exact, then as an unquoted name would fold)."""
        found = self.tables.get(self.key(name, schema))
        if found is None and (name != name.lower() or (schema or "") != (schema or "").lower()):
            found = self.tables.get(self.key(name.lower(), schema.lower() if schema else None))
        return found

    def add_table(self, table: Table) -> None:
        self.tables[self.key(table.name, table.schema)] = table

    def index_key(self, name: str, table_key: str) -> str:
        """Index names are per schema, except in MySQL where they are per table."""
        if get_dialect(self.dialect).index_names_per_schema:
            return _key_part(name)
        return f"{table_key}.{_key_part(name)}"

    def add_index(self, index: Index) -> None:
        self.indexes[self.index_key(index.name, index.table)] = index

    def indexes_of(self, table_key: str) -> list[Index]:
        return [i for i in self.indexes.values() if i.table == table_key]

    def indexes_by_table(self) -> dict[str, list[Index]]:
        """Every table key → its indexes, in one pass (for loops over all tables)."""
        out: dict[str, list[Index]] = {}
        for index in self.indexes.values():
            out.setdefault(index.table, []).append(index)
        return out

    # -- reading ----------------------------------------------------------------
    def sorted(self) -> Catalog:
        """A copy with every collection in a deterministic order (names sorted)."""

        def srt(d):
            return dict(sorted(d.items()))

        tables = {
            k: replace(
                t,
                uniques=sorted(t.uniques, key=lambda u: (u.columns, u.name or "")),
                checks=sorted(t.checks, key=lambda c: (c.name or "", c.expression)),
                foreign_keys=sorted(t.foreign_keys, key=lambda f: (f.columns, f.ref_table)),
            )
            for k, t in sorted(self.tables.items())
        }
        return Catalog(
            self.dialect, tables, srt(self.views), srt(self.indexes), srt(self.enums),
            srt(self.sequences),
        )

    def compare(self, other: Catalog, *, names: bool = False, defaults: bool = True,
                views: bool = True, checks: bool = True) -> list[str]:
        """Readable differences between two catalogs (empty when they are equivalent).

        ``names=False`` ignores constraint and index names (engines name them
        differently); ``defaults``/``views``/``checks`` switch those parts off.
        """
        return _compare(self, other, names=names, defaults=defaults, views=views, checks=checks)

    def equivalent(self, other: Catalog, **options) -> bool:
        return not self.compare(other, **options)

    def summary(self) -> dict[str, int]:
        return {
            "tables": len(self.tables),
            "columns": sum(len(t.columns) for t in self.tables.values()),
            "primary_keys": sum(1 for t in self.tables.values() if t.primary_key),
            "foreign_keys": sum(len(t.foreign_keys) for t in self.tables.values()),
            "views": len(self.views),
            "indexes": len(self.indexes),
        }

    def _repr_markdown_(self) -> str:
        from archkit.display import markdown_table

        rows = []
        for key, t in sorted(self.tables.items()):
            pk = ", ".join(t.primary_key.columns) if t.primary_key else "—"
            fks = "; ".join(
                f"{','.join(f.columns)} → {f.ref_table}({','.join(f.ref_columns)})"
                for f in t.foreign_keys
            )
            rows.append([key, len(t.columns), pk, fks or "—"])
        head = (
            f"**Catalog** ({self.dialect}): {len(self.tables)} tables, {len(self.views)} views, "
            f"{len(self.indexes)} indexes\n\n"
        )
        return head + markdown_table(["table", "columns", "primary key", "foreign keys"], rows)


# -- comparison ---------------------------------------------------------------------
def _cols(cols):
    return tuple(c.lower() for c in cols)


def _folded(a: Catalog, b: Catalog) -> tuple[Catalog, Catalog]:
    """Both catalogs keyed without case where the dialect compares names without case."""
    from archkit.schema.dialects import dialect

    if not dialect(a.dialect).case_insensitive:
        return a, b

    def fold(c: Catalog) -> Catalog:
        def low(d):
            return {k.lower(): v for k, v in d.items()}

        tables = {k.lower(): replace(t, foreign_keys=[replace(f, ref_table=f.ref_table.lower())
                                                      for f in t.foreign_keys])
                  for k, t in c.tables.items()}
        indexes = {k.lower(): replace(i, table=i.table.lower()) for k, i in c.indexes.items()}
        return Catalog(c.dialect, tables, low(c.views), indexes, low(c.enums), low(c.sequences))

    return fold(a), fold(b)


def _compare(a: Catalog, b: Catalog, *, names, defaults, views, checks) -> list[str]:
    from archkit.schema.dialects import dialect

    out: list[str] = []
    a, b = _folded(a, b)
    # quoted "Name" and name are two columns where names keep their case (PostgreSQL)
    fold = str.lower if dialect(a.dialect).case_insensitive else str
    for key in sorted(set(a.tables) | set(b.tables)):
        ta, tb = a.tables.get(key), b.tables.get(key)
        if ta is None or tb is None:
            out.append(f"table {key}: only on the {'right' if ta is None else 'left'}")
            continue
        out += [f"table {key}: {d}" for d in _compare_table(ta, tb, names, defaults, checks,
                                                             fold)]
    if views:
        for key in sorted(set(a.views) | set(b.views)):
            va, vb = a.views.get(key), b.views.get(key)
            if va is None or vb is None:
                out.append(f"view {key}: only on the {'right' if va is None else 'left'}")
            elif va.columns and vb.columns and _cols(va.columns) != _cols(vb.columns):
                out.append(f"view {key}: columns {va.columns} != {vb.columns}")
    ia = _index_map(a, names)
    ib = _index_map(b, names)
    for key in sorted(set(ia) | set(ib), key=str):
        if (key not in ib or key not in ia) and _foreign_key_index(a, b, ia.get(key) or ib[key]):
            continue  # InnoDB's own index for a foreign key, written out or not
        if key not in ib:
            out.append(f"index {ia[key].name}: only on the left")
        elif key not in ia:
            out.append(f"index {ib[key].name}: only on the right")
        elif ia[key] != ib[key] and names:
            out.append(f"index {key}: {_fmt_index(ia[key])} != {_fmt_index(ib[key])}")
    for kind in ("enums", "sequences"):
        da, db = getattr(a, kind), getattr(b, kind)
        for key in sorted(set(da) | set(db)):
            if key not in da or key not in db:
                side = "right" if key not in da else "left"
                out.append(f"{kind[:-1]} {key}: only on the {side}")
            elif da[key] != db[key]:
                out.append(f"{kind[:-1]} {key}: {da[key]} != {db[key]}")
    return out


def _fmt_index(i: Index) -> str:
    u = "unique " if i.unique else ""
    w = f" where {i.where}" if i.where else ""
    return f"{u}index {i.name} on {i.table}({', '.join(i.columns)}){w}"


def _index_map(c: Catalog, names: bool) -> dict:
    if names:
        return {k: replace(i, where=_loose(i.where)) for k, i in c.indexes.items()}
    out = {}
    for i in c.indexes.values():
        key = (i.table, _cols(i.columns), i.unique, _loose(i.where))
        out[key] = i
    return out


def _foreign_key_index(a: Catalog, b: Catalog, index: Index) -> bool:
    """Whether ``index`` is the one InnoDB makes for a foreign key that has none: named as
    the key, on its columns (an engine's catalog cannot tell it from one written out)."""
    if not get_dialect(a.dialect).indexes_foreign_keys:
        return False
    for cat in (a, b):
        table = cat.tables.get(index.table)
        if table is not None and any(
                (f.name or "").lower() == index.name.lower() and
                _cols(f.columns) == _cols(index.columns) for f in table.foreign_keys):
            return True
    return False


def _loose(predicate: str | None) -> str | None:
    """An index predicate compared without case, spacing or parentheses: pg_dump writes
    ``WHERE (b IS NULL)``, the engine's catalog reads ``b IS NULL``."""
    return None if predicate is None else re.sub(r"[\s()]+", "", predicate).lower()


def _compare_table(ta: Table, tb: Table, names, defaults, checks, fold=str.lower
                   ) -> list[str]:
    out = []
    ca = {fold(c.name): c for c in ta.columns}
    cb = {fold(c.name): c for c in tb.columns}
    for name in list(ca) + [n for n in cb if n not in ca]:
        x, y = ca.get(name), cb.get(name)
        if x is None or y is None:
            out.append(f"column {name} only on the {'right' if x is None else 'left'}")
            continue
        for f in ("type", "nullable", "identity", "default", "generated", "on_update"):
            if f == "default" and not defaults:
                continue
            vx, vy = getattr(x, f), getattr(y, f)
            if f == "generated":
                vx, vy = bool(vx), bool(vy)
            if vx != vy:
                out.append(f"column {name}: {f} {vx!r} != {vy!r}")
    pa = _cols(ta.primary_key.columns) if ta.primary_key else None
    pb = _cols(tb.primary_key.columns) if tb.primary_key else None
    if pa != pb:
        out.append(f"primary key {pa} != {pb}")

    def uset(t):
        return {(_cols(u.columns), u.name if names else None, u.prefixes()) for u in t.uniques}

    if uset(ta) != uset(tb):
        out.append(f"unique constraints {sorted(uset(ta))} != {sorted(uset(tb))}")

    def fset(t):
        return {
            (_cols(f.columns), f.ref_table, _cols(f.ref_columns), f.on_delete, f.on_update,
             f.name if names else None)
            for f in t.foreign_keys
        }

    fa, fb = fset(ta), fset(tb)
    for fk in sorted(fa - fb, key=str):
        out.append(f"foreign key {fk[0]} -> {fk[1]}{fk[2]} (on delete {fk[3]}) only on the left")
    for fk in sorted(fb - fa, key=str):
        out.append(f"foreign key {fk[0]} -> {fk[1]}{fk[2]} (on delete {fk[3]}) only on the right")
    if checks and len(ta.checks) != len(tb.checks):
        out.append(f"{len(ta.checks)} check constraints != {len(tb.checks)}")
    elif checks and names:
        ka, kb = (sorted(fold(c.name or "") for c in t.checks) for t in (ta, tb))
        if ka != kb:
            out.append(f"check constraint names {ka} != {kb}")
    return out


# -- type normalisation ---------------------------------------------------------------
_ALIASES = {
    "int": "integer", "int4": "integer", "integer": "integer", "mediumint": "integer",
    "int8": "bigint", "bigint": "bigint", "int2": "smallint", "smallint": "smallint",
    "tinyint": "tinyint", "serial": "integer", "serial4": "integer", "bigserial": "bigint",
    "serial8": "bigint", "smallserial": "smallint", "serial2": "smallint",
    "bool": "boolean", "boolean": "boolean",
    "float8": "double", "double precision": "double", "double": "double",
    "float4": "real", "real": "real", "float": "double",
    "decimal": "numeric", "numeric": "numeric", "dec": "numeric",
    "character varying": "varchar", "varchar": "varchar", "nvarchar": "varchar",
    "character": "char", "char": "char", "bpchar": "char", "nchar": "char",
    "text": "text", "mediumtext": "mediumtext", "longtext": "longtext", "tinytext": "tinytext",
    "timestamp without time zone": "timestamp", "timestamp": "timestamp",
    "timestamp with time zone": "timestamptz", "timestamptz": "timestamptz",
    "time without time zone": "time", "time": "time", "timetz": "timetz",
    "time with time zone": "timetz", "datetime": "datetime", "date": "date",
    "bytea": "bytea", "blob": "blob", "longblob": "longblob", "mediumblob": "mediumblob",
    "uint": "integer", "ubigint": "bigint", "usmallint": "smallint", "utinyint": "tinyint",
    "umediumint": "integer", "json": "json", "jsonb": "jsonb", "uuid": "uuid", "year": "year",
}
_QUOTED_OR_NOT = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[^'\"]+")
_PLAIN_QUOTED = re.compile(r'"([a-z_][a-z0-9_]*)"')
_BUILTIN_SCHEMAS = ("pg_catalog", "public", "main", "information_schema")
_SERIALS = {"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"}
_TYPE_RE = re.compile(r"^\s*([a-z_][a-z0-9_ .\"]*?)\s*(\(([^)]*)\))?\s*((?:\[\s*\d*\s*\])*)\s*$")


# PostgreSQL's SQL-standard array spelling: "integer ARRAY" is "integer[]", and
# "integer ARRAY[4]" is "integer[4]"
_SQL_ARRAY = re.compile(r"\s+array\s*(\[[^\]]*\])?$")


@lru_cache(maxsize=4096)
def normalise_type(text: str) -> tuple[str, bool]:
    """``(canonical type, is_serial)`` for a type as written or as an engine reports it.

    ``normalise_type("character varying(50)") -> ("varchar(50)", False)``,
    ``normalise_type("SERIAL") -> ("integer", True)``.
    """
    raw = _QUOTED_OR_NOT.sub(
        lambda m: m.group(0) if m.group(0)[0] in "'\"" else m.group(0).lower(),
        " ".join(text.split()),
    )
    # a quoted name keeps its case; quotes around a plain lower-case name mean nothing
    # (only in the name: MySQL writes enum("a") with double-quoted strings)
    cut = raw.find("(")
    cut = len(raw) if cut < 0 else cut
    raw = _PLAIN_QUOTED.sub(r"\1", raw[:cut]) + raw[cut:]
    raw = raw.replace(" unsigned", "").replace(" zerofill", "")
    raw = _SQL_ARRAY.sub(lambda m: m.group(1) or "[]", raw)
    array = raw.endswith("]")
    m = _TYPE_RE.match(raw)
    if not m:
        return raw, False
    base, params = m.group(1).strip(), m.group(3)
    base = base.replace('"', "")
    if "." in base and base.rsplit(".", 1)[0] in _BUILTIN_SCHEMAS:
        base = base.rsplit(".", 1)[1]  # pg_catalog.int4, public.mpaa_rating; s.lang stays
    # "timestamp(6) with time zone" arrives here as base="timestamp", tail in params
    tail = ""
    mt = re.match(r"^(timestamp|time)\s*(\(\d+\))?\s*(with(?:out)? time zone)$", raw)
    if mt:
        base = f"{mt.group(1)} {mt.group(3)}"
        params = mt.group(2)[1:-1] if mt.group(2) else None
    serial = base in _SERIALS
    canon = _ALIASES.get(base, base)
    if canon in ("integer", "bigint", "smallint", "tinyint") and params and canon != "tinyint":
        params = None  # MySQL display widths carry no meaning
    if canon == "tinyint" and params == "1":
        canon, params = "boolean", None  # MySQL's boolean
    if canon in ("tinyint", "year"):
        params = None  # display widths
    if canon in ("timestamp", "timestamptz", "time", "datetime") and params == "6":
        params = None
    if params is not None:
        params = ",".join(p.strip() for p in params.split(","))
        if canon == "numeric" and "," not in params:
            params += ",0"
        tail = f"({params})"
    out = canon + tail + ("[]" if array else "")
    return out, serial


# What a type name means in a dialect where that differs from the catalog's reading (which
# is PostgreSQL's): MySQL's FLOAT is single precision, its REAL double precision, its
# MEDIUMINT a 3-byte integer, not an integer, and its DATETIME, TIMESTAMP and TIME keep
# whole seconds unless given a precision (PostgreSQL's keep microseconds: (6) is theirs).
TYPE_MEANINGS: dict[str, dict[str, str]] = {
    "mysql": {"float": "real", "real": "double", "mediumint": "mediumint",
              "middleint": "mediumint", "int3": "mediumint", "int1": "tinyint",
              "fixed": "numeric", "serial": "bigint unsigned", "datetime": "datetime",
              "timestamp": "timestamp", "time": "time"},
    "postgres": {"float": "double"},  # FLOAT(p): real up to 24 bits, as in MySQL
}
_SECOND_FRACTIONS = frozenset({"datetime", "timestamp", "time"})
_TYPE_HEAD = re.compile(r"\s*([a-z_][a-z0-9_]*)\s*(?:\(\s*(\d+)\s*\))?")
# a catalog type keeps MySQL's UNSIGNED (ZEROFILL implies it) after its name and size
_SIGN_WORDS = re.compile(r"\b(unsigned|zerofill)\b")
_SIGNED_BASES = frozenset({"integer", "bigint", "smallint", "tinyint", "mediumint", "boolean",
                           "real", "double", "numeric"})
@lru_cache(maxsize=4096)
def declared_type(text: str, dialect: str) -> tuple[str, bool]:
    """``(catalog type, is_serial)`` of a type as written in ``dialect`` or as its engine
    reports it: :func:`normalise_type`, read with the dialect's own
    meaning of a name (see ``TYPE_MEANINGS``).

    >>> declared_type("float", "mysql"), declared_type("float", "postgres")
    (('real', False), ('double', False))
    """
    canon, serial = normalise_type(text)
    meanings = TYPE_MEANINGS.get(dialect)
    head = _TYPE_HEAD.match(text.lower()) if meanings else None
    if head is not None and head.group(1) in meanings:
        if head.group(1) == "float" and head.group(2):  # FLOAT(p): single up to 24 bits
            canon = "real" if int(head.group(2)) <= 24 else "double"
        elif head.group(1) in _SECOND_FRACTIONS:  # its own precision, (6) included
            canon = head.group(1) + (f"({head.group(2)})" if head.group(2) not in (None, "0")
                                     else "")
        else:
            meant = meanings[head.group(1)]
            params = canon[canon.find("("):] if "(" in canon and meant != "mediumint" else ""
            canon = meant + params
    if get_dialect(dialect).unsigned_integers and canon.split("(")[0] in _SIGNED_BASES:
        words = _SIGN_WORDS.findall(text.lower())
        if words:
            canon += " unsigned" + (" zerofill" if "zerofill" in words else "")
    return canon, serial
