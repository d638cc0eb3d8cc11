"""Render a view through ``diagrams`` (the ``diagrams.c4`` look) and Graphviz ``dot``.

Usage::

    diagram = render_view(workspace, workspace.view("Containers"))
    diagram.dot          # the DOT source, byte-identical on every run
    diagram.svg()        # SVG text from `dot -Tsvg`; nothing is written to disk
    diagram.save("out", ["svg", "png"])

Node ids are the model's identifiers (never random), text is wrapped to fit and never
cut, every label is escaped for Graphviz HTML labels, and no viewer is ever opened.

Readable by construction: people sit on the first rank; the legend rides under the title
instead of taking a place in the layout; the default colours pass WCAG AA (4.5:1) and a
user's style that does not gets a finding (C4502) instead of a silent change. Each view is
laid out in the direction the view asks for; when the result is too wide to show its
smallest text at 8 px in a 1,000 px notebook output, narrower text and tighter spacing
are tried, then the other axis, and if nothing fits a finding (C4601) says how to split it.
A layout that still crosses edges gets a few more tries: queues on the near side of their
clients (so the fan of edges into a shared database and the one into a shared broker no
longer cross), and dot's crossing minimiser restarted from the barycentre order of the last
layout. The fewest crossings win; the choice is deterministic.
"""

from __future__ import annotations

import html
import re
import subprocess
import textwrap
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from archkit.c4.layout import Layout
from archkit.c4.views import Cluster, ViewContents, resolve
from archkit.colors import AA, blend, contrast, parse_color, passing_fill, passing_text, to_hex
from archkit.display import (
    MIN_TEXT_PX,
    OUTPUT_WIDTH,
    READ_WIDTH,
    fit_svg,
    svg_figure_html,
    svg_mimebundle,
)
from archkit.errors import ArchkitError
from archkit.findings import Finding, Findings, Severity
from archkit.svgmetrics import measure

if TYPE_CHECKING:
    from archkit.c4.model import Element, Relationship
    from archkit.c4.workspace import View, Workspace

__all__ = ["Diagram", "render_view", "run_dot", "FORMATS", "dot_text", "dot_attrs", "safe_url"]

FORMATS = ("svg", "png")

# Structurizr's C4 blues, deepened where white text on them fell under WCAG AA (4.5:1):
# every kind has its own colour, so the legend tells them apart.
FILL = {
    "person": "#08427b",
    "softwareSystem": "#1168bd",
    "container": "#2f6db3",
    "component": "#85bbf0",
    "containerInstance": "#2f6db3",
    "softwareSystemInstance": "#1168bd",
    "infrastructureNode": "#ffffff",
}
EXTERNAL_FILL = {"person": "#4b5563", "softwareSystem": "#6b7280"}
LIGHT_TEXT, DARK_TEXT = "#ffffff", "#1b1f24"
EDGE_TEXT, EDGE_COLOR = "#2d3436", "#707070"
MIN_FONT = 10  # points: the smallest text any view carries (kind lines, technologies)
KIND_LABEL = {
    "person": "Person",
    "softwareSystem": "Software System",
    "container": "Container",
    "component": "Component",
    "containerInstance": "Container",
    "softwareSystemInstance": "Software System",
    "infrastructureNode": "Infrastructure Node",
}
# Structurizr shapes -> Graphviz shapes (rounded boxes where Graphviz has no match).
SHAPES = {
    "box": ("box", ""),
    "roundedbox": ("box", "rounded"),
    "person": ("box", "rounded"),
    "robot": ("box", "rounded"),
    "cylinder": ("cylinder", ""),
    "pipe": ("cds", ""),
    "circle": ("circle", ""),
    "ellipse": ("ellipse", ""),
    "hexagon": ("hexagon", ""),
    "diamond": ("diamond", ""),
    "folder": ("folder", ""),
    "component": ("component", ""),
    "webbrowser": ("box", "rounded"),
    "window": ("box", "rounded"),
    "terminal": ("box", ""),
    "shell": ("box", ""),
    "mobiledeviceportrait": ("box", "rounded"),
    "mobiledevicelandscape": ("box", "rounded"),
}
DATABASE_TAGS = {"database", "db", "datastore", "data store"}
QUEUE_TAGS = {"queue", "message broker", "broker", "topic", "pipe", "message bus"}
NAME_WIDTH, TEXT_WIDTH, EDGE_WIDTH = 26, 34, 30
BARYCENTRE_ROUNDS = 3  # extra layouts tried, at most, when the best one still crosses
# C0/C1 controls (tab and newline are wrapped as text): Graphviz and XML refuse them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Fit:
    """One way to lay a view out: direction, wrap widths (characters) and separations."""

    direction: str
    name: int = NAME_WIDTH
    text: int = TEXT_WIDTH
    edge: int = EDGE_WIDTH
    nodesep: float = 0.6
    ranksep: float = 0.75
    externals_last: bool = False  # external systems on the last rank, under the focus
    mclimit: float | None = None  # Graphviz's crossing-minimisation effort
    queues_first: bool = False  # queues laid out before their clients
    order: tuple[str, ...] = ()  # element ids in the order given to dot (its tie-breaker)


