"""Write a Workspace as Structurizr DSL (deterministic; reads back to the same model).

Usage::

    from archkit.c4.dsl_writer import write_dsl
    text = write_dsl(workspace)          # str; write it with archkit.fsio.atomic_write

Strings are quoted with ``\\"`` and ``\\\\`` escaped, so any label is inert text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archkit.c4.model import Element, Relationship
    from archkit.c4.workspace import View, Workspace

__all__ = ["write_dsl", "quote"]

_BARE = re.compile(r"[A-Za-z0-9_.*#=!>,-]+")
KEYWORDS = {
    "person": "person",
    "softwareSystem": "softwareSystem",
    "container": "container",
    "component": "component",
    "deploymentNode": "deploymentNode",
    "infrastructureNode": "infrastructureNode",
    "containerInstance": "containerInstance",
    "softwareSystemInstance": "softwareSystemInstance",
}


def quote(text: object) -> str:
    """A DSL string literal; multi-line text becomes a ``\"\"\"`` text block."""
    # The DSL is read line by line (a CR ends a line, as Java's readLine does): CRLF and a
    # lone CR are line breaks, kept as such in a text block rather than lost to spaces.
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in value and _text_block_safe(value):
        return '"""\n' + value + '\n"""'
    # Not expressible exactly in the DSL (a text block holding """, or text a text block
    # would re-indent): line breaks become spaces.
    value = value.replace("\r", " ").replace("\n", " ")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text_block_safe(value: str) -> bool:
    """True when a text block reads back as exactly ``value``."""
    import textwrap

    return ('"""' not in value and not value.endswith('"') and "\r" not in value
            and textwrap.dedent(value).strip("\n") == value)


def _word(text: str) -> str:
    return text if text and _BARE.fullmatch(text) and text not in ("{", "}") else quote(text)


class _Out:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0
        self.mode = "flat"  # the !identifiers mode the reader is in at this point

    def line(self, text: str = "") -> None:
        self.lines.append(("    " * self.depth + text) if text else "")

    def open(self, text: str) -> None:
        self.line(text + " {")
        self.depth += 1

    def close(self) -> None:
        self.depth -= 1
        self.line("}")


def write_dsl(ws: Workspace) -> str:
    """The whole workspace as DSL text, ending with a newline."""
    out = _Out()
    head = f"workspace {quote(ws.name)}"
    if ws.description:
        head += f" {quote(ws.description)}"
    out.open(head)
    if ws.identifiers == "hierarchical":
        out.line("!identifiers hierarchical")
        out.mode = "hierarchical"
    _pairs(out, "properties", ws.properties)
    out.line()
    _model(out, ws)
    out.line()
    _views(out, ws)
    out.close()
    return "\n".join(out.lines) + "\n"


def _local_id(out: _Out, el: Element) -> str:
    """The identifier to write for ``el``, switching ``!identifiers`` when it must.

    A hierarchical id (``system.api``) is written as ``api`` in hierarchical mode; any
    other id (flat workspaces, ids archkit generated) needs flat mode to read back as is.
    """
    parent = el.parent
    hierarchical = parent is not None and el.id.startswith(parent.id + ".") and (
        "." not in el.id[len(parent.id) + 1:])
    mode = "hierarchical" if hierarchical else ("flat" if parent is not None else out.mode)
    if mode != out.mode:
        out.line(f"!identifiers {mode}")
        out.mode = mode
    return el.id[len(parent.id) + 1:] if hierarchical else el.id


def _pairs(out: _Out, keyword: str, pairs: dict[str, str]) -> None:
    if not pairs:
        return
    out.open(keyword)
    for key, value in pairs.items():
        out.line(f"{quote(key)} {quote(value)}")
    out.close()


def _model(out: _Out, ws: Workspace) -> None:
    model = ws.model
    out.open("model")
    if not model.implied_relationships:
        out.line("!impliedRelationships false")
    _pairs(out, "properties", model.properties)
    _elements(out, ws, model.elements)
    # a relationship to or from a deployment element is written after the environments
    static_ids = {e.id for e in model.walk()}
    static = [r for r in model.relationships
              if r.source in static_ids and r.destination in static_ids]
    if static:
        out.line()
    index = 0
    for rel in static:
        index += 1
        _relationship(out, rel, index)
    for env in model.environments:
        out.line()
        out.open(f"deploymentEnvironment {quote(env.name)}")
        for group in env.groups:
            out.line(f"deploymentGroup {quote(group)}")
        for node in env.nodes:
            _deployment(out, ws, node)
        out.close()
    deployment = [r for r in model.relationships if r not in static]
    if deployment:
        out.line()
    for rel in deployment:
        index += 1
        _relationship(out, rel, index)
    out.close()


def _elements(out: _Out, ws: Workspace, elements: list[Element]) -> None:
    current_group: str | None = None
    for el in elements:
        if el.group != current_group:
            if current_group is not None:
                out.close()
            if el.group is not None:
                out.open(f"group {quote(el.group)}")
            current_group = el.group
        _element(out, ws, el)
    if current_group is not None:
        out.close()


def _args(values: list[str], keep: int = 0) -> str:
    """Quoted positional values, trailing empty ones left out (but never the first ``keep``)."""
    while len(values) > keep and not values[-1]:
        values = values[:-1]
    return " ".join(quote(v) for v in values)


