"""Fuzz every parser with mutated corpus files and generated text: no crash, no slow input.

Usage::

    .venv/bin/python benchmarks/fuzz.py [--seconds 300] [--parsers sql,dsl] [--seed 1]
        [--crashes DIR]

For each parser in ``PARSERS`` (one row per parser: its name, the seed files it starts
from, and how to call it), inputs are made from its seeds by mutation (spans deleted,
duplicated, swapped; hostile tokens and long runs inserted; the file cut short), plus a
share of generated token soup, and each is run under a per-input time limit. Only
ArchkitError may escape; anything else is a crash. The budget (``--seconds``) is split
evenly over the parsers selected with ``--parsers`` (names or prefixes, comma-separated).

Prints per parser: inputs tried, crashes (target 0), inputs over 1 s of CPU time (target 0),
and the slowest input's CPU time with its size (a hang is wall-clock: over 10 s); crashing
inputs are written to ``--crashes`` (default ``fuzz-crashes/`` under the system temp
folder). Exit 1 when a crash or a slow input was seen. To add a parser, add a row to
``PARSERS``.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archkit.errors import ArchkitError  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
EXAMPLE = ROOT / "examples" / "order_platform"
SLOW = 1.0  # seconds: an input slower than this is reported
LIMIT = 10.0  # seconds: an input still running after this is a hang (counted as a crash)


# -- the parsers -------------------------------------------------------------------------
def _sql_check(dialect: str) -> Callable[[str], object]:
    def run(text: str) -> object:
        from archkit.schema.validate import check_schema

        return check_schema(text, dialect)
    return run


def _sql_diff(text: str) -> object:
    from archkit.migrations.diff import diff_sql

    base = "CREATE TABLE a (id int PRIMARY KEY, b text);\nCREATE INDEX a_b ON a (b);\n"
    for dialect in ("postgres", "mysql", "sqlite"):
        diff_sql(base, text, dialect)
        diff_sql(text, base, dialect)
    return None


def _sql_lint_migration(text: str) -> object:
    from archkit.migrations.safety import lint_migration

    for dialect in ("postgres", "mysql", "sqlite"):
        lint_migration(text, dialect)
    return None


def _sql_transpile(text: str) -> object:
    from archkit.schema.transpile import transpile_schema

    for source in ("postgres", "mysql", "sqlite"):
        for target in ("postgres", "mysql", "sqlite"):
            if source != target:
                transpile_schema(text, source, target)
    return None


def _dsl(text: str) -> object:
    from archkit.c4 import parse_dsl

    with tempfile.TemporaryDirectory() as tmp:  # !include resolves inside a throwaway folder
        return parse_dsl(text, file="fuzz.dsl", base_dir=Path(tmp))


def _adr_record(text: str) -> object:
    from archkit.adr import loads

    return loads(text, file="0001-fuzz.md")


def _adr_folder(text: str) -> object:
    from archkit.adr.workshop import import_folder

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs" / "adr"
        folder.mkdir(parents=True)
        (folder / "0001-record-architecture-decisions.md").write_text(text, "utf-8")
        (folder / "adr-002-fuzz.md").write_text(text[::-1], "utf-8")
        return import_folder(folder)


def _yaml_loader(module: str, function: str) -> Callable[[str], object]:
    def run(text: str) -> object:
        import importlib

        load = getattr(importlib.import_module(module), function)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "input.yaml"
            path.write_text(text, "utf-8")
            return load(path)
    return run


def _files(folder: Path, *patterns: str) -> list[Path]:
    return sorted(p for pat in patterns for p in folder.glob(pat) if p.is_file())


@dataclass(frozen=True)
class Parser:
    """One fuzzed parser: its seeds, how inputs are cut from them, and the call."""

    name: str
    seeds: Callable[[], list[Path]]
    call: Callable[[str], object]
    chunk: str = "statements"  # "statements" (SQL: a few ;-separated), "lines" or "whole"
    tokens: tuple[str, ...] = ()
    owner: str = ""


SQL_TOKENS = ("(", ")", "'", '"', "`", ",", ";", "--", "/*", "*/", "$$", "::", "[", "]",
              "CREATE TABLE", "PRIMARY KEY", "REFERENCES", "FOREIGN KEY", "CHECK", "DEFAULT",
              "NOT NULL", "UNIQUE", "CONSTRAINT", "INDEX", "ON", "VIEW", "AS", "SELECT",
              "COMMENT ON COLUMN", "ALTER TABLE", "ADD", "DROP", "AUTO_INCREMENT", "ENUM",
              "GENERATED ALWAYS AS", "DATE_SUB(", "E=B", "\\", "\x00", "é", "\t")
DSL_TOKENS = ("{", "}", '"', "->", "!include", "!identifiers hierarchical", "group", "this",
              "workspace", "model", "views", "person", "softwareSystem", "container", "=",
              "autoLayout", "deploymentEnvironment", "\n", "\\", "<x> URL=\"javascript:\"")
MD_TOKENS = ("#", "##", "---", "\n", " \n", "Status:", "Superseded by [x](y)", "*", "-", "|",
             "[", "](", ")", "```", "\t", "Date: 2020-01-01", "<!--", "-->")
YAML_TOKENS = (":", "- ", "[", "]", "{", "}", "\n", "  ", "'", '"', "&a", "*a", "!!python",
               "lots", "name: [a]", "decisions: [[[[", "weight: -1", "\t", "%YAML")

PARSERS: list[Parser] = [
    *(Parser(f"sql-check-{d}", (lambda d=d: _files(CORPORA / "schema", f"*.{d}.sql")
                                + _files(EXAMPLE / "schema", "*.sql")),
             _sql_check(d), "statements", SQL_TOKENS, "schema")
      for d in ("postgres", "mysql", "sqlite")),
    Parser("sql-diff", lambda: _files(EXAMPLE / "schema", "*.sql")
           + _files(CORPORA / "schema", "sakila-schema.sqlite.sql"),
           _sql_diff, "statements", SQL_TOKENS, "schema"),
    Parser("sql-transpile", lambda: _files(CORPORA / "schema", "*.sql")
           + _files(EXAMPLE / "schema", "*.sql"), _sql_transpile, "statements", SQL_TOKENS,
           "schema"),
    Parser("sql-lint-migration", lambda: _files(EXAMPLE / "schema", "*.sql")
           + _files(ROOT / "tests" / "migrations" / "safety_cases", "*.sql"),
           _sql_lint_migration, "statements", SQL_TOKENS, "schema"),
    Parser("dsl", lambda: _files(CORPORA / "c4", "*.dsl", "structurizr-dsl/*.dsl"),
           _dsl, "whole", DSL_TOKENS, "c4"),
    Parser("adr-record", lambda: _files(CORPORA / "adr", "*.md", "*/*.md", "*/*/*.md"),
           _adr_record, "whole", MD_TOKENS, "adr"),
    Parser("adr-import", lambda: _files(CORPORA / "adr", "*.md", "*/*.md", "*/*/*.md"),
           _adr_folder, "whole", MD_TOKENS, "adr"),
    Parser("requirements", lambda: _files(EXAMPLE, "requirements.yaml"),
           _yaml_loader("archkit.brainstorm.requirements", "load_requirements"), "whole",
           YAML_TOKENS, "brainstorm"),
    Parser("decisions", lambda: _files(EXAMPLE, "decisions.yaml"),
           _yaml_loader("archkit.brainstorm.load", "load_decisions"), "whole", YAML_TOKENS,
           "brainstorm"),
]


# -- making inputs ----------------------------------------------------------------------------
def _chunks(text: str, how: str) -> list[str]:
    if how == "statements":
        parts = [p + ";" for p in text.split(";") if p.strip()]
        return ["".join(parts[i:i + 4]) for i in range(0, len(parts), 2)] or [text]
    if how == "lines":
        lines = text.splitlines(keepends=True)
        return ["".join(lines[i:i + 30]) for i in range(0, len(lines), 15)] or [text]
    return [text]


def mutate(text: str, rng: random.Random, tokens: tuple[str, ...]) -> str:
    """``text`` with one to four random edits (spans, hostile tokens, long runs, cuts)."""
    for _ in range(rng.randint(1, 4)):
        n = len(text)
        i, j = sorted((rng.randint(0, n), rng.randint(0, n)))
        op = rng.randrange(7)
        if op == 0:
            text = text[:i] + text[j:]  # delete a span
        elif op == 1:
            text = text[:j] + text[i:j] + text[j:]  # duplicate a span
        elif op == 2 and tokens:
            text = text[:i] + rng.choice(tokens) + text[i:]  # insert a hostile token
        elif op == 3:
            run = rng.choice(["(", " ", "\t", "a", "'", "-", "*", "{", "[", "\n"])
            text = text[:i] + run * rng.choice([100, 1000, 5000]) + text[i:]  # long run
        elif op == 4:
            text = text[:i]  # cut short
        elif op == 5 and n > 1:
            k = rng.randint(0, n)
            text = text[:i] + text[k:k + (j - i)] + text[j:]  # overwrite with another span
        else:
            text = text[:i] + chr(rng.choice([0x27, 0x22, 0x60, 0x28, 0x29, 0xFEFF, 0x2028])) \
                + text[i:]
    return text


def soup(rng: random.Random, tokens: tuple[str, ...]) -> str:
    """Generated input: hostile tokens and words in random order."""
    words = list(tokens) + ["x", "t", "1", "a.b", "'s'", "NULL", " ", "\n"]
    return " ".join(rng.choice(words) for _ in range(rng.randint(1, 60)))


# -- running --------------------------------------------------------------------------------
class _Hang(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Hang()


@dataclass
class Tally:
    tried: int = 0
    crashes: int = 0
    slow: int = 0
    slowest: float = 0.0
    slowest_size: int = 0


def fuzz(parser: Parser, seconds: float, rng: random.Random, crash_dir: Path) -> Tally:
    tally = Tally()
    seeds = [c for p in parser.seeds() for c in _chunks(p.read_text("utf-8", "replace"),
                                                         parser.chunk)]
    if not seeds:
        return tally
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        text = soup(rng, parser.tokens) if rng.random() < 0.15 else \
            mutate(rng.choice(seeds), rng, parser.tokens)
        signal.setitimer(signal.ITIMER_REAL, LIMIT)
        start = time.process_time()  # CPU time: other processes on a shared machine do not count
        failure = None
        try:
            parser.call(text)
        except ArchkitError:
            pass
        except _Hang:
            failure = f"hang: still running after {LIMIT:.0f} s\n"
        except Exception:  # noqa: BLE001 - every other exception is what we look for
            failure = traceback.format_exc()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        took = time.process_time() - start
        tally.tried += 1
        if took > tally.slowest:
            tally.slowest, tally.slowest_size = took, len(text)
        if took > SLOW:
            tally.slow += 1
            failure = failure or f"slow: {took:.2f} s\n"
        if failure:
            tally.crashes += failure.startswith(("Traceback", "hang"))
            crash_dir.mkdir(parents=True, exist_ok=True)
            stem = crash_dir / f"{parser.name}-{tally.tried}"
            stem.with_suffix(".input").write_text(text, "utf-8", "replace")
            stem.with_suffix(".txt").write_text(failure, "utf-8")
    return tally


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=300.0, help="total budget (default 300)")
    ap.add_argument("--parsers", default="", help="names or prefixes, comma-separated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--crashes", type=Path,
                    default=Path(tempfile.gettempdir()) / "fuzz-crashes")
    args = ap.parse_args(argv)
    wanted = [w.strip() for w in args.parsers.split(",") if w.strip()]
    chosen = [p for p in PARSERS if not wanted or any(p.name.startswith(w) for w in wanted)]
    if not chosen:
        print(f"no parser matches {args.parsers!r}; known: {', '.join(p.name for p in PARSERS)}")
        return 2
    signal.signal(signal.SIGALRM, _alarm)
    import logging

    logging.getLogger("sqlglot").setLevel(logging.CRITICAL)
    rng = random.Random(args.seed)
    per = args.seconds / len(chosen)
    bad = False
    print(f"{'parser':22} {'owner':10} {'tried':>7} {'crashes':>8} {'>1 s':>5} "
          f"{'slowest':>9} {'its size':>9}")
    for parser in chosen:
        t = fuzz(parser, per, rng, args.crashes)
        bad |= bool(t.crashes or t.slow)
        print(f"{parser.name:22} {parser.owner:10} {t.tried:7d} {t.crashes:8d} {t.slow:5d} "
              f"{t.slowest:8.3f}s {t.slowest_size:9d}", flush=True)
    print(f"targets: 0 crashes, 0 inputs over {SLOW:.0f} s; failing inputs in {args.crashes}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
