"""A longer local fuzz run of the Structurizr DSL reader than CI's (tests/c4/test_dsl_fuzz.py).

Usage::

    .venv/bin/python benchmarks/c4_dsl_fuzz.py [SECONDS] [SEED]

Mutates the corpus workspaces the way the test does (line and byte edits), for SECONDS
(default 60), and prints inputs tried, how many parsed / were rejected with a located
ArchkitError, crashes (anything else escaping, or a written DSL that does not read back)
and the slowest input against the median one. Exit 1 on any crash or an input over 1 s.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "c4"))

from test_dsl_fuzz import _check, _mutate  # noqa: E402

from archkit.c4.dsl_reader import read_dsl  # noqa: E402
from archkit.errors import ArchkitError  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora" / "c4"


def main(argv: list[str]) -> int:
    seconds = float(argv[0]) if argv else 60.0
    rng = random.Random(int(argv[1]) if len(argv) > 1 else 1)
    seeds = []
    for path in sorted((CORPORA / "structurizr-dsl").rglob("*.dsl")) + [
            CORPORA / "big-bank-plc.dsl"]:
        try:
            read_dsl(path)
        except ArchkitError:
            continue
        seeds.append(path)
    counts = {"parsed": 0, "rejected": 0}
    crashes: list[str] = []
    times: list[float] = []
    slowest = (0.0, "")
    start = time.monotonic()
    tried = 0
    while time.monotonic() - start < seconds:
        seed = seeds[tried % len(seeds)]
        data = _mutate(rng, seed.read_bytes())
        label = f"input {tried} (a mutation of {seed.name})"
        t0 = time.perf_counter()
        try:
            counts[_check(data, seed.parent, label)] += 1
        except BaseException as err:  # noqa: BLE001 — a crash is what we are counting
            crashes.append(f"{label}: {type(err).__name__}: {str(err)[:200]}")
        took = time.perf_counter() - t0
        times.append(took)
        slowest = max(slowest, (took, label))
        tried += 1
    median = statistics.median(times) if times else 0.0
    print(f"DSL reader: {tried} inputs from {len(seeds)} corpus workspaces in {seconds:.0f}s: "
          f"{counts['parsed']} parsed, {counts['rejected']} rejected with a located error, "
          f"{len(crashes)} crashes")
    print(f"slowest input: {slowest[0] * 1000:.1f} ms ({slowest[1]}), "
          f"{slowest[0] / max(median, 1e-9):.0f}x the median {median * 1000:.2f} ms")
    for crash in crashes[:10]:
        print("  CRASH", crash)
    return 1 if crashes or slowest[0] > 1.0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
