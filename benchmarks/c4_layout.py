"""How readable each C4 view is, as shown in a notebook: size, text, crossings, people, contrast.

Usage::

    .venv/bin/python benchmarks/c4_layout.py [path/to/big-bank-plc.dsl]

Per view of Big Bank plc and of the worked example (Shopfront), from what archkit really
produces: the width the notebook shows (its rich display in a 1,000 px output area) and
the smallest text at that width; edge crossings, edge labels over nodes and people off the
first rank (and lower on the page than any other element), all read from Graphviz's own
layout (``dot -Tjson``); the lowest WCAG contrast of any text on the shape it sits in,
from the rendered SVG, and how many elements' own styles fall under it (finding C4502).
Each column's floor is printed with it (1,000 px, 8 px, 4.5:1).
"""

from __future__ import annotations

import sys
from pathlib import Path

from archkit.c4.dsl_reader import read_dsl
from archkit.c4.layout import Layout
from archkit.c4.load import load_workspace
from archkit.c4.render import run_dot
from archkit.svgmetrics import measure, text_contrasts

OUTPUT_WIDTH, MIN_TEXT, AA = 1000, 8.0, 4.5
ROOT = Path(__file__).resolve().parents[1]
BIG_BANK = ROOT.parent / "shared" / "corpora" / "c4" / "big-bank-plc.dsl"
SHOPFRONT = ROOT / "examples" / "order_platform" / "workspace.py"


def shown_svg(view) -> str:
    """The SVG as a notebook shows it (the HTML output when there is one)."""
    bundle = view._repr_mimebundle_()
    return bundle.get("text/html") or bundle["image/svg+xml"]


def rows(ws, name: str):
    for view in ws.views:
        diagram = view.render()
        width, text = measure(shown_svg(view)).shown(OUTPUT_WIDTH)
        layout = Layout.parse(run_dot(diagram.dot, "json"))
        people = [e.id for e in view.contents().elements if e.kind == "person"]
        below = layout.people_below(people)
        lower = layout.people_lower(people)
        low = min(text_contrasts(diagram.svg()), key=lambda c: c.ratio)
        yield (name, view.key, f"{width:.0f}", f"{text:.1f}", layout.crossings(),
               len(layout.labels_over_nodes()),
               ("yes" if not below else f"no ({below})") if people else "-",
               lower if people else "-",
               f"{low.ratio:.2f} ({low.group})",
               len({f.object for f in diagram.findings if f.code == "C4502"}))


def main() -> int:
    bank = Path(sys.argv[1]) if len(sys.argv) > 1 else BIG_BANK
    workspaces = [(read_dsl(bank)[0], "Big Bank"), (load_workspace(SHOPFRONT)[0], "Shopfront")]
    head = ("workspace", "view", f"width px (<={OUTPUT_WIDTH})", f"min text px (>={MIN_TEXT:g})",
            "crossings", "labels on nodes", "people on first rank",
            "people lower than others", f"lowest contrast (>={AA})",
            "C4502 (user colours under AA)")
    table = [head] + [tuple(str(c) for c in r) for ws, name in workspaces for r in rows(ws, name)]
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for r in table:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    bad = [r for r in table[1:] if float(r[2]) > OUTPUT_WIDTH or float(r[3]) < MIN_TEXT]
    print(f"views: {len(table) - 1}; too wide or too small to read: {len(bad)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