@dataclass(eq=False)
class Diagram:
    """One rendered view: DOT source now, SVG/PNG from ``dot`` on demand (cached)."""

    key: str
    dot: str
    title: str = ""
    findings: Findings = field(default_factory=Findings)

    def __post_init__(self) -> None:
        self._cache: dict[str, bytes] = {}
        self.tried: tuple[str, ...] = (self.dot,)  # every DOT laid out to choose this one

    def pipe(self, fmt: str) -> bytes:
        """The view in ``fmt`` (``svg`` or ``png``) as bytes."""
        if fmt not in FORMATS:
            raise ArchkitError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
        if fmt not in self._cache:
            self._cache[fmt] = run_dot(self.dot, fmt)
        return self._cache[fmt]

    def svg(self) -> str:
        return self.pipe("svg").decode("utf-8")

    def png(self) -> bytes:
        return self.pipe("png")

    def save(self, directory: str | Path, formats: list[str] | tuple[str, ...] = ("svg",)
             ) -> list[Path]:
        """Write ``<key>.<fmt>`` files atomically; returns their paths."""
        from archkit.c4.files import safe_name
        from archkit.fsio import atomic_write

        paths = []
        for fmt in formats:
            path = Path(directory) / f"{safe_name(self.key)}.{fmt}"
            atomic_write(path, self.pipe(fmt))
            paths.append(path)
        return paths

    def _repr_svg_(self) -> str:
        return fit_svg(self.svg())

    def _repr_html_(self) -> str:
        return svg_figure_html(self.svg())

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """Fitted to the notebook's width, with a full-size toggle (see archkit.display)."""
        return svg_mimebundle(self.svg(), f"<C4 view {self.key}>")


def run_dot(dot: str, fmt: str, *more: str) -> bytes:
    """Graphviz ``dot -T<fmt>`` on ``dot``; an ArchkitError if Graphviz fails or is missing.

    More formats give their outputs one after the other, from a single layout.
    """
    try:
        proc = subprocess.run(["dot", *(f"-T{f}" for f in (fmt, *more))],
                              input=dot.encode("utf-8"),
                              capture_output=True, check=False)
    except FileNotFoundError:
        raise ArchkitError("Graphviz 'dot' is not installed",
                           hint="install Graphviz (apt install graphviz)") from None
    if proc.returncode != 0:
        raise ArchkitError(f"Graphviz failed: {proc.stderr.decode(errors='replace').strip()}",
                           hint="this is a bug in archkit's DOT output; please report it")
    return proc.stdout


