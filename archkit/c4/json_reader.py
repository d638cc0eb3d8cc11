"""Read the model of a Structurizr JSON workspace (``workspace.json``) into a Workspace.

Usage::

    ws, findings = read_workspace_json(Path("workspace.json"))

Used for ``workspace extends workspace.json`` in the DSL. People, software systems,
containers, components, deployment nodes (with infrastructure nodes and instances) and
explicit relationships are read; elements keep their DSL identifier when the JSON records
one (``structurizr.dsl.identifier``). Views, styles and documentation are not read (a
finding says so); relationships Structurizr derived (implied, or copied onto instances)
are left to archkit to derive again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from archkit.c4.model import (
    KIND_TAGS,
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
from archkit.c4.workspace import Workspace
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity

__all__ = ["read_workspace_json", "parse_workspace_json"]

IDENTIFIER = "structurizr.dsl.identifier"
_IMPLICIT_TAGS = {*KIND_TAGS.values(), "Element", "Relationship"}


def read_workspace_json(path: Path) -> tuple[Workspace, Findings]:
    """The workspace in a Structurizr JSON file, and findings for what was not read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ArchkitError(f"cannot read {path}: {err}", where=Where(str(path)),
                           hint="give a Structurizr workspace.json") from None
    return parse_workspace_json(text, str(path))


def parse_workspace_json(text: str, file: str | None = None) -> tuple[Workspace, Findings]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ArchkitError(f"not valid JSON: {err.msg}", where=Where(file, err.lineno, err.colno),
                           hint="give the workspace.json Structurizr wrote") from None
    except RecursionError:
        raise ArchkitError("JSON nested too deep", where=Where(file, 1, 1),
                           hint="give the workspace.json Structurizr wrote") from None
    if not isinstance(data, dict) or not isinstance(data.get("model", {}), dict):
        raise ArchkitError("not a Structurizr workspace (no model object)", where=Where(file, 1, 1),
                           hint="give the workspace.json Structurizr wrote")
    return _Reader(file).read(data)


class _Reader:
    def __init__(self, file: str | None):
        self.file = file
        self.ws = Workspace()
        self.findings = Findings()
        self.ids: dict[str, str] = {}  # JSON id -> archkit id
        self.pending: list[tuple[dict, str]] = []  # (relationship, JSON source id)

    def read(self, data: dict) -> tuple[Workspace, Findings]:
        self.ws.name = str(data.get("name") or "Workspace")
        self.ws.description = str(data.get("description") or "")
        self.ws.properties = {k: str(v) for k, v in _dict(data.get("properties")).items()
                              if k != "structurizr.dsl"}
        model = _dict(data.get("model"))
        self.ws.model.properties = {k: str(v) for k, v in _dict(model.get("properties")).items()}
        for item in _list(model.get("people")):
            self.element(Person, item, None)
        for item in _list(model.get("softwareSystems")):
            system = self.element(SoftwareSystem, item, None)
            for c in _list(item.get("containers")):
                container = self.element(Container, c, system)
                for comp in _list(c.get("components")):
                    self.element(Component, comp, container)
        for item in _list(model.get("deploymentNodes")):
            self.node(item, None)
        for rel, source in self.pending:
            self.relationship(rel, source)
        if _dict(data.get("views")).keys() - {"configuration"}:
            self.note("C4308", "the JSON workspace's views and styles are not read",
                      "define the views in the DSL that extends it")
        return self.ws, self.findings

    def note(self, code: str, message: str, fix: str) -> None:
        self.findings.append(Finding(code, Severity.INFO, message, file=self.file, line=1,
                                     fix=fix))

    def new_id(self, item: dict) -> str:
        wanted = str(_dict(item.get("properties")).get(IDENTIFIER) or "")
        if not wanted or wanted in self.ws.model:
            base = "".join(w.capitalize() for w in re.findall(r"[A-Za-z0-9]+",
                                                               str(item.get("name", ""))))
            base = (base[:1].lower() + base[1:]) or "element"
            wanted, n = base, 2
            while wanted in self.ws.model:
                wanted, n = f"{base}{n}", n + 1
        return wanted

    def fill(self, el: Element, item: dict) -> Element:
        el.description = str(item.get("description") or "")
        el.technology = str(item.get("technology") or "")
        el.tags = [t.strip() for t in str(item.get("tags") or "").split(",")
                   if t.strip() and t.strip() not in _IMPLICIT_TAGS]
        if item.get("location") == "External" and "External" not in el.tags:
            el.tags.append("External")
        el.url = str(item.get("url") or "")
        el.group = str(item["group"]) if item.get("group") else None
        el.properties = {k: str(v) for k, v in _dict(item.get("properties")).items()
                         if k != IDENTIFIER}
        el.perspectives = {str(p.get("name")): str(p.get("description") or "")
                           for p in _list(item.get("perspectives")) if isinstance(p, dict)}
        self.ids[str(item.get("id"))] = el.id
        self.pending += [(r, str(item.get("id"))) for r in _list(item.get("relationships"))
                         if isinstance(r, dict)]
        return el

    def element(self, cls, item: dict, parent: Element | None) -> Element:
        el = self.fill(cls(self.new_id(item), str(item.get("name") or "")), item)
        return self.ws.model.add(el, parent)

    def node(self, item: dict, parent: Element | None) -> None:
        env = self.ws.model.add_environment(str(item.get("environment") or "Default"))
        node = self.fill(DeploymentNode(self.new_id(item), str(item.get("name") or "")), item)
        node.instances = str(item.get("instances") or "1")
        self.ws.model.add_node(node, env, parent)
        for child in _list(item.get("children")):
            self.node(child, node)
        for infra in _list(item.get("infrastructureNodes")):
            el = self.fill(InfrastructureNode(self.new_id(infra), str(infra.get("name") or "")),
                           infra)
            self.ws.model.add_node(el, env, node)
        for key, cls, target in (("containerInstances", ContainerInstance, "containerId"),
                                 ("softwareSystemInstances", SoftwareSystemInstance,
                                  "softwareSystemId")):
            for inst in _list(item.get(key)):
                of = self.ids.get(str(inst.get(target)))
                if of is None:
                    continue
                name = self.ws.model[of].name
                el = self.fill(cls(self.new_id({"name": f"{of} instance", **inst}), name,
                                   of=of), inst)
                el.deployment_groups = [str(g) for g in _list(inst.get("deploymentGroups"))
                                        if str(g) != "Default"]
                for group in el.deployment_groups:
                    if group not in env.groups:
                        env.groups.append(group)
                self.ws.model.add_node(el, env, node)

    def relationship(self, rel: dict, source: str) -> None:
        if rel.get("linkedRelationshipId"):
            return  # derived by Structurizr (implied or copied onto instances)
        src = self.ids.get(str(rel.get("sourceId") or source))
        dst = self.ids.get(str(rel.get("destinationId")))
        if src is None or dst is None:
            return
        self.ws.model.relate(Relationship(
            src, dst, str(rel.get("description") or ""), str(rel.get("technology") or ""),
            [t.strip() for t in str(rel.get("tags") or "").split(",")
             if t.strip() and t.strip() not in _IMPLICIT_TAGS],
            url=str(rel.get("url") or ""),
            id=str(_dict(rel.get("properties")).get(IDENTIFIER) or ""),
            properties={k: str(v) for k, v in _dict(rel.get("properties")).items()
                        if k != IDENTIFIER}))


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
