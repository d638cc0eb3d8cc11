"""Render the container view of a 300-element synthetic workspace, against a 3 s ceiling.

Usage::

    .venv/bin/python benchmarks/c4_synthetic.py [ELEMENTS]

The workspace is layered like a real platform: 20 people use 30 front ends, which call
60 APIs, which call 120 services, which use 39 data stores and queues; services also call
30 external systems. Every element calls two in the next layer, so the container view
shows all 300 elements and about 560 relationships, each with a label.
"""

from __future__ import annotations

import sys
import time

from archkit.c4 import new_workspace
from archkit.c4.render import render_view

CEILING_S = 3.0


def build(total: int = 300):
    b = new_workspace("Synthetic", f"{total} elements, layered")
    people = [b.person(f"User {i}", f"Person number {i}") for i in range(20)]
    externals = [b.system(f"Partner {i}", f"External system {i}", external=True)
                 for i in range(30)]
    core = b.system("Core", "The system under design")
    budget = total - len(people) - len(externals) - 1
    sizes = [30, 60, 120]
    sizes.append(budget - sum(sizes))
    names = ["Front end", "API", "Service", "Store"]
    techs = ["TypeScript", "Go", "Python", "PostgreSQL"]
    layers = [[core.container(f"{names[k]} {i}", f"{names[k]} number {i} of the platform",
                              techs[k], tags="Database" if k == 3 else None)
               for i in range(size)] for k, size in enumerate(sizes)]
    for i, p in enumerate(people):
        p.uses(layers[0][i % sizes[0]], "Uses", "HTTPS")
        p.uses(layers[0][(i * 7 + 3) % sizes[0]], "Signs in with", "HTTPS")
    for k in range(len(layers) - 1):
        nxt = layers[k + 1]
        for i, c in enumerate(layers[k]):
            c.uses(nxt[(i * 2) % len(nxt)], f"Calls {names[k + 1].lower()}", "gRPC")
            c.uses(nxt[(i * 5 + 1) % len(nxt)], "Reads from", "HTTPS")
    for i, c in enumerate(layers[2]):
        if i % 4 == 0:
            c.uses(externals[(i // 4) % len(externals)], "Integrates with", "HTTPS")
    b.containers(core, "Containers").includes("*")
    return b.build()


def main() -> int:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    ws = build(total)
    view = ws.view("Containers")
    start = time.perf_counter()
    contents = view.contents()
    svg = render_view(ws, view, contents).svg()
    elapsed = time.perf_counter() - start
    print(f"elements in model: {sum(1 for _ in ws.model.walk())}, shown: "
          f"{len(contents.elements)}, relationships shown: {len(contents.relationships)}")
    print(f"container view rendered to SVG ({len(svg) // 1024} KiB) in {elapsed:.2f} s "
          f"(ceiling {CEILING_S} s) -> {'OK' if elapsed < CEILING_S else 'SLOW'}")
    return 0 if elapsed < CEILING_S else 1


if __name__ == "__main__":
    sys.exit(main())