def render_view(ws: Workspace, view: View, contents: ViewContents | None = None) -> Diagram:
    """Lay the view out so it reads at notebook width, and return it (SVG already made).

    Candidates are tried in order (see :func:`_fits`); the first whose smallest text is
    at least 8 px at 1,000 px wide, with no edge crossing, wins outright. Otherwise the
    candidate that fits, keeps the view's direction and crosses least is chosen; if it
    still crosses, a few near neighbours of it are tried too (see :func:`_variants`).
    """
    contents = contents or resolve(ws, view)
    best: tuple | None = None
    tried: list[str] = []
    own = _direction(view)

    def attempt(fit: Fit, n: int) -> Layout:
        nonlocal best
        dot, findings = _build(ws, view, contents, fit)
        tried.append(dot)
        svg, layout = _layout(dot)
        width, smallest = measure(svg.decode("utf-8")).shown(READ_WIDTH, fitted=True)
        # Readable first; then the view's own direction, fewest crossings, no label on a
        # node, narrowest. Of the unreadable ones, the narrowest is the least bad.
        score = ((0, fit.direction != own, layout.crossings(),
                  len(layout.labels_over_nodes()), layout.width, n)
                 if smallest >= MIN_TEXT_PX else (1, layout.width, 0, 0, 0, n))
        if best is None or score < best[0]:
            best = (score, fit, dot, findings, svg, layout)
        return layout

    fits = _fits(view, bool(_outside(contents)))
    n, deepened = 0, False
    while n < len(fits):
        fit = fits[n]
        if best is not None and best[0][:2] == (0, False) and fit.direction != own:
            if best[0][2] and not deepened:
                fits[n:n] = _variants(best[1], "shape=cds" in best[2])
                deepened = True
                continue
            break  # a readable layout in the view's own direction beats any turned one
        n += 1
        attempt(fit, n)
        if best[0][0] == 0 and best[0][1:4] == (False, 0, 0):  # nothing better to look for
            break
        if n == len(fits) and not deepened and best[0][0] == 0 and best[0][2]:
            fits += _variants(best[1], "shape=cds" in best[2])
            deepened = True
    assert best is not None
    # Still crossing: restart dot's crossing minimiser from the barycentre order of the
    # last layout (each element among its neighbours), a few rounds from the best one.
    layout, fit = best[5], best[1]
    for _ in range(BARYCENTRE_ROUNDS if best[0][0] == 0 and best[0][2] else 0):
        order = _barycentres(layout, contents, _node_ids(contents))
        if order == fit.order:
            break  # the same start gives the same layout
        fit = replace(fit, order=order)
        n += 1
        layout = attempt(fit, n)
        if best[0][2] == 0:
            break
    assert best is not None
    score, fit, dot, findings, svg, layout = best
    findings = Findings([*contents.findings, *findings])
    if fit.direction != _direction(view) and score[0] == 0:
        findings.append(Finding(
            "C4602", Severity.INFO,
            f"view {view.key!r} is laid out {fit.direction.lower()} instead of "
            f"{_direction(view).lower()} so that it fits {OUTPUT_WIDTH} px",
            object=view.key, line=view.line,
            fix=f"split the view, or set autoLayout {fit.direction.lower()} yourself"))
    if score[0]:
        findings.append(_too_wide(view, contents, svg))
    diagram = Diagram(view.key, dot, view.display_title, findings)
    diagram._cache["svg"] = svg
    diagram.tried = tuple(tried)
    return diagram


def _under_boundaries(contents: ViewContents, outside: list[str]) -> list[tuple[str, str]]:
    """Invisible edges that put the external systems on a rank below every boundary.

    ``rank=sink`` does not move nodes below a cluster, so the last elements inside the
    boundaries (those with no edge to another element inside) each lead to every external.
    """
    inside = {e.id for e in contents.elements if contents.placement.get(e.id) is not None}
    onward = {r.source for r in contents.relationships
              if r.source in inside and r.destination in inside}
    last = [e.id for e in contents.elements if e.id in inside and e.id not in onward]
    return [(a, b) for a in last for b in outside]


def _direction(view: View) -> str:
    return (view.auto_layout or "tb").upper()


def _variants(fit: Fit, queues: bool) -> list[Fit]:
    """Near neighbours of a layout that still crosses: Graphviz's crossing minimiser is a
    heuristic, and more effort, more room or a middle wrap width often lands on fewer.
    With queues, they are also tried on the near side of their clients: producers and
    consumers then point one way, the database's clients the other, and the two fans
    of edges no longer cross each other."""
    near = [replace(fit, mclimit=4.0), replace(fit, nodesep=round(fit.nodesep + 0.1, 2)),
            replace(fit, name=18, text=24, edge=18)]
    turned = [replace(fit, queues_first=True, externals_last=last)
              for last in dict.fromkeys((fit.externals_last, False))]
    return (turned if queues else []) + near


def _ordered(elements: list, order: tuple[str, ...]) -> list:
    """``elements`` in ``order`` (those it does not name keep their place, after it)."""
    rank = {key: i for i, key in enumerate(order)}
    return sorted(elements, key=lambda el: rank.get(el.id, len(rank)))


