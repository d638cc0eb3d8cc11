"""``archkit schema check`` and ``archkit schema transpile``: schema design from a shell.

Usage::

    archkit schema check schema.sql --dialect postgres [--engine sqlite|DSN] [--json]
    archkit schema transpile schema.sql --from postgres --to mysql [--out FILE [--force]] [--json]

Heavy libraries (sqlglot, drivers) load inside the handlers, never at import.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Callable

__all__ = ["register"]

_CACHED_BYTES = 16 * 1024 * 1024  # archkit.schema.parse.MAX_BYTES, the largest file it reads


def register(sub) -> None:
    """Add ``check`` and ``transpile`` to the ``archkit schema`` subparsers ``sub``."""
    from archkit.cli import add_json_flag

    check = sub.add_parser(
        "check", help="parse, validate and lint a schema; optionally apply it on an engine",
        description="Parse, validate and lint a schema file; with --engine also apply it in a "
                    "throwaway database and compare the engine's catalog with archkit's.",
    )
    check.add_argument("file", help="the DDL file")
    check.add_argument("--dialect", required=True, help="postgres, mysql or sqlite")
    check.add_argument("--engine", help="'sqlite' or a DSN (postgresql://..., mysql://...)")
    check.add_argument("--disable", default="", help="lint codes to switch off, e.g. SC204,SC206")
    check.add_argument("--no-cache", action="store_true",
                       help="check again even when this file was checked unchanged before "
                            "(results are kept in ARCHKIT_CACHE_DIR or ~/.cache/archkit)")
    add_json_flag(check)
    check.set_defaults(func=_check)

    tr = sub.add_parser(
        "transpile", help="write a schema for another dialect, listing what does not carry over",
        description="Transpile a schema between postgres, mysql and sqlite. The SQL goes to "
                    "stdout (or --out); notes on what could not be carried over go to stderr.",
    )
    tr.add_argument("file", help="the DDL file")
    tr.add_argument("--from", dest="source", required=True, help="source dialect")
    tr.add_argument("--to", dest="target", required=True, help="target dialect")
    tr.add_argument("--out", help="write the SQL to this file (atomically) instead of stdout")
    tr.add_argument("--force", action="store_true",
                    help="replace --out even when its content differs (it may have been edited)")
    add_json_flag(tr)
    tr.set_defaults(func=_transpile)


def _check(args: argparse.Namespace) -> int:
    """Answer from the result cache when this file, these options and this code were
    checked before (no --engine: a live database is not an input we can digest)."""
    from archkit.cli import EXIT_USAGE
    from archkit.result_cache import ResultCache

    cache = None if args.engine or args.no_cache else ResultCache.open("schema-check")
    info = os.stat(args.file)
    # a pipe or device can be read once only, and a huge file is refused by the check itself
    if cache is None or not stat.S_ISREG(info.st_mode) or info.st_size > _CACHED_BYTES:
        return _check_now(args)
    with open(args.file, "rb") as handle:
        raw = handle.read()
    options = [args.dialect, args.disable, str(bool(args.json))]  # as typed: no guessing
    key = cache.key(options, {args.file: raw})
    result = cache.get(key)
    if result is None:
        # the bytes digested are the bytes checked, even if the file changes meanwhile
        result = _captured(lambda: _check_now(args, raw))
        if result.code != EXIT_USAGE:
            cache.put(key, result)
    sys.stderr.write(result.stderr)
    sys.stdout.write(result.stdout)
    return result.code


def _check_now(args: argparse.Namespace, raw: bytes | None = None) -> int:
    """Parse, validate and lint ``args.file`` (or its bytes ``raw``, already read)."""
    from archkit.cli import emit, exit_code_for
    from archkit.schema.lint import LintConfig
    from archkit.schema.parse import decode_schema, normalise_dialect, read_schema
    from archkit.schema.validate import check_schema

    dialect = normalise_dialect(args.dialect)
    text = read_schema(args.file) if raw is None else decode_schema(raw, args.file)
    disabled = {c.strip().upper() for c in args.disable.split(",") if c.strip()}
    report = check_schema(text, dialect, file=args.file, engine=args.engine,
                          lint_config=LintConfig(disabled=disabled))
    emit(args, report.to_dict(), report.to_text)
    return exit_code_for(f.severity for f in report.findings)


def _captured(run: Callable[[], int]):
    """``run()`` with what it prints captured, as a ``Result``. An ArchkitError passes
    through untouched (main reports it; nothing is cached)."""
    import contextlib
    import io

    from archkit.result_cache import Result

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run()
    return Result(code, out.getvalue(), err.getvalue())


def _transpile(args: argparse.Namespace) -> int:
    from pathlib import Path

    from archkit.cli import emit, exit_code_for
    from archkit.fsio import atomic_write, write_new
    from archkit.schema.parse import read_schema
    from archkit.schema.transpile import transpile_schema

    text = read_schema(args.file)
    result = transpile_schema(text, args.source, args.target, file=args.file)
    if args.out:
        # a different file there may hold someone's edits: replace it only when told to
        (atomic_write if args.force else write_new)(Path(args.out), result.sql)
    data = {
        "from": result.source, "to": result.target,
        "sql": None if args.out else result.sql, "out": args.out,
        "notes": [
            {"code": n.code, "severity": str(n.severity), "message": n.message,
             "object": n.object, "line": n.line}
            for n in result.notes
        ],
    }
    if not args.json:
        for note in result.notes:
            print(f"-- {note}", file=sys.stderr)
    emit(args, data, lambda: f"wrote {args.out}" if args.out else result.sql.rstrip("\n"))
    return exit_code_for(n.severity for n in result.notes)
