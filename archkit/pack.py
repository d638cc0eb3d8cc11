"""The design pack: every artefact of a session in one folder with a static index.

Usage::

    from archkit.pack import build_pack
    result = build_pack("order-platform", "out")
    result.files      # paths written, relative to out/
    result            # in Jupyter: what is in the pack, and what the checks found

A design folder (an example, or your own) holds any of ``requirements.yaml``,
``decisions.yaml``, ``schema/v1.sql, v2.sql, ...`` (PostgreSQL), ``workspace.py`` or
``workspace.dsl``, and hand-written ADRs in ``docs/decisions/``. Each stage present is
run end to end; a missing one is left out and said so. The pack::

    index.html             static, no server, no script, no external asset (CSP says so)
    requirements.md        requirements and the capacity estimate
    diagrams/              C4 views (SVG + PNG each), the ER diagram, the ADR graph
    schema/                schema per dialect, migrations/<dialect>/NNNN_vK.{up,down}.sql
    docs/decisions/        the ADRs (MADR; adr-tools layout with adr_layout="adr-tools")
    docs/ + mkdocs.yml     the same as an mkdocs (or Backstage TechDocs) site
    workspace.dsl          Structurizr DSL with ``!adrs`` pointing at the ADRs
    catalog-info.yaml      Backstage entity with the ADR plugin's annotation

Deterministic: the same input gives the same bytes, so a rerun changes no file. ADR
dates come from ``SOURCE_DATE_EPOCH`` when set, else from the record already in the
pack, else today.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from archkit.display import escape_html, escape_markdown
from archkit.errors import ArchkitError
from archkit.examples import example_dir
from archkit.findings import Finding, Findings, Severity
from archkit.fsio import atomic_write, ensure_inside

__all__ = ["ADR_LAYOUTS", "DIALECTS", "MANIFEST", "PackResult", "build_pack"]

DIALECTS = ("postgres", "mysql", "sqlite")  # the example schema is written for the first
ADR_LAYOUTS = {
    # layout: (folder in the pack, ADR dialect, Structurizr !adrs importer)
    "madr": ("docs/decisions", "madr", "madr"),
    "adr-tools": ("doc/adr", "nygard", "adrtools"),
}
MANIFEST = ".archkit-pack.json"  # what the last run wrote, so a rerun knows a person's edits
CSP = ("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
       "script-src 'none'; base-uri 'none'; form-action 'none'")


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

    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    force: bool = False
    _known: dict[str, str] = field(default_factory=dict, repr=False)
    _data: dict[str, bytes] = field(default_factory=dict, repr=False)

    def start(self) -> None:
        """Read what the last run wrote (its manifest)."""
        path = self.out / MANIFEST
        if path.is_file():
            try:
                self._known = dict(json.loads(path.read_text(encoding="utf-8"))["files"])
            except (ValueError, KeyError, TypeError):
                self._known = {}  # unreadable: every differing file counts as a person's

    def write(self, relative: str, data: str | bytes) -> str:
        """Write one file, unless a person changed it since the last run (then keep theirs)."""
        path = ensure_inside(self.out, self.out / relative)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self._data[relative] = raw
        self.files.append(relative)
        if path.is_file() and not self.force:
            current = _digest(path.read_bytes())
            if current != _digest(raw) and current != self._known.get(relative):
                self.kept.append(relative)
                self.findings.append(Finding(
                    "PK001", Severity.WARNING,
                    "changed since archkit wrote it: kept, not regenerated",
                    object=relative, file=relative,
                    fix="move the edit into the design folder, or rerun with --force"))
                return relative
        if atomic_write(path, raw):
            self.changed.append(relative)
        return relative

    def data(self, relative: str) -> bytes:
        """What this run generated for ``relative`` (even where a person's file was kept)."""
        return self._data[relative]

    def finish(self) -> None:
        """Remove files an earlier run wrote that this one did not; record the manifest."""
        written = set(self.files)
        for relative, digest in sorted(self._known.items()):
            path = self.out / relative
            if relative in written or not path.is_file():
                continue
            if _digest(path.read_bytes()) == digest or self.force:
                path.unlink()
                self.removed.append(relative)
                _prune(path.parent, self.out)
            else:
                self.findings.append(Finding(
                    "PK002", Severity.WARNING,
                    "no longer produced, but changed since archkit wrote it: kept",
                    object=relative, file=relative, fix="delete it if it is no longer needed"))
        known = {r: self._known[r] for r in self.kept if r in self._known}
        known |= {r: _digest(raw) for r, raw in self._data.items() if r not in self.kept}
        manifest = {"generator": "archkit pack", "files": dict(sorted(known.items()))}
        atomic_write(self.out / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        self.files.sort()
        self.changed.sort()

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


def _prune(folder: Path, root: Path) -> None:
    """Remove folders left empty, up to (not including) ``root``."""
    while folder != root and root in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def build_pack(source: str | Path, out: str | Path, *, adr_layout: str = "madr",
               force: bool = False) -> PackResult:
    """Run an example (or a design folder) end to end and write its pack to ``out``.

    A file a person changed since the last run is kept (finding PK001) unless ``force``.
    """
    if adr_layout not in ADR_LAYOUTS:
        raise ArchkitError(f"unknown ADR layout {adr_layout!r}",
                           hint=f"use one of: {', '.join(ADR_LAYOUTS)}")
    folder = example_dir(source)
    result = PackResult(out=Path(out), title=folder.name, force=force)
    result.start()
    _requirements(folder, result)
    decisions = _decisions(folder, result)
    _schema(folder, result)
    workspace = _c4(folder, result)
    _adrs(folder, decisions, result, adr_layout)
    _readers(result, workspace, adr_layout)
    result.write("index.html", index_html(result))
    result.finish()
    return result


# -- requirements -------------------------------------------------------------------------

def _requirements(folder: Path, result: PackResult) -> None:
    path = folder / "requirements.yaml"
    if not path.is_file():
        result.left_out.append("requirements: no requirements.yaml in the design folder")
        return
    from archkit.brainstorm.requirements import load_requirements

    reqs = load_requirements(path)
    result.title, result.summary = reqs.name, reqs.summary.strip()
    text = reqs.to_markdown().rstrip("\n") + "\n"
    capacity = reqs.capacity()
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

def _versions(folder: Path) -> list[Path]:
    """``schema/v1.sql``, ``v2.sql`` ... in version order (or any ``*.sql``, by name)."""
    files = list((folder / "schema").glob("*.sql"))

    def key(p: Path) -> tuple[int, str]:
        m = re.fullmatch(r"v(\d+)", p.stem)
        return (int(m.group(1)) if m else 1 << 30, p.name)

    return sorted(files, key=key)


def _schema(folder: Path, result: PackResult) -> None:
    versions = _versions(folder)
    if not versions:
        result.left_out.append("schema: no schema/*.sql in the design folder")
        return
    from archkit.schema.er import er_diagram
    from archkit.schema.validate import check_schema

    source = DIALECTS[0]
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in versions]
    latest_name, latest = texts[-1]
    report = check_schema(latest, source, file=f"schema/{versions[-1].name}")
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
    result.write("schema/README.md", _schema_readme(report.findings, notes, safety, result))
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
    from archkit.schema.diff import diff_sql
    from archkit.schema.migration_files import render_script, slug

    previous, found = "", []
    for number, (name, text) in enumerate(versions, start=1):
        migration = diff_sql(previous, text, dialect)
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


def _schema_readme(findings: Findings, notes: dict[str, Findings],
                   safety: list[tuple[Entry, Findings]], result: PackResult) -> str:
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
    return "\n".join(out).rstrip("\n") + "\n"


# -- C4 -----------------------------------------------------------------------------------

def _c4(folder: Path, result: PackResult):
    candidates = [folder / "workspace.py", folder / "workspace.dsl"]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        result.left_out.append("C4: no workspace.py or workspace.dsl in the design folder")
        return None
    from archkit.c4.files import safe_name
    from archkit.c4.load import load_workspace
    from archkit.c4.render import render_view
    from archkit.c4.views import resolve

    ws, findings = load_workspace(path)
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
        result.findings.extend(f for f in exported.findings if f not in result.findings)
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

def _adr_date(existing: dict[str, str | None], decision_id: str) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date().isoformat()
    return existing.get(decision_id) or _dt.date.today().isoformat()


def _adrs(folder: Path, decisions: list, result: PackResult, layout: str) -> None:
    """Hand-written records of the design folder first, then one draft per decision."""
    from archkit.adr.dialects import dumps
    from archkit.adr.index import AdrIndex
    from archkit.adr.store import AdrStore
    from archkit.brainstorm.to_adr import decision_to_record

    target, dialect, _ = ADR_LAYOUTS[layout]
    own = [d for d in (folder / "docs" / "decisions", folder / "doc" / "adr") if d.is_dir()]
    records = list(AdrStore(own[0]).all()) if own else []
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
        name = rec.default_file_name()
        path = result.write(f"{target}/{name}", dumps(rec, dialect))
        result.adrs.append(Entry(f"{rec.number:04d} {_plain(rec.title)}", path, rec.status or ""))
        if isinstance(rec.matrix, dict):
            by_id[rec.matrix.get("decision_id")] = path
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
        nav += [f"      - {json.dumps(e.label)}: {json.dumps(e.path.removeprefix('docs/'))}"
                for e in result.adrs]
    mkdocs = [f"site_name: {json.dumps(title + ' — design pack')}", "docs_dir: docs", *nav]
    result.write("mkdocs.yml", "\n".join(mkdocs) + "\n")
    result.extras.append(Entry("mkdocs site (mkdocs serve)", "mkdocs.yml"))

    name = _slug(title)
    catalog = [
        "apiVersion: backstage.io/v1alpha1",
        "kind: Component",
        "metadata:",
        f"  name: {name}",
        f"  title: {json.dumps(title)}",
        f"  description: {json.dumps(result.summary[:300])}",
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


def _architecture_md(result: PackResult) -> str:
    out = ["# Architecture", ""]
    for view in [*result.views, *([result.er] if result.er else [])]:
        name = view.svg.rsplit("/", 1)[1]
        copy = result.write(f"docs/img/{name}", result.data(view.svg))
        out += [f"## {escape_markdown(view.title)}", "",
                f"![{escape_markdown(view.title)}]({copy.removeprefix('docs/')})", ""]
    return "\n".join(out).rstrip("\n") + "\n"


# -- index.html ---------------------------------------------------------------------------

STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; color: #1d2330; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 1px solid #d7dce5; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d7dce5; padding: .3rem .6rem; text-align: left;
         vertical-align: top; }
figure { margin: 1rem 0 2rem; }
.diagram { overflow-x: auto; border: 1px solid #d7dce5; }
.diagram img { display: block; max-width: none; }
figcaption { color: #4a5264; } .note { color: #4a5264; }
""".strip()


def _link(path: str, label: str | None = None) -> str:
    return f'<a href="{escape_html(path)}">{escape_html(label or path)}</a>'


def _entries(entries: list[Entry]) -> list[str]:
    return [f"<li>{_link(e.path, e.label)}"
            + (f' <span class="note">— {escape_html(e.note)}</span>' if e.note else "")
            + "</li>" for e in entries]


def _figure(view: View) -> list[str]:
    return [
        "<figure>",
        # Natural size (text stays readable), scrolled sideways; a click opens the file.
        f'  <div class="diagram"><a href="{escape_html(view.svg)}">'
        f'<img src="{escape_html(view.svg)}" alt="{escape_html(view.title)}"></a></div>',
        f"  <figcaption>{escape_html(view.title)} — "
        + ", ".join([_link(view.svg, "SVG"), _link(view.png, "PNG"),
                     *(_link(path, label) for label, path in view.text)])
        + "</figcaption>",
        "</figure>",
    ]


def index_html(result: PackResult) -> str:
    """The pack's static front page: every artefact linked, every label escaped."""
    title = f"{result.title} — design pack"
    body = [f"<h1>{escape_html(title)}</h1>"]
    if result.summary:
        body.append(f"<p>{escape_html(result.summary)}</p>")
    if result.requirements:
        body += ['<h2 id="requirements">Requirements</h2>',
                 f"<p>{_link(result.requirements, 'Requirements and capacity estimate')}</p>"]
    if result.decisions:
        body += ['<h2 id="decisions">Decisions</h2>', "<table>",
                 "<tr><th>decision</th><th>chosen</th><th>verdict</th><th>record</th></tr>"]
        for d in result.decisions:
            adr = _link(d.adr, "ADR " + d.adr.rsplit("/", 1)[1][:4]) if d.adr else ""
            body.append(f"<tr><td>{escape_html(d.title)}</td><td>{escape_html(d.winner)}</td>"
                        f"<td>{escape_html(d.verdict)}</td><td>{adr}</td></tr>")
        body.append("</table>")
    if result.views:
        body.append('<h2 id="architecture">Architecture (C4)</h2>')
        for view in result.views:
            body += _figure(view)
    if result.schemas or result.er:
        body.append('<h2 id="data">Data</h2>')
        if result.er:
            body += _figure(result.er)
        body += ["<h3>Schema per dialect</h3>", "<ul>", *_entries(result.schemas),
                 f"<li>{_link('schema/README.md', 'checks and transpile notes')}</li>", "</ul>"]
        if result.migrations:
            body += ["<h3>Migrations</h3>", "<ul>", *_entries(result.migrations), "</ul>"]
    if result.adrs:
        folder = result.adrs[0].path.rsplit("/", 1)[0]
        body += ['<h2 id="adrs">Architecture decision records</h2>',
                 f"<p>{_link(folder + '/index.md', 'Index')}"
                 + (f" — {_link('diagrams/decisions.svg', 'graph')}</p>"
                    if "diagrams/decisions.svg" in result.files else "</p>"),
                 "<ul>", *_entries(result.adrs), "</ul>"]
    body += ['<h2 id="checks">Checks</h2>', _findings_html(result.findings)]
    if result.left_out:
        body += ['<h2 id="left-out">Left out</h2>', "<ul>",
                 *[f"<li>{escape_html(x)}</li>" for x in result.left_out], "</ul>"]
    if result.extras:
        body += ['<h2 id="tools">The same pack for other tools</h2>', "<ul>",
                 *_entries(result.extras), "</ul>"]
    sections = re.findall(r'<h2 id="([^"]+)">([^<]+)</h2>', "\n".join(body))
    nav = " · ".join(f'<a href="#{i}">{label}</a>' for i, label in sections)
    body.insert(1, f"<nav>{nav}</nav>")
    return "\n".join([
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape_html(title)}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ])


def _findings_html(findings: Findings) -> str:
    if not findings:
        return "<p>No findings.</p>"
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    head = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    rows = "\n".join(
        f"<tr><td>{escape_html(f.code)}</td><td>{escape_html(f.severity)}</td>"
        f"<td>{escape_html(f.object or '')}</td><td>{escape_html(f.file or '')}"
        f"{':' + str(f.line) if f.line else ''}</td><td>{escape_html(f.message)}</td>"
        f"<td>{escape_html(f.fix or '')}</td></tr>"
        for f in findings)
    return (f"<p>{escape_html(head)}.</p>\n<table>\n<tr><th>code</th><th>severity</th>"
            f"<th>object</th><th>where</th><th>message</th><th>fix</th></tr>\n{rows}\n</table>")