def _barycentres(layout: Layout, contents: ViewContents, ids: dict[str, str]
                 ) -> tuple[str, ...]:
    """Element ids sorted by the mean position (across the ranks) of their neighbours in
    ``layout``: the order that dot's crossing minimiser starts from in the next try."""
    across = 1 if layout.rankdir in ("LR", "RL") else 0
    pos = {key: (box[across] + box[across + 2]) / 2 for key, box in layout.nodes.items()}
    mine = {e.id: pos.get(ids[e.id]) for e in contents.elements}
    near: dict[str, list[float]] = {key: [] for key in mine}
    for rel in contents.relationships:
        for a, b in ((rel.source, rel.destination), (rel.destination, rel.source)):
            if a in near and mine.get(b) is not None:
                near[a].append(mine[b])  # type: ignore[arg-type]
    def key(el: str) -> tuple[float, float]:
        own = mine[el] or 0.0
        return (sum(near[el]) / len(near[el]) if near[el] else own, own)
    return tuple(sorted(mine, key=key))


def _outside(contents: ViewContents) -> list[str]:
    """External systems outside every boundary (candidates for the last rank)."""
    return [el.id for el in contents.elements if el.external and el.kind != "person"
            and contents.placement.get(el.id) is None]


def _fits(view: View, externals: bool) -> list[Fit]:
    """The layouts to try: the view's own first, then narrower text, then the other axis."""
    direction = _direction(view)
    nodesep = round((view.node_separation or 60) / 100, 2)
    ranksep = round((view.rank_separation or 75) / 100, 2)
    other = {"TB": "LR", "BT": "RL", "LR": "TB", "RL": "BT"}[direction]
    fits = []
    for way in (direction, other):
        for last in (False, True) if externals else (False,):
            fits += [Fit(way, nodesep=nodesep, ranksep=ranksep, externals_last=last),
                     Fit(way, 20, 26, 22, min(nodesep, 0.4), ranksep, last),
                     Fit(way, 16, 20, 16, min(nodesep, 0.3), min(ranksep, 0.6), last),
                     Fit(way, 14, 17, 14, min(nodesep, 0.25), min(ranksep, 0.5), last)]
    return fits


def _layout(dot: str) -> tuple[bytes, Layout]:
    """One ``dot`` run giving both the SVG and Graphviz's layout (JSON) of ``dot``."""
    both = run_dot(dot, "svg", "json")
    cut = both.index(b"</svg>") + len(b"</svg>\n")
    return both[:cut], Layout.parse(both[cut:])


def _too_wide(view: View, contents: ViewContents, svg: bytes) -> Finding:
    size = measure(svg.decode("utf-8"))
    shown = size.shown(READ_WIDTH, fitted=True)[1]
    how = {
        "deployment": "one deployment view per deployment node (include that node only)",
        "dynamic": "two dynamic views, each with part of the steps",
    }.get(view.kind, "smaller views: exclude some elements, or one view per group or "
                     "boundary (include those elements only)")
    groups = sorted({c.label for c in contents.clusters})
    hint = f" (boundaries/groups here: {', '.join(groups)})" if groups else ""
    return Finding(
        "C4601", Severity.WARNING,
        f"view {view.key!r} is {size.width:.0f} px wide at its best layout: fitted to "
        f"{READ_WIDTH} px its smallest text is {shown:.1f} px (under {MIN_TEXT_PX:g} px)",
        object=view.key, line=view.line, fix=f"split it into {how}{hint}")


