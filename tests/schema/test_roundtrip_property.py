"""Round trip (issue 11 item 6): parse → catalog → write → parse gives the same catalog.

For every SQL file of the corpora (``schema/*.sql``, the ``current`` / ``desired`` schemas
of sqldef's cases in ``migrations/*.yml``) and of the worked example, in the dialect it is
written for, through both DDL writers:

* ``diff`` — what ``archkit schema diff`` writes to create the schema from nothing;
* ``ddl`` — ``archkit.schema.ddl.write_catalog``, every catalog object written anew;
* ``transpile`` — ``transpile.transpile_schema`` to the same dialect.

"Attributes parsed but not written" are counted by flattening both catalogs to every leaf
attribute (compared or not, ``line`` excepted) and diffing them; the count per file is
printed (``pytest -s``). A difference is allowed only when it is a listed KNOWN_GAP, and
every known gap must still show on its witness, so the list stays true.

On the engines (SQLite always; PostgreSQL / MariaDB with ARCHKIT_PG_DSN /
ARCHKIT_MYSQL_DSN), the original and the written DDL applied to a fresh database give the
same introspected catalog.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest
import yaml

from archkit.errors import ArchkitError
from archkit.schema.parse import parse_schema

ROOT = Path(__file__).resolve().parents[2]
CORPORA = Path(os.environ.get("ARCHKIT_CORPORA") or ROOT.parent / "shared" / "corpora")
EXAMPLE = ROOT / "examples" / "order_platform"
_DIALECT_OF_YML = (("psqldef", "postgres"), ("mysqldef", "mysql"), ("sqlite3def", "sqlite"))


def _dialect_of(name: str) -> str:
    if name.endswith(".sql") and "/" not in name and name.count(".") >= 2:
        return {"postgres": "postgres", "mysql": "mysql", "sqlite": "sqlite"}[
            name.split(".")[-2]]
    for prefix, dialect in _DIALECT_OF_YML:
        if name.startswith(prefix):
            return dialect
    return "postgres"  # the worked example's design folder is PostgreSQL


SQL_FILES = sorted(p.name for p in (CORPORA / "schema").glob("*.sql"))
YML_FILES = sorted(p.name for p in (CORPORA / "migrations").glob("*.yml"))
EXAMPLE_FILES = sorted(f"example/{p.name}" for p in (EXAMPLE / "schema").glob("*.sql"))


def sources(name: str, corpora: Path) -> list[tuple[str, str, str]]:
    """``(label, dialect, SQL)`` for every schema a corpus entry holds."""
    if name.startswith("example/"):
        return [(name, "postgres", (EXAMPLE / "schema" / name.split("/", 1)[1]).read_text())]
    if name.endswith(".sql"):
        return [(name, _dialect_of(name), (corpora / "schema" / name).read_text())]
    dialect = _dialect_of(name)
    cases = yaml.safe_load((corpora / "migrations" / name).read_text(encoding="utf-8")) or {}
    out = []
    for case, body in cases.items():
        for side in ("current", "desired"):
            text = body.get(side) or ""
            if text.strip():
                out.append((f"{name}:{case}:{side}", dialect, text))
    return out


# -- the writers ------------------------------------------------------------------------------
def write_diff(text: str, dialect: str) -> str:
    """What ``archkit schema diff`` writes to create the schema from nothing (it reuses a
    table's own CREATE TABLE text where it has one)."""
    from archkit.migrations.diff import diff_sql
    from archkit.migrations.verify import as_script

    return as_script(diff_sql("", text, dialect, allow_destructive=True, lint=False).up)


def write_ddl(text: str, dialect: str) -> str:
    """Every catalog object through ``archkit.schema.ddl.write_catalog`` (no table, index
    or view text reused); the statements the catalog does not hold (extensions, routines,
    triggers) from the schema's ``Source``."""
    from archkit.migrations.source import parse_source
    from archkit.schema.ddl import write_catalog

    source, _ = parse_source(text, dialect)
    return write_catalog(parse_schema(text, dialect).catalog, dialect, source=source)


def write_transpile(text: str, dialect: str) -> str:
    """``transpile.transpile_schema`` to the schema's own dialect (the catalog written by
    ``render_catalog``, with the statements it carries as written: extensions, routines,
    triggers...)."""
    from archkit.schema.transpile import transpile_schema

    return transpile_schema(text, dialect, dialect).sql


WRITERS = {"diff": write_diff, "ddl": write_ddl, "transpile": write_transpile}


# -- attribute by attribute ---------------------------------------------------------------------
def flatten(obj, dialect: str, path: str = "catalog", out: dict | None = None) -> dict:
    """Every leaf attribute of a catalog (compared or not; ``line`` excepted) by its path."""
    out = {} if out is None else out
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            if f.name != "line":
                flatten(getattr(obj, f.name), dialect, f"{path}.{f.name}", out)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            flatten(v, dialect, f"{path}[{k!r}]", out)
    elif isinstance(obj, list | tuple) and any(dataclasses.is_dataclass(x) for x in obj):
        for i, v in enumerate(obj):
            flatten(v, dialect, f"{path}[{i}]", out)
    elif hasattr(obj, "sql") and hasattr(obj, "args"):  # a sqlglot tree: compare its SQL
        out[path] = obj.sql(dialect)
    else:
        out[path] = obj
    return out


_ABSENT = "<absent>"


def lost_attributes(text: str, dialect: str, writer: str) -> tuple[list[tuple], str]:
    """``([(path, parsed, after the round trip), ...], written DDL)``."""
    before = parse_schema(text, dialect).catalog
    written = WRITERS[writer](text, dialect)
    try:
        after = parse_schema(written, dialect).catalog
    except ArchkitError:  # nothing written at all
        after = type(before)(dialect)
    a, b = flatten(before, dialect), flatten(after, dialect)
    return [(k, a.get(k, _ABSENT), b.get(k, _ABSENT)) for k in sorted(set(a) | set(b))
            if a.get(k, _ABSENT) != b.get(k, _ABSENT)], written


# -- known gaps ----------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Gap:
    writer: str
    dialect: str
    path: str  # regex on the attribute path, keys replaced by []
    reason: str
    witness: str  # a source label where it shows
    where: str = ".*"  # regex on the source label, for gaps of a few sources only

    def covers(self, writer: str, dialect: str, path: str, label: str = "") -> bool:
        return (writer == self.writer and dialect == self.dialect
                and re.fullmatch(self.path, _shape(path)) is not None
                and (not label or re.fullmatch(self.where, label) is not None))


def _shape(path: str) -> str:
    return re.sub(r"\[[^\]]*\]", "[]", path)


# Attributes a writer loses on purpose, each with its reason and a witness (a source label
# where it shows; the test below fails once it no longer does). Empty: every attribute of
# every corpus file is written back by all three writers. Add an entry only with a reason a
# user would accept (an engine that cannot hold the attribute), never to hide a regression:
#   "writer/dialect/name": Gap(writer, dialect, r"catalog\.tables\[\]\.…", reason, witness)
KNOWN_GAPS: dict[str, Gap] = {}


def unexplained(lost: list[tuple], writer: str, dialect: str, label: str = ""
                ) -> list[tuple]:
    return [x for x in lost
            if not any(g.covers(writer, dialect, x[0], label) for g in KNOWN_GAPS.values())]


def _find(label: str, corpora: Path) -> tuple[str, str, str]:
    name = label.split(":", 1)[0]
    for src in sources(name, corpora):
        if src[0] == label:
            return src
    raise LookupError(label)


# -- tests ------------------------------------------------------------------------------------
@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("name", SQL_FILES + EXAMPLE_FILES + YML_FILES)
def test_round_trip_writes_every_attribute_it_parsed(name, writer, corpora):
    bad: list[str] = []
    total = 0
    for label, dialect, text in sources(name, corpora):
        lost, _ = lost_attributes(text, dialect, writer)
        total += len(lost)
        left = unexplained(lost, writer, dialect, label)
        if name.endswith(".sql"):  # per file; sqldef files print their total below
            print(f"{label} [{dialect}, {writer}]: {len(lost)} attributes parsed but not "
                  f"written ({len(lost) - len(left)} of them known gaps)")
        bad += [f"{label}: {p}: {x!r} -> {y!r}" for p, x, y in left]
    if not name.endswith(".sql"):
        print(f"{name} [{writer}]: {total} attributes parsed but not written")
    assert bad == [], f"{len(bad)} attributes parsed but not written:\n" + "\n".join(bad[:40])


@pytest.mark.parametrize("gap", sorted(KNOWN_GAPS))
def test_known_gap_is_still_a_gap(gap, corpora):
    """A gap that a fix closed must leave the list (so the list stays true)."""
    g = KNOWN_GAPS[gap]
    label, dialect, text = _find(g.witness, corpora)
    assert dialect == g.dialect
    lost, _ = lost_attributes(text, dialect, g.writer)
    assert any(g.covers(g.writer, dialect, p) for p, _, _ in lost), (
        f"known gap {gap!r} no longer shows on {g.witness}: remove it from KNOWN_GAPS")


# -- on the engines -------------------------------------------------------------------------------
_ENGINE_FIXTURE = {"postgres": "pg_dsn", "mysql": "mysql_dsn"}


@pytest.fixture(scope="module")
def boxes(request):
    """One throwaway database per engine for the module (emptied between schemas)."""
    from contextlib import ExitStack

    from archkit.schema.engines import sandbox

    opened: dict[str, object] = {}
    with ExitStack() as stack:
        def get(dialect: str):
            if dialect not in opened:
                engine = "sqlite" if dialect == "sqlite" else request.getfixturevalue(
                    _ENGINE_FIXTURE[dialect])
                opened[dialect] = stack.enter_context(sandbox(engine))
            return opened[dialect]
        yield get


def introspected(box, sql: str):
    """``(introspected catalog, None)`` or ``(None, the engine's error)``."""
    from archkit.migrations.verify import apply_schema, reset

    reset(box)
    error = apply_schema(box, sql)
    if error:
        return None, error
    return box.introspect(), None


APPLY = "<written DDL applies>"  # the path a gap names when the written DDL fails
SAME = "<same introspection>"  # the path a gap names for a difference on the engine


def engine_differences(box, text: str, written: str) -> tuple[str | None, list[tuple]]:
    """``(why the original does not apply, or None; [(path, difference, None), ...])``:
    the engine's catalogs after applying each, compared as ``verify`` compares them
    (``Catalog.compare``: what introspection reads back, engine-given names aside)."""
    want, error = introspected(box, text)
    if error:
        return error, []
    got, error = introspected(box, written)
    if error:
        return None, [(APPLY, error, None)]
    return None, [(SAME, d, None) for d in want.compare(got)]


@dataclasses.dataclass(frozen=True)
class EngineGap:
    writers: tuple[str, ...]
    dialect: str
    message: str  # regex searched in the difference (or the engine's error)
    reason: str
    witness: str

    def covers(self, writer: str, dialect: str, message: str) -> bool:
        return (writer in self.writers and dialect == self.dialect
                and re.search(self.message, message) is not None)


# Differences on the engine a writer leaves on purpose (a message regex searched in
# Catalog.compare's lines or the engine's error, a reason, a witness). Empty: the written DDL
# of every corpus schema the engine accepts gives the same introspected schema.
ENGINE_GAPS: dict[str, EngineGap] = {}


def engine_unexplained(diffs: list[tuple], writer: str, dialect: str) -> list[tuple]:
    return [d for d in diffs if not any(g.covers(writer, dialect, str(d[1]))
                                        for g in ENGINE_GAPS.values())]


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("name", SQL_FILES + EXAMPLE_FILES + YML_FILES)
def test_written_ddl_gives_the_same_schema_on_the_engine(name, writer, corpora, boxes):
    bad, rejected, compared, known = [], [], 0, 0
    for label, dialect, text in sources(name, corpora):
        box = boxes(dialect)
        why, diffs = engine_differences(box, text, WRITERS[writer](text, dialect))
        if why is not None:
            if name.endswith(".sql"):
                pytest.skip(f"{label} does not apply on {box.name} as it is: {why[:200]}")
            rejected.append(label)
            continue
        compared += 1
        left = engine_unexplained(diffs, writer, dialect)
        known += len(diffs) - len(left)
        bad += [f"{label}: {p}: {x!r} -> {y!r}" for p, x, y in left]
    print(f"{name} [{writer}] on {box.name}: {compared} schemas compared, {len(rejected)} "
          f"rejected by the engine as they are, {known} known-gap differences")
    assert bad == [], f"{len(bad)} differences:\n" + "\n".join(bad[:40])


@pytest.mark.parametrize("gap", sorted(ENGINE_GAPS))
def test_known_engine_gap_is_still_a_gap(gap, corpora, boxes):
    g = ENGINE_GAPS[gap]
    label, dialect, text = _find(g.witness, corpora)
    assert dialect == g.dialect
    shown = []
    for writer in g.writers:
        why, diffs = engine_differences(boxes(dialect), text, WRITERS[writer](text, dialect))
        assert why is None, f"the witness {label} does not apply: {why}"
        shown += [d for d in diffs if g.covers(writer, dialect, str(d[1]))]
    assert shown, f"known engine gap {gap!r} no longer shows on {label}: remove it"
