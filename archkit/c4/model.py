"""The C4 model: elements, relationships, deployment environments, as plain dataclasses.

Usage::

    from archkit.c4.model import Model, Person, SoftwareSystem, Relationship
    model = Model()
    shopper = model.add(Person("shopper", "Shopper", "Buys things"))

No I/O here: reading DSL, rendering and exporting live in their own modules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

__all__ = [
    "Element",
    "Person",
    "SoftwareSystem",
    "Container",
    "Component",
    "DeploymentNode",
    "InfrastructureNode",
    "ContainerInstance",
    "SoftwareSystemInstance",
    "DeploymentEnvironment",
    "Relationship",
    "Model",
    "KIND_TAGS",
]

# The tag Structurizr gives every element of a kind; styles match on these too.
KIND_TAGS: dict[str, str] = {
    "person": "Person",
    "softwareSystem": "Software System",
    "container": "Container",
    "component": "Component",
    "deploymentNode": "Deployment Node",
    "infrastructureNode": "Infrastructure Node",
    "containerInstance": "Container Instance",
    "softwareSystemInstance": "Software System Instance",
}


@dataclass(eq=False)
class Element:
    """Something on a diagram. ``id`` is the stable identifier (the DSL's ``x = ...``)."""

    id: str
    name: str
    description: str = ""
    technology: str = ""
    tags: list[str] = field(default_factory=list)
    url: str = ""
    group: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
    perspectives: dict[str, str] = field(default_factory=dict)
    parent: Element | None = field(default=None, repr=False)
    line: int | None = field(default=None, repr=False)

    kind: ClassVar[str] = "element"
    child_kinds: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        self.children: list[Element] = []

    @property
    def external(self) -> bool:
        """External elements (outside the enterprise) carry the ``External`` tag."""
        return "External" in self.tags

    @property
    def kind_tag(self) -> str:
        return KIND_TAGS[self.kind]

    def all_tags(self) -> list[str]:
        """Structurizr's implicit tags (``Element``, the kind) followed by the user's tags."""
        return ["Element", self.kind_tag, *self.tags]

    def ancestors(self) -> list[Element]:
        """Parent, grandparent, ... (nearest first)."""
        out, node = [], self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out

    def walk(self) -> Iterator[Element]:
        """This element and every descendant, depth first, in insertion order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self) -> dict:
        """A canonical, JSON-ready form (used for lossless round-trip checks)."""
        data = {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "technology": self.technology,
            "tags": list(self.tags),
            "url": self.url,
            "group": self.group,
            "properties": dict(self.properties),
            "perspectives": dict(self.perspectives),
            "parent": self.parent.id if self.parent else None,
        }
        data.update(self._extra())
        return data

    def _extra(self) -> dict:
        return {}


@dataclass(eq=False)
class Person(Element):
    kind: ClassVar[str] = "person"


@dataclass(eq=False)
class SoftwareSystem(Element):
    kind: ClassVar[str] = "softwareSystem"
    child_kinds: ClassVar[tuple[str, ...]] = ("container",)


@dataclass(eq=False)
class Container(Element):
    kind: ClassVar[str] = "container"
    child_kinds: ClassVar[tuple[str, ...]] = ("component",)


@dataclass(eq=False)
class Component(Element):
    kind: ClassVar[str] = "component"


@dataclass(eq=False)
class DeploymentNode(Element):
    """A server, VM, container runtime... ``instances`` is how many (``"4"`` or ``"1..N"``)."""

    instances: str = "1"
    environment: str = ""

    kind: ClassVar[str] = "deploymentNode"
    child_kinds: ClassVar[tuple[str, ...]] = (
        "deploymentNode",
        "infrastructureNode",
        "containerInstance",
        "softwareSystemInstance",
    )

    def _extra(self) -> dict:
        return {"instances": self.instances, "environment": self.environment}


@dataclass(eq=False)
class InfrastructureNode(Element):
    environment: str = ""
    kind: ClassVar[str] = "infrastructureNode"

    def _extra(self) -> dict:
        return {"environment": self.environment}


@dataclass(eq=False)
class ContainerInstance(Element):
    """A container deployed on a node; ``of`` is the container's id."""

    of: str = ""
    environment: str = ""
    deployment_groups: list[str] = field(default_factory=list)
    kind: ClassVar[str] = "containerInstance"

    def _extra(self) -> dict:
        return {
            "of": self.of,
            "environment": self.environment,
            "deployment_groups": list(self.deployment_groups),
        }


@dataclass(eq=False)
class SoftwareSystemInstance(ContainerInstance):
    """A software system deployed on a node; ``of`` is the system's id."""

    kind: ClassVar[str] = "softwareSystemInstance"


@dataclass(eq=False)
class DeploymentEnvironment:
    """A named environment (``Development``, ``Live``) holding top-level deployment nodes."""

    name: str
    nodes: list[DeploymentNode] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    def walk(self) -> Iterator[Element]:
        for node in self.nodes:
            yield from node.walk()


@dataclass(eq=False)
class Relationship:
    """``source -> destination``: a description, a technology and tags.

    ``implied`` marks relationships a view derived from one between children.
    """

    source: str
    destination: str
    description: str = ""
    technology: str = ""
    tags: list[str] = field(default_factory=list)
    url: str = ""
    id: str = ""
    properties: dict[str, str] = field(default_factory=dict)
    perspectives: dict[str, str] = field(default_factory=dict)
    implied: bool = False
    line: int | None = field(default=None, repr=False)

    def all_tags(self) -> list[str]:
        return ["Relationship", *self.tags]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "source": self.source,
            "destination": self.destination,
            "description": self.description,
            "technology": self.technology,
            "tags": list(self.tags),
            "url": self.url,
            "properties": dict(self.properties),
            "perspectives": dict(self.perspectives),
        }


