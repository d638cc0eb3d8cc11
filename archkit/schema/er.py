"""ER diagrams of a catalog: Graphviz (SVG / PNG) with PK/FK marks, and Mermaid ``erDiagram``.

Usage::

    from archkit.schema.er import er_diagram
    er = er_diagram(catalog)          # shows itself as SVG in Jupyter
    er.save("out/schema.svg")         # or .png / .mmd / .dot
    print(er.mermaid())
    er.groups()                       # tables grouped by foreign keys
    er.parts()                        # one diagram per group (what Jupyter shows if too wide)

Readable at notebook width: the diagram is laid out left to right, or top to bottom when
that is what fits a 1,000 px output with its smallest text at 8 px or more. When neither
does, Jupyter shows one diagram per group of tables linked by foreign keys (a table a
group points at but does not hold is drawn as a dashed stub), and
:meth:`ERDiagram.findings` says which group still cannot fit and how to split it.

Rendering is Graphviz's job (``dot``, run as a subprocess); this module only writes
the DOT and Mermaid text, escaping every name for its target.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from archkit.display import (
    MIN_TEXT_PX,
    READ_WIDTH,
    escape_html,
    svg_figure_html,
    svg_mimebundle,
)
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity
from archkit.schema.catalog import Catalog, Table
from archkit.svgmetrics import measure

__all__ = ["ERDiagram", "er_diagram", "GROUP_SIZE"]

GROUP_SIZE = 10  # tables per group when a connected set of tables is split


def er_diagram(catalog: Catalog, *, title: str | None = None, tables: list[str] | None = None
               ) -> ERDiagram:
    """An ER diagram of ``catalog`` (optionally of some ``tables`` only)."""
    return ERDiagram(catalog, title, tuple(tables) if tables else None)


@dataclass(frozen=True)
class ERDiagram:
    catalog: Catalog
    title: str | None = None
    only: tuple[str, ...] | None = None
    direction: str | None = None  # "LR" or "TB"; None: whichever reads at notebook width
    stubs: bool = False  # draw tables outside ``only`` that ``only`` points at, as stubs

    def _tables(self) -> list[tuple[str, Table]]:
        items = sorted(self.catalog.tables.items())
        if self.only:
            items = [(k, t) for k, t in items if k in self.only]
        return items

    def _stubs(self) -> list[str]:
        if not (self.stubs and self.only):
            return []
        return sorted({fk.ref_table for _, t in self._tables() for fk in t.foreign_keys
                       if fk.ref_table not in self.only and fk.ref_table in self.catalog.tables})

    # -- fitting the notebook --------------------------------------------------------------
    def rankdir(self) -> str:
        """The direction used: the one asked for, else LR, else TB if only TB reads."""
        if self.direction:
            return self.direction
        if _readable(_render(self.dot("LR"), "svg")):
            return "LR"
        if _readable(_render(self.dot("TB"), "svg")):
            return "TB"
        return "LR"

    def readable(self) -> bool:
        """True when, fitted to 1,000 px, the smallest text is at least 8 px."""
        return _readable(self.render("svg"))

    def groups(self, size: int = GROUP_SIZE) -> list[tuple[str, ...]]:
        """Tables grouped by foreign keys: connected sets, split into ``size``-table pieces
        (grown outward from the most connected table); tables with no key to another
        table form one last group."""
        keys = [k for k, _ in self._tables()]
        links: dict[str, set[str]] = {k: set() for k in keys}
        for key, table in self._tables():
            for fk in table.foreign_keys:
                if fk.ref_table in links and fk.ref_table != key:
                    links[key].add(fk.ref_table)
                    links[fk.ref_table].add(key)
        groups: list[tuple[str, ...]] = []
        alone = [k for k in keys if not links[k]]
        seen: set[str] = set(alone)
        for start in keys:
            if start in seen:
                continue
            component = _component(start, links)
            seen |= component
            groups += _chunks(component, links, size)
        if alone:
            groups += [tuple(alone[i:i + size]) for i in range(0, len(alone), size)]
        return groups

    def parts(self, size: int = GROUP_SIZE) -> list[ERDiagram]:
        """One diagram per group of :meth:`groups`, each with stubs for what it points at;
        a group that is still too wide to read is split again into halves."""
        out = []
        for group in self.groups(size):
            part = self._part(group)
            if len(group) > 2 and not part.readable():
                out += replace(self, only=group).parts(max(2, (len(group) + 1) // 2))
            else:
                out.append(part)
        return out

    def _part(self, group: tuple[str, ...]) -> ERDiagram:
        name = _group_name(group, self.catalog)
        title = f"{self.title} — {name}" if self.title else name
        return replace(self, title=title, only=group, stubs=True, direction=None)

    def findings(self) -> Findings:
        """SC601 for each part that still cannot show its smallest text at 8 px in 1,000 px."""
        found = Findings()
        if self.readable():
            return found
        for part in self.parts():
            if not part.readable():
                size = measure(part.render("svg").decode("utf-8"))
                text = size.shown(READ_WIDTH, fitted=True)[1]
                found.append(Finding(
                    "SC601", Severity.WARNING,
                    f"ER diagram {part.title!r} is {size.width:.0f} px wide: fitted to "
                    f"{READ_WIDTH} px its smallest text is {text:.1f} px",
                    object=part.title,
                    fix="draw fewer tables at once: er_diagram(catalog, tables=[...]) "
                        f"with some of {', '.join(part.only or ())}"))
        return found

    # -- Graphviz ------------------------------------------------------------------------
    def dot(self, rankdir: str | None = None) -> str:
        """The Graphviz source: one HTML-like table per table, one edge per foreign key."""
        rankdir = rankdir or self.rankdir()
        lines = [
            "digraph er {",
            f'  graph [rankdir={rankdir}, fontname="Helvetica", nodesep=0.5, ranksep=1.0'
            + (f', label=<{escape_html(self.title)}>, labelloc=t' if self.title else "") + "];",
            '  node [shape=plain, fontname="Helvetica", fontsize=11];',
            '  edge [fontname="Helvetica", fontsize=9, color="#555555", arrowhead=none, '
            'arrowtail=crow, dir=both];',
        ]
        ids = {key: f"t{i}" for i, (key, _) in enumerate(self._tables())}
        for key, table in self._tables():
            lines.append(f"  {ids[key]} [label=<{self._label(key, table)}>];")
        for n, key in enumerate(self._stubs()):
            ids[key] = f"s{n}"
            lines.append(f'  s{n} [shape=box, style="rounded,dashed", color="#555555", '
                         f'margin="0.15,0.05", label=<{escape_html(key)}<br/>'
                         '<font point-size="10" color="#555555">(another group)</font>>];')
        for key, table in self._tables():
            for fk in table.foreign_keys:
                if fk.ref_table not in ids:
                    continue
                stub = ids[fk.ref_table].startswith("s")
                cols = ", ".join(fk.columns)
                tip = _dot_string(escape_html(f"{key}({cols}) → {fk.ref_table}"))
                optional = any((c := table.column(n)) is not None and c.nullable
                               for n in fk.columns)
                head = "teeodot" if optional else "teetee"
                target = ids[fk.ref_table] if stub else (
                    f'{ids[fk.ref_table]}:"{_port(fk.ref_columns[0] if fk.ref_columns else "")}"')
                lines.append(
                    f'  {ids[key]}:"{_port(fk.columns[0])}" -> {target}'
                    f' [arrowhead={head}, tooltip="{tip}"];'
                )
        lines.append("}")
        return "\n".join(lines) + "\n"

    def _label(self, key: str, table: Table) -> str:
        pk = set(table.primary_key.columns) if table.primary_key else set()
        fk = {c for f in table.foreign_keys for c in f.columns}
        unique = {u.columns[0] for u in table.uniques if len(u.columns) == 1}
        rows = [
            '<table border="0" cellborder="1" cellspacing="0" cellpadding="4">',
            f'<tr><td bgcolor="#1168bd" colspan="3"><font color="white"><b>{escape_html(key)}'
            "</b></font></td></tr>",
        ]
        for col in table.columns:
            marks = " ".join(m for m, on in (("PK", col.name in pk), ("FK", col.name in fk),
                                             ("UK", col.name in unique)) if on)
            name = escape_html(col.name)
            name = f"<b>{name}</b>" if col.name in pk else name
            null = "" if col.nullable else " NOT NULL"
            mark_html = f'<font color="#1168bd">{marks}</font>' if marks else " "
            rows.append(
                f'<tr><td port="{_port(col.name)}" align="left">{name}</td>'
                f'<td align="left"><font color="#555555">{escape_html(col.type + null)}</font>'
                f'</td><td align="left">{mark_html}</td></tr>'
            )
        rows.append("</table>")
        return "".join(rows)

    def render(self, fmt: str = "svg") -> bytes:
        """Run Graphviz ``dot`` and return the rendered bytes (``svg`` or ``png``)."""
        if fmt not in ("svg", "png"):
            raise ArchkitError(f"unknown ER diagram format {fmt!r}", hint="use svg or png")
        dot = shutil.which("dot")
        if dot is None:
            raise ArchkitError("Graphviz 'dot' was not found on PATH",
                               hint="install Graphviz (apt install graphviz)")
        return _render(self.dot(), fmt)

    def svg(self) -> str:
        return self.render("svg").decode("utf-8")

    # -- Mermaid -------------------------------------------------------------------------
    def mermaid(self) -> str:
        """A Mermaid ``erDiagram``: entities with typed attributes, one line per foreign key."""
        names: dict[str, str] = {}
        for key, _ in self._tables():  # "a b" and "a_b" must stay two entities
            token = base = _mermaid_name(key)
            n = 1
            while token in names.values():
                n += 1
                token = f"{base}_{n}"
            names[key] = token
        out = ["erDiagram"]
        for key, table in self._tables():
            pk = set(table.primary_key.columns) if table.primary_key else set()
            fk = {c for f in table.foreign_keys for c in f.columns}
            unique = {u.columns[0] for u in table.uniques if len(u.columns) == 1}
            shown = f"{table.schema}.{table.name}" if table.schema else table.name
            alias = "" if names[key] == shown else f'["{_mermaid_text(shown)}"]'
            out.append(f"    {names[key]}{alias} {{")
            for col in table.columns:
                keys = ",".join(k for k, on in (("PK", col.name in pk), ("FK", col.name in fk),
                                                ("UK", col.name in unique)) if on)
                base = _mermaid_name(col.type.split("(")[0].replace(" ", "_")) or "unknown"
                comment = col.type if "(" in col.type or col.type.endswith("[]") else ""
                if not col.nullable and col.name not in pk:
                    comment = (comment + " not null").strip()
                line = f"        {base} {_mermaid_name(col.name)}"
                line += f" {keys}" if keys else ""
                line += f' "{_mermaid_text(comment)}"' if comment else ""
                out.append(line)
            out.append("    }")
        for key, table in self._tables():
            for fk in table.foreign_keys:
                if fk.ref_table not in names:
                    continue
                optional = any((c := table.column(n)) is not None and c.nullable
                               for n in fk.columns)
                one_to_one = tuple(sorted(fk.columns)) in {
                    tuple(sorted(u.columns)) for u in table.uniques
                } | ({tuple(sorted(table.primary_key.columns))} if table.primary_key else set())
                child = "|o" if one_to_one else "}o"
                parent = "o|" if optional else "||"
                label = _mermaid_text(", ".join(fk.columns))
                out.append(f'    {names[key]} {child}--{parent} {names[fk.ref_table]} : "{label}"')
        return "\n".join(out) + "\n"

    # -- files and display ----------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the diagram; the suffix picks the format (.svg, .png, .mmd, .dot)."""
        from archkit.fsio import atomic_write

        path = Path(path)
        suffix = path.suffix.lower()
        data: str | bytes
        if suffix == ".svg":
            data = self.svg()
        elif suffix == ".png":
            data = self.render("png")
        elif suffix in (".mmd", ".mermaid"):
            data = self.mermaid()
        elif suffix in (".dot", ".gv"):
            data = self.dot()
        else:
            raise ArchkitError(f"unknown ER diagram file type {suffix!r}", where=Where(str(path)),
                               hint="use .svg, .png, .mmd or .dot")
        atomic_write(path, data)
        return path

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = f"ER diagram: {len(self._tables())} tables"
        if self.readable():
            return svg_mimebundle(self.svg(), text)
        # Too wide to read whole: one readable figure per group of related tables.
        parts = self.parts()
        note = (f"<p>{len(self._tables())} tables are too many to read in one diagram at "
                f"this width: shown as {len(parts)} groups linked by foreign keys (dashed "
                "boxes are tables of another group). <code>er.save(...)</code> still writes "
                "the whole diagram.</p>")
        body = "".join(svg_figure_html(p.svg()) for p in parts)
        return {"text/html": note + body, "text/plain": f"{text} in {len(parts)} groups"}


