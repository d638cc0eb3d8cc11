"""A sensitivity chart: every option's weighted total as one criterion's weight moves.

Usage::

    from archkit.brainstorm.chart import sensitivity_chart
    chart = sensitivity_chart(decision, "Operational load")
    chart            # an inline SVG in Jupyter
    chart.svg        # the SVG text (every label escaped)

The current weight is a dashed line; each flip point (where the winner changes) is
a red line labelled with the option that takes over. Pure string building: no
plotting library, deterministic output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from archkit.display import escape_html, svg_mimebundle

if TYPE_CHECKING:
    from archkit.brainstorm.decision import Decision

__all__ = ["SensitivityChart", "sensitivity_chart"]

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 190, 20, 40
SAMPLES = 80
PALETTE = ("#1b5e20", "#0d47a1", "#e65100", "#4a148c", "#006064", "#827717", "#3e2723",
           "#880e4f", "#263238", "#b71c1c")


@dataclass(frozen=True, slots=True)
class SensitivityChart:
    criterion: str
    svg: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return svg_mimebundle(self.svg, f"sensitivity chart for {self.criterion}")


def sensitivity_chart(decision: Decision, criterion: str,
                      max_weight: float | None = None) -> SensitivityChart:
    """Totals of every option for weights of ``criterion`` from 0 to ``max_weight``."""
    from archkit.brainstorm.matrix import evaluate, sensitivity

    decision.criterion(criterion)  # a clear error for an unknown name
    matrix = evaluate(decision)
    sens = next(s for s in sensitivity(decision, matrix) if s.criterion == criterion)
    flips = [p for p in (sens.lower, sens.upper) if p is not None]
    top = max([2 * sens.weight, 5.0, *(1.25 * p.weight for p in flips)])
    top = max_weight or top
    names = decision.option_names
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(weight: float) -> float:
        return LEFT + plot_w * weight / top

    def y_of(total: float) -> float:
        return TOP + plot_h * (5 - total) / 4  # totals live on the 1–5 scale

    steps = [top * i / SAMPLES for i in range(SAMPLES + 1)]
    totals = {n: [] for n in names}
    for w in steps:
        m = evaluate(decision, {criterion: w})
        for n in names:
            totals[n].append(m.total(n) if any(m.weights) else 0.0)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="archkit-sensitivity" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" '
        'font-size="11">',
        f"<title>{escape_html(f'Weighted totals as the weight of {criterion} changes')}</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fafafa" '
        'stroke="#bdbdbd"/>',
    ]
    for score in (1, 2, 3, 4, 5):
        y = y_of(score)
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{score}</text>')
    for i in range(5):
        w = top * i / 4
        out.append(f'<text x="{x_of(w):.1f}" y="{HEIGHT - BOTTOM + 16}" '
                   f'text-anchor="middle">{w:.3g}</text>')
    out.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 6}" text-anchor="middle">'
               f"weight of {escape_html(criterion)}</text>")
    for i, n in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        points = " ".join(f"{x_of(w):.1f},{y_of(t):.1f}" for w, t in zip(steps, totals[n],
                                                                          strict=True))
        out.append(f'<polyline class="archkit-option" data-option="{escape_html(n)}" '
                   f'fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        y = TOP + 14 * i + 8
        out.append(f'<rect x="{WIDTH - RIGHT + 12}" y="{y - 8}" width="10" height="10" '
                   f'fill="{colour}"/>')
        out.append(f'<text x="{WIDTH - RIGHT + 28}" y="{y + 1}">{escape_html(n)}</text>')
    cx = x_of(sens.weight)
    out.append(f'<line class="archkit-current" x1="{cx:.1f}" y1="{TOP}" x2="{cx:.1f}" '
               f'y2="{TOP + plot_h}" stroke="#424242" stroke-dasharray="4 3"/>')
    for p in flips:
        fx = x_of(p.weight)
        out.append(f'<line class="archkit-flip" data-weight="{p.weight:.6g}" x1="{fx:.1f}" '
                   f'y1="{TOP}" x2="{fx:.1f}" y2="{TOP + plot_h}" stroke="#c62828"/>')
        out.append(f'<text x="{fx + 3:.1f}" y="{TOP + 12}" fill="#c62828">'
                   f"{escape_html(f'{p.weight:.3g}: {p.new_winner}')}</text>")
    out.append("</svg>")
    return SensitivityChart(criterion, "\n".join(out))
