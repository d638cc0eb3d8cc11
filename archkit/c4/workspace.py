"""A workspace: one model, many views, and the styles that dress them.

Usage::

    from archkit.c4 import Workspace
    ws = Workspace("Shopfront")
    ws.views            # -> [View, ...]
    ws.view("Containers")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archkit.c4.model import Model, Relationship
from archkit.errors import ArchkitError

if TYPE_CHECKING:
    from archkit.c4.render import Diagram
    from archkit.findings import Findings

__all__ = ["View", "DynamicStep", "Style", "Styles", "Workspace", "VIEW_KINDS"]

VIEW_KINDS = ("systemLandscape", "systemContext", "container", "component", "dynamic", "deployment")
DIRECTIONS = ("tb", "bt", "lr", "rl")
KIND_TITLES = {
    "systemLandscape": "System Landscape",
    "systemContext": "System Context",
    "container": "Containers",
    "component": "Components",
    "dynamic": "Dynamic",
    "deployment": "Deployment",
}


@dataclass(eq=False)
class DynamicStep:
    """One numbered step of a dynamic view: ``source -> destination "what happens"``."""

    source: str
    destination: str
    description: str = ""
    technology: str = ""
    order: int = 0
    line: int | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        return {
            "order": self.order,
            "source": self.source,
            "destination": self.destination,
            "description": self.description,
            "technology": self.technology,
        }


@dataclass(eq=False)
class View:
    """One diagram of the model.

    ``scope`` is the software system (context, container, deployment), the container
    (component) or ``None`` (landscape, or ``*`` for dynamic and deployment).
    ``include`` / ``exclude`` hold ``*``, identifiers or ``element.tag==T`` expressions.
    ``auto_layout`` is ``tb``/``bt``/``lr``/``rl``, or ``None`` for no automatic layout.
    """

    kind: str
    key: str
    scope: str | None = None
    environment: str | None = None
    title: str = ""
    description: str = ""
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    auto_layout: str | None = "tb"
    rank_separation: int | None = None
    node_separation: int | None = None
    animation: list[list[str]] = field(default_factory=list)
    steps: list[DynamicStep] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    implied: bool = True
    workspace: Workspace | None = field(default=None, repr=False)
    line: int | None = field(default=None, repr=False)

    # -- fluent helpers ---------------------------------------------------
    def includes(self, *items: str) -> View:
        """Add ``*`` or element identifiers to the view; returns the view."""
        self.include.extend(items)
        return self

    def excludes(self, *items: str) -> View:
        self.exclude.extend(items)
        return self

    def layout(self, direction: str = "tb") -> View:
        if direction.lower() not in DIRECTIONS:
            raise ArchkitError(
                f"unknown layout direction {direction!r}",
                hint=f"use one of {', '.join(DIRECTIONS)}",
            )
        self.auto_layout = direction.lower()
        return self

    def step(self, source: object, destination: object, description: str = "",
             technology: str = "") -> View:
        """Add the next numbered step of a dynamic view (elements or identifiers)."""
        self.steps.append(
            DynamicStep(_id(source), _id(destination), description, technology,
                        order=len(self.steps) + 1)
        )
        return self

    def without_implied(self) -> View:
        """Hide implied relationships (derived from relationships between children)."""
        self.implied = False
        return self

    # -- reading ----------------------------------------------------------
    @property
    def display_title(self) -> str:
        """The title, or Structurizr's default: the view kind and its scope."""
        if self.title:
            return self.title
        kind = KIND_TITLES[self.kind]
        scope = self.workspace.model.get(self.scope) if self.workspace and self.scope else None
        text = f"{kind}: {scope.name}" if scope is not None else kind
        return f"{text} - {self.environment}" if self.environment else text

    def contents(self):
        """The elements and relationships this view shows (see :mod:`archkit.c4.views`)."""
        from archkit.c4.views import resolve

        return resolve(self._ws(), self)

    def render(self) -> Diagram:
        """The view as a diagram (DOT, SVG, PNG); nothing is written to disk."""
        from archkit.c4.render import render_view

        return render_view(self._ws(), self)

    def _ws(self) -> Workspace:
        if self.workspace is None:
            raise ArchkitError(f"view {self.key!r} is not part of a workspace",
                               hint="add it with workspace.add_view(...)")
        return self.workspace

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.render()._repr_mimebundle_(include, exclude)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "key": self.key,
            "scope": self.scope,
            "environment": self.environment,
            "title": self.title,
            "description": self.description,
            "include": list(self.include),
            "exclude": list(self.exclude),
            "auto_layout": self.auto_layout,
            "rank_separation": self.rank_separation,
            "node_separation": self.node_separation,
            "animation": [list(a) for a in self.animation],
            "steps": [s.to_dict() for s in self.steps],
            "properties": dict(self.properties),
            "implied": self.implied,
        }


