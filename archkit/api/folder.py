"""The parts of a design folder the api stage reads: requirements, latest schema, decisions, C4.

Usage::

    design = read_design("examples/order_platform")
    design.catalog.tables["orders"], design.broker, design.workspace

Each part is optional: a folder without ``workspace.py`` gives ``workspace=None`` and a
finding in ``design.missing`` rather than an error, so draft and consistency do what they
can with the rest. (archkit/design.py, issue 14, owns the folder as a whole.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archkit.design import DesignFolder
from archkit.errors import ArchkitError, Where

__all__ = ["Design", "broker_ids", "container_of", "containers", "latest_schema", "pipeline_events",
           "read_design"]

_VERSION = re.compile(r"^v(\d+)\.sql$")


@dataclass
class Design:
    """What the api stage knows of a design folder."""

    folder: Path
    requirements: Any = None
    catalog: Any = None
    schema_file: Path | None = None
    dialect: str = "postgres"
    broker: str | None = None          # the top-ranked option of the message-broker decision
    workspace: Any = None
    missing: list[str] = field(default_factory=list)
    unreadable: list[ArchkitError] = field(default_factory=list)  # only when not strict


def latest_schema(folder: Path) -> Path | None:
    """``schema/vN.sql`` with the highest N, or None."""
    files = [(int(m.group(1)), p) for p in (folder / "schema").glob("v*.sql")
             if (m := _VERSION.match(p.name))]
    return max(files)[1] if files else None


def read_design(folder: str | Path, *, strict: bool = True) -> Design:
    """Read what exists of a design folder; an absent folder is an ArchkitError.

    An unreadable part (bad YAML, a schema or workspace that does not parse) is an
    ArchkitError too, unless ``strict=False``: then the part stays None and its error goes
    to ``design.unreadable`` (``archkit check`` reports those itself, as DC901).
    """
    from archkit.examples import example_dir

    folder = example_dir(folder)
    if not folder.is_dir():
        raise ArchkitError(f"no design folder at {folder}", where=Where(str(folder)),
                           hint="give a folder with requirements.yaml and schema/v1.sql")
    design = Design(folder)
    for part in (_requirements, _schema, _decisions, _workspace):
        try:
            part(design)
        except ArchkitError as err:
            if strict:
                raise
            design.unreadable.append(err)
    return design


def _requirements(design: Design) -> None:
    reqs = design.folder / "requirements.yaml"
    if reqs.is_file():
        from archkit.brainstorm.requirements import load_requirements

        design.requirements = load_requirements(reqs)
    else:
        design.missing.append("requirements.yaml")


def _schema(design: Design) -> None:
    schema = latest_schema(design.folder)
    if schema is not None:
        from archkit.schema.parse import parse_schema

        design.schema_file = schema
        design.catalog = parse_schema(schema.read_text(encoding="utf-8"), design.dialect).catalog
    else:
        design.missing.append("schema/vN.sql")


def _decisions(design: Design) -> None:
    decisions = design.folder / "decisions.yaml"
    if decisions.is_file():
        from archkit.brainstorm.load import load_decisions
        from archkit.brainstorm.matrix import evaluate

        for decision in load_decisions(decisions):
            if "broker" in decision.id or "broker" in decision.title.lower():
                design.broker = evaluate(decision).ranking[0]


def _workspace(design: Design) -> None:
    workspace = DesignFolder(design.folder).workspace
    if workspace is not None:
        from archkit.c4.load import load_workspace

        design.workspace, _ = load_workspace(workspace)
    else:
        design.missing.append("workspace.py")


_BROKER_TECH = re.compile(r"kafka|rabbit|amqp|sqs|sns|nats|pulsar|kinesis|event ?hub|broker",
                          re.I)


def broker_ids(workspace: Any) -> set[str]:
    """Containers that are message brokers (tag ``Message Broker`` or a broker technology)."""
    return {e.id for e in workspace.model.walk() if getattr(e, "kind", "") == "container" and (
        "Message Broker" in e.tags or _BROKER_TECH.search(e.technology or ""))}


def pipeline_events(workspace: Any) -> dict[str, dict]:
    """Events of the dynamic views: ``{name: {"producers", "consumers", "broker", "view"}}``.

    A step into a broker names an event its source publishes; a step out of it, one its
    destination consumes.
    """
    brokers = broker_ids(workspace)
    events: dict[str, dict] = {}
    for view in workspace.views:
        if view.kind != "dynamic":
            continue
        for step in view.steps:
            name = step.description.strip()
            if step.destination in brokers:
                entry = events.setdefault(name, {"producers": set(), "consumers": set(),
                                                 "broker": step.destination, "view": view.key})
                entry["producers"].add(step.source)
            elif step.source in brokers:
                entry = events.setdefault(name, {"producers": set(), "consumers": set(),
                                                 "broker": step.source, "view": view.key})
                entry["consumers"].add(step.destination)
    return events


def containers(workspace: Any) -> dict[str, Any]:
    """Every container of the model by id."""
    return {e.id: e for e in workspace.model.walk() if getattr(e, "kind", "") == "container"}


def container_of(workspace: Any, element_id: str | None) -> str | None:
    """The container that deploys ``element_id``: itself, or a component's container, else None.

    A modular monolith serves its API and runs its consumers in one container whose modules
    are components; naming a module is as good as naming its container.
    """
    element = workspace.model.get(element_id) if element_id else None
    if element is None:
        return None
    for node in (element, *element.ancestors()):
        if getattr(node, "kind", "") == "container":
            return node.id
    return None