def _element(out: _Out, ws: Workspace, el: Element) -> None:
    keyword = KEYWORDS[el.kind]
    values = [el.name, el.description]
    if el.kind in ("container", "component"):
        values.append(el.technology)
    values.append(",".join(el.tags))
    text = f"{_local_id(out, el)} = {keyword} {_args(values, keep=1)}"
    extra = el.url or el.properties or el.perspectives or el.children or (
        el.technology and el.kind in ("person", "softwareSystem"))
    if not extra:
        out.line(text)
        return
    out.open(text)
    if el.technology and el.kind in ("person", "softwareSystem"):
        out.line(f"technology {quote(el.technology)}")
    _extras(out, el)
    _elements(out, ws, el.children)
    out.close()


def _extras(out: _Out, thing) -> None:
    if thing.url:
        out.line(f"url {quote(thing.url)}")
    _pairs(out, "properties", thing.properties)
    _pairs(out, "perspectives", thing.perspectives)


def _relationship(out: _Out, rel: Relationship, index: int) -> None:
    values = [rel.description, rel.technology, ",".join(rel.tags)]
    ident = "" if rel.id == f"rel{index}" else f"{rel.id} = "
    text = f"{ident}{rel.source} -> {rel.destination} {_args(values)}".rstrip()
    if rel.url or rel.properties or rel.perspectives:
        out.open(text)
        _extras(out, rel)
        out.close()
    else:
        out.line(text)


def _deployment(out: _Out, ws: Workspace, el: Element) -> None:
    ident = _local_id(out, el)
    if el.kind in ("containerInstance", "softwareSystemInstance"):
        groups = ",".join(el.deployment_groups)  # type: ignore[attr-defined]
        text = f"{ident} = {KEYWORDS[el.kind]} {el.of}"  # type: ignore[attr-defined]
        if groups:
            text += f" {quote(groups)}"
            env = ws.model.environment(getattr(el, "environment", ""))
            if env is not None and not set(el.deployment_groups) <= set(env.groups):
                text += ' ""'  # else one unknown group alone reads back as a tag (Big Bank)
        if el.tags or el.url or el.properties or el.perspectives or el.description or el.group:
            out.open(text)
            _group(out, el)
            if el.description:
                out.line(f"description {quote(el.description)}")
            if el.tags:
                out.line(f"tags {' '.join(quote(t) for t in el.tags)}")
            _extras(out, el)
            out.close()
        else:
            out.line(text)
        return
    values = [el.name, el.description, el.technology, ",".join(el.tags)]
    text = f"{ident} = {KEYWORDS[el.kind]} {_args(values, keep=1)}"
    instances = getattr(el, "instances", "1")
    if instances not in ("", "1"):
        text = f"{ident} = {KEYWORDS[el.kind]} {' '.join(quote(v) for v in values)} " + (
            _word(instances))
    if not (el.children or el.url or el.properties or el.perspectives or el.group):
        out.line(text)
        return
    out.open(text)
    _group(out, el)
    _extras(out, el)
    for child in el.children:
        _deployment(out, ws, child)
    out.close()


def _group(out: _Out, el: Element) -> None:
    """A deployment element's group, as the property form (``group "Name"``) reads it."""
    if el.group:
        out.line(f"group {quote(el.group)}")


def _views(out: _Out, ws: Workspace) -> None:
    out.open("views")
    for view in ws.views:
        _view(out, view)
    if ws.styles.items:
        out.open("styles")
        for style in ws.styles.items:
            out.open(f"{style.target} {quote(style.tag)}")
            for key, value in style.properties.items():
                out.line(f"{_word(key)} {_word(value)}")
            out.close()
        out.close()
    if ws.themes:
        out.line("themes " + " ".join(_word(t) for t in ws.themes))
    out.close()


def _view(out: _Out, view: View) -> None:
    head = view.kind
    if view.kind in ("systemContext", "container", "component", "dynamic", "deployment"):
        head += f" {view.scope or '*'}"
    if view.kind == "deployment":
        head += f" {quote(view.environment or '')}"
    head += f" {quote(view.key)}"
    if view.description:
        head += f" {quote(view.description)}"
    out.open(head)
    if view.title:
        out.line(f"title {quote(view.title)}")
    if view.include:
        out.line("include " + " ".join(_word(i) for i in view.include))
    if view.exclude:
        out.line("exclude " + " ".join(_word(i) for i in view.exclude))
    numbered = [s.order for s in view.steps] != list(range(1, len(view.steps) + 1))
    for step in view.steps:
        values = [step.description, step.technology]
        prefix = f"{step.order}: " if numbered else ""  # parallel steps share a number
        out.line(f"{prefix}{step.source} -> {step.destination} {_args(values)}".rstrip())
    if view.animation:
        out.open("animation")
        for frame in view.animation:
            out.line(" ".join(frame))
        out.close()
    if view.auto_layout:
        layout = f"autoLayout {view.auto_layout}"
        if view.rank_separation is not None or view.node_separation is not None:
            layout += f" {view.rank_separation or 300} {view.node_separation or 300}"
        out.line(layout)
    props = dict(view.properties)
    if not view.implied:
        props["archkit.implied"] = "false"
    _pairs(out, "properties", props)
    out.close()
