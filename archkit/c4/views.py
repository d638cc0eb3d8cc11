"""What a view shows: its elements, boundaries and relationships, implied ones included.

Usage::

    contents = resolve(workspace, workspace.view("Containers"))
    [e.name for e in contents.elements]
    [r for r in contents.relationships if r.implied]

Structurizr's rules: ``include *`` means the scope and what is directly connected to it;
a relationship between two children appears between their nearest shown ancestors as an
*implied* relationship (unless one already exists, or the view turns implied ones off).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archkit.c4.model import Element, Relationship
from archkit.findings import Finding, Findings, Severity

if TYPE_CHECKING:
    from archkit.c4.workspace import View, Workspace

__all__ = ["ViewContents", "Cluster", "resolve", "ALLOWED_KINDS"]

STATIC = ("person", "softwareSystem")
DEPLOYMENT = ("deploymentNode", "infrastructureNode", "containerInstance", "softwareSystemInstance")

# Which element kinds each view may show (Structurizr's rules).
ALLOWED_KINDS: dict[str, tuple[str, ...]] = {
    "systemLandscape": STATIC,
    "systemContext": STATIC,
    "container": (*STATIC, "container"),
    "component": (*STATIC, "container", "component"),
    "dynamic": (*STATIC, "container", "component"),
    "deployment": DEPLOYMENT,
}


@dataclass(eq=False)
class Cluster:
    """A box around elements: a boundary (system/container), a group, or a deployment node."""

    key: str
    label: str
    kind: str  # "boundary" | "group" | "deploymentNode"
    element: Element | None = None
    parent: str | None = None


@dataclass(eq=False)
class ViewContents:
    """The resolved view. Relationship endpoints may name a cluster key (edge to a boundary)."""

    view: View
    elements: list[Element] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    placement: dict[str, str | None] = field(default_factory=dict)
    findings: Findings = field(default_factory=Findings)

    def element_ids(self) -> list[str]:
        return [e.id for e in self.elements]

    def cluster(self, key: str) -> Cluster | None:
        return next((c for c in self.clusters if c.key == key), None)

    def nesting(self) -> tuple[dict[str | None, list[Cluster]], dict[str | None, list[Element]]]:
        """Clusters by parent cluster key and elements by the cluster they sit in (None: top)."""
        children: dict[str | None, list[Cluster]] = {}
        for cluster in self.clusters:
            children.setdefault(cluster.parent, []).append(cluster)
        placed: dict[str | None, list[Element]] = {}
        for el in self.elements:
            placed.setdefault(self.placement.get(el.id), []).append(el)
        return children, placed


def resolve(ws: Workspace, view: View) -> ViewContents:
    """Work out what ``view`` shows in ``ws``."""
    out = ViewContents(view)
    if view.kind == "deployment":
        _resolve_deployment(ws, view, out)
    elif view.kind == "dynamic":
        _resolve_dynamic(ws, view, out)
    else:
        _resolve_static(ws, view, out)
    return out


# -- static views ------------------------------------------------------------------------


def _resolve_static(ws: Workspace, view: View, out: ViewContents) -> None:
    model = ws.model
    allowed = ALLOWED_KINDS[view.kind]
    chosen: set[str] = set()
    for item in view.include:
        chosen |= _expand(ws, view, item, allowed, out.findings, including=True)
    for item in view.exclude:
        chosen -= _expand(ws, view, item, allowed, out.findings, including=False)
    scope = model.get(view.scope) if view.scope else None
    if view.kind == "component" and scope is not None:
        chosen.discard(scope.id)  # the scope container is the boundary, not a box
    if view.kind == "container" and scope is not None:
        chosen.discard(scope.id)
    out.elements = [e for e in model.walk() if e.id in chosen]
    _place(out, view)
    excluded_rel_tags = _excluded_relationship_tags(view)
    out.relationships = _project(ws, view, out, excluded_rel_tags)


def _default_set(ws: Workspace, view: View) -> set[str]:
    """What ``include *`` means for each static view kind."""
    model = ws.model
    scope = model.get(view.scope) if view.scope else None
    if view.kind == "systemLandscape" or scope is None:
        return {e.id for e in model.elements}
    if view.kind == "systemContext":
        core = {scope.id}
        return core | _connected(ws, core, STATIC, scope)
    if view.kind == "container":
        core = {c.id for c in scope.children}
        return core | _connected(ws, core, STATIC, scope)
    core = {c.id for c in scope.children}  # component view
    return core | _connected(ws, core, (*STATIC, "container"), scope)


def _connected(ws: Workspace, core: set[str], kinds: tuple[str, ...], scope: Element) -> set[str]:
    """Elements of ``kinds`` directly related to anything in ``core`` (or its descendants)."""
    model = ws.model
    found: set[str] = set()
    for rel in model.static_relationships():
        for near, far in ((rel.source, rel.destination), (rel.destination, rel.source)):
            near_el, far_el = model.get(near), model.get(far)
            if near_el is None or far_el is None:
                continue
            if not ({near_el.id} | {a.id for a in near_el.ancestors()}) & core:
                continue
            target = _nearest_of_kind(far_el, kinds, exclude=scope)
            if target is not None and target.id not in core:
                found.add(target.id)
    return found


def _nearest_of_kind(el: Element, kinds: tuple[str, ...], exclude: Element) -> Element | None:
    """``el`` or its nearest ancestor of an allowed kind, outside the scope ``exclude``."""
    chain = [el, *el.ancestors()]
    if exclude in chain:
        return None  # inside the scope: not a neighbour
    return next((c for c in chain if c.kind in kinds and c not in exclude.ancestors()), None)


def _expand(ws: Workspace, view: View, item: str, allowed: tuple[str, ...],
            findings: Findings, including: bool) -> set[str]:
    model = ws.model
    item = item.strip()
    if item == "*":
        if view.kind == "deployment":
            return set()
        return _default_set(ws, view) if including else set()
    if item.startswith("element.tag==") or item.startswith("element.tag!="):
        wanted = {t.strip() for t in item[len("element.tag=="):].split(",")}
        pool = [e for e in model.walk_all() if e.kind in allowed]
        hit = {e.id for e in pool if wanted & set(e.all_tags())}
        return hit if "==" in item else {e.id for e in pool} - hit
    if item.startswith("element.type=="):
        wanted = {t.strip().lower() for t in item[len("element.type=="):].split(",")}
        return {e.id for e in model.walk_all() if e.kind.lower() in wanted and e.kind in allowed}
    if item.startswith("relationship") or "->" in item:
        if not item.startswith("relationship.tag=="):
            findings.append(_unsupported_expression(view, item))
        return set()
    el = model.get(item)
    if el is None:
        findings.append(Finding(
            "C4106", Severity.ERROR, f"view {view.key!r} names unknown element {item!r}",
            object=view.key, line=view.line, fix="use an identifier defined in the model",
        ))
        return set()
    if el.kind not in allowed:
        if including:
            findings.append(Finding(
                "C4104", Severity.ERROR,
                f"a {el.kind} ({el.name!r}) is not allowed in a {view.kind} view",
                object=view.key, line=view.line,
                fix=f"remove it; {view.kind} views show: {', '.join(allowed)}",
            ))
        return set()
    return {el.id}


def _unsupported_expression(view: View, item: str) -> Finding:
    return Finding(
        "C4107", Severity.WARNING, f"expression {item!r} is not supported and was ignored",
        object=view.key, line=view.line,
        fix="use '*', identifiers or element.tag==TAG",
    )


def _excluded_relationship_tags(view: View) -> set[str]:
    tags: set[str] = set()
    for item in view.exclude:
        if item.strip().startswith("relationship.tag=="):
            tags |= {t.strip() for t in item.strip()[len("relationship.tag=="):].split(",")}
    return tags


def _place(out: ViewContents, view: View) -> None:
    """Put each element in a cluster: its group, inside its parent's boundary when hidden."""
    shown = {e.id for e in out.elements}
    clusters: dict[str, Cluster] = {}

    def boundary_for(el: Element) -> str | None:
        parent = el.parent
        if parent is None or parent.id in shown:
            return None
        key = f"boundary_{parent.id}"
        if key not in clusters:
            clusters[key] = Cluster(key, parent.name, "boundary", parent)
            clusters[key].parent = boundary_for(parent) if _nest(parent, shown, out) else None
        return key

    for el in out.elements:
        home = boundary_for(el)
        if el.group:
            gkey = f"group_{home or 'top'}_{el.group}"
            if gkey not in clusters:
                clusters[gkey] = Cluster(gkey, el.group, "group", None, home)
            home = gkey
        out.placement[el.id] = home
    out.clusters = list(clusters.values())