def _build(ws: Workspace, view: View, contents: ViewContents, fit: Fit) -> tuple[str, Findings]:
    """The view's DOT with ``diagrams`` for one layout (never rendering or showing anything)."""
    import diagrams
    from diagrams import Cluster as DCluster
    from diagrams import Diagram as DDiagram
    from diagrams import Edge, Node

    findings = Findings()
    graph_attr = {
        "labelloc": "t",
        "labeljust": "l",
        "pad": "0.2",
        "splines": "spline",
        "compound": "true",
        "newrank": "true",
        "remincross": "true",
        "nodesep": str(fit.nodesep),
        "ranksep": str(fit.ranksep),
        **({"mclimit": str(fit.mclimit)} if fit.mclimit else {}),
    }
    diagram = DDiagram(name=dot_text(view.key), filename=view.key, direction=fit.direction,
                       show=False, outformat="svg", graph_attr=dot_attrs(graph_attr))
    ids = _node_ids(contents)
    nodes: dict[str, Node] = {}
    shapes: dict[str, str] = {}
    legend: dict[tuple[str, str, str, str], None] = {}
    children, placed = contents.nesting()

    def emit(cluster_key: str | None) -> None:
        for el in _ordered(placed.get(cluster_key, []), fit.order):
            attrs, entry = _node_attrs(ws, el, findings, fit)
            legend[entry] = None
            shapes[el.id] = attrs["shape"]
            nodes[el.id] = Node(label=attrs.pop("label"), nodeid=ids[el.id], **dot_attrs(attrs))
        for child in children.get(cluster_key, []):
            cluster_attrs = dot_attrs(_cluster_attrs(ws, child))
            with DCluster(label=f"c_{ids[child.key]}", graph_attr=cluster_attrs):
                emit(child.key)

    diagrams.setdiagram(diagram)
    try:
        emit(None)
        people = [el.id for el in contents.elements if el.kind == "person"]
        outside = _outside(contents) if fit.externals_last else []
        for rel in contents.relationships:
            # An edge into a person, or out of an external system put last, is laid out
            # the other way round (and still drawn pointing where it points).
            upward = (rel.destination in people and rel.source not in people) or (
                rel.source in outside and rel.destination not in outside) or (
                fit.queues_first and shapes.get(rel.destination) == "cds"
                and shapes.get(rel.source) != "cds" and rel.source not in people)
            _edge(ws, diagram, rel, nodes, contents, ids, Edge, fit, upward)
    finally:
        diagrams.setdiagram(None)
    if people:
        # Structurizr's look: people on the first rank, whatever else points at them.
        diagram.dot.body.append("\t{rank=min; " + "; ".join(ids[p] for p in people) + "}\n")
    if outside:
        for edge in _under_boundaries(contents, outside):
            diagram.dot.body.append(f"\t{ids[edge[0]]} -> {ids[edge[1]]} [style=invis, weight=0]\n")
    diagram.dot.graph_attr["label"] = _graph_label(view, list(legend), contents)
    return diagram.dot.source, findings


def _node_ids(contents: ViewContents) -> dict[str, str]:
    """Stable DOT ids: the identifier with unsafe characters replaced, made unique."""
    ids: dict[str, str] = {}
    used: set[str] = {"legend"}
    keys = [e.id for e in contents.elements] + [c.key for c in contents.clusters]
    for key in keys:
        base = re.sub(r"[^A-Za-z0-9_]", "_", key) or "n"
        cand, n = base, 2
        while cand in used:
            cand, n = f"{base}_{n}", n + 1
        used.add(cand)
        ids[key] = cand
    return ids


def _wrap(text: str, width: int) -> list[str]:
    """Wrap every paragraph of ``text``; long words are kept whole, nothing is dropped."""
    lines: list[str] = []
    for para in str(text).splitlines() or [""]:
        lines += textwrap.wrap(para, width=width, break_long_words=False,
                               break_on_hyphens=False) or [""]
    return lines


def _esc_lines(text: str, width: int) -> str:
    # Graphviz expands \\G, \\N, ... inside HTML labels too; a doubled backslash is literal.
    return "<br/>".join(html.escape(line, quote=True).replace("\\", "\\\\")
                        for line in _wrap(_no_control(text), width))


class HtmlLabel(str):
    """A DOT HTML-like label ``<...>`` built only from escaped text (see :func:`_esc_lines`)."""


def _html_label(body: str) -> HtmlLabel:
    return HtmlLabel(f"<{body}>")


def _no_control(text: object) -> str:
    return _CONTROL.sub("\ufffd", str(text))


def dot_text(value: object) -> str:
    """A DOT attribute value shown literally: quoted by Graphviz, never read as HTML.

    Backslashes are doubled (no ``\\N``-style expansion) and ``&`` becomes ``&amp;``,
    because Graphviz passes ``&...;`` entities through to SVG untouched.
    """
    import graphviz

    return graphviz.escape(_no_control(value).replace("&", "&amp;"))


def dot_attrs(attrs: dict[str, object]) -> dict[str, str]:
    """Every value escaped with :func:`dot_text`, except labels built by ``_html_label``."""
    out = {k: v if isinstance(v, HtmlLabel) else dot_text(v) for k, v in attrs.items()}
    if "tooltip" in out:  # Graphviz 2.43 expands escapes in SVG tooltips twice
        out["tooltip"] = type(out["tooltip"])(out["tooltip"].replace("\\", "\\\\"))
    return out


def safe_url(url: str) -> str | None:
    """``url`` if it is http(s) or relative (no scheme), else None (dot_attrs escapes it).

    Usage: ``safe_url("javascript:alert(1)") is None``.
    """
    from urllib.parse import urlsplit

    if not url or any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in url):
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in ("", "http", "https") or (not scheme and ":" in url.split("/", 1)[0]):
        return None
    return url