@lru_cache(maxsize=64)
def _render(dot_text: str, fmt: str) -> bytes:
    dot = shutil.which("dot")
    if dot is None:
        raise ArchkitError("Graphviz 'dot' was not found on PATH",
                           hint="install Graphviz (apt install graphviz)")
    proc = subprocess.run([dot, f"-T{fmt}"], input=dot_text.encode(), capture_output=True,
                          timeout=120, check=False)
    if proc.returncode != 0:
        raise ArchkitError(f"Graphviz failed: {proc.stderr.decode(errors='replace')[:300]}")
    return proc.stdout


def _readable(svg: bytes) -> bool:
    return measure(svg.decode("utf-8")).shown(READ_WIDTH, fitted=True)[1] >= MIN_TEXT_PX


def _component(start: str, links: dict[str, set[str]]) -> set[str]:
    found, todo = {start}, [start]
    while todo:
        for near in sorted(links[todo.pop()]):
            if near not in found:
                found.add(near)
                todo.append(near)
    return found


def _chunks(component: set[str], links: dict[str, set[str]], size: int) -> list[tuple[str, ...]]:
    """Split a connected set of tables into groups of at most ``size``, each grown
    breadth-first from the remaining table with the most links (so it stays connected)."""
    left = set(component)
    out: list[tuple[str, ...]] = []
    while left:
        hub = max(sorted(left), key=lambda k: len(links[k] & left))
        group, frontier = [hub], [hub]
        while frontier and len(group) < size:
            nxt = []
            for key in frontier:
                for near in sorted(links[key] & left, key=lambda k: (-len(links[k] & left), k)):
                    if near not in group and len(group) < size:
                        group.append(near)
                        nxt.append(near)
            frontier = nxt
        left -= set(group)
        out.append(tuple(sorted(group)))
    return out


