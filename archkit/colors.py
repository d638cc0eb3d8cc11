"""Colours for diagrams: parse, blend, WCAG contrast, and the nearest colour that passes.

Usage::

    from archkit.colors import contrast, passing_text
    contrast("#ffffff", "#438dd5")        # 3.49...
    passing_text("#ffffff", "#438dd5")    # a text colour with >= 4.5:1 on that fill
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["AA", "parse_color", "to_hex", "blend", "luminance", "contrast", "passing_text",
           "passing_fill"]

AA = 4.5  # WCAG 2 AA for normal text
RGB = tuple[float, float, float]
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")


@lru_cache(maxsize=512)
def parse_color(value: str) -> tuple[RGB, float] | None:
    """``#rgb``, ``#rrggbb``, ``#rrggbbaa`` or a CSS colour name -> ((r, g, b), alpha); 0-255."""
    text = value.strip().lower()
    match = _HEX.match(text)
    if match:
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        rgb = tuple(float(int(digits[i:i + 2], 16)) for i in (0, 2, 4))
        alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return rgb, alpha  # type: ignore[return-value]
    if text in ("none", "transparent"):
        return (255.0, 255.0, 255.0), 0.0
    import webcolors

    try:
        named = webcolors.name_to_rgb(text)
    except ValueError:
        return None
    return (float(named.red), float(named.green), float(named.blue)), 1.0


def to_hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(min(255, max(0, c))):02x}" for c in rgb)


def blend(top: RGB, alpha: float, below: RGB) -> RGB:
    """``top`` painted with ``alpha`` over ``below``."""
    return tuple(t * alpha + b * (1 - alpha) for t, b in zip(top, below, strict=True))  # type: ignore[return-value]


def luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance."""
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(color: str | RGB) -> RGB:
    if isinstance(color, str):
        parsed = parse_color(color)
        if parsed is None:
            raise ValueError(f"not a colour: {color!r}")
        return blend(parsed[0], parsed[1], (255.0, 255.0, 255.0))
    return color


def contrast(text: str | RGB, fill: str | RGB) -> float:
    """The WCAG contrast ratio (1..21) of ``text`` on ``fill`` (alpha is blended onto white)."""
    a, b = luminance(_rgb(text)), luminance(_rgb(fill))
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def _toward(color: RGB, target: RGB, step: float) -> RGB:
    return tuple(c + (t - c) * step for c, t in zip(color, target, strict=True))  # type: ignore[return-value]


@lru_cache(maxsize=256)
def passing_text(text: str, fill: str, ratio: float = AA) -> str:
    """The text colour closest to ``text`` (same hue, darker or lighter) that passes on ``fill``."""
    return _nearest(_rgb(text), _rgb(fill), ratio, move_text=True)


@lru_cache(maxsize=256)
def passing_fill(text: str, fill: str, ratio: float = AA) -> str:
    """The fill closest to ``fill`` (darker or lighter) that ``text`` passes on."""
    return _nearest(_rgb(text), _rgb(fill), ratio, move_text=False)


def _nearest(text: RGB, fill: RGB, ratio: float, *, move_text: bool) -> str:
    moving, other = (text, fill) if move_text else (fill, text)
    # Move away from the other colour: darker if the other is light, lighter if it is dark.
    dark = luminance(other) > 0.18
    target: RGB = (0.0, 0.0, 0.0) if dark else (255.0, 255.0, 255.0)
    # A plain walk: moving text toward black first loses contrast (it passes the fill's
    # lightness) before it gains, so the first colour that passes is the nearest.
    for i in range(1, 201):
        cand = to_hex(_toward(moving, target, i / 200))
        if contrast(cand, to_hex(other)) >= ratio:
            return cand
    return to_hex(target)