def _nest(parent: Element, shown: set[str], out: ViewContents) -> bool:
    # Nest a boundary in its own parent's boundary only when that parent frames
    # other shown elements too (a dynamic view across containers and components).
    grand = parent.parent
    return grand is not None and any(e.parent is grand for e in out.elements)


def _project(ws: Workspace, view: View, out: ViewContents,
             excluded_tags: set[str]) -> list[Relationship]:
    """Explicit relationships between shown elements, then implied ones between ancestors."""
    model = ws.model
    shown = {e.id for e in out.elements}
    boundaries = {c.element.id: c.key for c in out.clusters if c.element is not None}
    explicit: list[Relationship] = []
    implied: dict[tuple[str, str], Relationship] = {}
    pairs: set[tuple[str, str]] = set()
    rels = [r for r in model.static_relationships() if not set(r.tags) & excluded_tags]
    for rel in rels:
        if rel.source in shown and rel.destination in shown:
            explicit.append(rel)
            pairs.add((rel.source, rel.destination))
    use_implied = view.implied and model.implied_relationships
    for rel in rels:
        if rel.source in shown and rel.destination in shown:
            continue
        src, dst = model.get(rel.source), model.get(rel.destination)
        if src is None or dst is None or not use_implied:
            continue
        a = _nearest_shown(src, shown)
        b = _nearest_shown(dst, shown)
        if a is None or b is None or a is b or a in b.ancestors() or b in a.ancestors():
            continue
        if (a.id, b.id) in pairs or (a.id, b.id) in implied:
            continue
        implied[(a.id, b.id)] = Relationship(
            a.id, b.id, rel.description, rel.technology, list(rel.tags),
            id=f"implied_{a.id}_{b.id}", implied=True,
        )
    result = explicit + list(implied.values())
    linked = {(r.source, r.destination) for r in result}
    # Explicit relationships to a boundary, when no edge already reaches inside it.
    for rel in rels:
        s = boundaries.get(rel.source, rel.source if rel.source in shown else None)
        d = boundaries.get(rel.destination, rel.destination if rel.destination in shown else None)
        if s is None or d is None or s == d or (rel.source in shown and rel.destination in shown):
            continue
        if _reaches_inside(rel, linked, model, shown):
            continue
        result.append(Relationship(s, d, rel.description, rel.technology, list(rel.tags),
                                   id=rel.id, line=rel.line))
    return result