def _title_html(view: View) -> str:
    title = f'<font point-size="16"><b>{_esc_lines(view.display_title, 60)}</b></font>'
    if view.description:
        title += f'<br/><font point-size="11">{_esc_lines(view.description, 80)}</font>'
    return title


def _kind_text(el: Element, ws: Workspace) -> tuple[str, str]:
    """The ``[Kind: Technology]`` line, and the kind for the legend."""
    kind = el.kind
    tech = el.technology
    if kind in ("containerInstance", "softwareSystemInstance"):
        target = ws.model.get(el.of)  # type: ignore[attr-defined]
        if target is not None:
            tech = target.technology
            kind = target.kind
    label = KIND_LABEL.get(kind, kind)
    if el.external and kind in ("person", "softwareSystem"):
        label = f"External {label}"
    return (f"{label}: {tech}" if tech else label), label


def _source_element(ws: Workspace, el: Element) -> Element:
    if el.kind in ("containerInstance", "softwareSystemInstance"):
        return ws.model.get(el.of) or el  # type: ignore[attr-defined]
    return el


def _node_attrs(ws: Workspace, el: Element, findings: Findings, fit: Fit
                ) -> tuple[dict, tuple]:
    src = _source_element(ws, el)
    tags = src.all_tags() + [t for t in el.tags if t not in src.tags]
    style = ws.styles.for_tags("element", tags)
    kind_line, legend_kind = _kind_text(el, ws)
    fill = FILL.get(el.kind, FILL["container"])
    if src.external and src.kind in ("person", "softwareSystem"):
        fill = EXTERNAL_FILL[src.kind]
    border = ""
    shape, shape_style = "rect", ""
    lowered = {t.lower() for t in tags}
    if lowered & DATABASE_TAGS:
        shape = "cylinder"
        legend_kind += " (database)"
    elif lowered & QUEUE_TAGS:
        shape = "cds"
        legend_kind += " (queue)"
    if src.kind == "person":
        shape_style = "rounded"
    styled = [t for t in src.tags if t != "External" and ws.styles.for_tags("element", [t])]
    if styled and not lowered & (DATABASE_TAGS | QUEUE_TAGS):
        legend_kind += f" · {styled[-1]}"  # say which tag gave this look
    if "shape" in style:
        shape, shape_style = SHAPES.get(style["shape"].lower(), ("rect", ""))
    fill = _color(style.get("background"), fill)
    user_font = _color(style.get("color"), "")
    border = _color(style.get("stroke"), border)
    opacity = style.get("opacity")
    faded = bool(opacity and opacity.isdigit() and int(opacity) < 100)
    if faded:
        fill = _fade(fill, int(opacity or 100) / 100, user_font)
    font = user_font or _text_for(fill)
    _check_contrast(el, font, fill, bool(user_font or style.get("background")), findings)
    name = el.name
    description = el.description or (src.description if src is not el else "")
    body = (f'<font point-size="13"><b>{_esc_lines(name, fit.name)}</b></font><br/>'
            f'<font point-size="{MIN_FONT}">[{_esc_lines(kind_line, fit.text)}]</font>')
    if description:
        body += (f'<br/><br/><font point-size="{MIN_FONT + 1}">'
                 f'{_esc_lines(description, fit.text)}</font>')
    styles = ["filled"] + ([shape_style] if shape_style else [])
    if style.get("border", "").lower() in ("dashed", "dotted"):
        styles.append(style["border"].lower())
    elif faded:
        styles.append("dashed")  # a faded element (e.g. a failover) reads as "standby"
    attrs = {
        "label": _html_label(body),
        "labelloc": "c",
        "shape": shape,
        # a minimum width in step with the wrap width, so narrower text gives narrower boxes
        "width": str(round(fit.text * (0.076 if description else 0.06), 2)),
        "height": "1.6" if description else "1",
        "fixedsize": "false",  # grow to fit the text instead of cutting it
        "margin": "0.15,0.1",
        "style": ",".join(styles),
        "fillcolor": fill,
        "fontcolor": font,
        "id": f"c4-{re.sub(r'[^A-Za-z0-9_-]', '_', el.id)}",
        "tooltip": el.name,
    }
    if border:
        attrs["color"] = border
    if el.url:
        if safe_url(el.url):
            attrs["URL"] = el.url
        else:
            findings.append(Finding("C4501", Severity.WARNING,
                                    f"url {el.url!r} is not http(s) or relative; left out",
                                    object=el.id, fix="use an https:// link"))
    return attrs, (legend_kind, fill, font, shape if shape in ("cylinder", "cds") else "")


