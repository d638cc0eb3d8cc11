"""The inputs of a security or capacity review: a design folder, or a single ``.dsl`` file.

Usage::

    from archkit.security.inputs import load_design
    design = load_design("examples/order_platform")  # or "order-platform", "big-bank-plc.dsl"
    design.workspace, design.catalog, design.requirements, design.decisions

A design folder holds ``workspace.py`` (or ``workspace.dsl``), ``requirements.yaml``,
``decisions.yaml``, ``schema/vN.sql`` (latest = highest N), ``docs/decisions/*.md`` (ADRs),
``api/openapi.yaml`` and ``security/threats.yaml``. Everything but the workspace is optional;
what could not be read is listed in ``design.notes``, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archkit.design import DesignFolder
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity

__all__ = ["Decided", "Design", "load_design", "latest_schema"]


@dataclass(slots=True)
class Decided:
    """A decision the design has taken: where it is written and its words (lower case)."""

    ref: str  # "decisions.yaml#datastore" or "ADR 0003"
    title: str
    text: str

    def mentions(self, pattern: str) -> bool:
        return re.search(pattern, self.text, re.I) is not None


@dataclass(slots=True)
class Design:
    """Everything a review reads; ``None`` where the folder does not have it."""

    path: Path
    workspace: Any
    catalog: Any = None  # archkit.schema.Catalog of the latest schema
    schema_file: Path | None = None
    schema_findings: Findings = field(default_factory=Findings)
    requirements: Any = None  # archkit.brainstorm.Requirements
    classifications: dict[str, str] = field(default_factory=dict)  # "table.column" -> class
    decisions: list[Decided] = field(default_factory=list)
    openapi: Path | None = None
    notes: Findings = field(default_factory=Findings)

    @property
    def folder(self) -> Path | None:
        """The design folder, or None when the design is a lone ``.dsl`` file."""
        return self.path if self.path.is_dir() else None

    def decided(self, pattern: str) -> Decided | None:
        """The first decision whose words match ``pattern`` (a regular expression)."""
        return next((d for d in self.decisions if d.mentions(pattern)), None)

    @property
    def multi_tenant(self) -> bool:
        reqs = self.requirements
        words = " ".join([getattr(reqs, "summary", "") or ""] +
                         list(getattr(reqs, "constraints", []) or []))
        return re.search(r"tenant", words, re.I) is not None


def latest_schema(folder: Path) -> Path | None:
    """``schema/vN.sql`` with the highest N (``None`` when there is none)."""
    found = []
    for p in (folder / "schema").glob("v*.sql"):
        m = re.fullmatch(r"v(\d+)", p.stem)
        if m:
            found.append((int(m.group(1)), p))
    return max(found)[1] if found else None


def load_design(path: str | Path) -> Design:
    """Read a design folder or a Structurizr ``.dsl`` / ``workspace.py`` file."""
    from archkit.c4 import load_workspace

    path = Path(path)
    if not path.exists() and not path.suffix and len(path.parts) == 1:
        from archkit.examples import example_dir

        path = example_dir(str(path))  # an example's name, as `archkit pack` takes it
    if path.is_dir():
        ws_file = DesignFolder(path).workspace
        if ws_file is None:
            raise ArchkitError("the design folder has no workspace.py or workspace.dsl",
                               where=Where(str(path)),
                               hint="add the C4 model (archkit new DIR scaffolds one)")
    elif path.is_file():
        ws_file = path
    else:
        raise ArchkitError(f"no such file or folder: {path}", where=Where(str(path)),
                           hint="give a design folder or a .dsl file")
    workspace, ws_findings = load_workspace(ws_file)
    design = Design(path=path, workspace=workspace)
    design.notes.extend(f for f in ws_findings if f.severity is Severity.ERROR)
    if path.is_dir():
        _read_folder(design, path)
    return design


def _read_folder(design: Design, folder: Path) -> None:
    req_file = folder / "requirements.yaml"
    if req_file.is_file():
        from archkit.brainstorm.requirements import load_requirements
        from archkit.brainstorm.yamlio import read_yaml

        design.requirements = load_requirements(req_file)
        raw = read_yaml(req_file)
        design.classifications = _classifications(raw, str(req_file), design.notes)
    schema = latest_schema(folder)
    if schema is not None:
        from archkit.schema import check_schema, read_schema

        report = check_schema(read_schema(schema), "postgres", file=str(schema))
        design.catalog, design.schema_file = report.catalog, schema
        design.schema_findings = report.findings
    design.decisions = _decisions(folder, design.notes)
    spec = folder / "api" / "openapi.yaml"
    design.openapi = spec if spec.is_file() else None


_CLASSES = ("pii", "credentials", "payment", "public")


def _classifications(raw: Any, source: str, notes: Findings) -> dict[str, str]:
    """``data_classification: {users.email: pii, payments: payment}`` from requirements.yaml."""
    data = (raw or {}).get("data_classification") if isinstance(raw, dict) else None
    if not data:
        return {}
    out = {}
    if not isinstance(data, dict):
        notes.append(Finding("TM001", Severity.WARNING, "data_classification is not a mapping",
                             source, fix="write 'data_classification: {users.email: pii}'",
                             file=source))
        return out
    for key, value in data.items():
        cls = str(value).lower()
        if cls not in _CLASSES:
            notes.append(Finding("TM001", Severity.WARNING,
                                 f"unknown data class {value!r} for {key}", str(key),
                                 fix=f"use one of {', '.join(_CLASSES)}", file=source))
            continue
        out[str(key).lower()] = cls
    return out


def _decisions(folder: Path, notes: Findings) -> list[Decided]:
    """Decisions taken: the winning option of each decisions.yaml matrix, and every ADR."""
    out: list[Decided] = []
    dec_file = folder / "decisions.yaml"
    if dec_file.is_file():
        from archkit.brainstorm import load_decisions

        found = load_decisions(dec_file)
        notes.extend(found.problems)
        for d in found:
            winner = d.evaluate().winner
            words = [d.title, d.question]
            for option in d.options:
                if option.name == winner:
                    words += [option.name, option.summary, *option.pros]
            out.append(Decided(f"decisions.yaml#{d.id}", d.title, " ".join(words).lower()))
    adr_dir = folder / "docs" / "decisions"
    for md in sorted(adr_dir.glob("[0-9]*.md")) if adr_dir.is_dir() else []:
        text = md.read_text(encoding="utf-8")
        # MADR front matter (status: rejected) or an adr-tools "## Status" section
        if re.search(r"^status:\s*(rejected|superseded|deprecated)", text, re.I | re.M) or \
                re.search(r"^#+\s*status\s*\n+\s*(rejected|superseded|deprecated)", text,
                          re.I | re.M):
            continue
        title = next((ln.lstrip("# ").strip() for ln in text.splitlines()
                      if ln.startswith("# ")), md.stem)
        number = md.name.split("-", 1)[0]
        out.append(Decided(f"ADR {number}", title, text.lower()))
    return out