def _reaches_inside(rel: Relationship, linked: set[tuple[str, str]], model, shown) -> bool:
    """True when a shown edge already connects the two ends' descendants."""
    def family(element_id: str) -> set[str]:
        el = model.get(element_id)
        return {e.id for e in el.walk()} if el else set()

    src_family, dst_family = family(rel.source), family(rel.destination)
    return any(s in src_family and d in dst_family for s, d in linked)


def _nearest_shown(el: Element, shown: set[str]) -> Element | None:
    for candidate in (el, *el.ancestors()):
        if candidate.id in shown:
            return candidate
    return None


# -- dynamic views -----------------------------------------------------------------------


def _resolve_dynamic(ws: Workspace, view: View, out: ViewContents) -> None:
    model = ws.model
    allowed = ALLOWED_KINDS["dynamic"]
    order: list[str] = []
    for step in view.steps:
        for end in (step.source, step.destination):
            el = model.get(end)
            if el is None:
                out.findings.append(Finding(
                    "C4106", Severity.ERROR, f"step {step.order} names unknown element {end!r}",
                    object=view.key, line=step.line or view.line,
                    fix="use an identifier defined in the model",
                ))
            elif el.kind not in allowed:
                out.findings.append(Finding(
                    "C4104", Severity.ERROR,
                    f"a {el.kind} ({el.name!r}) is not allowed in a dynamic view",
                    object=view.key, line=step.line or view.line,
                    fix="use people, software systems, containers or components",
                ))
            elif end not in order:
                order.append(end)
    out.elements = [model[i] for i in order]
    _place(out, view)
    for index, step in enumerate(view.steps, 1):
        if step.source in order and step.destination in order:
            label = f"{step.order}. {step.description}".strip() if step.description else str(
                step.order)
            out.relationships.append(Relationship(
                step.source, step.destination, label, step.technology,
                id=f"step{index}", line=step.line,  # orders repeat in parallel sequences
            ))


