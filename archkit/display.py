"""Rich-display helpers shared by every model: escaping, tables, SVG bundles.

Usage::

    from archkit.display import markdown_table
    markdown_table(["name", "score"], [["REST", "4.2"]])
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

__all__ = [
    "escape_html",
    "escape_markdown",
    "markdown_table",
    "html_table",
    "svg_mimebundle",
]

# Characters Markdown may read as syntax; "_" only where it could open or close emphasis.
_MD_SPECIAL = re.compile(r"([\\`*\[\]|<>&~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")


def escape_html(text: object) -> str:
    """Escape text for HTML or SVG/XML content and attribute values."""
    return html.escape(str(text), quote=True)


def escape_markdown(text: object) -> str:
    """Escape text so Markdown renders it literally and inert (no HTML, no links).

    Newlines become spaces so the text stays inside one table cell or line.
    """
    flat = " ".join(str(text).splitlines())
    return _MD_SPECIAL.sub(lambda m: _md_entity(m.group(1)), flat)


def _md_entity(ch: str) -> str:
    # HTML-significant characters become entities (inert even where a renderer
    # passes raw HTML through); the rest get a backslash.
    return {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(ch, "\\" + ch)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table; every cell is escaped."""
    head = "| " + " | ".join(escape_markdown(h) for h in headers) + " |"
    rule = "|" + "|".join("---" for _ in headers) + "|"
    body = ["| " + " | ".join(escape_markdown(c) for c in row) + " |" for row in rows]
    return "\n".join([head, rule, *body])


def html_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """An HTML table; every cell is escaped."""
    head = "".join(f"<th>{escape_html(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape_html(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def svg_mimebundle(svg: str, text: str = "") -> dict[str, str]:
    """A Jupyter mime bundle that shows an SVG inline, with a plain-text fallback."""
    return {"image/svg+xml": svg, "text/plain": text or "<svg>"}
