"""The design pack: a design folder, as the session left it, as one hand-off folder.

Usage::

    from archkit.pack import build_pack
    result = build_pack("my-design/", "my-design-pack")   # or a shipped example's name
    result.files      # paths written, relative to the pack
    result            # in Jupyter: what is in the pack, and what the checks found

A design folder (see :mod:`archkit.design`) holds any of ``requirements.yaml``,
``decisions.yaml``, ``schema/v1.sql, v2.sql, ...`` (PostgreSQL; ``schema/rollout.yaml``
for backfill values), ``workspace.py`` or ``workspace.dsl``, and the ADRs in
``docs/decisions/``. Each stage present is run end to end; a missing one is left out and
said so. The pack::

    index.html             the one-page summary first (context, targets, decisions with
                           status, risks and open questions, checks), then every artefact;
                           static, no server, no script, no external asset (CSP says so)
    *.html beside *.md     every Markdown artefact also as an HTML page (markdown-it-py)
    requirements.md        requirements and the capacity estimate
    diagrams/              C4 views (SVG + PNG each), the ER diagram, the ADR graph
    schema/                schema per dialect, migrations/<dialect>/NNNN_vK.{up,down}.sql,
                           rollout/postgres/NNNN_<phase>.{up,down}.sql (expand/contract)
    docs/decisions/        the design's ADRs as they are (MADR), drafts for unrecorded
                           decisions; adr-tools layout with adr_layout="adr-tools"
    docs/ + mkdocs.yml     the same as an mkdocs (or Backstage TechDocs) site
    workspace.dsl          Structurizr DSL with ``!adrs`` pointing at the ADRs
    catalog-info.yaml      Backstage entity with the ADR plugin's annotation

Checks: the schema, C4 and ADR lint findings plus ``archkit check``'s cross-artefact
findings (:mod:`archkit.consistency`). The pack is written to a staging folder and swapped
in at the end, so an error leaves the previous pack untouched. Deterministic: the same
input gives the same bytes, so a rerun changes no file. Draft ADR dates come from
``SOURCE_DATE_EPOCH`` when set, else from the record already in the pack, else today.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from archkit.design import DesignFolder
from archkit.display import escape_markdown
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity
from archkit.fsio import ensure_inside
from archkit.pack_html import html_path, index_html, markdown_page

__all__ = ["ADR_LAYOUTS", "DIALECTS", "MANIFEST", "PackResult", "build_pack"]

DIALECTS = ("postgres", "mysql", "sqlite")  # the example schema is written for the first
ADR_LAYOUTS = {
    # layout: (folder in the pack, ADR dialect, Structurizr !adrs importer)
    "madr": ("docs/decisions", "madr", "madr"),
    "adr-tools": ("doc/adr", "nygard", "adrtools"),
}
MANIFEST = ".archkit-pack.json"  # what the last run wrote, so a rerun knows a person's edits


@dataclass(slots=True)
class Entry:
    """One linked artefact on the index page."""

    label: str
    path: str
    note: str = ""


@dataclass(slots=True)
class View:
    key: str
    title: str
    kind: str
    svg: str
    png: str
    text: list[tuple[str, str]] = field(default_factory=list)  # (format, path): Mermaid ...


@dataclass(slots=True)
class DecisionRow:
    id: str
    title: str
    winner: str
    verdict: str
    adr: str | None = None


@dataclass(slots=True)
class PackResult:
    """What a pack run wrote (relative to ``out``), which files changed, what it found."""

    out: Path
    title: str = ""
    summary: str = ""
    files: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    left_out: list[str] = field(default_factory=list)
    requirements: str | None = None
    decisions: list[DecisionRow] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    er: View | None = None
    schemas: list[Entry] = field(default_factory=list)
    migrations: list[Entry] = field(default_factory=list)
    adrs: list[Entry] = field(default_factory=list)
    extras: list[Entry] = field(default_factory=list)
    rollout: list[Entry] = field(default_factory=list)
    reqs: Any = None  # the requirements as read (for the summary)
    capacity: Any = None
    records: list[tuple[Any, str]] = field(default_factory=list)  # (ADR record, its path)
    pages: list[str] = field(default_factory=list)  # HTML pages rendered from Markdown
    parsed: dict[str, Any] = field(default_factory=dict, repr=False)  # for the checks
    diffs: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)  # (dialect, vN)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)  # later stages' summary

    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    force: bool = False
    stage: Path | None = field(default=None, repr=False)  # where this run writes, until swapped
    _known: dict[str, str] = field(default_factory=dict, repr=False)
    _data: dict[str, bytes] = field(default_factory=dict, repr=False)

    def start(self) -> None:
        """Read what the last run wrote (its manifest); open a staging folder beside ``out``.

        Every file goes to the staging folder first; :meth:`finish` swaps it in, so an error
        half-way leaves the previous pack exactly as it was.
        """
        path = self.out / MANIFEST
        if path.is_file():
            try:
                self._known = dict(json.loads(path.read_text(encoding="utf-8"))["files"])
            except (ValueError, KeyError, TypeError):
                self._known = {}  # unreadable: every differing file counts as a person's
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.stage = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.archkit-",
                                           dir=self.out.parent))

    def abandon(self) -> None:
        """Drop the staging folder (after an error): ``out`` stays as it was."""
        if self.stage is not None:
            shutil.rmtree(self.stage, ignore_errors=True)
            self.stage = None

    def _put(self, relative: str, source: Path | None, raw: bytes | None = None) -> None:
        """Place a file in the staging folder: a hard link to ``source`` (same bytes, same
        mtime, no copy) or ``raw``."""
        assert self.stage is not None, "start() first"
        target = ensure_inside(self.stage, self.stage / relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if source is not None:
            try:
                os.link(source, target)
            except OSError:  # another filesystem, or links not allowed
                shutil.copy2(source, target)
        else:
            target.write_bytes(raw or b"")

    def write(self, relative: str, data: str | bytes) -> str:
        """Write one file, unless a person changed it since the last run (then keep theirs)."""
        path = ensure_inside(self.out, self.out / relative)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if relative in self._data:
            raise ArchkitError(f"pack: two artefacts want the same file {relative}",
                               hint="rename one of the views, tables or records involved")
        self._data[relative] = raw
        self.files.append(relative)
        if path.is_file():
            current_raw = path.read_bytes()
            current = _digest(current_raw)
            if current == _digest(raw):
                self._put(relative, path)
                return relative
            if not self.force and current != self._known.get(relative):
                self.kept.append(relative)
                self._put(relative, path)
                self.findings.append(Finding(
                    "PK001", Severity.WARNING,
                    "changed since archkit wrote it: kept, not regenerated",
                    object=relative, file=relative,
                    fix="move the edit into the design folder, or rerun with --force"))
                return relative
        self._put(relative, None, raw)
        self.changed.append(relative)
        return relative

    def data(self, relative: str) -> bytes:
        """What this run generated for ``relative`` (even where a person's file was kept)."""
        return self._data[relative]

    def finish(self) -> None:
        """Carry over what must not be lost, record the manifest, swap the new pack in.

        Files an earlier run wrote and this one did not are removed (unless a person changed
        them); files archkit never wrote (a person's own) are kept as they are.
        """
        assert self.stage is not None, "start() first"
        written = set(self.files)
        if self.out.is_dir():
            for path in sorted(self.out.rglob("*")):
                relative = path.relative_to(self.out).as_posix()
                if not path.is_file() or relative in written or relative == MANIFEST:
                    continue
                digest = self._known.get(relative)
                if digest is None:
                    self._put(relative, path)  # not archkit's: a person's file
                elif _digest(path.read_bytes()) == digest or self.force:
                    self.removed.append(relative)
                else:
                    self._put(relative, path)
                    self.findings.append(Finding(
                        "PK002", Severity.WARNING,
                        "no longer produced, but changed since archkit wrote it: kept",
                        object=relative, file=relative,
                        fix="delete it if it is no longer needed"))
        known = {r: self._known[r] for r in self.kept if r in self._known}
        known |= {r: _digest(raw) for r, raw in self._data.items() if r not in self.kept}
        manifest = {"generator": "archkit pack", "files": dict(sorted(known.items()))}
        text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
        old = self.out / MANIFEST
        self._put(MANIFEST, old if old.is_file() and old.read_text(encoding="utf-8") == text
                  else None, text.encode("utf-8"))
        self._swap()
        self.files.sort()
        self.changed.sort()

    def _swap(self) -> None:
        assert self.stage is not None
        stage, self.stage = self.stage, None
        if not self.out.exists():
            stage.rename(self.out)
            return
        backup = stage.with_name(stage.name + ".old")
        self.out.rename(backup)
        try:
            stage.rename(self.out)
        except OSError:
            backup.rename(self.out)
            shutil.rmtree(stage, ignore_errors=True)
            raise
        shutil.rmtree(backup, ignore_errors=True)

    @property
    def errors(self) -> list[Finding]:
        """Findings that make the design wrong (migration safety notes are not among them)."""
        return self.findings.errors

    def _repr_markdown_(self) -> str:
        lines = [f"**Design pack of {escape_markdown(self.title)}** in "
                 f"`{escape_markdown(str(self.out))}`: {len(self.files)} files, "
                 f"{len(self.changed)} changed.", ""]
        lines += [f"* {escape_markdown(x)}" for x in self.left_out]
        return "\n".join(lines + ["", self.findings._repr_markdown_()])


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def build_pack(source: str | Path, out: str | Path, *, adr_layout: str = "madr",
               force: bool = False) -> PackResult:
    """Write the pack of a design folder (or a shipped example) to ``out``, as the folder is now.

    Everything is written to a staging folder beside ``out`` and swapped in at the end: on
    an error ``out`` is left exactly as it was, and the error names the stage and the file.
    A file a person changed since the last run is kept (finding PK001) unless ``force``.
    """
    if adr_layout not in ADR_LAYOUTS:
        raise ArchkitError(f"unknown ADR layout {adr_layout!r}",
                           hint=f"use one of: {', '.join(ADR_LAYOUTS)}")
    from archkit.design import open_design

    design = open_design(source)
    folder = design.root
    out = Path(out)
    _check_out(out, folder)
    result = PackResult(out=out, title=folder.name, force=force)
    result.start()
    try:
        with _stage("requirements", design.requirements):
            _requirements(folder, result)
        with _stage("decisions", design.decisions):
            decisions = _decisions(folder, result)
        with _stage("schema", design.latest_schema):
            _schema(design, result)
        with _stage("C4", design.workspace):
            workspace = _c4(folder, result)
        with _stage("ADRs", design.adr_dir):
            _adrs(design, decisions, result, adr_layout)
        with _stage("consistency checks", folder):
            _checks(design, result)
        with _stage("stage sections (API, security, capacity)", folder):
            _sections(design, result)
        with _stage("other readers", None):
            _readers(result, workspace, adr_layout)
        with _stage("HTML pages", None):
            _markdown_pages(result)
            result.write("index.html", index_html(result))
        result.finish()
    except BaseException:
        result.abandon()
        raise
    return result


def _check_out(out: Path, folder: Path) -> None:
    """The pack replaces ``out`` as a whole: never a folder holding the design or other work."""
    target = out.resolve()
    if target == folder or target in folder.parents:
        raise ArchkitError(f"--out {out} holds the design folder {folder}",
                           hint="write the pack to a folder of its own, e.g. "
                                f"{folder.name}-pack")
    if out.is_file():
        raise ArchkitError(f"--out {out} is a file", hint="give a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise ArchkitError(f"--out {out} is not empty and holds no earlier pack ({MANIFEST})",
                           hint="give a new or empty folder; archkit replaces its pack folder "
                                "as a whole")


@contextmanager
def _stage(name: str, path: Path | None):
    """Name the stage (and its file) in any error that is not already located."""
    try:
        yield
    except ArchkitError as err:
        if err.where is None and path is not None:
            err.where = Where(str(path))  # at least the stage's input
        raise
    except Exception as err:
        raise ArchkitError(f"pack: the {name} stage failed: {type(err).__name__}: {err}",
                           where=Where(str(path)) if path is not None else None,
                           hint="nothing was changed in the output folder; fix the input "
                                "named here and rerun") from err


# -- requirements -------------------------------------------------------------------------

def _requirements(folder: Path, result: PackResult) -> None:
    path = folder / "requirements.yaml"
    if not path.is_file():
        result.left_out.append("requirements: no requirements.yaml in the design folder")
        return
    from archkit.brainstorm.requirements import load_requirements

    reqs = load_requirements(path)
    result.reqs = reqs
    result.title, result.summary = reqs.name, reqs.summary.strip()
    text = reqs.to_markdown().rstrip("\n") + "\n"
    capacity = reqs.capacity()
    result.capacity = capacity
    if capacity.lines:
        text += "\n" + capacity.to_markdown().rstrip("\n") + "\n"
    result.requirements = result.write("requirements.md", text)


# -- decisions ----------------------------------------------------------------------------

def _decisions(folder: Path, result: PackResult) -> list:
    path = folder / "decisions.yaml"
    if not path.is_file():
        result.left_out.append("decisions: no decisions.yaml in the design folder")
        return []
    from archkit.brainstorm.load import load_decisions

    found = load_decisions(path)
    result.findings.extend(found.problems)
    for decision in found.decisions:
        matrix = decision.evaluate()
        result.decisions.append(DecisionRow(decision.id, decision.title or decision.question,
                                            matrix.winner or "undecided", matrix.verdict()))
    return list(found.decisions)


# -- schema and migrations ----------------------------------------------------------------

def _schema(design, result: PackResult) -> None:
    versions = design.schema_versions
    if not versions:
        result.left_out.append("schema: no schema/*.sql in the design folder")
        return
    from archkit.schema.er import er_diagram
    from archkit.schema.validate import check_schema

    source = DIALECTS[0]
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in versions]
    latest_name, latest = texts[-1]
    report = check_schema(latest, source, file=f"schema/{versions[-1].name}")
    result.parsed["schema"] = report
    result.findings.extend(report.findings)
    notes: dict[str, Findings] = {source: Findings()}
    per_dialect: dict[str, list[tuple[str, str]]] = {source: texts}
    for dialect in DIALECTS[1:]:
        from archkit.schema.transpile import transpile_schema

        done = [(name, transpile_schema(text, source, dialect, file=f"schema/{name}.sql"))
                for name, text in texts]
        notes[dialect] = Findings(done[-1][1].notes)  # what the latest version lost or changed
        per_dialect[dialect] = [(name, t.sql) for name, t in done]
    safety: list[tuple[Entry, Findings]] = []
    for dialect in DIALECTS:
        path = result.write(f"schema/{dialect}.sql", per_dialect[dialect][-1][1])
        note = f"from {latest_name}" + (
            f"; {len(notes[dialect])} transpile notes" if notes[dialect] else "")
        result.schemas.append(Entry(dialect, path, note))
        safety += _migrations(dialect, per_dialect[dialect], result)
    plan = _rollout(design, texts, result)
    result.write("schema/README.md", _schema_readme(report.findings, notes, safety, plan,
                                                    result))
    er = er_diagram(report.catalog, title=f"{result.title}: tables")
    svg = result.write("diagrams/er.svg", er.render("svg"))
    png = result.write("diagrams/er.png", er.render("png"))
    mermaid = result.write("diagrams/er.mmd", er.mermaid())
    result.er = View("er", "Entity-relationship diagram", "er", svg, png, [("Mermaid", mermaid)])


