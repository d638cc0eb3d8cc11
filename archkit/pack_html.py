"""The design pack's static site: the front page with its one-page summary, and an HTML page
for every Markdown artefact (rendered with markdown-it-py, raw HTML off).

Usage::

    from archkit.pack_html import index_html, markdown_page
    markdown_page("Requirements", "# Requirements\\n...", "requirements.md", pages)

No page runs a script or loads anything from outside the pack (the CSP says so); every
label is escaped for HTML, and links between Markdown files point at their HTML pages.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from archkit.display import escape_html
from archkit.findings import Findings, Severity

if TYPE_CHECKING:
    from archkit.pack import Entry, PackResult, View

__all__ = ["CSP", "html_path", "index_html", "markdown_page"]

CSP = ("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
       "script-src 'none'; base-uri 'none'; form-action 'none'")
STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; color: #1d2330; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 1px solid #d7dce5; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d7dce5; padding: .3rem .6rem; text-align: left;
         vertical-align: top; }
figure { margin: 1rem 0 2rem; } figure img { max-width: 100%; border: 1px solid #d7dce5; }
figcaption { color: #4a5264; } .note { color: #4a5264; }
.summary { background: #f5f7fa; border: 1px solid #d7dce5; padding: .2rem 1.2rem 1rem; }
.error { color: #a3181b; } .ok { color: #1b6b2a; }
pre { background: #f5f7fa; padding: .6rem; overflow-x: auto; }
""".strip()


def _page(title: str, body: list[str]) -> str:
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


# -- Markdown pages -----------------------------------------------------------------------

def html_path(md_path: str) -> str:
    """``docs/decisions/0001-x.md`` -> ``docs/decisions/0001-x.html``."""
    return md_path[:-3] + ".html"


def markdown_page(title: str, text: str, path: str, pages: set[str]) -> str:
    """``text`` (Markdown at ``path`` in the pack) as a standalone HTML page.

    Relative links to another Markdown file of ``pages`` point at its HTML page instead.
    """
    md = _markdown()
    tokens = md.parse(text)
    meta = [t.content for t in tokens if t.type == "front_matter"]
    tokens = [t for t in tokens if t.type != "front_matter"]
    base = posixpath.dirname(path)
    for token in _walk(tokens):
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            target, _, anchor = href.partition("#")
            if target.endswith(".md") and "://" not in target:
                resolved = posixpath.normpath(posixpath.join(base, target))
                if resolved in pages:
                    token.attrSet("href", html_path(target) + (f"#{anchor}" if anchor else ""))
    home = posixpath.relpath("index.html", base or ".")
    source = posixpath.basename(path)
    body = [f'<nav><a href="{escape_html(home)}">Design pack</a> · '
            f'<a href="{escape_html(source)}">Markdown source</a></nav>',
            *(_front_matter(m) for m in meta),
            md.renderer.render(tokens, md.options, {})]
    return _page(title, body)


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark", {"html": False}).enable("table").use(front_matter_plugin)


