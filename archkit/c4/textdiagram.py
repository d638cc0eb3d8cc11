"""What the C4-PlantUML and Mermaid C4 exporters share: aliases, macros, the result type.

Usage::

    result = to_plantuml(workspace)      # or to_mermaid(workspace)
    result.files                         # {"Containers.puml": "...", ...}
    result.findings                      # what the target could not express
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archkit.findings import Finding, Findings, Severity

if TYPE_CHECKING:
    from collections.abc import Callable

    from archkit.c4.model import Element
    from archkit.c4.views import Cluster
    from archkit.c4.workspace import Workspace

__all__ = ["ExportResult", "alias", "boundary_call", "color_value", "element_call", "lost",
           "macro"]

_COLOR = re.compile(r"^(#[0-9A-Fa-f]{3,8}|[A-Za-z]+[0-9]*)$")


def color_value(value: str | None) -> str | None:
    """A colour (``#08427b``, ``gray60``) safe to write unquoted-inside-quotes, else None."""
    return value.strip() if value and _COLOR.match(value.strip()) else None

DATABASE_TAGS = {"database", "db", "datastore", "data store"}
QUEUE_TAGS = {"queue", "message broker", "broker", "topic", "pipe", "message bus"}


@dataclass(eq=False)
class ExportResult:
    """Files by name (one per view, named by view key) and findings about what was lost."""

    files: dict[str, str] = field(default_factory=dict)
    findings: Findings = field(default_factory=Findings)

    def text(self) -> str:
        """Every file, one after another (what ``archkit c4 export`` prints without --out)."""
        return "\n".join(self.files[name] for name in sorted(self.files))

    def _repr_markdown_(self) -> str:
        from archkit.display import escape_markdown

        names = ", ".join(f"`{escape_markdown(n)}`" for n in sorted(self.files))
        return f"{len(self.files)} files: {names}\n\n" + self.findings._repr_markdown_()


def alias(element_id: str) -> str:
    """An identifier both PlantUML and Mermaid accept."""
    safe = re.sub(r"[^A-Za-z0-9_]", "_", element_id)
    return safe if safe and not safe[0].isdigit() else f"e_{safe}"


def macro(ws: Workspace, el: Element) -> tuple[str, Element]:
    """The C4 macro for an element (``ContainerDb``, ``System_Ext``, ...) and its source."""
    src = el
    if el.kind in ("containerInstance", "softwareSystemInstance"):
        src = ws.model.get(el.of) or el  # type: ignore[attr-defined]
    base = {"person": "Person", "softwareSystem": "System", "container": "Container",
            "component": "Component"}.get(src.kind, "Container")
    lowered = {t.lower() for t in src.tags}
    style = ws.styles.for_tags("element", src.all_tags())
    shape = style.get("shape", "").lower()
    if base != "Person":
        if lowered & DATABASE_TAGS or shape == "cylinder":
            base += "Db"
        elif lowered & QUEUE_TAGS or shape == "pipe":
            base += "Queue"
    if src.external and src.kind in ("person", "softwareSystem"):
        base += "_Ext"
    return base, src


def lost(code: str, target: str, message: str, obj: str | None, fix: str) -> Finding:
    return Finding(code, Severity.INFO, f"{target}: {message}", object=obj, fix=fix)


def element_call(ws: Workspace, el: Element, q: Callable[[object], str], *,
                 node_macro: str, tags: bool) -> str:
    """The C4 macro call for one element, its strings quoted by the target's ``q``.

    Usage: ``element_call(ws, el, _q, node_macro="Node", tags=True)`` (PlantUML);
    Mermaid has no ``Node`` (``node_macro="Container"``) and no ``$tags``.
    """
    name, src = macro(ws, el)
    description = el.description or src.description
    extra = f', $tags={q("+".join(src.tags))}' if tags and src.tags else ""
    if el.url.startswith(("http://", "https://")):
        extra += f", $link={q(el.url)}"
    if el.kind == "infrastructureNode":
        return (f"{node_macro}({alias(el.id)}, {q(el.name)}, {q(el.technology)}, "
                f"{q(description)}{extra})")
    if name.startswith("Person") or name.startswith("System"):
        return f"{name}({alias(el.id)}, {q(el.name)}, {q(description)}{extra})"
    return (f"{name}({alias(el.id)}, {q(el.name)}, {q(src.technology)}, "
            f"{q(description)}{extra})")


def boundary_call(cluster: Cluster, q: Callable[[object], str], *, group_type: str) -> str:
    """The boundary macro call that opens ``cluster``'s block.

    Usage: ``boundary_call(cluster, _q, group_type='$type="Group"')`` (PlantUML's keyword
    form; Mermaid takes the plain ``"Group"``).
    """
    el = cluster.element
    if cluster.kind == "deploymentNode" and el is not None:
        label = el.name
        instances = getattr(el, "instances", "1")
        if instances not in ("", "1"):
            label += f" (x{instances})"
        return (f"Deployment_Node({alias(cluster.key)}, {q(label)}, {q(el.technology)}, "
                f"{q(el.description)})")
    if cluster.kind == "group" or el is None:
        return f"Boundary({alias(cluster.key)}, {q(cluster.label)}, {group_type})"
    macro_name = "System_Boundary" if el.kind == "softwareSystem" else "Container_Boundary"
    return f"{macro_name}({alias(cluster.key)}, {q(cluster.label)})"
