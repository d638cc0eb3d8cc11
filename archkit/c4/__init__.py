"""C4 diagrams as code: one model, many views, rendered with ``diagrams``; Structurizr DSL in/out.

Usage::

    from archkit.c4 import read_dsl
    ws, findings = read_dsl("big-bank-plc.dsl")
    ws.view("Containers")            # shows itself inline as SVG in Jupyter
    ws.validate()                    # Structurizr-style errors and warnings
"""

from __future__ import annotations

from archkit.lazy import lazy_exports

__all__ = [
    "Workspace",
    "View",
    "Model",
    "Person",
    "SoftwareSystem",
    "Container",
    "Component",
    "Relationship",
    "WorkspaceBuilder",
    "new_workspace",
    "read_dsl",
    "parse_dsl",
    "write_dsl",
    "to_plantuml",
    "to_mermaid",
    "render_view",
    "validate",
    "load_workspace",
]

_HOMES = {
    "Workspace": "archkit.c4.workspace",
    "View": "archkit.c4.workspace",
    "Model": "archkit.c4.model",
    "Person": "archkit.c4.model",
    "SoftwareSystem": "archkit.c4.model",
    "Container": "archkit.c4.model",
    "Component": "archkit.c4.model",
    "Relationship": "archkit.c4.model",
    "WorkspaceBuilder": "archkit.c4.builder",
    "new_workspace": "archkit.c4.builder",
    "read_dsl": "archkit.c4.dsl_reader",
    "parse_dsl": "archkit.c4.dsl_reader",
    "write_dsl": "archkit.c4.dsl_writer",
    "to_plantuml": "archkit.c4.plantuml",
    "to_mermaid": "archkit.c4.mermaid",
    "render_view": "archkit.c4.render",
    "validate": "archkit.c4.validate",
    "load_workspace": "archkit.c4.load",
}


# Import on first use so `import archkit.c4` stays light (no diagrams, no graphviz).
__getattr__, __dir__ = lazy_exports(__name__, _HOMES, __all__)
