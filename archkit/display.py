"""Rich-display helpers shared by every model: escaping, tables, SVG bundles.

Usage::

    from archkit.display import markdown_table
    markdown_table(["name", "score"], [["REST", "4.2"]])
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from archkit.lazy import LazyPattern

__all__ = [
    "escape_html",
    "escape_markdown",
    "markdown_table",
    "html_table",
    "svg_mimebundle",
    "fit_svg",
    "svg_figure_html",
    "OUTPUT_WIDTH",
    "MIN_TEXT_PX",
    "READ_WIDTH",
]

OUTPUT_WIDTH = 1000  # px: a notebook output area at 1440 px wide, with the sidebar open
MIN_TEXT_PX = 8.0  # the smallest text a reader can read at normal zoom
# Layouts are chosen so their smallest text is MIN_TEXT_PX even this narrow: JupyterLab's
# output area in a 1,400 px window (measured: 948 px), a little under OUTPUT_WIDTH.
READ_WIDTH = 940

# Characters Markdown may read as syntax; "_" only where it could open or close emphasis,
# ">" only where it could open a block quote (text is one line; "<" is always escaped, so a
# ">" never closes a tag), "&" only where it would start an entity. The raw .md stays
# readable: "p99 -> 200 ms & up" is written as it is.
_MD_SPECIAL = LazyPattern(r"([\\`*\[\]|<~]|^\s*>|&(?=#?\w+;)|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")


def escape_html(text: object) -> str:
    """Escape text for HTML or SVG/XML content and attribute values."""
    import html  # here, not at the top: a command line that prints text never loads it

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
    if ch.endswith(">"):  # a leading ">" (after any blanks): escaped, blanks dropped
        return "\\>"
    return {"<": "&lt;", "&": "&amp;"}.get(ch, "\\" + ch)


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


_SVG_OPEN = LazyPattern(r"<svg\b[^>]*>", re.DOTALL)
_ATTR = LazyPattern(r'\s(width|height|style)="[^"]*"')


def fit_svg(svg: str, max_width: float = OUTPUT_WIDTH) -> str:
    """``svg`` shown at most ``max_width`` px wide: root width/height in px, scaled together.

    The root gets ``max-width:100%;height:auto`` so a narrower output shrinks it too;
    the ``viewBox`` keeps everything inside in proportion. Nothing else changes.
    """
    from archkit.svgmetrics import measure

    size = measure(svg)
    scale = min(1.0, max_width / size.width) if size.width else 1.0
    width, height = size.width * scale, size.height * scale
    match = _SVG_OPEN.search(svg)
    if match is None:
        return svg
    tag = _ATTR.sub("", match.group(0))
    if "viewBox" not in tag and size.view_width:
        tag = tag[:4] + f' viewBox="0 0 {size.view_width:g} {size.view_height:g}"' + tag[4:]
    tag = (tag[:4] + f' width="{width:.0f}px" height="{height:.0f}px"'
           ' style="max-width:100%;height:auto"' + tag[4:])
    return svg[:match.start()] + tag + svg[match.end():]


def svg_figure_html(svg: str, max_width: float = OUTPUT_WIDTH) -> str:
    """The SVG inline, fitted to ``max_width``; a "full size" toggle shows it at 100 %.

    No script: a ``<details>`` toggle and a CSS rule (scoped to this figure by an id
    made from the SVG's digest) switch the one inline SVG to its natural size inside a
    scrollable box. Where HTML is sanitised the fitted picture still shows.
    """
    from archkit.svgmetrics import measure

    size = measure(svg)
    start = svg.find("<svg")
    inline = fit_svg(svg[start:] if start >= 0 else svg, max_width)
    if size.width <= max_width:
        return f'<div class="archkit-figure">{inline}</div>'
    import hashlib

    fid = "ak-" + hashlib.sha256(svg.encode("utf-8")).hexdigest()[:12]
    style = (f"#{fid} > details[open] ~ div {{overflow:auto;max-height:85vh;"
             "border:1px solid #d7dce5}"
             f"#{fid} > details[open] ~ div > svg {{width:{size.width:.0f}px !important;"
             f"height:{size.height:.0f}px !important;max-width:none !important}}")
    return (f'<div class="archkit-figure" id="{fid}"><style>{style}</style>'
            '<details><summary style="cursor:pointer;color:#4a5264;font-size:0.9em">'
            f"Full size ({size.width:.0f} × {size.height:.0f} px): click to zoom, "
            "scroll to pan</summary></details>"
            f"<div>{inline}</div></div>")


def svg_mimebundle(svg: str, text: str = "", max_width: float = OUTPUT_WIDTH) -> dict[str, str]:
    """A Jupyter mime bundle that shows an SVG inline, fitted to the output width.

    ``text/html`` (what JupyterLab shows) holds the fitted SVG with a full-size toggle;
    ``image/svg+xml`` is the same picture fitted, for front ends without HTML.
    """
    return {"text/html": svg_figure_html(svg, max_width), "image/svg+xml": fit_svg(svg, max_width),
            "text/plain": text or "<svg>"}


# -- HTML that renders the same in every frontend (not in __all__: kept to this block so
# edits elsewhere in the module merge cleanly) ------------------------------------------
# JupyterLab typesets `$...$` / `$$...$$` as maths in Markdown and HTML outputs (MathJax),
# which turns PL/pgSQL bodies and `$1` parameters into italic formulas. MathJax skips
# <pre>/<code> and anything inside class="mathjax_ignore"; `$` also goes out as `&#36;`.
NO_MATHS = "mathjax_ignore"
SEVERITY_COLOURS = {"error": "#b71c1c", "warning": "#8a5a00", "info": "#1f4e79"}


def escape_html_text(text: object) -> str:
    """Escape for HTML, with `$` as `&#36;` so no maths renderer sees a delimiter."""
    return escape_html(text).replace("$", "&#36;")


def sql_html(sql: str) -> str:
    """SQL as a monospace block that scrolls sideways instead of running off the edge."""
    return (f'<pre class="archkit-sql {NO_MATHS}" style="overflow-x:auto;white-space:pre;'
            f'font-family:monospace;margin:0;max-width:70em"><code>{escape_html_text(sql)}'
            "</code></pre>")


def severity_html(severity: object) -> str:
    """A severity in words and colour (never colour alone)."""
    word = str(severity)
    colour = SEVERITY_COLOURS.get(word.lower(), "inherit")
    return f'<b style="color:{colour}">{escape_html_text(word.upper())}</b>'


def rich_table_html(headers: Sequence[str], rows: Sequence[Sequence[object]], *,
                    sql: Sequence[int] = (), raw: Sequence[int] = ()) -> str:
    """An HTML table no maths renderer touches: columns in ``sql`` as SQL blocks, columns
    in ``raw`` as HTML already made safe by the caller, the rest escaped text."""
    def cell(i: int, value: object) -> str:
        if i in raw:
            return str(value)
        if i in sql and str(value) not in ("", "—"):
            return sql_html(str(value))
        return escape_html_text(value)

    head = "".join(f"<th>{escape_html_text(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td style="text-align:left;vertical-align:top">'
                                    f"{cell(i, v)}</td>" for i, v in enumerate(row)) + "</tr>"
                   for row in rows)
    return (f'<div class="{NO_MATHS}" style="overflow-x:auto"><table><thead><tr>{head}</tr>'
            f"</thead><tbody>{body}</tbody></table></div>")
