"""Validation as Structurizr does it: errors that make a model wrong, warnings that make it weak.

Usage::

    findings = validate(workspace)
    findings.errors      # duplicate names, parent/child relationships, ...

Codes: C4101 duplicate name in a parent, C4102 relationship between parent and child,
C4103 duplicate relationship, C4104 element not allowed in the view's kind,
C4105 relationship to an unknown element, C4106 view names an unknown element;
warnings C4201 missing description, C4202 missing technology, C4203 disconnected element,
C4204 element in no view, C4205 empty view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.findings import Finding, Findings, Severity

if TYPE_CHECKING:
    from archkit.c4.workspace import Workspace

__all__ = ["validate"]

DESCRIBED = ("person", "softwareSystem", "container", "component")
TECHNICAL = ("container", "component")


def validate(ws: Workspace) -> Findings:
    """Every finding for ``ws``: errors first by kind, then warnings, in a stable order."""
    findings = Findings()
    model = ws.model
    _duplicate_names(ws, findings)
    seen: dict[tuple[str, str, str], object] = {}
    for rel in model.relationships:
        src, dst = model.get(rel.source), model.get(rel.destination)
        if src is None or dst is None:
            missing = rel.source if src is None else rel.destination
            findings.append(_f("C4105", Severity.ERROR,
                               f"relationship {rel.source} -> {rel.destination} names unknown "
                               f"element {missing!r}", rel.id, rel.line,
                               "define the element or fix the identifier"))
            continue
        if src in dst.ancestors() or dst in src.ancestors():
            findings.append(_f("C4102", Severity.ERROR,
                               f"relationship between {src.name!r} and {dst.name!r}, a parent "
                               "and its child", rel.id, rel.line,
                               "relate the child to something outside its parent instead"))
        key = (rel.source, rel.destination, rel.description)
        if key in seen:
            findings.append(_f("C4103", Severity.ERROR,
                               f"duplicate relationship {src.name!r} -> {dst.name!r} "
                               f"({rel.description!r})", rel.id, rel.line,
                               "remove one, or give them different descriptions"))
        seen[key] = rel
    in_views: set[str] = set()
    for view in ws.views:
        contents = view.contents()
        findings.extend(contents.findings)
        in_views |= set(contents.element_ids())
        in_views |= {c.element.id for c in contents.clusters if c.element is not None}
        if not contents.elements:
            findings.append(_f("C4205", Severity.WARNING, f"view {view.key!r} shows nothing",
                               view.key, view.line, "add 'include *' or element identifiers"))
    for view in ws.views:  # deployment views show instances: count their targets as shown
        if view.kind == "deployment":
            in_views |= {getattr(e, "of", "") for e in view.contents().elements}
    connected = _connected_ids(ws)
    for el in model.walk():
        if el.kind in DESCRIBED and not el.description:
            findings.append(_f("C4201", Severity.WARNING, f"{el.name!r} has no description",
                               el.id, el.line, "add a one-line description of its job"))
        if el.kind in TECHNICAL and not el.technology:
            findings.append(_f("C4202", Severity.WARNING, f"{el.name!r} has no technology",
                               el.id, el.line, 'add its technology, e.g. "Python and FastAPI"'))
        if el.id not in connected:
            findings.append(_f("C4203", Severity.WARNING, f"{el.name!r} is not connected to "
                               "anything", el.id, el.line, "add a relationship or remove it"))
        if ws.views and el.id not in in_views:
            findings.append(_f("C4204", Severity.WARNING, f"{el.name!r} is in no view",
                               el.id, el.line, "include it in a view, or remove it"))
    return Findings(sorted(findings, key=_order))


def _duplicate_names(ws: Workspace, findings: Findings) -> None:
    model = ws.model
    groups: list[tuple[str, list]] = [("model", list(model.elements))]
    for el in model.walk_all():
        if el.children:
            groups.append((el.id, el.children))
    for env in model.environments:
        groups.append((env.name, list(env.nodes)))
    for parent, children in groups:
        names: dict[tuple[str, str], str] = {}
        for child in children:
            # people and software systems share one namespace; instances are named by target
            if child.kind in ("containerInstance", "softwareSystemInstance"):
                continue
            space = "static" if child.kind in ("person", "softwareSystem") else child.kind
            key = (space, child.name)
            if key in names:
                findings.append(_f("C4101", Severity.ERROR,
                                   f"two elements named {child.name!r} in {parent}", child.id,
                                   child.line, "rename one: names must be unique in a parent"))
            names[key] = child.id


def _connected_ids(ws: Workspace) -> set[str]:
    """Elements with a relationship, directly or through a descendant or an ancestor."""
    model = ws.model
    ids: set[str] = set()
    for rel in model.relationships:
        for end in (rel.source, rel.destination):
            el = model.get(end)
            if el is None:
                continue
            ids |= {el.id} | {a.id for a in el.ancestors()} | {d.id for d in el.walk()}
    return ids


def _f(code: str, severity: Severity, message: str, obj: str | None, line: int | None,
       fix: str) -> Finding:
    return Finding(code, severity, message, object=obj, line=line, fix=fix)


def _order(f: Finding) -> tuple:
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}[f.severity]
    return (rank, f.code, f.line or 0, f.object or "")
