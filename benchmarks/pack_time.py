"""How long ``archkit pack`` takes on the worked example, against a floor measured in the same run.

Usage::

    .venv/bin/python benchmarks/pack_time.py [--repeat 3]

The floor is the work no pack can skip: Graphviz rendering the same diagrams (every
C4 view and the ER diagram, SVG and PNG), one ``dot`` after another. The pack runs as
a user runs it (``archkit pack order-platform --out DIR`` in a fresh process), into
an empty folder and then again into the same folder (the rerun must change nothing).
The README's promise is ``make demo`` under 90 s on a 2-core machine; the pack is
the part of it that is archkit's, so the budget ratio is printed too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_S = 90.0
ARCHKIT = Path(sys.executable).parent / "archkit"


def floor_seconds() -> float:
    """Graphviz alone on the pack's diagrams, sequentially."""
    from archkit.c4.load import load_workspace
    from archkit.c4.render import render_view as c4_view
    from archkit.c4.render import run_dot
    from archkit.c4.views import resolve
    from archkit.examples import example_dir
    from archkit.schema.er import er_diagram
    from archkit.schema.parse import parse_schema

    folder = example_dir("order-platform")
    ws, _ = load_workspace(folder / "workspace.py")
    dots = [c4_view(ws, v, resolve(ws, v)).dot for v in ws.views]
    latest = sorted((folder / "schema").glob("v*.sql"))[-1].read_text()
    dots.append(er_diagram(parse_schema(latest, "postgres").catalog).dot())
    start = time.perf_counter()
    for dot in dots:
        for fmt in ("svg", "png"):
            run_dot(dot, fmt)
    return time.perf_counter() - start


def pack_seconds(out: Path) -> tuple[float, dict]:
    start = time.perf_counter()
    done = subprocess.run([str(ARCHKIT), "pack", "order-platform", "--out", str(out), "--json"],
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"archkit pack failed ({done.returncode}): {done.stderr}")
    return elapsed, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    fresh, rerun, floors = [], [], []
    for _ in range(args.repeat):
        floors.append(floor_seconds())
        with tempfile.TemporaryDirectory(prefix="archkit-pack-bench-") as tmp:
            seconds, first = pack_seconds(Path(tmp) / "pack")
            fresh.append(seconds)
            seconds, second = pack_seconds(Path(tmp) / "pack")
            rerun.append(seconds)
            if second["changed"]:
                sys.exit(f"the rerun changed files: {second['changed']}")
    f, r, fl = (statistics.median(x) for x in (fresh, rerun, floors))
    print(f"archkit pack order-platform: {len(first['files'])} files")
    print(f"  fresh folder   {f:6.2f} s   (median of {args.repeat})")
    print(f"  rerun          {r:6.2f} s   changed files: 0")
    print(f"  floor (dot)    {fl:6.2f} s   Graphviz alone on the same 7 diagrams x SVG+PNG")
    print(f"ratio fresh/floor: {f / fl:.2f}x   ratio rerun/floor: {r / fl:.2f}x")
    print(f"share of the 90 s make-demo budget: {f / BUDGET_S:.1%}")


if __name__ == "__main__":
    main()
