"""Benchmark: import 1,000 ADRs and write the index, against just reading the files.

Usage::

    .venv/bin/python benchmarks/adr_import_index.py [--records 1000]

Prints the import + index time (target: under 2 s for 1,000 records) and its ratio
to the floor measured in the same run: reading the same 1,000 files as text.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from archkit.adr.index import write_index
from archkit.adr.model import Argument, Link, Option, Record
from archkit.adr.store import AdrStore


def make_folder(folder: Path, count: int) -> None:
    """``count`` MADR records, a third superseding their predecessor, written by the store."""
    store = AdrStore(folder, dialect="madr", today="2026-11-26")
    for n in range(1, count + 1):
        rec = Record(
            number=None, title="", status="accepted", date="2026-11-26",
            deciders=["Platform team"],
            context=f"Decision {n}: how should the order pipeline handle case {n}?",
            drivers=["consistency", "operational load", "cost"],
            options=[Option(f"Option {k}", arguments=[Argument("Good", "simple"),
                                                       Argument("Bad", "slower")])
                     for k in "ABC"],
            chosen="Option A", justification="it ranks first.",
            consequences=[Argument("Good", "fewer moving parts")],
            links=[Link("Relates to", n - 1)] if n % 7 == 0 else [],
        )
        store.new(f"Decision number {n}", status="accepted", record=rec,
                  supersedes=n - 1 if n % 3 == 0 else None)


def best_of(runs: int, func) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "decisions"
        make_folder(folder, args.records)
        files = sorted(folder.glob("*.md"))

        def floor() -> None:
            for path in files:
                path.read_text(encoding="utf-8")

        def import_and_index() -> None:
            store = AdrStore(folder)
            assert len(store) == args.records
            write_index(folder, store.all(), svg=False, force=True)

        t_floor = best_of(args.runs, floor)
        t_full = best_of(args.runs, import_and_index)
        verdict = "OK" if t_full < 2.0 else "TOO SLOW"
        print(f"records: {args.records}")
        print(f"floor (read {len(files)} files as text): {t_floor * 1000:.1f} ms")
        print(f"import (parse every record) + index.md + decisions.dot: {t_full * 1000:.1f} ms "
              f"(target < 2000 ms: {verdict})")
        print(f"ratio to floor: {t_full / t_floor:.1f}x")


if __name__ == "__main__":
    main()