# -- deployment views --------------------------------------------------------------------


def _resolve_deployment(ws: Workspace, view: View, out: ViewContents) -> None:
    model = ws.model
    env = model.environment(view.environment or "")
    if env is None:
        out.findings.append(Finding(
            "C4108", Severity.ERROR, f"deployment environment {view.environment!r} does not exist",
            object=view.key, line=view.line, fix="name an environment defined in the model",
        ))
        return
    scope = model.get(view.scope) if view.scope else None
    include_all = "*" in view.include
    wanted: set[str] = set()
    for el in env.walk():
        if el.kind == "containerInstance":
            container = model.get(el.of)  # type: ignore[attr-defined]
            in_scope = scope is None or (container is not None and container.parent is scope)
            if include_all and in_scope:
                wanted.add(el.id)
        elif el.kind in ("softwareSystemInstance", "infrastructureNode") and include_all:
            wanted.add(el.id)
    for item in view.include:
        if item != "*":
            wanted |= _expand(ws, view, item, DEPLOYMENT, out.findings, including=True)
    for item in view.exclude:
        wanted -= _expand(ws, view, item, DEPLOYMENT, out.findings, including=False)
    # A deployment node named directly shows with its whole subtree.
    for node_id in [w for w in wanted if model[w].kind == "deploymentNode"]:
        wanted.discard(node_id)
        wanted |= {e.id for e in model[node_id].walk() if e.kind != "deploymentNode"}
    out.elements = [e for e in env.walk() if e.id in wanted]
    clusters: dict[str, Cluster] = {}
    for el in out.elements:
        chain = [a for a in el.ancestors() if a.kind == "deploymentNode"]
        for node in reversed(chain):
            key = f"node_{node.id}"
            if key not in clusters:
                parent = node.parent
                clusters[key] = Cluster(key, node.name, "deploymentNode", node,
                                        f"node_{parent.id}" if parent is not None else None)
        out.placement[el.id] = f"node_{el.parent.id}" if el.parent is not None else None
    out.clusters = list(clusters.values())
    out.relationships = _instance_relationships(ws, view, out)


def _instance_relationships(ws: Workspace, view: View, out: ViewContents) -> list[Relationship]:
    model = ws.model
    instances = [e for e in out.elements if e.kind in ("containerInstance",
                                                        "softwareSystemInstance")]
    by_target: dict[str, list[Element]] = {}
    for inst in instances:
        by_target.setdefault(inst.of, []).append(inst)  # type: ignore[attr-defined]
    result: dict[tuple[str, str], Relationship] = {}
    use_implied = view.implied and model.implied_relationships
    for rel in model.static_relationships():
        src, dst = model.get(rel.source), model.get(rel.destination)
        if src is None or dst is None:
            continue
        a = next((x for x in (src, *src.ancestors()) if x.id in by_target), None)
        b = next((x for x in (dst, *dst.ancestors()) if x.id in by_target), None)
        if a is None or b is None or a is b:
            continue
        is_explicit = a is src and b is dst
        if not is_explicit and not use_implied:
            continue
        for ia in by_target[a.id]:
            for ib in by_target[b.id]:
                if not _same_group(ia, ib):
                    continue
                key = (ia.id, ib.id)
                if key in result and not (is_explicit and result[key].implied):
                    continue
                result[key] = Relationship(ia.id, ib.id, rel.description, rel.technology,
                                           list(rel.tags), id=f"{ia.id}_{ib.id}",
                                           implied=not is_explicit)
    shown = {e.id for e in out.elements} | {c.element.id for c in out.clusters if c.element}
    edges = list(result.values())
    for rel in model.deployment_relationships():
        if rel.source in shown and rel.destination in shown:
            s = f"node_{rel.source}" if out.cluster(f"node_{rel.source}") else rel.source
            d = f"node_{rel.destination}" if out.cluster(f"node_{rel.destination}") else (
                rel.destination)
            edges.append(Relationship(s, d, rel.description, rel.technology, list(rel.tags),
                                      id=rel.id, line=rel.line))
    return edges


def _same_group(a: Element, b: Element) -> bool:
    ga, gb = set(a.deployment_groups), set(b.deployment_groups)  # type: ignore[attr-defined]
    return not ga or not gb or bool(ga & gb)
