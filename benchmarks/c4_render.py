"""How much archkit adds on top of Graphviz when rendering every Big Bank plc view.

Usage::

    .venv/bin/python benchmarks/c4_render.py [path/to/big-bank-plc.dsl]

Measured in the same run: (a) archkit's whole render of each view (resolve the view,
build DOT through ``diagrams``, run ``dot -Tsvg``), and (b) ``dot -Tsvg`` alone on the very
same DOT. Prints the ratio a/b against the 1.5x ceiling; best of several rounds.
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
    dots = [render_view(ws, v).dot for v in ws.views]  # warm-up: imports, caches
    archkit_times, dot_times = [], []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for view in ws.views:
            render_view(ws, view).svg()
        archkit_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for dot in dots:
            subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True, check=True)
        dot_times.append(time.perf_counter() - start)
    ours, peer = min(archkit_times), min(dot_times)
    ratio = ours / peer
    print(f"views: {len(ws.views)}")
    print(f"archkit render (all views, SVG): {ours * 1000:.0f} ms")
    print(f"dot -Tsvg alone (same DOT):      {peer * 1000:.0f} ms")
    print(f"ratio: {ratio:.2f}x (ceiling {CEILING}x) -> {'OK' if ratio <= CEILING else 'SLOW'}")
    return 0 if ratio <= CEILING else 1


if __name__ == "__main__":
    sys.exit(main())
