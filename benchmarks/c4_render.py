"""How much archkit adds on top of Graphviz when rendering every Big Bank plc view.

Usage::

    .venv/bin/python benchmarks/c4_render.py [path/to/big-bank-plc.dsl]

Measured in the same run: (a) archkit's whole render of each view (resolve the view,
build DOT through ``diagrams`` for each layout it tries, lay each out with Graphviz, judge
it, pick one), and (b) ``dot -Tsvg -Tjson`` alone on the very same DOTs. Prints the ratio
a/b against the 1.5x ceiling (archkit's own overhead), and, for information, a over one
``dot -Tsvg`` per view (what the search for a readable layout costs); best of several rounds.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from archkit.c4.dsl_reader import read_dsl
from archkit.c4.render import render_view

CEILING = 1.5
ROUNDS = 5
DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "c4" / "big-bank-plc.dsl"


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    ws, _ = read_dsl(path)
    diagrams = [render_view(ws, v) for v in ws.views]  # warm-up: imports, caches
    tried = [dot for d in diagrams for dot in d.tried]
    chosen = [d.dot for d in diagrams]
    archkit_times, dot_times, single_times = [], [], []

    def run(dots: list[str], *args: str) -> float:
        start = time.perf_counter()
        for dot in dots:
            subprocess.run(["dot", *args], input=dot.encode(), capture_output=True, check=True)
        return time.perf_counter() - start

    for _ in range(ROUNDS):
        start = time.perf_counter()
        for view in ws.views:
            render_view(ws, view).svg()
        archkit_times.append(time.perf_counter() - start)
        dot_times.append(run(tried, "-Tsvg", "-Tjson"))
        single_times.append(run(chosen, "-Tsvg"))
    ours, peer, single = min(archkit_times), min(dot_times), min(single_times)
    ratio = ours / peer
    print(f"views: {len(ws.views)}; layouts tried: {len(tried)}")
    print(f"archkit render (all views, SVG):        {ours * 1000:.0f} ms")
    print(f"dot -Tsvg -Tjson alone (same DOTs):     {peer * 1000:.0f} ms")
    print(f"one dot -Tsvg per view (chosen DOT):    {single * 1000:.0f} ms "
          f"(archkit / this: {ours / single:.2f}x, the price of the layout search)")
    print(f"ratio: {ratio:.2f}x (ceiling {CEILING}x) -> {'OK' if ratio <= CEILING else 'SLOW'}")
    return 0 if ratio <= CEILING else 1


if __name__ == "__main__":
    sys.exit(main())