@dataclass(eq=False)
class Model:
    """Every element (people, systems and their children) and every explicit relationship."""

    elements: list[Element] = field(default_factory=list)  # top level: people and systems
    relationships: list[Relationship] = field(default_factory=list)
    environments: list[DeploymentEnvironment] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    implied_relationships: bool = True
    properties: dict[str, str] = field(default_factory=dict)  # the model's own properties

    def __post_init__(self) -> None:
        self._index: dict[str, Element] = {}

    # -- building ---------------------------------------------------------
    def add(self, element: Element, parent: Element | None = None) -> Element:
        """Add ``element`` (under ``parent``, if given) and index it by id."""
        if element.id in self._index:
            from archkit.errors import ArchkitError

            raise ArchkitError(
                f"identifier {element.id!r} is already used by {self._index[element.id].name!r}",
                hint="give each element its own identifier",
            )
        element.parent = parent
        if parent is None:
            self.elements.append(element)
        else:
            parent.children.append(element)
        self._index[element.id] = element
        if element.group and element.group not in self.groups:
            self.groups.append(element.group)
        return element

    def add_environment(self, name: str) -> DeploymentEnvironment:
        env = self.environment(name)
        if env is None:
            env = DeploymentEnvironment(name)
            self.environments.append(env)
        return env

    def add_node(self, node: Element, env: DeploymentEnvironment,
                 parent: Element | None) -> Element:
        """Add a deployment node / infrastructure node / instance to ``env``."""
        node.environment = env.name  # type: ignore[attr-defined]
        if node.id in self._index:
            from archkit.errors import ArchkitError

            raise ArchkitError(
                f"identifier {node.id!r} is already used", hint="use a unique identifier"
            )
        node.parent = parent
        if parent is None:
            env.nodes.append(node)  # type: ignore[arg-type]
        else:
            parent.children.append(node)
        self._index[node.id] = node
        return node

    def relate(self, rel: Relationship) -> Relationship:
        if not rel.id:
            rel.id = self._next_rel_id()
        self.relationships.append(rel)
        return rel

    def _next_rel_id(self) -> str:
        used = {r.id for r in self.relationships}
        n = len(self.relationships) + 1
        while f"rel{n}" in used:
            n += 1
        return f"rel{n}"

    # -- reading ----------------------------------------------------------
    def get(self, element_id: str) -> Element | None:
        return self._index.get(element_id)

    def __getitem__(self, element_id: str) -> Element:
        return self._index[element_id]

    def __contains__(self, element_id: object) -> bool:
        return element_id in self._index

    def environment(self, name: str) -> DeploymentEnvironment | None:
        return next((e for e in self.environments if e.name == name), None)

    def walk(self) -> Iterator[Element]:
        """Every static element (people, systems, containers, components)."""
        for element in self.elements:
            yield from element.walk()

    def walk_all(self) -> Iterator[Element]:
        """Static elements, then every deployment element."""
        yield from self.walk()
        for env in self.environments:
            yield from env.walk()

    def of_kind(self, kind: str) -> list[Element]:
        return [e for e in self.walk_all() if e.kind == kind]

    def static_relationships(self) -> list[Relationship]:
        """Relationships between people, systems, containers and components."""
        return [r for r in self.relationships if not self._is_deployment(r)]

    def deployment_relationships(self) -> list[Relationship]:
        return [r for r in self.relationships if self._is_deployment(r)]

    def _is_deployment(self, rel: Relationship) -> bool:
        src = self.get(rel.source)
        return src is not None and src.kind in DeploymentNode.child_kinds + ("deploymentNode",)

    def counts(self) -> dict[str, int]:
        """How many of each kind, as the Structurizr docs count them."""
        kinds = ["person", "softwareSystem", "container", "component"]
        data = {k: len(self.of_kind(k)) for k in kinds}
        data["relationships"] = len(self.static_relationships())
        data["deploymentEnvironments"] = len(self.environments)
        data["deploymentNodes"] = len(self.of_kind("deploymentNode"))
        data["deploymentRelationships"] = len(self.deployment_relationships())
        return data

    def to_dict(self) -> dict:
        return {
            "elements": [e.to_dict() for e in self.walk_all()],
            "relationships": [r.to_dict() for r in
                              self.static_relationships() + self.deployment_relationships()],
            "environments": [{"name": e.name, "groups": list(e.groups)} for e in self.environments],
            "implied_relationships": self.implied_relationships,
            "properties": dict(self.properties),
        }
