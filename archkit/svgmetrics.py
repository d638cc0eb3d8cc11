"""What a reader sees of an SVG: its natural size, the size it is shown at, its smallest text,
and the contrast of every text run against the shape it sits on.

Usage::

    from archkit.svgmetrics import measure, text_contrasts
    m = measure(svg)                 # natural px size, viewBox, smallest font (user units)
    m.shown(1000)                    # (width px, smallest text px) when fitted to 1,000 px
    min(c.ratio for c in text_contrasts(svg))

Sizes follow the browser: ``pt`` is 4/3 px, ``in`` 96 px; a fitted SVG is one whose
root carries ``max-width:100%`` (see :func:`archkit.display.fit_svg`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from archkit.colors import RGB, blend, contrast, parse_color

__all__ = ["SvgSize", "measure", "TextContrast", "text_contrasts", "svg_root"]

NS = "{http://www.w3.org/2000/svg}"
_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*([a-z]*)\s*$")
WHITE: RGB = (255.0, 255.0, 255.0)


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    if not match or match.group(2) not in _UNITS:
        return None
    return float(match.group(1)) * _UNITS[match.group(2)]


def svg_root(svg: str) -> ET.Element:
    """The root ``<svg>`` element of ``svg`` (the first one when it is inside HTML)."""
    start = svg.find("<svg")
    end = svg.rfind("</svg>")
    if start < 0 or end < 0:
        raise ValueError("no <svg> element")
    return ET.fromstring(svg[start:end + len("</svg>")])


@dataclass(frozen=True)
class SvgSize:
    """The natural size (CSS px), the viewBox size (user units) and the smallest font."""

    width: float
    height: float
    view_width: float
    view_height: float
    min_font: float  # user units
    fitted: bool  # the root scales down to its container (max-width:100%)

    def shown(self, output_width: float = 1000, fitted: bool | None = None
              ) -> tuple[float, float]:
        """(displayed width px, smallest displayed text px) in an output ``output_width`` wide.

        ``fitted`` overrides whether the SVG scales down to the output (default: its style).
        """
        fitted = self.fitted if fitted is None else fitted
        width = min(self.width, output_width) if fitted else self.width
        scale = width / self.view_width if self.view_width else 1.0
        return width, self.min_font * scale


def measure(svg: str) -> SvgSize:
    """Sizes of ``svg`` (standalone, or the first ``<svg>`` in an HTML fragment)."""
    root = svg_root(svg)
    box = [float(v) for v in re.split(r"[\s,]+", root.get("viewBox", "").strip()) if v]
    width = _length(root.get("width"))
    height = _length(root.get("height"))
    if len(box) == 4:
        vw, vh = box[2], box[3]
    else:
        vw, vh = width or 0.0, height or 0.0
    width = width if width is not None else vw
    height = height if height is not None else vh
    sizes = [f for f in _text_fonts(root, 0.0) if f]
    style = root.get("style", "").replace(" ", "")
    return SvgSize(width, height, vw, vh, min(sizes) if sizes else 0.0,
                   "max-width:100%" in style)


def _text_fonts(el: ET.Element, inherited: float):
    """The font size of every ``<text>``, inherited from its ancestors when not its own."""
    size = _font_size(el) or inherited
    if el.tag == f"{NS}text" and (el.text or "").strip():
        yield size or 16.0  # the browser default
    for child in el:
        yield from _text_fonts(child, size)


def _font_size(el: ET.Element) -> float:
    size = el.get("font-size")
    if size is None:
        match = re.search(r"font-size:\s*([0-9.]+)", el.get("style", ""))
        size = match.group(1) if match else None
    try:
        return float(size) if size is not None else 0.0
    except ValueError:
        return 0.0


@dataclass(frozen=True)
class TextContrast:
    """One text run, its colour, the colour behind it and their WCAG ratio."""

    text: str
    group: str  # the <title> of the node / edge / cluster the text belongs to
    color: str
    background: str
    ratio: float


def text_contrasts(svg: str) -> list[TextContrast]:
    """Every text run of a Graphviz SVG with the contrast against the shape it sits in.

    The background is the last filled shape drawn before the text whose bounding box
    holds the text's anchor point (its own node first, then clusters, then the page).
    """
    root = svg_root(svg)
    filled: list[tuple[tuple[float, float, float, float], RGB, float]] = []
    results: list[TextContrast] = []
    group_title = ""
    for el in root.iter():  # document order is drawing order
        tag = el.tag.removeprefix(NS)
        if tag == "g" and el.get("class") in ("node", "edge", "cluster", "graph"):
            title = el.find(f"{NS}title")
            group_title = (title.text or "") if title is not None else ""
            continue
        if tag in ("polygon", "path", "ellipse", "rect", "polyline"):
            paint = _paint(el.get("fill"), el.get("fill-opacity"))
            box = _bbox(el)
            if paint is not None and box is not None and tag != "polyline":
                filled.append((box, *paint))
            continue
        if tag == "text" and (el.text or "").strip():
            x, y = float(el.get("x", 0)), float(el.get("y", 0))
            size = _font_size(el) or 10.0
            probe = (x, y - size * 0.35)  # the middle of the glyphs, above the baseline
            behind = _behind(filled, probe)
            ink = _paint(el.get("fill", "black"), el.get("fill-opacity")) or ((0.0,) * 3, 1.0)
            color = blend(ink[0], ink[1], behind)
            results.append(TextContrast(el.text.strip(), group_title, _hex(color),
                                        _hex(behind), round(contrast(color, behind), 2)))
    return results


def _paint(fill: str | None, opacity: str | None) -> tuple[RGB, float] | None:
    if not fill or fill in ("none", "transparent"):
        return None
    parsed = parse_color(fill)
    if parsed is None:
        return None
    alpha = parsed[1] * (float(opacity) if opacity else 1.0)
    return (parsed[0], alpha) if alpha > 0 else None


def _behind(filled, point: tuple[float, float]) -> RGB:
    """The colour at ``point``: every filled shape under it, painted in order over white."""
    color = WHITE
    for (x0, y0, x1, y1), rgb, alpha in filled:
        if x0 <= point[0] <= x1 and y0 <= point[1] <= y1:
            color = blend(rgb, alpha, color)
    return color


def _bbox(el: ET.Element) -> tuple[float, float, float, float] | None:
    tag = el.tag.removeprefix(NS)
    if tag == "ellipse":
        cx, cy = float(el.get("cx", 0)), float(el.get("cy", 0))
        rx, ry = float(el.get("rx", 0)), float(el.get("ry", 0))
        return cx - rx, cy - ry, cx + rx, cy + ry
    if tag == "rect":
        x, y = float(el.get("x", 0)), float(el.get("y", 0))
        return x, y, x + float(el.get("width", 0)), y + float(el.get("height", 0))
    raw = el.get("points") or el.get("d") or ""
    nums = [float(n) for n in re.findall(r"-?[0-9]*\.?[0-9]+(?:e-?[0-9]+)?", raw)]
    xs, ys = nums[0::2], nums[1::2]
    if not xs or not ys:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _hex(rgb: RGB) -> str:
    from archkit.colors import to_hex

    return to_hex(rgb)
