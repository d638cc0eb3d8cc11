"""ER diagrams of a catalog: Graphviz (SVG / PNG) with PK/FK marks, and Mermaid ``erDiagram``.

Usage::

    from archkit.schema.er import er_diagram
    er = er_diagram(catalog)          # shows itself as SVG in Jupyter
    er.save("out/schema.svg")         # or .png / .mmd / .dot
    print(er.mermaid())

Rendering is Graphviz's job (``dot``, run as a subprocess); this module only writes
the DOT and Mermaid text, escaping every name for its target.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from archkit.display import escape_html, svg_mimebundle
from archkit.errors import ArchkitError, Where
from archkit.schema.catalog import Catalog, Table

__all__ = ["ERDiagram", "er_diagram"]


def er_diagram(catalog: Catalog, *, title: str | None = None, tables: list[str] | None = None
               ) -> ERDiagram:
    """An ER diagram of ``catalog`` (optionally of some ``tables`` only)."""
    return ERDiagram(catalog, title, tuple(tables) if tables else None)


@dataclass(frozen=True)
class ERDiagram:
    catalog: Catalog
    title: str | None = None
    only: tuple[str, ...] | None = None

    def _tables(self) -> list[tuple[str, Table]]:
        items = sorted(self.catalog.tables.items())
        if self.only:
            items = [(k, t) for k, t in items if k in self.only]
        return items

    # -- Graphviz ------------------------------------------------------------------------
    def dot(self) -> str:
        """The Graphviz source: one HTML-like table per table, one edge per foreign key."""
        lines = [
            "digraph er {",
            '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.5, ranksep=1.0'
            + (f', label=<{escape_html(self.title)}>, labelloc=t' if self.title else "") + "];",
            '  node [shape=plain, fontname="Helvetica", fontsize=11];',
            '  edge [fontname="Helvetica", fontsize=9, color="#555555", arrowhead=none, '
            'arrowtail=crow, dir=both];',
        ]
        ids = {key: f"t{i}" for i, (key, _) in enumerate(self._tables())}
        for key, table in self._tables():
            lines.append(f"  {ids[key]} [label=<{self._label(key, table)}>];")
        for key, table in self._tables():
            for fk in table.foreign_keys:
                if fk.ref_table not in ids:
                    continue
                cols = ", ".join(fk.columns)
                tip = _dot_string(escape_html(f"{key}({cols}) → {fk.ref_table}"))
                optional = any((c := table.column(n)) is not None and c.nullable
                               for n in fk.columns)
                head = "teeodot" if optional else "teetee"
                lines.append(
                    f'  {ids[key]}:"{_port(fk.columns[0])}" -> '
                    f'{ids[fk.ref_table]}:"{_port(fk.ref_columns[0] if fk.ref_columns else "")}"'
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
        proc = subprocess.run([dot, f"-T{fmt}"], input=self.dot().encode(), capture_output=True,
                              timeout=120, check=False)
        if proc.returncode != 0:
            raise ArchkitError(f"Graphviz failed: {proc.stderr.decode(errors='replace')[:300]}")
        return proc.stdout

    def svg(self) -> str:
        return self.render("svg").decode("utf-8")

    # -- Mermaid -------------------------------------------------------------------------
    def mermaid(self) -> str:
        """A Mermaid ``erDiagram``: entities with typed attributes, one line per foreign key."""
        names = {key: _mermaid_name(key) for key, _ in self._tables()}
        out = ["erDiagram"]
        for key, table in self._tables():
            pk = set(table.primary_key.columns) if table.primary_key else set()
            fk = {c for f in table.foreign_keys for c in f.columns}
            unique = {u.columns[0] for u in table.uniques if len(u.columns) == 1}
            alias = "" if names[key] == key else f'["{_mermaid_text(key)}"]'
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
        return svg_mimebundle(self.svg(), f"ER diagram: {len(self._tables())} tables")


def _port(name: str) -> str:
    return "c_" + re.sub(r"[^A-Za-z0-9_]", lambda m: f"_{ord(m.group(0)):x}_", name)


def _dot_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _mermaid_name(name: str) -> str:
    """A Mermaid-safe token: letters, digits, ``_`` and ``-`` only."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "_", name)
    return cleaned if cleaned[:1].isalpha() or cleaned[:1] == "_" else f"_{cleaned}"


def _mermaid_text(text: str) -> str:
    """Text inside a Mermaid string, with HTML-significant characters as entity codes."""
    return (text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;")
            .replace(">", "#gt;"))