def _group_name(group: tuple[str, ...], catalog: Catalog) -> str:
    if len(group) == 1:
        return group[0]
    links = {k: sum(1 for t in group for fk in catalog.tables[t].foreign_keys
                    if fk.ref_table == k) for k in group}
    hub = max(sorted(group), key=lambda k: links[k])
    return f"{hub} and {len(group) - 1} related tables" if links[hub] else (
        f"{len(group)} tables without foreign keys")


def _port(name: str) -> str:
    return "c_" + re.sub(r"[^A-Za-z0-9_]", lambda m: f"_{ord(m.group(0)):x}_", name)


def _dot_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _mermaid_name(name: str) -> str:
    """A Mermaid-safe token: letters, digits and ``_`` only (``--`` would read as a link)."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return cleaned if cleaned[:1].isalpha() or cleaned[:1] == "_" else f"_{cleaned}"


def _mermaid_text(text: str) -> str:
    """Text inside a Mermaid string, with HTML-significant characters as entity codes.

    ``%`` too (Mermaid reads ``%%{init: …}%%`` as a directive anywhere in the text), a
    backtick (it starts a Markdown string), and a
    line break is a space (it would end the statement).
    """
    return (" ".join(text.splitlines()).replace("#", "#35;").replace("&", "#amp;")
            .replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
            .replace("%", "#37;").replace("`", "#96;"))
