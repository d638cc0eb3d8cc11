"""Export every view as Mermaid C4 (one ``.mmd`` per view, named by view key).

Usage::

    result = to_mermaid(workspace)
    result.files["Containers.mmd"]

Strings are escaped with Mermaid's entity codes (``#quot;``, ``#lt;``, ...), so a label
can never end its string or inject markup. What Mermaid C4 cannot express (edges to a
boundary, layout direction, animation) is reported as findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.c4.files import safe_name
from archkit.c4.textdiagram import (
    ExportResult,
    alias,
    boundary_call,
    color_value,
    element_call,
    lost,
    macro,
)
from archkit.c4.views import ViewContents, resolve

if TYPE_CHECKING:
    from archkit.c4.workspace import View, Workspace

__all__ = ["to_mermaid", "escape_mermaid"]

HEADERS = {
    "systemLandscape": "C4Context",
    "systemContext": "C4Context",
    "container": "C4Container",
    "component": "C4Component",
    "dynamic": "C4Dynamic",
    "deployment": "C4Deployment",
}
# "%" too: Mermaid strips %%{...}%% directives and %% comments before it reads strings.
_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;",
             "\\": "#92;", "`": "#96;", "%": "#37;", "{": "#123;", "}": "#125;",
             ";": "#59;"}


def escape_mermaid(text: object) -> str:
    """A Mermaid string body: one line, no quotes, markup or directives; entity codes instead.

    Usage: ``escape_mermaid('%%{init: {}}%%') == '#37;#37;#123;init: #123;#125;#125;#37;#37;'``
    """
    flat = " ".join(str(text).splitlines())
    return "".join(_ENTITIES.get(ch, ch) for ch in flat)


def _q(text: object) -> str:
    return f'"{escape_mermaid(text)}"'


def to_mermaid(ws: Workspace) -> ExportResult:
    """Every view as Mermaid C4 text, plus findings for what Mermaid cannot show."""
    result = ExportResult()
    for view in ws.views:
        contents = resolve(ws, view)
        result.findings.extend(contents.findings)
        result.files[f"{safe_name(view.key)}.mmd"] = _view(ws, view, contents, result)
    return result


def _view(ws: Workspace, view: View, contents: ViewContents, result: ExportResult) -> str:
    lines = [HEADERS[view.kind], f"    title {escape_mermaid(view.display_title)}", ""]
    if view.auto_layout and view.auto_layout != "tb":
        result.findings.append(lost("C4402", "mermaid", f"layout {view.auto_layout!r} cannot be "
                                    "set; Mermaid lays C4 diagrams out in rows", view.key,
                                    "none: Mermaid chooses the layout"))
    if view.animation:
        result.findings.append(lost("C4403", "mermaid", "animation steps are not exported",
                                    view.key, "none needed: the static picture is complete"))
    children, placed = contents.nesting()

    def emit(key: str | None, depth: int) -> None:
        pad = "    " * depth
        for el in placed.get(key, []):
            lines.append(pad + element_call(ws, el, _q, node_macro="Container", tags=False))
        for child in children.get(key, []):
            lines.append(pad + boundary_call(child, _q, group_type='"Group"') + " {")
            emit(child.key, depth + 1)
            lines.append(pad + "}")

    emit(None, 1)
    lines.append("")
    clusters = {c.key for c in contents.clusters}
    steps = {f"step{i}": s for i, s in enumerate(view.steps, 1)}
    for rel in contents.relationships:
        if rel.source in clusters or rel.destination in clusters:
            result.findings.append(lost("C4404", "mermaid", f"relationship {rel.description!r} "
                                        "to or from a boundary is left out", view.key,
                                        "relate the elements inside the boundary instead"))
            continue
        src, dst = alias(rel.source), alias(rel.destination)
        if view.kind == "dynamic" and rel.id in steps:
            step = steps[rel.id]
            args = [_q(step.description)] + ([_q(step.technology)] if step.technology else [])
            lines.append(f"    RelIndex({step.order}, {src}, {dst}, {', '.join(args)})")
            continue
        args = [_q(rel.description + (" (implied)" if rel.implied else ""))]
        if rel.technology:
            args.append(_q(rel.technology))
        lines.append(f"    Rel({src}, {dst}, {', '.join(args)})")
    styles = _styles(ws, contents)
    if styles:
        lines += ["", *styles]
    lines.append("")
    return "\n".join(lines)


def _styles(ws: Workspace, contents: ViewContents) -> list[str]:
    """UpdateElementStyle for elements whose tags carry a background or colour."""
    out = []
    for el in contents.elements:
        _, src = macro(ws, el)
        style = ws.styles.for_tags("element", src.all_tags() + list(el.tags))
        args = [f'${name}="{value}"' for name, key in
                (("bgColor", "background"), ("fontColor", "color"), ("borderColor", "stroke"))
                if (value := color_value(style.get(key)))]
        if args:
            out.append(f"    UpdateElementStyle({alias(el.id)}, {', '.join(args)})")
    return out
