"""Decisions as Markdown and HTML: the matrix, the ranking, sensitivity, pros and cons.

Usage::

    from archkit.brainstorm.render import decision_markdown, ranking_html
    decision_markdown(decision)          # what Jupyter shows for a Decision
    ranking_html(decision.evaluate())    # <ol class="archkit-ranking"> … </ol>

Every value is escaped for its target (Markdown or HTML), so option names and
pros/cons written by anyone stay inert.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.display import escape_html, escape_markdown, html_table, markdown_table

if TYPE_CHECKING:
    from archkit.brainstorm.decision import Decision
    from archkit.brainstorm.matrix import FlipPoint, Matrix, Sensitivity

__all__ = [
    "bars_html",
    "decision_html",
    "decision_markdown",
    "matrix_headers",
    "matrix_html",
    "matrix_rows",
    "ranking_html",
    "sensitivity_rows",
]


def _num(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


def matrix_headers(matrix: Matrix) -> list[str]:
    crit = [f"{n} (w {_num(w)})" for n, w in zip(matrix.criteria, matrix.weights, strict=True)]
    return ["rank", "option", *crit, "weighted total"]


def matrix_rows(matrix: Matrix) -> list[list[str]]:
    return [
        [str(r.rank), r.option, *(str(s) for s in r.scores), f"{r.total:.2f}"] for r in matrix.rows
    ]


def _leaders(point: FlipPoint) -> str:
    return " = ".join([point.new_winner, *point.tied_with])


def sensitivity_rows(items: list[Sensitivity]) -> list[list[str]]:
    rows = []
    for s in items:
        lower = f"< {s.lower.weight:.3g} → {_leaders(s.lower)}" if s.lower else "—"
        upper = f"> {s.upper.weight:.3g} → {_leaders(s.upper)}" if s.upper else "—"
        if s.note:
            verdict = s.note
        elif s.stable:
            verdict = "winner holds at any weight"
        else:
            verdict = "fragile: a small change flips it" if s.fragile else "robust near this weight"
        rows.append([s.criterion, _num(s.weight), lower, upper, verdict])
    return rows


SENSITIVITY_HEADERS = [
    "criterion",
    "weight",
    "winner changes when lowered",
    "when raised",
    "verdict",
]


def decision_markdown(decision: Decision) -> str:
    """The whole decision as Markdown: question, context, matrix, verdict, sensitivity, options."""
    from archkit.brainstorm.matrix import sensitivity

    out = [
        f"### {escape_markdown(decision.title)}",
        "",
        f"**Question:** {escape_markdown(decision.question)}",
        "",
    ]
    if decision.context:
        out += [escape_markdown(decision.context.strip()), ""]
    if decision.missing_scores():
        missing = ", ".join(f"{o} × {c}" for o, c in decision.missing_scores())
        return "\n".join(out + [f"*Not ranked yet; missing scores: {escape_markdown(missing)}*"])
    matrix = decision.evaluate()
    out += [markdown_table(matrix_headers(matrix), matrix_rows(matrix)), ""]
    out += [f"**{escape_markdown(matrix.verdict())}**", ""]
    out += [f"* {escape_markdown(n)}" for n in matrix.notes]
    if matrix.notes:
        out.append("")
    if decision.criteria and len(matrix.rows) > 1:
        out += ["Sensitivity (one weight moved, the others fixed):", ""]
        out += [
            markdown_table(SENSITIVITY_HEADERS, sensitivity_rows(sensitivity(decision, matrix))),
            "",
        ]
    for opt in decision.options:
        if not (opt.summary or opt.pros or opt.cons or opt.neutral):
            continue
        out.append(
            f"**{escape_markdown(opt.name)}**"
            + (f" — {escape_markdown(opt.summary)}" if opt.summary else "")
        )
        out += [f"* Good: {escape_markdown(p)}" for p in opt.pros]
        out += [f"* Neutral: {escape_markdown(p)}" for p in opt.neutral]
        out += [f"* Bad: {escape_markdown(p)}" for p in opt.cons]
        out.append("")
    if decision.source:
        out += [f"*Source: {escape_markdown(decision.source)}*", ""]
    return "\n".join(out).rstrip() + "\n"


LIVE_RANKING_CLASS = "archkit-ranking"  # the decision widget's live ranking (browser tests find it)
STATIC_RANKING_CLASS = "archkit-ranking-static"  # a Decision shown as a plain output


def ranking_html(matrix: Matrix, css_class: str = LIVE_RANKING_CLASS) -> str:
    """The ranking as ``<ol class="archkit-ranking">`` with one ``<li data-option>`` per option.

    Only the live widget uses the ``archkit-ranking`` class, so a page has one such
    list per widget; static outputs of a Decision use ``archkit-ranking-static``.
    """
    items = "".join(
        f'<li data-option="{escape_html(r.option)}" data-rank="{r.rank}" '
        f'data-total="{r.total:.4f}">'
        f'{escape_html(r.option)} <span class="archkit-total">{r.total:.2f}</span></li>'
        for r in matrix.rows
    )
    return f'<ol class="{escape_html(css_class)}">{items}</ol>'


def bars_html(matrix: Matrix) -> str:
    """A horizontal bar per option: its weighted total on the 0–5 scale, on a fixed track."""
    lines = []
    for r in matrix.rows:
        pct = max(0.0, min(100.0, r.total / 5 * 100))
        colour = "#2e7d32" if r.rank == 1 else "#607d8b"
        lines.append(
            '<div class="archkit-bar" style="display:flex;align-items:center;gap:8px;margin:2px 0">'
            '<span style="width:12em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap" '
            f'title="{escape_html(r.option)}">{escape_html(r.option)}</span>'
            '<span style="display:inline-block;width:160px;height:12px;background:#e0e0e0">'
            f'<span style="display:block;height:12px;width:{pct:.1f}%;background:{colour}">'
            f"</span></span><span>{r.total:.2f}</span></div>"
        )
    return '<div class="archkit-bars">' + "".join(lines) + "</div>"


def matrix_html(matrix: Matrix) -> str:
    return html_table(matrix_headers(matrix), matrix_rows(matrix))


def decision_html(decision: Decision) -> str:
    """The decision as an HTML fragment: ranking, bars, matrix, verdict, sensitivity."""
    from archkit.brainstorm.matrix import sensitivity

    head = (
        f"<h3>{escape_html(decision.title)}</h3>"
        f"<p><b>Question:</b> {escape_html(decision.question)}</p>"
    )
    if decision.missing_scores():
        return head + "<p><i>Not ranked yet: some scores are missing.</i></p>"
    matrix = decision.evaluate()
    parts = [head, ranking_html(matrix, STATIC_RANKING_CLASS), bars_html(matrix),
             matrix_html(matrix)]
    parts.append(f"<p><b>{escape_html(matrix.verdict())}</b></p>")
    parts += [f"<p><i>{escape_html(n)}</i></p>" for n in matrix.notes]
    if decision.criteria and len(matrix.rows) > 1:
        parts.append(
            html_table(SENSITIVITY_HEADERS, sensitivity_rows(sensitivity(decision, matrix)))
        )
    return "".join(parts)