def _front_matter(text: str) -> str:
    """A record's YAML front matter (MADR: status, date, deciders) as a small table."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict):
        return f"<pre>{escape_html(text)}</pre>"
    rows = [f"<tr><th>{escape_html(k)}</th><td>{escape_html(_plain_value(v))}</td></tr>"
            for k, v in data.items()]
    return '<table class="meta">\n' + "\n".join(rows) + "\n</table>"


def _plain_value(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


# -- the front page -----------------------------------------------------------------------

def _link(path: str, label: str | None = None) -> str:
    return f'<a href="{escape_html(path)}">{escape_html(label or path)}</a>'


def _doc_link(path: str, label: str, files: set[str]) -> str:
    """A Markdown artefact: its HTML page, with the Markdown beside it."""
    page = html_path(path) if path.endswith(".md") else path
    if page != path and page in files:
        return f"{_link(page, label)} <span class=\"note\">({_link(path, 'Markdown')})</span>"
    return _link(path, label)


def _entries(entries: list[Entry], files: set[str]) -> list[str]:
    return [f"<li>{_doc_link(e.path, e.label, files) if e.path else escape_html(e.label)}"
            + (f' <span class="note">— {escape_html(e.note)}</span>' if e.note else "")
            + "</li>" for e in entries]


def _figure(view: View) -> list[str]:
    return [
        "<figure>",
        f'  <img src="{escape_html(view.svg)}" alt="{escape_html(view.title)}">',
        f"  <figcaption>{escape_html(view.title)} — "
        + ", ".join([_link(view.svg, "SVG"), _link(view.png, "PNG"),
                     *(_link(path, label) for label, path in view.text)])
        + "</figcaption>",
        "</figure>",
    ]


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def _summary(result: PackResult, files: set[str]) -> list[str]:
    """The one-page hand-off summary: context, targets, decisions, risks, checks."""
    out = ['<section class="summary">', '<h2 id="summary">Summary</h2>']
    reqs = result.reqs
    out.append("<h3>Context</h3>")
    out.append(f"<p>{escape_html(result.summary or 'No summary in requirements.yaml.')}</p>")
    if reqs is not None and reqs.constraints:
        out += ["<p>Constraints:</p>", "<ul>",
                *[f"<li>{escape_html(c)}</li>" for c in reqs.constraints], "</ul>"]
    if reqs is not None:
        nfr = reqs.non_functional
        rows: list[tuple[str, str]] = []
        if nfr.latency_ms:
            rows.append(("latency", ", ".join(f"{k} {_num(v)} ms"
                                              for k, v in nfr.latency_ms.items())))
        load = [f"{_num(nfr.peak_rps)} requests/s at peak"] if nfr.peak_rps is not None else []
        if nfr.read_write_ratio is not None:
            load.append(f"{_num(nfr.read_write_ratio)} reads per write")
        recovery = [f"{k} {_num(v)} min" for k, v in (("RPO", nfr.rpo_minutes),
                                                       ("RTO", nfr.rto_minutes)) if v is not None]
        for label, parts in (("load", load),
                             ("availability", [f"{_num(nfr.availability)} % per month"]
                              if nfr.availability is not None else []),
                             ("recovery", recovery),
                             ("data growth", [f"{k.replace('_', ' ')} {_num(v)}"
                                              for k, v in nfr.data_growth.items()])):
            if parts:
                rows.append((label, ", ".join(parts)))
        if result.capacity is not None:
            rows += [(f"estimate: {line.quantity}", line.shown) for line in result.capacity.lines
                     if line.quantity in _HEADLINE]
        out += ["<h3>Goals and non-functional targets</h3>", "<table>",
                *[f"<tr><th>{escape_html(k)}</th><td>{escape_html(v)}</td></tr>"
                  for k, v in rows], "</table>"]
        if result.requirements:
            label = "All requirements and the capacity estimate"
            out.append(f"<p>{_doc_link(result.requirements, label, files)}</p>")
    if result.records:
        out += ["<h3>Decisions</h3>", "<table>",
                "<tr><th>ADR</th><th>decision</th><th>status</th><th>chosen</th></tr>"]
        for rec, path in result.records:
            out.append(f"<tr><td>{_doc_link(path, f'{rec.number or 0:04d}', files)}</td>"
                       f"<td>{escape_html(rec.title)}</td><td>{escape_html(rec.status)}</td>"
                       f"<td>{escape_html(rec.chosen or '—')}</td></tr>")
        out.append("</table>")
    for title, lines in result.sections:
        out += [f"<h3>{escape_html(title)}</h3>", "<ul>",
                *[f"<li>{escape_html(line)}</li>" for line in lines], "</ul>"]
    risks = _risks(result)
    out += ["<h3>Risks and open questions</h3>"]
    out += (["<ul>", *[f"<li>{escape_html(r)}</li>" for r in risks], "</ul>"] if risks
            else ["<p>None recorded.</p>"])
    out += ["<h3>Checks</h3>", _check_line(result.findings), "</section>"]
    return out


_HEADLINE = {"peak writes", "requests in flight at peak", "database storage",
             "downtime budget per month"}


def _risks(result: PackResult) -> list[str]:
    found: list[str] = []
    for rec, _ in result.records:
        status = rec.status_kind
        if status == "proposed":
            found.append(f"Open: ADR {rec.number or 0:04d} \u201c{rec.title}\u201d is proposed, "
                         "not yet accepted.")
        if status in ("accepted", "proposed") and rec.chosen:
            chosen = next((o for o in rec.options if o.title == rec.chosen), None)
            found += [f"ADR {rec.number or 0:04d} ({rec.chosen}): {bad}"
                      for bad in (chosen.bad if chosen else [])]
    superseded = {path for rec, path in result.records if rec.status_kind == "superseded"}
    for row in result.decisions:
        if "close call" in row.verdict.lower() and row.adr not in superseded:
            found.append(f"Close call: {row.title} — {row.verdict}")
    if result.capacity is not None:
        found += [f"Capacity estimate incomplete: {m}" for m in result.capacity.missing]
    return found


def _check_line(findings: Findings) -> str:
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    if not findings:
        return '<p class="ok">All checks pass: no findings.</p>'
    head = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    css = "error" if counts[Severity.ERROR] else "note"
    errors = [f for f in findings if f.severity is Severity.ERROR][:10]
    items = [f"<li>{escape_html(f.code)} {escape_html(f.object or '')}: "
             f"{escape_html(f.message)}</li>" for f in errors]
    return (f'<p class="{css}">{escape_html(head)} — <a href="#checks">all findings</a>.</p>'
            + ("\n<ul>\n" + "\n".join(items) + "\n</ul>" if items else ""))


def index_html(result: PackResult) -> str:
    """The pack's static front page: the summary first, then every artefact linked."""
    files = set(result.files) | set(result.pages)
    title = f"{result.title} — design pack"
    body = [f"<h1>{escape_html(title)}</h1>", *_summary(result, files)]
    if result.requirements:
        body += ['<h2 id="requirements">Requirements</h2>',
                 f"<p>{_doc_link(result.requirements, 'Requirements and capacity estimate', files)}"
                 "</p>"]
    if result.decisions:
        body += ['<h2 id="decisions">Decision matrices</h2>', "<table>",
                 "<tr><th>decision</th><th>ranked first</th><th>verdict</th><th>record</th></tr>"]
        for d in result.decisions:
            adr = _doc_link(d.adr, "ADR " + d.adr.rsplit("/", 1)[1][:4], files) if d.adr else ""
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
        body += ["<h3>Schema per dialect</h3>", "<ul>", *_entries(result.schemas, files),
                 f"<li>{_doc_link('schema/README.md', 'checks and transpile notes', files)}</li>",
                 "</ul>"]
        if result.rollout:
            body += ["<h3>Zero-downtime rollout (expand/contract), phase by phase</h3>", "<ol>",
                     *_entries(result.rollout, files), "</ol>"]
        if result.migrations:
            body += ["<h3>Migrations (one step per schema version)</h3>", "<ul>",
                     *_entries(result.migrations, files), "</ul>"]
    if result.adrs:
        folder = result.adrs[0].path.rsplit("/", 1)[0]
        body += ['<h2 id="adrs">Architecture decision records</h2>',
                 f"<p>{_doc_link(folder + '/index.md', 'Index', files)}"
                 + (f" — {_link('diagrams/decisions.svg', 'graph')}</p>"
                    if "diagrams/decisions.svg" in files else "</p>"),
                 "<ul>", *_entries(result.adrs, files), "</ul>"]
    body += ['<h2 id="checks">Checks</h2>', _findings_html(result.findings)]
    if result.left_out:
        body += ['<h2 id="left-out">Left out</h2>', "<ul>",
                 *[f"<li>{escape_html(x)}</li>" for x in result.left_out], "</ul>"]
    if result.extras:
        body += ['<h2 id="tools">The same pack for other tools</h2>', "<ul>",
                 *_entries(result.extras, files), "</ul>"]
    sections = re.findall(r'<h2 id="([^"]+)">([^<]+)</h2>', "\n".join(body))
    nav = " · ".join(f'<a href="#{i}">{label}</a>' for i, label in sections)
    body.insert(1, f"<nav>{nav}</nav>")
    return _page(title, body)


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
