"""Latency against instances: each container's p95 as its instance count grows.

Usage::

    from archkit.capacity import plan_capacity, latency_chart
    latency_chart(plan_capacity("examples/order_platform"))     # inline SVG in Jupyter

One line per container (p95 response in ms, log scale), a dot at the deployed count and
a ring at the planned count; counts where the queue is unstable are left out. Pure string
building, every label escaped, deterministic output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from archkit.display import escape_html, svg_mimebundle

__all__ = ["LatencyChart", "latency_chart"]

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 170, 20, 40
PALETTE = ("#0d47a1", "#1b5e20", "#e65100", "#4a148c", "#006064", "#827717", "#880e4f")


@dataclass(frozen=True, slots=True)
class LatencyChart:
    svg: str
    points: dict[str, list[tuple[int, float]]]  # container id -> (instances, p95 ms)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return svg_mimebundle(self.svg, "p95 latency against instances")


def latency_chart(plan: Any, up_to: int | None = None) -> LatencyChart:
    """The chart for every sized container of ``plan`` (1..``up_to`` instances)."""
    sized = [c for c in plan.containers if c.planned is not None]
    top_n = up_to or max([4, *((c.planned or 0) + 2 for c in sized),
                          *((c.deployed or 0) + 1 for c in sized)])
    points = {c.id: [(n, q.p95_response_s * 1000) for n, q in c.curve(top_n) if q.stable]
              for c in sized}
    values = [ms for pts in points.values() for _, ms in pts] or [1.0]
    lo = 10 ** math.floor(math.log10(max(min(values), 1e-3)))
    hi = 10 ** math.ceil(math.log10(max(values)))
    hi = hi * 10 if hi <= lo else hi
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(n: float) -> float:
        return LEFT + plot_w * (n - 1) / max(top_n - 1, 1)

    def y_of(ms: float) -> float:
        return TOP + plot_h * (math.log10(hi) - math.log10(ms)) / (math.log10(hi) - math.log10(lo))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="archkit-latency" width="{WIDTH}" '
           f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" '
           'font-size="11">',
           f"<title>{escape_html(f'p95 latency against instances: {plan.name}')}</title>",
           f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fafafa" '
           'stroke="#bdbdbd"/>']
    decade = lo
    while decade <= hi:
        out.append(f'<text x="{LEFT - 6}" y="{y_of(decade) + 4:.1f}" text-anchor="end">'
                   f"{decade:g} ms</text>")
        decade *= 10
    for n in range(1, top_n + 1):
        out.append(f'<text x="{x_of(n):.1f}" y="{HEIGHT - BOTTOM + 16}" '
                   f'text-anchor="middle">{n}</text>')
    out.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 6}" text-anchor="middle">'
               "instances</text>")
    for i, c in enumerate(sized):
        colour = PALETTE[i % len(PALETTE)]
        pts = points[c.id]
        line = " ".join(f"{x_of(n):.1f},{y_of(ms):.1f}" for n, ms in pts)
        out.append(f'<polyline class="archkit-container" data-container="{escape_html(c.id)}" '
                   f'fill="none" stroke="{colour}" stroke-width="2" points="{line}"/>')
        for n, ms in pts:
            if n == c.planned:
                out.append(f'<circle class="archkit-planned" cx="{x_of(n):.1f}" '
                           f'cy="{y_of(ms):.1f}" r="6" fill="none" stroke="{colour}"/>')
            if n == c.deployed:
                out.append(f'<circle class="archkit-deployed" cx="{x_of(n):.1f}" '
                           f'cy="{y_of(ms):.1f}" r="3" fill="{colour}"/>')
        y = TOP + 14 * i + 8
        out.append(f'<rect x="{WIDTH - RIGHT + 12}" y="{y - 8}" width="10" height="10" '
                   f'fill="{colour}"/>')
        out.append(f'<text x="{WIDTH - RIGHT + 28}" y="{y + 1}">{escape_html(c.name)}</text>')
    out.append("</svg>")
    return LatencyChart("\n".join(out), points)
