"""Notebook helpers for the ADR stage: where exports go, and importing a folder with a report.

Usage (in ``notebooks/04_adr_export.ipynb``)::

    from archkit.adr.workshop import import_folder, out_dir
    folder = out_dir("04_adr_export") / "decisions"      # ../out/... (or $ARCHKIT_NOTEBOOK_OUT)
    import_folder("../../shared/corpora/adr/adr-tools")  # records + lint, or why not
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from archkit.adr.index import AdrIndex
from archkit.adr.model import Record
from archkit.display import escape_markdown
from archkit.findings import Findings

__all__ = ["ImportReport", "import_folder", "out_dir"]


def out_dir(name: str) -> Path:
    """Where a notebook writes its exports: ``$ARCHKIT_NOTEBOOK_OUT/name`` or ``../out/name``."""
    return Path(os.environ.get("ARCHKIT_NOTEBOOK_OUT") or "../out") / name


@dataclass
class ImportReport:
    """What importing a folder gave: its records and lint findings, or why there was nothing."""

    folder: Path
    records: list[Record] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    missing: str | None = None

    @property
    def index(self) -> AdrIndex:
        return AdrIndex(self.records)

    def _repr_markdown_(self) -> str:
        if self.missing:
            return f"*{escape_markdown(self.missing)}*"
        errors = len(self.findings.errors)
        head = (f"**{len(self.records)} records** from `{escape_markdown(self.folder.name)}` — "
                f"{len(self.findings)} findings, {errors} errors")
        return "\n\n".join([head, self.index._repr_markdown_(),
                            self.findings._repr_markdown_()])


def import_folder(path: str | Path, *, today: str | None = None,
                  max_open_days: int = 30) -> ImportReport:
    """Read and lint an ADR folder; a folder that is not there gives a report saying so."""
    from archkit.adr.lint import lint
    from archkit.adr.store import AdrStore

    folder = Path(path)
    if not folder.is_dir():
        return ImportReport(folder, missing=(
            f"No ADR folder at {folder}: the corpora ship with the archkit workspace "
            "only. Point import_folder() at your own project's doc/adr or docs/decisions."))
    store = AdrStore.open(folder)
    found = lint(store.all(), today=today, max_open_days=max_open_days,
                 findings=store.findings)
    return ImportReport(store.folder, store.all(), found)