def _text_for(fill: str) -> str:
    """The default text colour on ``fill``: white where it passes AA, else near-black."""
    return LIGHT_TEXT if contrast(LIGHT_TEXT, fill) >= AA else DARK_TEXT


def _fade(fill: str, alpha: float, font: str) -> str:
    """``fill`` faded toward the white page, but only as far as its text stays readable.

    Structurizr fades the whole element; faded text is what made failover boxes
    unreadable, so the fill fades and the text keeps its colour (the user's, or the
    default chosen for the faded fill). A user's text colour limits the fade.
    """
    parsed = parse_color(fill)
    if parsed is None:
        return fill
    white = (255.0, 255.0, 255.0)
    for step in range(0, 101, 5):
        a = alpha + (1 - alpha) * step / 100
        faded = to_hex(blend(parsed[0], a, white))
        text = font or _text_for(faded)
        if contrast(text, faded) >= AA or not font and step == 100:
            return faded
    return to_hex(parsed[0])


def _check_contrast(el: Element, font: str, fill: str, styled: bool, findings: Findings) -> None:
    """A finding when text on ``fill`` is under WCAG AA; the colours stay as given."""
    if parse_color(font) is None or parse_color(fill) is None:
        return
    ratio = contrast(font, fill)
    if ratio >= AA:
        return
    source = "its style" if styled else "the default theme"
    findings.append(Finding(
        "C4502", Severity.WARNING,
        f"{el.name!r}: text {font} on {fill} has contrast {ratio:.2f}:1, under WCAG AA "
        f"{AA}:1 (colours from {source})", object=el.id,
        fix=f"use color {passing_text(font, fill)} or background {passing_fill(font, fill)}"))


def _color(value: str | None, default: str) -> str:
    if not value:
        return default
    value = value.strip()
    return value if re.fullmatch(r"#?[A-Za-z0-9]+", value) else default


def _cluster_attrs(ws: Workspace, cluster: Cluster) -> dict[str, str]:
    el = cluster.element
    if cluster.kind == "deploymentNode" and el is not None:
        instances = getattr(el, "instances", "1")
        tech = f"[{el.technology}]" if el.technology else "[Deployment Node]"
        label = (f'<b>{_esc_lines(el.name, 40)}</b><br/>'
                 f'<font point-size="{MIN_FONT}">{_esc_lines(tech, 40)}</font>')
        if instances not in ("", "1"):
            label += f'<br/><font point-size="{MIN_FONT}">x{_esc_lines(instances, 40)}</font>'
        style = ws.styles.for_tags("element", el.all_tags())
        attrs = {"label": _html_label(label), "style": "rounded", "bgcolor": "white",
                 "pencolor": "#888888", "margin": "10", "fontname": "Sans-Serif"}
        opacity = style.get("opacity")
        if opacity and opacity.isdigit() and int(opacity) < 100:
            attrs["style"] = "rounded,dashed"
        return attrs
    if cluster.kind == "group":
        label = (f'<i>{_esc_lines(cluster.label, 40)}</i><br/>'
                 f'<font point-size="{MIN_FONT}">[Group]</font>')
        return {"label": _html_label(label), "style": "dashed", "bgcolor": "white",
                "pencolor": "#666666", "margin": "16", "fontname": "Sans-Serif"}
    kind = KIND_LABEL.get(el.kind, el.kind) if el is not None else "Boundary"
    label = (f'<b>{_esc_lines(cluster.label, 40)}</b><br/>'
             f'<font point-size="{MIN_FONT}">[{html.escape(kind)}]</font>')
    # diagrams.c4.SystemBoundary's look: white, dashed, a 16pt margin
    return {"label": _html_label(label), "bgcolor": "white", "margin": "16", "style": "dashed",
            "pencolor": "#444444", "fontname": "Sans-Serif"}


