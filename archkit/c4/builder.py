"""A short fluent API to build a C4 workspace in a notebook.

Usage::

    from archkit.c4 import new_workspace
    ws = new_workspace("Shopfront", "The order platform")
    shopper = ws.person("Shopper", "Buys things online")
    shop = ws.system("Shopfront", "Sells things")
    api = shop.container("API", "Takes orders", "Python and FastAPI")
    shopper.uses(api, "Places orders using", "HTTPS")
    ws.containers(shop).include("*").layout("lr")
    ws.build()           # -> Workspace (validated on demand: ws.build().validate())

Identifiers come from names (``"Order Service"`` -> ``orderService``) unless given.
"""

from __future__ import annotations

import re

from archkit.c4.model import (
    Component,
    Container,
    ContainerInstance,
    DeploymentNode,
    Element,
    InfrastructureNode,
    Person,
    Relationship,
    SoftwareSystem,
    SoftwareSystemInstance,
)
from archkit.c4.workspace import View, Workspace
from archkit.errors import ArchkitError

__all__ = ["new_workspace", "WorkspaceBuilder", "Ref", "NodeRef"]


def new_workspace(name: str, description: str = "") -> WorkspaceBuilder:
    """Start building a workspace."""
    return WorkspaceBuilder(Workspace(name, description))


def _camel(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name)
    if not words:
        return "element"
    out = words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:])
    return out if not out[0].isdigit() else f"n{out}"


def _tags(tags: str | list[str] | tuple[str, ...] | None, external: bool = False) -> list[str]:
    if tags is None:
        out: list[str] = []
    elif isinstance(tags, str):
        out = [t.strip() for t in tags.split(",") if t.strip()]
    else:
        out = list(tags)
    if external and "External" not in out:
        out.append("External")
    return out


class Ref:
    """A handle on an element being built: add children and relationships fluently."""

    def __init__(self, builder: WorkspaceBuilder, element: Element):
        self.builder = builder
        self.element = element

    @property
    def id(self) -> str:
        return self.element.id

    def __repr__(self) -> str:
        return f"<{self.element.kind} {self.element.id}: {self.element.name}>"

    def container(self, name: str, description: str = "", technology: str = "", *,
                  tags: str | list[str] | None = None, id: str | None = None,
                  url: str = "") -> Ref:
        """Add a container to this software system."""
        self._expect("softwareSystem", "container")
        return self.builder._add(Container(self.builder._id(id, name), name, description,
                                           technology, _tags(tags), url), self.element)

    def component(self, name: str, description: str = "", technology: str = "", *,
                  tags: str | list[str] | None = None, id: str | None = None,
                  url: str = "") -> Ref:
        """Add a component to this container."""
        self._expect("container", "component")
        return self.builder._add(Component(self.builder._id(id, name), name, description,
                                           technology, _tags(tags), url), self.element)

    def uses(self, destination: Ref | str, description: str = "", technology: str = "", *,
             tags: str | list[str] | None = None) -> Ref:
        """``self -> destination``; returns self so calls chain."""
        self.builder.relate(self, destination, description, technology, tags=tags)
        return self

    def _expect(self, kind: str, child: str) -> None:
        if self.element.kind != kind:
            raise ArchkitError(f"a {child} belongs in a {kind}, not in a {self.element.kind} "
                               f"({self.element.name!r})", hint=f"call .{child}() on a {kind}")


class NodeRef(Ref):
    """A deployment node: nest nodes, add infrastructure nodes and instances."""

    def __init__(self, builder: WorkspaceBuilder, element: Element, environment: str):
        super().__init__(builder, element)
        self.environment = environment

    def node(self, name: str, description: str = "", technology: str = "", *,
             tags: str | list[str] | None = None, instances: int | str = 1,
             id: str | None = None) -> NodeRef:
        return self.builder._node(self.environment, self.element, DeploymentNode(
            self.builder._id(id, name), name, description, technology, _tags(tags),
            instances=str(instances)))

    def infrastructure(self, name: str, description: str = "", technology: str = "", *,
                       tags: str | list[str] | None = None, id: str | None = None) -> NodeRef:
        return self.builder._node(self.environment, self.element, InfrastructureNode(
            self.builder._id(id, name), name, description, technology, _tags(tags)))

    def instance(self, of: Ref | str, *, id: str | None = None,
                 tags: str | list[str] | None = None) -> NodeRef:
        """Deploy a container (or a software system) on this node."""
        target = self.builder.workspace.model[of if isinstance(of, str) else of.id]
        cls = ContainerInstance if target.kind == "container" else SoftwareSystemInstance
        if target.kind not in ("container", "softwareSystem"):
            raise ArchkitError(f"only containers and software systems can be deployed, "
                               f"not a {target.kind}", hint="pass a container")
        ident = self.builder._id(id, f"{self.environment} {target.id} instance")
        return self.builder._node(self.environment, self.element,
                                  cls(ident, target.name, tags=_tags(tags), of=target.id))


