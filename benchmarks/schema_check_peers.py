"""`archkit schema check` as a whole process against its peers, on a real ~100 KB dump.

Usage::

    .venv/bin/python benchmarks/schema_check_peers.py [--runs N] [--sqlfluff PATH]
        [--baseline OTHER_CHECKOUT] [PAGILA_SQL]

Peers (each a whole process on the same file, like a user or CI would run it):

archkit is timed twice: ``archkit`` is the first check of the file (start, import, parse,
validate, lint, and the result stored: its result cache is emptied before each run, out of
the timing), ``archkit, cached`` answers a re-run on the unchanged file from that cache
(``archkit/result_cache.py``; filled by the warm-up run). Both are set against each peer.

* ``squawk`` (squawk-cli on PyPI, in the dev environment): goal archkit <= 1.5x squawk.
* ``sqlfluff lint --dialect postgres`` with ``large_file_skip_byte_limit = 0`` (a dump is
  larger than sqlfluff's default 20 KB limit, which would skip it): goal archkit >= 30x
  faster. sqlfluff is not an archkit dependency: install it in a venv of its own
  (``python3 -m venv /tmp/vfluff && /tmp/vfluff/bin/pip install sqlfluff``) and pass
  ``--sqlfluff /tmp/vfluff/bin/sqlfluff`` (or set ``ARCHKIT_SQLFLUFF``); without it the
  benchmark looks beside this Python and on PATH, and skips the peer when absent.

The floor: ``python -c pass`` (interpreter start), ``python -c "import sqlglot"``
(archkit's one heavy dependency, imported by any check), the same import started as
archkit's command line starts (collector set, ``importlib.metadata`` deferred), and that
plus sqlglot's bare parse of every statement of the file (no catalog, no check), are timed
in the same runs, so the report shows how much of archkit's time the dependency takes.

Then the cost per table of the whole process from 50 to 5,000 tables (the synthetic schema
of ``benchmarks/schema_check.py``), net of the start-up measured on a one-table file.

Each figure is the minimum of N runs (hyperfine-like, interleaved), as wall time and as the
child's CPU time (user + system; less disturbed by other processes on a shared machine).
Python processes run from cached bytecode, as an installed package does: the children get
a ``PYTHONPYCACHEPREFIX`` of their own (filled by the warm-up run) even where the
environment sets ``PYTHONDONTWRITEBYTECODE``, which would make every run compile archkit's
modules from source again.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGILA = ROOT.parent / "shared" / "corpora" / "schema" / "pagila-schema.postgres.sql"
BIN = Path(sys.executable).parent
GOAL_SQUAWK, GOAL_SQLFLUFF = 1.5, 30.0
SIZES = (50, 500, 5000)


def child_env(pycache: Path) -> dict[str, str]:
    """The environment of every timed process: archkit from this tree, bytecode cached,
    results cached beside the bytecode (never in the user's own cache)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(pycache),
           "ARCHKIT_CACHE_DIR": str(pycache.parent / "results")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """``(wall seconds, child CPU seconds)`` of one run; output discarded.

    Runs in the folder of the bytecode cache: ``python -m`` puts the working folder first
    on ``sys.path``, which would put this tree's archkit before a ``--baseline``'s."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # microseconds, not os.times' ticks
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                   cwd=env["PYTHONPYCACHEPREFIX"], check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best_of(commands: dict[str, list[str]], runs: int, env: dict[str, str],
            emptied: dict[str, Path] | None = None) -> dict[str, tuple[float, float]]:
    """Min wall and min CPU per command, runs interleaved (after one warm-up each);
    ``emptied``: per command, a folder removed before each of its runs (untimed)."""
    best = {k: (float("inf"), float("inf")) for k in commands}
    for cmd in commands.values():
        run_once(cmd, env)  # warm-up: file cache, .pyc
    for _ in range(runs):
        for key, cmd in commands.items():
            if emptied and key in emptied:
                shutil.rmtree(emptied[key], ignore_errors=True)
            wall, cpu = run_once(cmd, env)
            best[key] = (min(best[key][0], wall), min(best[key][1], cpu))
    return best


# how archkit's command line starts a process (archkit/cli.py: _run_process)
_START = ("import gc; gc.set_threshold(10_000, 20, 100); "
          "from archkit.lazy import defer_package_metadata; defer_package_metadata(); ")
# sqlglot alone on the file: its tokenizer and parser over each statement archkit splits off
_BARE_PARSE = (
    "import sys, sqlglot; from sqlglot.errors import ErrorLevel; "
    "from archkit.schema.split import split_statements; "
    "d = sqlglot.Dialect.get_or_raise('postgres'); t, p = d.tokenizer(), "
    "d.parser(error_level=ErrorLevel.IGNORE); "
    "[p.parse(t.tokenize(s.text), s.text) for s in "
    "split_statements(open(sys.argv[1]).read(), 'postgres')]; gc.freeze()")


def archkit_cmd(path: Path, root: Path | None = None, cache: Path | None = None
                ) -> list[str]:
    """The check of ``path`` by this tree's archkit, or by the one in ``root``; with its
    result cache in ``cache`` (else the environment's). Every archkit figure goes through
    ``env``, so the one extra exec is in each alike."""
    pythonpath = [f"PYTHONPATH={root}"] if root else []
    where = [f"ARCHKIT_CACHE_DIR={cache}"] if cache else []
    return ["env", *pythonpath, *where, sys.executable, "-m", "archkit.cli", "schema",
            "check", "--dialect", "postgres", str(path)]


def fmt(t: tuple[float, float]) -> str:
    return f"{t[0] * 1000:7.0f} ms wall {t[1] * 1000:7.0f} ms CPU"


def find_sqlfluff(given: str | None) -> str | None:
    """``--sqlfluff``, else ``$ARCHKIT_SQLFLUFF``, else beside this Python, else on PATH."""
    for path in (given, os.environ.get("ARCHKIT_SQLFLUFF")):
        if path:
            return shutil.which(path) or (path if Path(path).is_file() else None)
    return shutil.which("sqlfluff", path=str(BIN)) or shutil.which("sqlfluff")


def print_ratios(ours_key: str, best: dict[str, tuple[float, float]]) -> None:
    """``ours_key`` against squawk and sqlfluff, with the goals."""
    ours = best[ours_key]
    if "squawk" in best:
        r = [ours[i] / best["squawk"][i] for i in (0, 1)]
        print(f"  {ours_key} / squawk: {r[0]:.2f}x wall, {r[1]:.2f}x CPU "
              f"(goal <= {GOAL_SQUAWK}x) -> {'OK' if r[0] <= GOAL_SQUAWK else 'SLOW'}")
    if "sqlfluff" in best:
        r = [best["sqlfluff"][i] / ours[i] for i in (0, 1)]
        print(f"  sqlfluff / {ours_key}: {r[0]:.1f}x wall, {r[1]:.1f}x CPU "
              f"(goal >= {GOAL_SQLFLUFF}x) -> {'OK' if r[0] >= GOAL_SQLFLUFF else 'SLOW'}")


def print_floor(best: dict[str, tuple[float, float]]) -> None:
    """How much of archkit's time is starting Python and importing sqlglot."""
    ours, floor = best["archkit"], best["sqlglot, gc"]
    print(f"  floor: importing sqlglot (started as archkit starts) is {floor[0] / ours[0]:.0%}"
          f" of archkit's wall time; archkit adds {(ours[0] - floor[0]) * 1000:.0f} ms wall, "
          f"{(ours[1] - floor[1]) * 1000:.0f} ms CPU on top of it")
    if "squawk" in best:
        for key in ("import sqlglot", "sqlglot, gc", "sqlglot parse"):
            r = [best[key][i] / best["squawk"][i] for i in (0, 1)]
            print(f"  {key} / squawk: {r[0]:.2f}x wall, {r[1]:.2f}x CPU "
                  "(a floor for any sqlglot-based check in a process of its own)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", default=str(PAGILA))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--sqlfluff", help="the sqlfluff executable (default: $ARCHKIT_SQLFLUFF, "
                    "beside this Python, or on PATH)")
    ap.add_argument("--baseline", type=Path, help="another archkit checkout (say, a `git "
                    "archive` of main) to time in the same interleaved runs, for before/after")
    args = ap.parse_args(argv)
    path = Path(args.file)
    tmp = Path(tempfile.mkdtemp(prefix="archkit_bench_"))
    env = child_env(tmp / "pycache")
    (tmp / "pycache").mkdir()
    try:
        compare_peers(path, args.runs, find_sqlfluff(args.sqlfluff), tmp, env, args.baseline)
        per_table(args.runs, tmp, env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def compare_peers(path: Path, runs: int, sqlfluff: str | None, tmp: Path,
                  env: dict[str, str], baseline: Path | None = None) -> None:
    """archkit against squawk and sqlfluff on ``path``, with the floor timed alongside."""
    commands = {
        "archkit": archkit_cmd(path, cache=tmp / "first"),
        "archkit, cached": archkit_cmd(path),
        **({"baseline": archkit_cmd(path, baseline.resolve(), tmp / "baseline")}
           if baseline else {}),
        "python": [sys.executable, "-c", "pass"],
        "import sqlglot": [sys.executable, "-c", "import sqlglot"],
        # the same started as archkit's command line starts (archkit/cli.py): the collector
        # set, importlib.metadata deferred
        "sqlglot, gc": [sys.executable, "-c", _START + "import sqlglot; gc.freeze()"],
        # ... and sqlglot's bare parse of the file, statement by statement, checking nothing
        "sqlglot parse": [sys.executable, "-c", _START + _BARE_PARSE, str(path)],
    }
    squawk = shutil.which("squawk", path=str(BIN)) or shutil.which("squawk")
    if squawk:
        commands["squawk"] = [squawk, str(path)]
    else:
        print("squawk: not installed (pip install squawk-cli) -> peer skipped")
    slow = {}  # sqlfluff takes seconds on a dump: fewer runs of it
    if sqlfluff:
        (tmp / ".sqlfluff").write_text("[sqlfluff]\ndialect = postgres\n"
                                       "large_file_skip_byte_limit = 0\n")
        # --config: sqlfluff reads a .sqlfluff from the file's folders, not the cwd
        slow["sqlfluff"] = [sqlfluff, "lint", "--config", str(tmp / ".sqlfluff"),
                            "--dialect", "postgres", str(path)]
    else:
        print("sqlfluff: not found -> peer skipped (python3 -m venv /tmp/vfluff && "
              "/tmp/vfluff/bin/pip install sqlfluff; then --sqlfluff /tmp/vfluff/bin/sqlfluff)")
    firsts = {"archkit": tmp / "first", "baseline": tmp / "baseline"}
    best = best_of(commands, runs, env, emptied=firsts)
    if slow:
        best.update(best_of(slow, max(1, runs // 5), env))
    commands.update(slow)
    print(f"{path.name}: {path.stat().st_size / 1024:.0f} KB, min of {runs} runs "
          f"(sqlfluff {max(1, runs // 5)})")
    for key, t in best.items():
        print(f"  {key:15s} {fmt(t)}   {Path(commands[key][0]).name} "
              f"{' '.join(commands[key][1:])[:60]}")
    if "baseline" in best:
        r = [best["baseline"][i] / best["archkit"][i] for i in (0, 1)]
        print(f"  baseline / archkit: {r[0]:.2f}x wall, {r[1]:.2f}x CPU")
    for ours_key in ("archkit", "archkit, cached"):
        print_ratios(ours_key, best)
    print_floor(best)


def per_table(runs: int, tmp: Path, env: dict[str, str]) -> None:
    """Cost per table of the whole process from 50 to 5,000 tables, net of start-up."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from schema_check import synthetic

    files = {n: tmp / f"t{n}.sql" for n in (1, *SIZES)}
    for n, f in files.items():
        f.write_text(synthetic(n))
    first = {str(n): tmp / f"first{n}" for n in files}
    timed = best_of({str(n): archkit_cmd(f, cache=first[str(n)]) for n, f in files.items()},
                    max(3, runs // 2), env, emptied=first)
    start = timed["1"]
    print(f"Whole process per table (net of the one-table run: {fmt(start)}):")
    per = {}
    for n in SIZES:
        t = timed[str(n)]
        per[n] = ((t[0] - start[0]) / n, (t[1] - start[1]) / n)
        print(f"  {n:5d} tables {fmt(t)}  -> {per[n][0] * 1000:.3f} ms/table wall, "
              f"{per[n][1] * 1000:.3f} ms/table CPU")
    # 50 tables add a few ms to a ~150 ms start-up: their per-table figure is mostly noise,
    # so flatness is judged from 500 to 5,000 tables (both are shown)
    for small in SIZES[:-1]:
        if per[small][1] > 0:
            print(f"  per-table CPU {SIZES[-1]} / {small} tables: "
                  f"{per[SIZES[-1]][1] / per[small][1]:.2f}x")


if __name__ == "__main__":
    raise SystemExit(main())
