"""Export every view as C4-PlantUML (one ``.puml`` per view, named by view key).

Usage::

    result = to_plantuml(workspace)
    result.files["Containers.puml"]

Strings are escaped for PlantUML: quotes, ``<``, ``>``, ``&`` and backslashes become
numeric entities, so a label can never break out of its string or add markup.
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
)
from archkit.c4.views import ViewContents, resolve

if TYPE_CHECKING:
    from archkit.c4.workspace import View, Workspace

__all__ = ["to_plantuml", "escape_plantuml"]

INCLUDES = {
    "systemLandscape": "C4_Context",
    "systemContext": "C4_Context",
    "container": "C4_Container",
    "component": "C4_Component",
    "dynamic": "C4_Dynamic",
    "deployment": "C4_Deployment",
}
# "@" (so "@enduml" cannot end the diagram), "[" "]" (creole [[links]]), "~" (creole escape)
# and "!" (preprocessor) join the usual quote, markup and variable characters.
_ENTITIES = {'"': "&#34;", "<": "&#60;", ">": "&#62;", "&": "&#38;", "\\": "&#92;",
             "$": "&#36;", "%": "&#37;", "@": "&#64;", "[": "&#91;", "]": "&#93;",
             "~": "&#126;", "!": "&#33;", "'": "&#39;"}


def escape_plantuml(text: object) -> str:
    """A PlantUML string body: inert (no quotes, markup or preprocessor), one line."""
    flat = " ".join(str(text).splitlines())
    return "".join(_ENTITIES.get(ch, ch) for ch in flat)


def _q(text: object) -> str:
    return f'"{escape_plantuml(text)}"'


def to_plantuml(ws: Workspace) -> ExportResult:
    """Every view as C4-PlantUML text, plus findings for what PlantUML cannot show."""
    result = ExportResult()
    tag_styles = [s for s in ws.styles.items if s.target == "element"]
    for view in ws.views:
        contents = resolve(ws, view)
        result.findings.extend(contents.findings)
        result.files[f"{safe_name(view.key)}.puml"] = _view(ws, view, contents, result)
    kind_tags = {"Element", "Person", "Software System", "Container", "Component",
                 "Deployment Node", "Infrastructure Node", "Container Instance",
                 "Software System Instance"}
    for style in tag_styles:
        if style.tag in kind_tags:
            result.findings.append(lost("C4401", "plantuml", f"style for built-in tag "
                                        f"{style.tag!r} is not exported", style.tag,
                                        "C4-PlantUML keeps its own colours for element kinds"))
    return result


def _view(ws: Workspace, view: View, contents: ViewContents, result: ExportResult) -> str:
    lines = [f"@startuml {safe_name(view.key)}", f"!include <C4/{INCLUDES[view.kind]}>", ""]
    lines.append(f"title {escape_plantuml(view.display_title)}")
    if view.auto_layout in ("lr", "rl"):
        lines.append("LAYOUT_LEFT_RIGHT()")
    else:
        lines.append("LAYOUT_TOP_DOWN()")
    if view.auto_layout in ("bt", "rl"):
        result.findings.append(lost("C4402", "plantuml", f"layout {view.auto_layout!r} is "
                                    "drawn as top-down/left-right", view.key,
                                    "use tb or lr for an exact match"))
    if view.animation:
        result.findings.append(lost("C4403", "plantuml", "animation steps are not exported",
                                    view.key, "none needed: the static picture is complete"))
    lines += _tag_definitions(ws, contents)
    lines.append("")
    children, placed = contents.nesting()

    def emit(key: str | None, depth: int) -> None:
        pad = "    " * depth
        for el in placed.get(key, []):
            lines.append(pad + element_call(ws, el, _q, node_macro="Node", tags=True))
        for child in children.get(key, []):
            lines.append(pad + boundary_call(child, _q, group_type='$type="Group"') + " {")
            emit(child.key, depth + 1)
            lines.append(pad + "}")

    emit(None, 0)
    lines.append("")
    cluster_alias = {c.key: alias(c.key) for c in contents.clusters}
    steps = {f"step{i}": s for i, s in enumerate(view.steps, 1)}
    for rel in contents.relationships:
        src = cluster_alias.get(rel.source, alias(rel.source))
        dst = cluster_alias.get(rel.destination, alias(rel.destination))
        if view.kind == "dynamic" and rel.id in steps:
            step = steps[rel.id]
            args = [_q(step.description)] + ([_q(step.technology)] if step.technology else [])
            lines.append(f"RelIndex({step.order}, {src}, {dst}, {', '.join(args)})")
            continue
        args = [_q(rel.description)]
        if rel.technology:
            args.append(_q(rel.technology))
        extra = ', $tags="implied"' if rel.implied else ""
        lines.append(f"Rel({src}, {dst}, {', '.join(args)}{extra})")
    lines += ["", "SHOW_LEGEND()", "@enduml", ""]
    return "\n".join(lines)


def _tag_definitions(ws: Workspace, contents: ViewContents) -> list[str]:
    used: list[str] = []
    for el in contents.elements:
        for tag in el.tags:
            if tag not in used:
                used.append(tag)
    out = []
    for tag in used:
        style = ws.styles.for_tags("element", [tag])
        args = [f'${name}="{value}"' for name, key in
                (("bgColor", "background"), ("fontColor", "color"), ("borderColor", "stroke"))
                if (value := color_value(style.get(key)))]
        if args:
            out.append(f"AddElementTag({_q(tag)}, {', '.join(args)})")
    if any(r.implied for r in contents.relationships):
        out.append('AddRelTag("implied", $lineStyle = DottedLine(), $legendText="implied")')
    return out

