"""Render a view through ``diagrams`` (the ``diagrams.c4`` look) and Graphviz ``dot``.

Usage::

    diagram = render_view(workspace, workspace.view("Containers"))
    diagram.dot          # the DOT source, byte-identical on every run
    diagram.svg()        # SVG text from `dot -Tsvg`; nothing is written to disk
    diagram.save("out", ["svg", "png"])

Node ids are the model's identifiers (never random), text is wrapped to fit and never
cut, every label is escaped for Graphviz HTML labels, and no viewer is ever opened.
"""

from __future__ import annotations

import html
import re
import subprocess
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from archkit.c4.views import Cluster, ViewContents, resolve
from archkit.errors import ArchkitError
from archkit.findings import Finding, Findings, Severity

if TYPE_CHECKING:
    from archkit.c4.model import Element, Relationship
    from archkit.c4.workspace import View, Workspace

__all__ = ["Diagram", "render_view", "run_dot", "FORMATS", "dot_text", "dot_attrs", "safe_url"]

FORMATS = ("svg", "png")

# The diagrams.c4 palette, with Structurizr's lighter blue for components.
FILL = {
    "person": "dodgerblue4",
    "softwareSystem": "dodgerblue4",
    "container": "dodgerblue3",
    "component": "#85bbf0",
    "containerInstance": "dodgerblue3",
    "softwareSystemInstance": "dodgerblue4",
    "infrastructureNode": "white",
}
FONT = {"component": "black", "infrastructureNode": "black"}
EXTERNAL_FILL = "gray60"
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
# C0/C1 controls (tab and newline are wrapped as text): Graphviz and XML refuse them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(eq=False)
class Diagram:
    """One rendered view: DOT source now, SVG/PNG from ``dot`` on demand (cached)."""

    key: str
    dot: str
    title: str = ""
    findings: Findings = field(default_factory=Findings)

    def __post_init__(self) -> None:
        self._cache: dict[str, bytes] = {}

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
        return self.svg()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"image/svg+xml": self.svg(), "text/plain": f"<C4 view {self.key}>"}


def run_dot(dot: str, fmt: str) -> bytes:
    """Graphviz ``dot -T<fmt>`` on ``dot``; an ArchkitError if Graphviz fails or is missing."""
    try:
        proc = subprocess.run(["dot", f"-T{fmt}"], input=dot.encode("utf-8"),
                              capture_output=True, check=False)
    except FileNotFoundError:
        raise ArchkitError("Graphviz 'dot' is not installed",
                           hint="install Graphviz (apt install graphviz)") from None
    if proc.returncode != 0:
        raise ArchkitError(f"Graphviz failed: {proc.stderr.decode(errors='replace').strip()}",
                           hint="this is a bug in archkit's DOT output; please report it")
    return proc.stdout