def _edge(ws: Workspace, diagram, rel: Relationship, nodes: dict, contents: ViewContents,
          ids: dict[str, str], edge_cls, fit: Fit, upward: bool) -> None:
    attrs: dict[str, str] = {}
    src = _anchor(rel.source, nodes, contents, ids, attrs, "ltail")
    dst = _anchor(rel.destination, nodes, contents, ids, attrs, "lhead")
    if src is None or dst is None:
        return
    text = rel.description
    tech = f"[{rel.technology}]" if rel.technology else ""
    label = _esc_lines(text, fit.edge) if text else ""
    if tech:
        label += ('<br/>' if label else "") + (
            f'<font point-size="{MIN_FONT}">{_esc_lines(tech, fit.edge)}</font>')
    style = ws.styles.for_tags("relationship", rel.all_tags())
    # diagrams.c4.Relationship's look: dashed gray; implied relationships are dotted
    line_style = "dotted" if rel.implied else "dashed"
    if style.get("dashed", "").lower() == "false" or style.get("style", "").lower() == "solid":
        line_style = "solid"
    attrs.update({
        "style": line_style,
        "color": _color(style.get("color"), EDGE_COLOR),
        "label": _html_label(f'<font point-size="{MIN_FONT}">{label}</font>') if label else "",
        "fontcolor": EDGE_TEXT,
        "id": f"rel-{re.sub(r'[^A-Za-z0-9_-]', '_', rel.id or '')}",
    })
    if style.get("thickness", "").isdigit():
        attrs["penwidth"] = style["thickness"]
    attrs["tooltip"] = " ".join(x for x in (text, tech) if x) or "relationship"
    if rel.implied:
        attrs["tooltip"] = "implied relationship"
    if upward:
        tail, head = attrs.pop("ltail", None), attrs.pop("lhead", None)
        attrs.update({k: v for k, v in (("lhead", tail), ("ltail", head)) if v})
        diagram.connect(dst, src, edge_cls(reverse=True, **dot_attrs(attrs)))
        return
    diagram.connect(src, dst, edge_cls(forward=True, **dot_attrs(attrs)))


def _anchor(end: str, nodes: dict, contents: ViewContents, ids: dict[str, str], attrs: dict,
            which: str):
    """The node an edge attaches to; for a boundary, a node inside it plus ltail/lhead."""
    if end in nodes:
        return nodes[end]
    cluster = contents.cluster(end)
    if cluster is None:
        return None
    inside = _first_inside(cluster.key, contents)
    if inside is None:
        return None
    attrs[which] = f"cluster_c_{ids[cluster.key]}"
    return nodes.get(inside)


def _first_inside(key: str, contents: ViewContents) -> str | None:
    for el in contents.elements:
        if contents.placement.get(el.id) == key:
            return el.id
    for child in contents.clusters:
        if child.parent == key:
            found = _first_inside(child.key, contents)
            if found:
                return found
    return None


def _graph_label(view: View, legend: list[tuple[str, str, str, str]],
                 contents: ViewContents) -> str:
    """The title, and under it the legend: outside the layout, so it adds no width of its own
    beyond its rows, and no edge ever runs around it."""
    title = f'<table border="0" cellpadding="2" cellspacing="0"><tr><td align="left">' \
            f"{_title_html(view)}</td></tr>"
    if legend:
        title += f'<tr><td align="left">{_legend_label(legend, contents)}</td></tr>'
    return _html_label(title + "</table>")


LEGEND_COLUMNS = 3


def _legend_label(entries: list[tuple[str, str, str, str]], contents: ViewContents) -> str:
    """A compact legend: a swatch (the kind's own fill and text colour) per kind, in rows."""
    cells = []
    for kind, fill, font, shape in entries:
        mark = {"cylinder": "⛁ ", "cds": "⇶ "}.get(shape, "")
        cells.append(
            f'<td bgcolor="{html.escape(fill)}" width="22" border="1" color="#888888">'
            f'<font color="{html.escape(font)}" '
            f'point-size="{MIN_FONT}">Aa</font></td>'
            f'<td align="left"><font point-size="{MIN_FONT}">{_esc_lines(mark + kind, 200)}'
            "</font></td>")
    if any(r.implied for r in contents.relationships):
        cells.append(f'<td>⋯</td><td align="left"><font point-size="{MIN_FONT}">implied '
                     'relationship</font></td>')
    rows = [f'<tr><td align="left"><font point-size="{MIN_FONT}"><b>Legend</b></font></td>'
            + "".join(cells[i:i + LEGEND_COLUMNS]) + "</tr>"
            if i == 0 else "<tr><td></td>" + "".join(cells[i:i + LEGEND_COLUMNS]) + "</tr>"
            for i in range(0, len(cells), LEGEND_COLUMNS)]
    return ('<table border="0" cellborder="0" cellspacing="3" cellpadding="3">'
            + "".join(rows) + "</table>")
