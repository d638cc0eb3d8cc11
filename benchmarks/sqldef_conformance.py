"""sqldef conformance: run sqldef's own migration cases through archkit's diff + verify.

Usage::

    ARCHKIT_PG_DSN=postgresql://postgres@127.0.0.1:5432/test \\
    ARCHKIT_MYSQL_DSN=mysql://root@127.0.0.1:3306/test \\
        .venv/bin/python benchmarks/sqldef_conformance.py [--verbose] [--corpus DIR]

``--corpus DIR`` reads the ``*.yml`` case files of another folder (named like
``psqldef-tests_rename.yml``) instead of the shared corpus.

psqldef files run on PostgreSQL, mysqldef on MySQL/MariaDB, sqlite3def on SQLite (always).
A case passes when current → up equals desired and → down equals current on the engine.
Prints, per file: pass rate of the cases run, the skipped share (each skip with its reason
under --verbose) and the cases meant for another engine, flavor or version.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archkit.errors import ArchkitError  # noqa: E402
from archkit.migrations.verify import dialect_of_case_file, run_sqldef_cases  # noqa: E402
from archkit.schema.engines import engine_dsn  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "migrations"
TARGET_PASS, MAX_SKIP = 0.90, 0.15


def corpus_of(argv: list[str]) -> Path:
    """The folder named by ``--corpus DIR`` (or ``--corpus=DIR``), else the shared corpus."""
    for i, arg in enumerate(argv):
        if arg == "--corpus" and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--corpus="):
            return Path(arg.split("=", 1)[1])
    return CORPUS


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    corpus = corpus_of(argv)
    if not corpus.is_dir():
        print(f"{corpus}: no such folder — pass --corpus DIR with sqldef *.yml case files")
        return 2
    ok = True
    per_engine: dict[str, list[int]] = {}  # engine → [pass, fail, skipped]
    for path in sorted(corpus.glob("*.yml")):
        try:
            dialect = dialect_of_case_file(path)
        except ArchkitError:  # mssqldef's files, a schema file...: no engine here for them
            print(f"{path.name}: not run — not a psqldef, mysqldef or sqlite3def case file")
            continue
        engine = engine_dsn(dialect)
        if engine is None:
            print(f"{path.name}: not run — set the DSN for {dialect}")
            continue
        start = time.perf_counter()
        report = run_sqldef_cases(path, engine)
        took = time.perf_counter() - start
        totals = per_engine.setdefault(report.engine, [0, 0, 0])
        for i, status in enumerate(("pass", "fail", "skip")):
            totals[i] += report.count(status)
        good = report.pass_rate >= TARGET_PASS and report.skip_rate <= MAX_SKIP
        ok &= good
        print(f"{'PASS' if good else 'MISS'} {report.summary()} [{took:.1f}s]")
        if report.count("n/a"):
            both = (report.count("skip") + report.count("n/a")) / len(report.cases)
            print(f"    (counting the cases for another engine as skipped too: {both:.1%})")
        for case in report.cases:
            if case.status == "fail" or (verbose and case.status != "pass"):
                print(f"    {case.status:4} {case.name}: {case.reason}")
    for engine, (passed, failed, skipped) in sorted(per_engine.items()):
        judged = passed + failed
        rate = passed / judged if judged else 1.0
        print(f"{engine}: {passed}/{judged} judgeable cases pass ({rate:.1%}); "
              f"{skipped} not judgeable (skipped)")
    print(f"target: >= {TARGET_PASS:.0%} of run cases pass, <= {MAX_SKIP:.0%} of applicable "
          f"cases skipped per file")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