def render_view(ws: Workspace, view: View, contents: ViewContents | None = None) -> Diagram:
    """Build the view's DOT with ``diagrams`` (never rendering or showing anything)."""
    import diagrams
    from diagrams import Cluster as DCluster
    from diagrams import Diagram as DDiagram
    from diagrams import Edge, Node

    contents = contents or resolve(ws, view)
    findings = Findings(contents.findings)
    direction = (view.auto_layout or "tb").upper()
    graph_attr = {
        "label": _html_label(_title_html(view)),
        "labelloc": "t",
        "labeljust": "l",
        "pad": "0.4",
        "splines": "spline",
        "compound": "true",
        "newrank": "true",
        "nodesep": str(round((view.node_separation or 60) / 100, 2)),
        "ranksep": str(round((view.rank_separation or 75) / 100, 2)),
    }
    diagram = DDiagram(name=dot_text(view.key), filename=view.key, direction=direction, show=False,
                       outformat="svg", graph_attr=dot_attrs(graph_attr))
    ids = _node_ids(contents)
    nodes: dict[str, Node] = {}
    legend: dict[tuple[str, str, str, str], None] = {}
    children, placed = contents.nesting()

    def emit(cluster_key: str | None) -> None:
        for el in placed.get(cluster_key, []):
            attrs, entry = _node_attrs(ws, el, findings)
            legend[entry] = None
            nodes[el.id] = Node(label=attrs.pop("label"), nodeid=ids[el.id], **dot_attrs(attrs))
        for child in children.get(cluster_key, []):
            cluster_attrs = dot_attrs(_cluster_attrs(ws, child))
            with DCluster(label=f"c_{ids[child.key]}", graph_attr=cluster_attrs):
                emit(child.key)

    diagrams.setdiagram(diagram)
    try:
        emit(None)
        for rel in contents.relationships:
            _edge(ws, diagram, rel, nodes, contents, ids, Edge)
        if legend:
            Node(label=_legend_label(list(legend), contents), nodeid="legend", shape="plain",
                 fixedsize="false", width="0", height="0")
    finally:
        diagrams.setdiagram(None)
    return Diagram(view.key, diagram.dot.source, view.display_title, findings)


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
    """``url`` if it is http(s) or relative (no scheme), escaped for DOT; else None.

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


def _node_attrs(ws: Workspace, el: Element, findings: Findings) -> tuple[dict, tuple]:
    src = _source_element(ws, el)
    tags = src.all_tags() + [t for t in el.tags if t not in src.tags]
    style = ws.styles.for_tags("element", tags)
    kind_line, legend_kind = _kind_text(el, ws)
    fill = FILL.get(el.kind, "dodgerblue3")
    if src.external and src.kind in ("person", "softwareSystem"):
        fill = EXTERNAL_FILL
    font = FONT.get(src.kind if el.kind != "infrastructureNode" else el.kind, "white")
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
    font = _color(style.get("color"), font)
    border = _color(style.get("stroke"), border)
    opacity = style.get("opacity")
    if opacity and opacity.isdigit() and int(opacity) < 100:
        alpha = f"{round(int(opacity) * 255 / 100):02x}"
        fill = fill + alpha if _HEX.match(fill) else fill
        font = font + alpha if _HEX.match(font) else font
    name = el.name
    description = el.description or (src.description if src is not el else "")
    body = (f'<font point-size="12"><b>{_esc_lines(name, NAME_WIDTH)}</b></font><br/>'
            f'<font point-size="9">[{_esc_lines(kind_line, TEXT_WIDTH)}]</font>')
    if description:
        body += f'<br/><br/><font point-size="10">{_esc_lines(description, TEXT_WIDTH)}</font>'
    styles = ["filled"] + ([shape_style] if shape_style else [])
    if style.get("border", "").lower() in ("dashed", "dotted"):
        styles.append(style["border"].lower())
    attrs = {
        "label": _html_label(body),
        "labelloc": "c",
        "shape": shape,
        "width": "2.6" if description else "2",
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
                 f'<font point-size="9">{_esc_lines(tech, 40)}</font>')
        if instances not in ("", "1"):
            label += f'<br/><font point-size="9">x{html.escape(_no_control(instances))}</font>'
        style = ws.styles.for_tags("element", el.all_tags())
        attrs = {"label": _html_label(label), "style": "rounded", "bgcolor": "white",
                 "pencolor": "#888888", "margin": "16", "fontname": "Sans-Serif"}
        opacity = style.get("opacity")
        if opacity and opacity.isdigit() and int(opacity) < 100:
            attrs["style"] = "rounded,dashed"
        return attrs
    if cluster.kind == "group":
        label = f'<i>{_esc_lines(cluster.label, 40)}</i><br/><font point-size="9">[Group]</font>'
        return {"label": _html_label(label), "style": "dashed", "bgcolor": "white",
                "pencolor": "#666666", "margin": "16", "fontname": "Sans-Serif"}
    kind = KIND_LABEL.get(el.kind, el.kind) if el is not None else "Boundary"
    label = (f'<b>{_esc_lines(cluster.label, 40)}</b><br/>'
             f'<font point-size="9">[{html.escape(kind)}]</font>')
    # diagrams.c4.SystemBoundary's look: white, dashed, a 16pt margin
    return {"label": _html_label(label), "bgcolor": "white", "margin": "16", "style": "dashed",
            "pencolor": "#444444", "fontname": "Sans-Serif"}


def _edge(ws: Workspace, diagram, rel: Relationship, nodes: dict, contents: ViewContents,
          ids: dict[str, str], edge_cls) -> None:
    attrs: dict[str, str] = {}
    src = _anchor(rel.source, nodes, contents, ids, attrs, "ltail")
    dst = _anchor(rel.destination, nodes, contents, ids, attrs, "lhead")
    if src is None or dst is None:
        return
    text = rel.description
    tech = f"[{rel.technology}]" if rel.technology else ""
    label = _esc_lines(text, EDGE_WIDTH) if text else ""
    if tech:
        label += ('<br/>' if label else "") + (
            f'<font point-size="9">{_esc_lines(tech, EDGE_WIDTH)}</font>')
    style = ws.styles.for_tags("relationship", rel.all_tags())
    # diagrams.c4.Relationship's look: dashed gray; implied relationships are dotted
    line_style = "dotted" if rel.implied else "dashed"
    if style.get("dashed", "").lower() == "false" or style.get("style", "").lower() == "solid":
        line_style = "solid"
    attrs.update({
        "style": line_style,
        "color": _color(style.get("color"), "gray60"),
        "label": _html_label(f'<font point-size="10">{label}</font>') if label else "",
        "fontcolor": "#2D3436",
        "id": f"rel-{re.sub(r'[^A-Za-z0-9_-]', '_', rel.id or '')}",
    })
    if style.get("thickness", "").isdigit():
        attrs["penwidth"] = style["thickness"]
    attrs["tooltip"] = " ".join(x for x in (text, tech) if x) or "relationship"
    if rel.implied:
        attrs["tooltip"] = "implied relationship"
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


def _legend_label(entries: list[tuple[str, str, str, str]], contents: ViewContents) -> str:
    rows = ['<tr><td colspan="2"><b>Legend</b></td></tr>']
    for kind, fill, _font, shape in entries:
        mark = {"cylinder": "⛁ ", "cds": "⇶ "}.get(shape, "")
        rows.append(
            f'<tr><td bgcolor="{html.escape(fill)}" width="24"> </td>'
            f'<td align="left"><font point-size="10">{_esc_lines(mark + kind, 200)}'
            '</font></td></tr>'
        )
    if any(r.implied for r in contents.relationships):
        rows.append('<tr><td>⋯</td><td align="left"><font point-size="10">implied relationship'
                    '</font></td></tr>')
    return _html_label('<table border="0" cellborder="1" cellspacing="0" cellpadding="4">'
                       + "".join(rows) + "</table>")