def _migrations(dialect: str, versions: list[tuple[str, str]],
                result: PackResult) -> list[tuple[Entry, Findings]]:
    """Migration 1 builds the first version from nothing; each next one steps a version up.

    Returns each migration with its zero-downtime safety findings.
    """
    from archkit.migrations.diff import diff_sql
    from archkit.migrations.files import render_script, slug

    previous, found = "", []
    for number, (name, text) in enumerate(versions, start=1):
        migration = diff_sql(previous, text, dialect)
        result.diffs[(dialect, name)] = migration
        base = f"schema/migrations/{dialect}/{number:04d}_{slug(name)}"
        title = f"archkit migration {slug(name)}"
        up = result.write(f"{base}.up.sql", render_script(
            migration.up, migration.up_notes, f"{title}: up"))
        result.write(f"{base}.down.sql", render_script(
            migration.down, migration.down_notes, f"{title}: down"))
        safety = Findings(migration.findings)
        note = f"{len(migration.up)} statements"
        if safety:
            note += f"; {len(safety)} zero-downtime notes"
        entry = Entry(f"{dialect} {number:04d} → {name}", up, note)
        result.migrations.append(entry)
        found.append((entry, safety))
        previous = text
    return found


def _rollout(design, texts: list[tuple[str, str]], result: PackResult):
    """The last version step as an expand/contract rollout: one migration file per phase.

    Values for new NOT NULL columns come from ``schema/rollout.yaml`` (``backfill:``
    ``{"table.column" or "*.column": SQL expression}``); a missing one is finding PL001.
    """
    if len(texts) < 2:
        return None
    from archkit.migrations.diff import diff_sql
    from archkit.migrations.files import render_script, slug
    from archkit.migrations.plan import plan_rollout

    backfill = _backfill(design.schema_dir / "rollout.yaml")
    (old_name, old), (new_name, new) = texts[-2], texts[-1]
    migration = result.diffs.get((DIALECTS[0], new_name)) or diff_sql(old, new, DIALECTS[0])
    plan = plan_rollout(migration, backfill=backfill)
    # the plan repeats the single-step diff's safety errors (which it resolves): only its
    # own findings (a missing backfill value ...) are checks of the design
    result.findings.extend(f for f in plan.findings if f not in migration.findings)
    number = 0
    for phase in plan.phases:
        if not phase.up:
            result.rollout.append(Entry(phase.title, "", phase.app_step or ""))
            continue
        number += 1
        base = f"schema/rollout/{DIALECTS[0]}/{number:04d}_{slug(phase.key)}"
        title = f"archkit rollout {old_name} → {new_name}, phase {number}"
        up = result.write(f"{base}.up.sql", render_script(phase.up, phase.up_notes,
                                                          f"{title}: up"))
        result.write(f"{base}.down.sql", render_script(phase.down, phase.down_notes,
                                                       f"{title}: down"))
        note = f"{len(phase.up)} statements" + ("" if phase.transactional
                                                else ", outside a transaction")
        if phase.app_step:
            note += f"; then release: {phase.app_step}"
        result.rollout.append(Entry(f"{number:04d} {phase.title}", up, note))
    return plan


