"""The data-flow diagram with its trust boundaries, as DOT (and SVG through Graphviz).

Usage::

    from archkit.security import analyse, dfd_diagram, dfd_dot
    report = analyse("examples/order_platform")
    print(dfd_dot(report))          # deterministic DOT text
    dfd_diagram(report)             # shows itself as SVG in Jupyter

Each trust zone (a chain of boundaries: group, system, deployment node, tag) is a dashed
cluster; flows that cross a boundary are bold, red when not encrypted. Every label is a
quoted DOT string with backslashes and quotes escaped, so user text stays inert.
"""

from __future__ import annotations

from typing import Any

__all__ = ["dfd_diagram", "dfd_dot", "dfd_svg", "dot_string"]

_SHAPES = {"process": "ellipse", "datastore": "cylinder", "external": "box"}


def dot_string(text: str) -> str:
    """``text`` as a quoted DOT string: no HTML, no escString expansion (\\N, \\G, \\l)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _label(*lines: str) -> str:
    # Our own line breaks are the only escapes left in the label.
    return '"' + "\\n".join(dot_string(x)[1:-1] for x in lines if x) + '"'


def dfd_dot(report: Any) -> str:
    """DOT text of the report's data-flow diagram (sorted, so it diffs cleanly)."""
    tm = report.model
    open_on = {}
    for t in getattr(report, "threats", []):
        if t.status == "open":
            for e in (t.element, *t.elements):
                open_on[e] = max(open_on.get(e, 0), {"high": 3, "medium": 2, "low": 1}[t.severity])
    zones: dict[tuple[str, ...], list[str]] = {}
    for nid in sorted(tm.nodes):
        zones.setdefault(tuple(tm.nodes[nid].boundaries), []).append(nid)
    ids = {nid: f"n{i}" for i, nid in enumerate(sorted(tm.nodes))}
    out = ["digraph dfd {", "  rankdir=LR;", "  compound=true;",
           '  graph [fontname="Helvetica", fontsize=11];',
           '  node [fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=8];']
    for i, (chain, members) in enumerate(sorted(zones.items())):
        names = [tm.boundaries[b].name for b in chain] or ["Internet"]
        out.append(f"  subgraph cluster_{i} {{")
        out.append(f"    label={_label(' / '.join(names))};")
        out.append('    style="dashed,rounded"; color="#c0392b"; fontcolor="#c0392b";')
        for nid in members:
            node = tm.nodes[nid]
            sev = open_on.get(nid, 0)
            color = {3: "#c0392b", 2: "#e67e22", 1: "#f1c40f"}.get(sev, "#34495e")
            tech = f"[{node.technology}]" if node.technology else ""
            count = f"×{node.instances}" if node.instances and node.instances > 1 else ""
            out.append(f"    {ids[nid]} [label={_label(node.name, tech, count)}, "
                       f"shape={_SHAPES[node.kind]}, color=\"{color}\", penwidth=1.5];")
        out.append("  }")
    for f in sorted(tm.flows, key=lambda f: (f.source, f.destination, f.technology)):
        attrs = [f"label={_label(f.description[:60], f.technology)}"]
        if f.crosses:
            attrs.append("penwidth=2")
            attrs.append('color="#c0392b"' if not f.encrypted else 'color="#2c3e50"')
        else:
            attrs.append('color="#7f8c8d"')
        out.append(f"  {ids[f.source]} -> {ids[f.destination]} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def dfd_diagram(report: Any):
    """The diagram as a :class:`archkit.c4.render.Diagram` (SVG in Jupyter, PNG on demand)."""
    from archkit.c4.render import Diagram

    return Diagram("dfd", dfd_dot(report), f"Data flows: {report.model.name}")


def dfd_svg(report: Any) -> str | None:
    """SVG text of the diagram, or None when Graphviz is not installed."""
    import shutil

    if shutil.which("dot") is None:
        return None
    return dfd_diagram(report).svg()
