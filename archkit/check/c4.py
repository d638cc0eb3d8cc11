"""Workshop check cell for the C4 stage: is your container view complete and valid?

Usage (in a notebook)::

    import archkit.check
    archkit.check.c4_container_view(my_workspace)
"""

from __future__ import annotations

from archkit.check.result import CheckResult

__all__ = ["c4_container_view"]


def c4_container_view(workspace) -> CheckResult:
    """A container view of your system: 3+ containers, a database, technologies, no errors."""
    ws = workspace.build() if hasattr(workspace, "build") else workspace
    result = CheckResult("c4_container_view")
    views = [v for v in ws.views if v.kind == "container"]
    if not result.expect(bool(views), "there is a container view",
                         "add one: ws.containers(system, 'Containers').includes('*')"):
        return result
    view = views[0]
    system = ws.model.get(view.scope or "")
    containers = list(system.children) if system is not None else []
    result.expect(len(containers) >= 3, f"{system.name if system else '?'} has "
                  f"{len(containers)} containers",
                  "give the system at least three containers (web app, API, database...)")
    result.expect(any({"database", "db"} & {t.lower() for t in c.tags} for c in containers),
                  "one container is a database",
                  "tag the database container: tags='Database'")
    missing = [c.name for c in containers if not (c.description and c.technology)]
    result.expect(not missing, "every container says what it does and what it runs on",
                  f"add a description and a technology to: {', '.join(missing)}")
    contents = view.contents()
    shown_external = [e for e in contents.elements if e.external]
    result.expect(bool(shown_external), "the view shows an external system it depends on",
                  "add an external system (external=True) and relate a container to it")
    errors = ws.validate().errors
    result.expect(not errors, "the model validates without errors",
                  "fix: " + "; ".join(f"{f.code} {f.message}" for f in errors[:3]))
    return result