def _backfill(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    from archkit.brainstorm.yamlio import read_yaml

    data = read_yaml(path)
    backfill = data.get("backfill") if isinstance(data, dict) else None
    if backfill is None:
        return {}
    if not isinstance(backfill, dict):
        raise ArchkitError("backfill must map table.column to an SQL expression",
                           where=Where(str(path)), hint='backfill: {"*.tenant_id": "1"}')
    return {str(k): str(v) for k, v in backfill.items()}


def _schema_readme(findings: Findings, notes: dict[str, Findings],
                   safety: list[tuple[Entry, Findings]], plan, result: PackResult) -> str:
    out = [f"# Schema of {escape_markdown(result.title)}", ""]
    out += ["| dialect | file |", "|---|---|"]
    out += [f"| {escape_markdown(e.label)} | [{e.path.split('/', 1)[1]}]"
            f"({e.path.split('/', 1)[1]}) |" for e in result.schemas]
    out += ["", "## Checks of the latest version", "", findings.to_markdown(), ""]
    for dialect, found in notes.items():
        if found:
            out += [f"## What changed on the way to {dialect}", "", found.to_markdown(), ""]
    out += ["## Migrations", "",
            "Apply `migrations/<dialect>/*.up.sql` in order (golang-migrate layout); "
            "each `.down.sql` undoes its `.up.sql`. The zero-downtime notes say which "
            "steps lock or rewrite a table and what to do instead.", ""]
    for entry, found in safety:
        link = entry.path.split("/", 1)[1]
        out += [f"### [{escape_markdown(entry.label)}]({link})", "", found.to_markdown(), ""]
    if plan is not None:
        out += ["## Zero-downtime rollout (expand/contract)", "",
                "On a live database, apply the last version step as these phases instead, "
                "in order; each release named between them ships before the next phase. "
                f"Files: `rollout/{DIALECTS[0]}/`.", ""]
        for step, entry in enumerate(result.rollout, 1):
            if entry.path:
                link = entry.path.split("/", 1)[1]
                out.append(f"{step}. [{escape_markdown(entry.label)}]({link}) — "
                           f"{escape_markdown(entry.note)}")
            else:
                out.append(f"{step}. **{escape_markdown(entry.label)}**"
                           + (f" — {escape_markdown(entry.note)}" if entry.note else ""))
        own = Findings(f for f in plan.findings if f.code.startswith("PL"))
        out += ["", own.to_markdown() if own else "", ""]
    return "\n".join(out).rstrip("\n") + "\n"


# -- C4 -----------------------------------------------------------------------------------

def _c4(folder: Path, result: PackResult):
    path = DesignFolder(folder).workspace
    if path is None:
        result.left_out.append("C4: no workspace.py or workspace.dsl in the design folder")
        return None
    from archkit.c4.files import safe_name
    from archkit.c4.load import load_workspace
    from archkit.c4.render import render_view
    from archkit.c4.views import resolve

    ws, findings = load_workspace(path)
    result.parsed["workspace"] = ws
    result.findings.extend(findings)
    result.findings.extend(ws.validate())
    diagrams = [(view, render_view(ws, view, resolve(ws, view))) for view in ws.views]
    images = _render_all([(d, fmt) for _, d in diagrams for fmt in ("svg", "png")])
    from archkit.c4.mermaid import to_mermaid
    from archkit.c4.plantuml import to_plantuml

    # Text forms too, for wikis and READMEs that render Mermaid or PlantUML themselves.
    texts = []
    for label, export, folder in (("Mermaid", to_mermaid, "mermaid"),
                                  ("PlantUML", to_plantuml, "plantuml")):
        exported = export(ws)
        # Warnings about what an export lost count; notices of how Mermaid or PlantUML lay a
        # view out (info) are no design finding, so they stay out of the pack's checks.
        result.findings.extend(f for f in exported.findings if f not in result.findings
                               and f.severity is not Severity.INFO)
        texts.append((label, folder, exported.files))
    for view, diagram in diagrams:
        name = safe_name(view.key)
        svg = result.write(f"diagrams/{name}.svg", images[(diagram, "svg")])
        png = result.write(f"diagrams/{name}.png", images[(diagram, "png")])
        entry = View(view.key, view.display_title, view.kind, svg, png)
        for label, folder, files in texts:
            for file_name, body in sorted(files.items()):
                if file_name.rsplit(".", 1)[0] == name:
                    entry.text.append((label, result.write(f"diagrams/{folder}/{file_name}",
                                                           body)))
        result.views.append(entry)
    return ws


def _render_all(jobs: list[tuple]) -> dict[tuple, bytes]:
    """Run Graphviz for every (diagram, format) at once: each is a subprocess, so threads
    keep every core busy; results are written afterwards, in order."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip(jobs, pool.map(lambda job: job[0].pipe(job[1]), jobs), strict=True))


# -- ADRs ---------------------------------------------------------------------------------

def _today() -> str | None:
    """SOURCE_DATE_EPOCH's date, when set (reproducible builds), else None (today)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date().isoformat()
    return None


def _adr_date(existing: dict[str, str | None], decision_id: str) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date().isoformat()
    return existing.get(decision_id) or _dt.date.today().isoformat()


def _adrs(design, decisions: list, result: PackResult, layout: str) -> None:
    """The design folder's ADRs as they are now (new and superseding records included), then
    a draft for each decision of decisions.yaml not recorded yet. Linted (ADR findings)."""
    from archkit.adr.dialects import dumps
    from archkit.adr.index import AdrIndex
    from archkit.adr.lint import lint
    from archkit.adr.store import AdrStore
    from archkit.brainstorm.to_adr import decision_to_record

    target, dialect, _ = ADR_LAYOUTS[layout]
    own = design.adr_dir if design.adr_dir.is_dir() else None
    store = AdrStore(own) if own is not None else None
    records = list(store.all()) if store is not None else []
    verbatim = store is not None and store.dialect == dialect
    if not records and not decisions:
        result.left_out.append("ADRs: no decisions.yaml and no docs/decisions/ to record")
        return
    recorded = {(r.matrix or {}).get("decision_id") for r in records if isinstance(r.matrix, dict)}
    existing = {}
    if (result.out / target).is_dir():
        for rec in AdrStore(result.out / target).all():
            if isinstance(rec.matrix, dict):
                existing[rec.matrix.get("decision_id")] = rec.date
    number = max((r.number or 0 for r in records), default=0)
    for decision in decisions:
        if decision.id in recorded:
            continue
        number += 1
        records.append(decision_to_record(decision, number=number,
                                          date=_adr_date(existing, decision.id)))
    by_id = {}
    for rec in sorted(records, key=lambda r: r.number or 0):
        source = own / rec.file if own is not None and rec.file else None
        if source is not None and source.is_file():
            # the record as the session left it: its bytes when the dialect matches
            path = result.write(f"{target}/{source.name}", source.read_bytes() if verbatim
                                else dumps(rec, dialect))
        else:
            path = result.write(f"{target}/{rec.default_file_name()}", dumps(rec, dialect))
        result.adrs.append(Entry(f"{rec.number:04d} {_plain(rec.title)}", path, rec.status or ""))
        result.records.append((rec, path))
        if isinstance(rec.matrix, dict):
            by_id[rec.matrix.get("decision_id")] = path
    where = own.relative_to(design.root).as_posix() if own is not None else target
    for f in lint(records, today=_today()):
        name = Path(f.file).name if f.file else ""
        result.findings.append(replace(f, file=f"{where}/{name}" if name else where))
    for row in result.decisions:
        row.adr = by_id.get(row.id)
    index = AdrIndex(records)
    result.write(f"{target}/index.md", index.to_markdown())
    graph = index.graph
    result.write(f"{target}/decisions.dot", graph.to_dot())
    result.write("diagrams/decisions.svg", graph.to_svg())
    if layout == "adr-tools":
        result.write(".adr-dir", target + "\n")


def _plain(title: str) -> str:
    from archkit.adr.index import plain_title

    return plain_title(title)


# -- cross-artefact consistency ----------------------------------------------------------

def _checks(design, result: PackResult) -> None:
    """``archkit check``'s findings: decisions against the C4 model, schema, requirements."""
    from archkit.consistency import check_design

    parsed = dict(result.parsed)
    if result.reqs is not None:
        parsed["requirements"] = result.reqs
    found = check_design(design.root, **parsed)
    result.findings.extend(f for f in found if f not in result.findings)


# -- sections of later stages (API contracts, threats, capacity) -------------------------

def _sections(design, result: PackResult) -> None:
    """Each stage package's ``write_pack_section(folder, out) -> PackSection``: its files
    (written to a scratch folder, then into the pack like every other file, so a person's
    edits are kept and reruns change nothing) and its summary lines (``title``, ``lines``,
    ``findings`` attributes when present)."""
    from archkit.consistency import plugin_hooks

    for fn in plugin_hooks("write_pack_section"):
        with tempfile.TemporaryDirectory(prefix="archkit-section-") as scratch:
            root = Path(scratch)
            section = fn(design.root, root)
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                result.write(path.relative_to(root).as_posix(), path.read_bytes())
        if section is None:
            continue
        lines = [str(x) for x in (getattr(section, "lines", None) or
                                  getattr(section, "summary", None) or [])]
        result.sections.append((str(getattr(section, "title", "") or fn.__module__), lines))
        result.findings.extend(f for f in getattr(section, "findings", None) or []
                               if f not in result.findings)


# -- Markdown artefacts as HTML pages -----------------------------------------------------

MKDOCS_ONLY = ("docs/index.md", "docs/requirements.md", "docs/architecture.md")


def _markdown_pages(result: PackResult) -> None:
    """Every Markdown artefact also as an HTML page beside it (mkdocs' own copies aside)."""
    sources = [f for f in result.files if f.endswith(".md") and f not in MKDOCS_ONLY]
    pages = set(sources)
    for relative in sources:
        text = result.data(relative).decode("utf-8")
        heading = next((line.lstrip("# ").strip() for line in text.splitlines()
                        if line.startswith("# ")), relative)
        result.pages.append(result.write(html_path(relative), markdown_page(
            f"{heading} — {result.title}", text, relative, pages)))


# -- other readers: mkdocs, Structurizr, Backstage ----------------------------------------

def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63].strip("-") or "design"