class EnvironmentRef:
    def __init__(self, builder: WorkspaceBuilder, name: str):
        self.builder = builder
        self.name = name

    def node(self, name: str, description: str = "", technology: str = "", *,
             tags: str | list[str] | None = None, instances: int | str = 1,
             id: str | None = None) -> NodeRef:
        return self.builder._node(self.name, None, DeploymentNode(
            self.builder._id(id, name), name, description, technology, _tags(tags),
            instances=str(instances)))


class WorkspaceBuilder:
    """Builds one :class:`Workspace`; ``build()`` returns it."""

    def __init__(self, ws: Workspace):
        self.workspace = ws

    def _id(self, given: str | None, name: str) -> str:
        if given:
            return given
        base = _camel(name)
        cand, n = base, 2
        while cand in self.workspace.model:
            cand, n = f"{base}{n}", n + 1
        return cand

    def _add(self, element: Element, parent: Element | None = None) -> Ref:
        self.workspace.model.add(element, parent)
        return Ref(self, element)

    def _node(self, env: str, parent: Element | None, node: Element) -> NodeRef:
        environment = self.workspace.model.add_environment(env)
        self.workspace.model.add_node(node, environment, parent)
        return NodeRef(self, node, env)

    # -- model ------------------------------------------------------------
    def person(self, name: str, description: str = "", *, external: bool = False,
               tags: str | list[str] | None = None, group: str | None = None,
               id: str | None = None, url: str = "") -> Ref:
        return self._add(Person(self._id(id, name), name, description, "",
                                _tags(tags, external), url, group))

    def system(self, name: str, description: str = "", *, external: bool = False,
               tags: str | list[str] | None = None, group: str | None = None,
               id: str | None = None, url: str = "") -> Ref:
        return self._add(SoftwareSystem(self._id(id, name), name, description, "",
                                        _tags(tags, external), url, group))

    def relate(self, source: Ref | str, destination: Ref | str, description: str = "",
               technology: str = "", *, tags: str | list[str] | None = None) -> Relationship:
        model = self.workspace.model
        src = source if isinstance(source, str) else source.id
        dst = destination if isinstance(destination, str) else destination.id
        for end in (src, dst):
            if end not in model:
                raise ArchkitError(f"unknown element {end!r} in a relationship",
                                   hint="add the element first, then relate it")
        return model.relate(Relationship(src, dst, description, technology, _tags(tags)))

    def environment(self, name: str) -> EnvironmentRef:
        self.workspace.model.add_environment(name)
        return EnvironmentRef(self, name)

    # -- views ------------------------------------------------------------
    def _view(self, kind: str, scope: Ref | str | None, key: str | None, title: str,
              description: str, environment: str | None = None) -> View:
        scope_id = scope if isinstance(scope, str) or scope is None else scope.id
        view = View(kind, key or self.workspace.next_key(kind), scope=scope_id,
                    environment=environment, title=title, description=description)
        return self.workspace.add_view(view)

    def landscape(self, key: str | None = None, title: str = "", description: str = "") -> View:
        return self._view("systemLandscape", None, key, title, description)

    def context(self, system: Ref | str, key: str | None = None, title: str = "",
                description: str = "") -> View:
        return self._view("systemContext", system, key, title, description)

    def containers(self, system: Ref | str, key: str | None = None, title: str = "",
                   description: str = "") -> View:
        return self._view("container", system, key, title, description)

    def components(self, container: Ref | str, key: str | None = None, title: str = "",
                   description: str = "") -> View:
        return self._view("component", container, key, title, description)

    def dynamic(self, scope: Ref | str | None, key: str | None = None, title: str = "",
                description: str = "") -> View:
        return self._view("dynamic", scope, key, title, description)

    def deployment(self, system: Ref | str | None, environment: str, key: str | None = None,
                   title: str = "", description: str = "") -> View:
        return self._view("deployment", system, key, title, description, environment)

    def style(self, tag: str, **properties: str) -> WorkspaceBuilder:
        """An element style by tag: ``shape``, ``background``, ``color``, ``stroke``..."""
        self.workspace.styles.element(tag, **properties)
        return self

    def build(self) -> Workspace:
        return self.workspace
