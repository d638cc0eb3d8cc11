"""The design folder: the unit every stage works on, and ``archkit new`` to start one.

Usage::

    from archkit.design import design_folder, open_design, scaffold
    design = open_design("examples/order_platform")   # or an example name: "order-platform"
    design.requirements, design.schema_versions, design.adr_dir, design.missing
    scaffold("/tmp/mine", template="blank")             # `archkit new /tmp/mine --from blank`
    DESIGN = design_folder()   # in a notebook: $ARCHKIT_DESIGN, else a working copy of the example

A design folder holds ``requirements.yaml``, ``decisions.yaml``, ``schema/v1.sql, v2.sql …``
(PostgreSQL; the highest version is the latest), ``workspace.py`` (or ``workspace.dsl``),
``docs/decisions/`` (the ADRs), ``api/`` (OpenAPI/AsyncAPI) and ``security/`` (threat triage).
Any part may be missing; :attr:`DesignFolder.missing` says which.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from archkit.display import escape_markdown
from archkit.errors import ArchkitError
from archkit.examples import EXAMPLES_ROOT, example_dir

__all__ = ["DESIGN_ENV", "TEMPLATES", "DesignFolder", "design_folder", "notebook_out",
           "open_design", "scaffold"]

DESIGN_ENV = "ARCHKIT_DESIGN"  # the folder `archkit lab` / `make lab` hands to the notebooks
OUT_ENV = "ARCHKIT_NOTEBOOK_OUT"  # where notebooks write their own outputs
TEMPLATES = ("order-platform", "blank")
ADR_DIRS = ("docs/decisions", "doc/adr")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".archkit", ".ipynb_checkpoints")


@dataclass(frozen=True, slots=True)
class DesignFolder:
    """Where each part of one design lives (paths are absolute; a missing part is None)."""

    root: Path

    def _file(self, *names: str) -> Path | None:
        return next((self.root / n for n in names if (self.root / n).is_file()), None)

    @property
    def name(self) -> str:
        return self.root.name

    @property
    def requirements(self) -> Path | None:
        return self._file("requirements.yaml", "requirements.yml")

    @property
    def decisions(self) -> Path | None:
        return self._file("decisions.yaml", "decisions.yml")

    @property
    def workspace(self) -> Path | None:
        return self._file("workspace.py", "workspace.dsl")

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def schema_versions(self) -> list[Path]:
        """``schema/v1.sql``, ``v2.sql`` … in version order (other ``*.sql`` after, by name)."""
        if not self.schema_dir.is_dir():
            return []

        def key(p: Path) -> tuple[int, str]:
            m = re.fullmatch(r"v(\d+)", p.stem)
            return (int(m.group(1)) if m else 1 << 30, p.name)

        return sorted(self.schema_dir.glob("*.sql"), key=key)

    @property
    def latest_schema(self) -> Path | None:
        versions = self.schema_versions
        return versions[-1] if versions else None

    @property
    def adr_dir(self) -> Path:
        """The ADR folder: ``docs/decisions`` (or an existing adr-tools ``doc/adr``)."""
        return next((self.root / d for d in ADR_DIRS if (self.root / d).is_dir()),
                    self.root / ADR_DIRS[0])

    @property
    def api_dir(self) -> Path | None:
        return self.root / "api" if (self.root / "api").is_dir() else None

    @property
    def security_dir(self) -> Path | None:
        return self.root / "security" if (self.root / "security").is_dir() else None

    def parts(self) -> dict[str, str | None]:
        """Each part with its path relative to the folder, or None when missing."""
        def rel(p: Path | None) -> str | None:
            return p.relative_to(self.root).as_posix() if p is not None else None

        versions = self.schema_versions
        return {
            "requirements": rel(self.requirements),
            "decisions": rel(self.decisions),
            "schema": ", ".join(rel(p) for p in versions) or None,  # type: ignore[misc]
            "workspace": rel(self.workspace),
            "adrs": rel(self.adr_dir) if self.adr_dir.is_dir() else None,
            "api": rel(self.api_dir),
            "security": rel(self.security_dir),
        }

    @property
    def missing(self) -> list[str]:
        return [name for name, where in self.parts().items() if where is None]

    def notebook_out(self, name: str) -> Path:
        """Where a notebook writes its own outputs (never inside the design or its pack)."""
        return notebook_out(name)

    def _repr_markdown_(self) -> str:
        rows = [f"| {name} | {escape_markdown(where) if where else '*missing*'} |"
                for name, where in self.parts().items()]
        return "\n".join([f"**Design folder** `{escape_markdown(str(self.root))}`", "",
                          "| part | where |", "|---|---|", *rows])


def open_design(path: str | Path) -> DesignFolder:
    """The design folder at ``path`` (or a shipped example's name, like ``order-platform``)."""
    return DesignFolder(example_dir(path).resolve())


def _out_root() -> Path:
    env = os.environ.get(OUT_ENV)
    return Path(env).resolve() if env else EXAMPLES_ROOT.parent / "out"


def notebook_out(name: str) -> Path:
    """``$ARCHKIT_NOTEBOOK_OUT/name``, else ``out/notebooks/name`` in the repository."""
    env = os.environ.get(OUT_ENV)
    return Path(env).resolve() / name if env else _out_root() / "notebooks" / name


def design_folder(path: str | Path | None = None) -> DesignFolder:
    """The folder a notebook session works on.

    ``path``, else ``$ARCHKIT_DESIGN`` (set by ``archkit lab DIR``), else a working copy of
    the worked example under ``out/design/`` (made once; a rerun keeps the session's edits),
    so the notebooks never change the example shipped in the repository.
    """
    chosen = path or os.environ.get(DESIGN_ENV)
    if chosen:
        folder = Path(chosen)
        if not folder.is_dir():
            raise ArchkitError(f"design folder {str(folder)!r} does not exist",
                               hint="create one with `archkit new DIR`, or unset "
                                    f"{DESIGN_ENV} to work on the example")
        return open_design(folder)
    copy = _out_root() / "design" / "order_platform"
    if not copy.is_dir() or not any(copy.iterdir()):
        shutil.copytree(example_dir("order-platform"), copy, ignore=_SKIP, dirs_exist_ok=True)
    return open_design(copy)


# -- archkit new --------------------------------------------------------------------------

def scaffold(target: str | Path, template: str = "order-platform") -> DesignFolder:
    """Start a design folder at ``target``: a copy of the worked example, or a blank design.

    Refuses a folder that exists and is not empty (nothing is overwritten).
    """
    if template not in TEMPLATES:
        raise ArchkitError(f"unknown template {template!r}",
                           hint=f"use one of: {', '.join(TEMPLATES)}")
    root = Path(target)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ArchkitError(f"{root}: already exists and is not an empty folder",
                           hint="choose a new folder name; archkit new never overwrites")
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = root.parent / f".{root.name}.archkit-new"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        if template == "order-platform":
            shutil.copytree(example_dir("order-platform"), staging, ignore=_SKIP)
        else:
            for relative, text in _blank_files().items():
                path = staging / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        (staging / "docs" / "decisions").mkdir(parents=True, exist_ok=True)
        (staging / "README.md").write_text(_readme(root, template), encoding="utf-8")
        if root.is_dir():
            root.rmdir()  # empty, checked above
        staging.rename(root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return open_design(root)


def _readme(root: Path, template: str) -> str:
    origin = ("a copy of the worked example (Shopfront's order platform): change it into "
              "your own system" if template == "order-platform" else
              "a blank design: one entity, one table, one container, one decision")
    return f"""# Design folder

This folder is {origin}. Every archkit stage reads and writes it:

| file | what it holds | stage (notebook) |
|---|---|---|
| `requirements.yaml` | entities, endpoints, targets, constraints | 01_brainstorming |
| `decisions.yaml` | options scored against weighted criteria | 01_brainstorming |
| `schema/v1.sql`, `v2.sql` … | the PostgreSQL schema, one file per version | 02, 02b |
| `workspace.py` | the C4 model and its views | 03_c4_diagrams |
| `docs/decisions/` | the Architecture Decision Records | 04_adr_export |

## What to do next

1. Open the notebooks on this folder: `archkit lab {root}` (or `make lab DESIGN={root}` in the
   archkit repository). Start with `00_start_here`, then 01 → 04; each notebook's first cell
   shows the folder it works on.
2. Edit the files above as the session decides; record decisions as ADRs in notebook 04
   (or `archkit adr new "TITLE" --dir {root}`).
3. Check that the artefacts agree with each other: `archkit check {root}`.
4. Write the hand-off pack: `archkit pack {root} --out {root}-pack`, then open
   `{root}-pack/index.html`.
"""


def _blank_files() -> dict[str, str]:
    return {
        "requirements.yaml": """\
# Your system's requirements. Replace every value; notebook 01 reads this file.
name: My system
summary: >
  One or two sentences: what the system does and for whom.

entities:
  - name: Item
    description: The first thing the system keeps.
    attributes: [id, name, created_at]

endpoints:
  - {method: GET, path: "/v1/items", purpose: List items}

non_functional:
  latency_ms: {p50: 50, p95: 250, p99: 800}
  peak_rps: 50
  read_write_ratio: 4
  availability: 99.5
  rpo_minutes: 60
  rto_minutes: 240

constraints:
  - Name the constraints the design must respect (regulation, team size, budget).
""",
        "decisions.yaml": """\
# Your open questions as weighted matrices (scores 1 = worst … 5 = best; weights 0 … 5).
decisions:
  - id: datastore
    title: Primary datastore
    question: Which database should hold the items?
    deciders: [The team]
    criteria:
      - {name: Transactions, weight: 4, description: "Rows change together or not at all"}
      - {name: Operational load, weight: 3, description: "Light to run for the team"}
    options:
      - name: PostgreSQL
        summary: Relational, ACID
        scores: {Transactions: 5, Operational load: 4}
      - name: DynamoDB
        summary: Managed key-value store
        scores: {Transactions: 3, Operational load: 5}
""",
        "schema/v1.sql": """\
-- Version 1 of the schema (PostgreSQL). The next version goes in v2.sql.
CREATE TABLE items (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       varchar(200) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
""",
        "workspace.py": '''\
"""The C4 model of the system: change the names, add containers and views."""

from __future__ import annotations

from archkit.c4 import new_workspace
from archkit.c4.workspace import Workspace


def build_workspace() -> Workspace:
    ws = new_workspace("My system", "What the system does and for whom.")
    user = ws.person("User", "Uses the system.", id="user")
    system = ws.system("My system", "What the system does.", id="mySystem")
    app = system.container("App", "Serves the items API.", "Python", id="app")
    app.element.properties["endpoints"] = "/v1/items"  # what `archkit check` matches
    db = system.container("Database", "Holds the items.", "PostgreSQL 16", tags="Database",
                          id="database")
    user.uses(app, "Uses", "HTTPS")
    app.uses(db, "Reads and writes items in", "SQL")

    live = ws.environment("Live")
    live.node("App server", "", "Docker", instances=2, id="appServer").instance(app)
    live.node("Database server", "", "PostgreSQL 16", id="dbServer").instance(db)

    ws.context(system, "Context", "My system: system context").includes("*")
    ws.containers(system, "Containers", "My system: containers").includes("*")
    ws.deployment(system, "Live", "LiveDeployment", "My system: live deployment").includes("*")
    ws.style("Database", shape="Cylinder")
    return ws.build()
''',
    }