def _readers(result: PackResult, workspace, layout: str) -> None:
    target, _, importer = ADR_LAYOUTS[layout]
    title = result.title
    # mkdocs / TechDocs read docs/ only, so the site gets its own overview page and a
    # copy of the SVGs it shows; the files at the top stay the canonical ones.
    pages = ["# " + escape_markdown(f"{title} — design pack"), ""]
    if result.summary:
        pages += [escape_markdown(result.summary), ""]
    if result.requirements:
        result.write("docs/requirements.md", result.data(result.requirements))
        pages += ["* [Requirements and capacity estimate](requirements.md)"]
    if result.views or result.er:
        pages += ["* [Architecture (C4) and data model](architecture.md)"]
        result.write("docs/architecture.md", _architecture_md(result))
    docs_adrs = target.startswith("docs/")
    if result.adrs and docs_adrs:
        pages += ["* [Architecture decision records](decisions/index.md)"]
    result.write("docs/index.md", "\n".join(pages) + "\n")
    nav = ["nav:", "  - Overview: index.md"]
    if result.requirements:
        nav.append("  - Requirements: requirements.md")
    if result.views or result.er:
        nav.append("  - Architecture: architecture.md")
    if result.adrs and docs_adrs:
        nav.append("  - Decisions:")
        nav.append("      - Index: decisions/index.md")
        nav += [f"      - {_yaml_str(e.label)}: {_yaml_str(e.path.removeprefix('docs/'))}"
                for e in result.adrs]
    mkdocs = [f"site_name: {_yaml_str(title + ' — design pack')}", "docs_dir: docs", *nav]
    result.write("mkdocs.yml", "\n".join(mkdocs) + "\n")
    result.extras.append(Entry("mkdocs site (mkdocs serve)", "mkdocs.yml"))

    name = _slug(title)
    catalog = [
        "apiVersion: backstage.io/v1alpha1",
        "kind: Component",
        "metadata:",
        f"  name: {name}",
        f"  title: {_yaml_str(title)}",
        f"  description: {_yaml_str(result.summary[:300])}",
        "  annotations:",
        "    backstage.io/techdocs-ref: dir:.",
        f"    backstage.io/adr-location: {target}",
        "spec:",
        "  type: service",
        "  lifecycle: experimental",
        "  owner: unknown",
    ]
    result.write("catalog-info.yaml", "\n".join(catalog) + "\n")
    result.extras.append(Entry("Backstage entity (TechDocs + ADR plugin)", "catalog-info.yaml"))

    if workspace is not None:
        from archkit.c4.dsl_writer import write_dsl

        dsl = write_dsl(workspace)
        adrs = f'    !adrs "{target}" {importer}\n' if result.adrs else ""
        head, brace, rest = dsl.partition("{\n")
        result.write("workspace.dsl", head + brace + adrs + rest if brace else dsl)
        result.extras.append(Entry("Structurizr DSL (with !adrs)", "workspace.dsl"))


def _yaml_str(text: str) -> str:
    """``text`` as one double-quoted YAML scalar that reads back exactly.

    Not ``json.dumps``: PyYAML reads JSON's surrogate-pair escapes of an emoji as two lone
    surrogates, and YAML would fold a raw U+2028 or NEL into a space.
    """
    import yaml

    return yaml.safe_dump(text, default_style='"', width=float("inf"),
                          allow_unicode=False).rstrip("\n")


def _architecture_md(result: PackResult) -> str:
    out = ["# Architecture", ""]
    for view in [*result.views, *([result.er] if result.er else [])]:
        name = view.svg.rsplit("/", 1)[1]
        copy = result.write(f"docs/img/{name}", result.data(view.svg))
        out += [f"## {escape_markdown(view.title)}", "",
                f"![{escape_markdown(view.title)}]({copy.removeprefix('docs/')})", ""]
    return "\n".join(out).rstrip("\n") + "\n"