@dataclass(eq=False)
class Style:
    """An element or relationship style matched by tag: ``{"shape": "Cylinder", ...}``."""

    target: str  # "element" or "relationship"
    tag: str
    properties: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"target": self.target, "tag": self.tag, "properties": dict(self.properties)}


@dataclass(eq=False)
class Styles:
    """Styles in declaration order; later styles win, as in Structurizr."""

    items: list[Style] = field(default_factory=list)

    def element(self, tag: str, **props: str) -> Style:
        return self._add("element", tag, props)

    def relationship(self, tag: str, **props: str) -> Style:
        return self._add("relationship", tag, props)

    def _add(self, target: str, tag: str, props: dict[str, str]) -> Style:
        style = Style(target, tag, {k: str(v) for k, v in props.items()})
        self.items.append(style)
        return style

    def for_tags(self, target: str, tags: list[str]) -> dict[str, str]:
        """The merged properties for an element/relationship carrying ``tags``."""
        merged: dict[str, str] = {}
        for style in self.items:
            if style.target == target and style.tag in tags:
                merged.update(style.properties)
        return merged


@dataclass(eq=False)
class Workspace:
    """The model, its views, styles and themes: what a ``.dsl`` file holds."""

    name: str = "Workspace"
    description: str = ""
    model: Model = field(default_factory=Model)
    views: list[View] = field(default_factory=list)
    styles: Styles = field(default_factory=Styles)
    themes: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    identifiers: str = "flat"
    source: str | None = field(default=None, repr=False)

    def add_view(self, view: View) -> View:
        if view.kind not in VIEW_KINDS:
            raise ArchkitError(f"unknown view kind {view.kind!r}",
                               hint=f"use one of {', '.join(VIEW_KINDS)}")
        if any(v.key == view.key for v in self.views):
            raise ArchkitError(f"a view with key {view.key!r} already exists",
                               hint="give every view a unique key")
        view.workspace = self
        self.views.append(view)
        return view

    def view(self, key: str) -> View:
        for v in self.views:
            if v.key == key:
                return v
        known = ", ".join(v.key for v in self.views) or "none"
        raise ArchkitError(f"no view with key {key!r}", hint=f"views: {known}")

    def next_key(self, kind: str) -> str:
        """Structurizr-style generated key: ``Container-001``."""
        prefix = kind[0].upper() + kind[1:]
        n = 1
        while any(v.key == f"{prefix}-{n:03d}" for v in self.views):
            n += 1
        return f"{prefix}-{n:03d}"

    def relationship(self, source: str, destination: str) -> list[Relationship]:
        return [r for r in self.model.relationships
                if r.source == source and r.destination == destination]

    def validate(self) -> Findings:
        """Structurizr's validation (errors) and inspections (warnings)."""
        from archkit.c4.validate import validate

        return validate(self)

    def render(self, key: str) -> Diagram:
        return self.view(key).render()

    def counts(self) -> dict[str, int]:
        data = self.model.counts()
        data["views"] = len(self.views)
        return data

    def to_dict(self) -> dict:
        """A canonical form of model, views and styles (for lossless round-trip checks)."""
        return {
            "name": self.name,
            "description": self.description,
            "properties": dict(self.properties),
            "model": self.model.to_dict(),
            "views": [v.to_dict() for v in self.views],
            "styles": [s.to_dict() for s in self.styles.items],
            "themes": list(self.themes),
        }

    def _repr_markdown_(self) -> str:
        from archkit.display import escape_markdown, markdown_table

        c = self.counts()
        head = (
            f"**{escape_markdown(self.name)}** — {c['person']} people, "
            f"{c['softwareSystem']} software systems, {c['container']} containers, "
            f"{c['component']} components, {c['relationships']} relationships, "
            f"{c['views']} views"
        )
        rows = [[v.key, v.kind, v.scope or "", v.display_title] for v in self.views]
        return head + "\n\n" + markdown_table(["key", "kind", "scope", "title"], rows)


def _id(thing: object) -> str:
    return thing if isinstance(thing, str) else thing.id  # type: ignore[attr-defined]
