"""Rails ``db/structure.sql`` histories: diff each consecutive pair and prove it on PostgreSQL.

Usage::

    ARCHKIT_PG_DSN=postgresql://postgres@127.0.0.1:5432/test \\
        .venv/bin/python benchmarks/rails_structure_pairs.py [--dir DIR ...] [--verbose]

A folder holds one app's versions in order (``1.sql``, ``2.sql``…, sorted by the number in
the name); without ``--dir`` the fixture history in tests/migrations/data/rails_structure runs.
For each pair (a, b): a pair is applicable when a and b each apply alone on the engine; up is
ok when a + diff(a, b).up has b's catalog (``Catalog.compare`` on introspection, the engine's
functions, triggers, extensions… as ``verify`` reads them, the names in pg_proc,
pg_trigger and pg_extension, each table's UNLOGGED, replica identity, clustering and
storage parameters, each column's collation, each sequence's options, the NOT VALID
constraints, the comments on indexes, sequences and constraints) and the diff left no
statement out (MG005/MG007/MG008); down is ok when up + down has a's again.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archkit.errors import ArchkitError  # noqa: E402
from archkit.migrations.diff import diff_sql  # noqa: E402
from archkit.migrations.verify import apply_schema, apply_sql, as_script, reset  # noqa: E402
from archkit.schema.engines import engine_dsn, sandbox  # noqa: E402
from archkit.schema.introspect import introspect_objects  # noqa: E402

FIXTURES = ROOT / "tests" / "migrations" / "data" / "rails_structure"

# what exists on the engine, by name, whatever the introspection makes of it
NAMES = ("SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p "
         "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN "
         "('pg_catalog', 'information_schema') UNION ALL "
         "SELECT 'trigger ' || c.relname || '.' || t.tgname FROM pg_trigger t "
         "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal UNION ALL "
         "SELECT 'extension ' || e.extname || ' in ' || n.nspname FROM pg_extension e "
         "JOIN pg_namespace n ON n.oid = e.extnamespace UNION ALL "
         # what the catalog does not compare: UNLOGGED and storage parameters
         "SELECT 'storage of ' || c.oid::regclass::text || ': ' || "
         "c.relpersistence::text || c.relreplident::text || ' ' || "
         "coalesce((SELECT string_agg(o, ',' ORDER BY o) FROM unnest(c.reloptions) o), '') "
         "FROM pg_class c "
         "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm') "
         "AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') UNION ALL "
         # and a column's collation, where it is not its type's own
         "SELECT 'collation of ' || a.attrelid::regclass::text || '.' || a.attname || ': ' || "
         "co.collname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
         "JOIN pg_collation co ON co.oid = a.attcollation JOIN pg_class c ON c.oid = a.attrelid "
         "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.attnum > 0 AND NOT "
         "a.attisdropped AND a.attcollation <> t.typcollation AND c.relkind IN ('r', 'p') "
         "AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') UNION ALL "
         # and each sequence's options
         "SELECT 'sequence ' || s.seqrelid::regclass::text || ': ' || "
         "format_type(s.seqtypid, NULL) || ' start ' || s.seqstart || ' by ' || s.seqincrement "
         "|| ' from ' || s.seqmin || ' to ' || s.seqmax || ' cache ' || s.seqcache || "
         "CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END FROM pg_sequence s UNION ALL "
         # and which constraints are NOT VALID (existing rows not checked)
         "SELECT 'not valid: ' || conrelid::regclass::text || '.' || conname "
         "FROM pg_constraint WHERE NOT convalidated AND conrelid <> 0 UNION ALL "
         "SELECT 'clustered on ' || indexrelid::regclass::text FROM pg_index "
         "WHERE indisclustered UNION ALL "
         # and the comments on indexes, sequences and constraints
         "SELECT 'comment on ' || c.oid::regclass::text || ': ' || d.description "
         "FROM pg_description d JOIN pg_class c ON c.oid = d.objoid AND d.classoid = "
         "'pg_class'::regclass AND d.objsubid = 0 WHERE c.relkind IN ('i', 'I', 'S') UNION ALL "
         "SELECT 'comment on ' || co.conrelid::regclass::text || '.' || co.conname || ': ' || "
         "d.description FROM pg_description d JOIN pg_constraint co ON co.oid = d.objoid "
         "AND d.classoid = 'pg_constraint'::regclass")


@dataclass
class PairResult:
    """One consecutive pair: whether it applies, and whether up and down reach their side."""

    name: str
    applicable: bool = True
    up_ok: bool = False
    down_ok: bool = False
    problems: list[str] = field(default_factory=list)


def versions(folder: Path) -> list[Path]:
    """The ``*.sql`` files of ``folder`` in version order (the number in the name)."""
    def number(p: Path) -> tuple[int, str]:
        m = re.search(r"\d+", p.stem)
        return (int(m.group()) if m else 0, p.name)
    return sorted(folder.glob("*.sql"), key=number)


def state(box) -> tuple:
    """Everything compared about the sandbox now: catalog, carried objects, names."""
    return box.introspect(), introspect_objects(box), {r[0] for r in box.query(NAMES)}


def differences(want: tuple, got: tuple) -> list[str]:
    """What differs between two :func:`state` results."""
    out = want[0].compare(got[0], names=True)
    out += [f"{k}: {'missing' if k not in got[1] else 'differs'}" for k in sorted(want[1])
            if got[1].get(k) != want[1][k]]
    out += [f"{k}: unexpected" for k in sorted(set(got[1]) - set(want[1]))]
    out += [f"{n}: missing (by name)" for n in sorted(want[2] - got[2])]
    out += [f"{n}: unexpected (by name)" for n in sorted(got[2] - want[2])]
    return out


def check_pair(box, a: Path, b: Path) -> PairResult:
    """Apply a, then diff(a, b).up (must equal b applied alone), then down (must equal a)."""
    out = PairResult(f"{a.name} → {b.name}")
    old, new = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
    wants = []
    for side, text in (("b", new), ("a", old)):
        reset(box)
        if err := apply_schema(box, text):
            out.applicable = False
            out.problems.append(f"{side} does not apply alone: {err}")
            return out
        wants.append(state(box))
    try:
        m = diff_sql(old, new, "postgres", allow_destructive=True, lint=False)
    except ArchkitError as err:
        out.problems.append(f"diff refused: {err}")
        return out
    # a statement not read (MG007), an object or a generated expression not migrated
    left_out = [f"{f.code} {f.message}" for f in m.findings
                if f.code in ("MG005", "MG007", "MG008")]
    out.problems += left_out
    if err := apply_sql(box, as_script(m.up)):  # the sandbox holds a, applied last
        out.problems.append(f"up failed: {err}")
        return out
    up_diff = differences(wants[0], state(box))
    out.up_ok = not up_diff and not left_out  # a statement left out is not reproduced
    out.problems += [f"after up: {d}" for d in up_diff]
    if err := apply_sql(box, as_script(m.down)):
        out.problems.append(f"down failed: {err}")
        return out
    down_diff = differences(wants[1], state(box))
    out.down_ok = not down_diff and not left_out
    out.problems += [f"after down: {d}" for d in down_diff]
    return out


def run_folder(box, folder: Path, verbose: bool) -> list[PairResult]:
    files = versions(folder)
    results = []
    for a, b in zip(files, files[1:], strict=False):
        start = time.perf_counter()
        r = check_pair(box, a, b)
        results.append(r)
        if verbose or r.problems:
            mark = "n/a" if not r.applicable else (
                "ok" if r.up_ok and r.down_ok else "FAIL")
            print(f"  {mark:4} {r.name} [{time.perf_counter() - start:.1f}s]")
            for p in r.problems[:12]:
                print(f"       {p[:300]}")
    return results


def main(argv: list[str]) -> int:
    dsn = engine_dsn("postgres")
    if dsn is None:
        print("set ARCHKIT_PG_DSN, e.g. postgresql://postgres@127.0.0.1:5432/test")
        return 2
    dirs = [Path(argv[i + 1]) for i, a in enumerate(argv) if a == "--dir"] or [FIXTURES]
    verbose = "--verbose" in argv
    all_ok = True
    with sandbox(dsn) as box:
        for folder in dirs:
            print(f"{folder}:")
            results = run_folder(box, folder, verbose)
            applicable = [r for r in results if r.applicable]
            up = sum(r.up_ok for r in applicable)
            down = sum(r.down_ok for r in applicable)
            all_ok &= up == down == len(applicable)
            print(f"{folder.name}: {len(results)} pairs, {len(applicable)} applicable, "
                  f"up ok {up}/{len(applicable)}, down ok {down}/{len(applicable)}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
