"""The weighted decision matrix: totals, ranking, close calls and sensitivity (flip points).

Usage::

    from archkit.brainstorm.matrix import evaluate, sensitivity
    m = evaluate(decision)
    m.ranking          # option names, best first
    m.winner           # None when the top options tie
    [s.describe() for s in sensitivity(decision)]

Arithmetic. With weights ``w_i`` and scores ``s_ji`` (1–5) the total of option ``j``
is ``T_j = Σ w_i·s_ji / Σ w_i`` — a weighted mean, so totals stay on the 1–5 scale.
For sensitivity, vary one weight ``x`` and keep the others: every total shares the
denominator ``W + x``, so the order is that of the numerators ``A_j + x·s_jc`` —
straight lines in ``x``. The winner ``w`` and a challenger ``k`` meet at
``x* = (A_w − A_k) / (s_kc − s_wc)``; the first meeting on each side of the
current weight is where the winner changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archkit.errors import ArchkitError

if TYPE_CHECKING:
    from archkit.brainstorm.decision import Decision

__all__ = ["EPS", "FlipPoint", "Matrix", "Row", "Sensitivity", "evaluate", "sensitivity"]

# Totals closer than this are a tie (float noise from different summation orders).
EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Row:
    """One option's line of the matrix: its scores, weighted contributions, total and rank."""

    option: str
    scores: tuple[int, ...]
    contributions: tuple[float, ...]  # w_i·s_i / Σw, summing to the total
    total: float
    rank: int  # competition ranking: ties share a rank (1, 1, 3)


@dataclass(slots=True)
class Matrix:
    """The evaluated matrix. ``rows`` are in rank order (ties keep the decision's order)."""

    criteria: tuple[str, ...]
    weights: tuple[float, ...]
    rows: list[Row]
    close_call_margin: float
    notes: list[str] = field(default_factory=list)

    @property
    def ranking(self) -> list[str]:
        return [r.option for r in self.rows]

    @property
    def shares(self) -> tuple[float, ...]:
        """Each weight as a share of the total weight (0 when every weight is 0)."""
        total = sum(self.weights)
        return tuple(w / total if total else 0.0 for w in self.weights)

    @property
    def tied_top(self) -> list[str]:
        """The options sharing first place (one name when there is a clear winner)."""
        return [r.option for r in self.rows if r.rank == 1]

    @property
    def winner(self) -> str | None:
        top = self.tied_top
        return top[0] if len(top) == 1 else None

    @property
    def runner_up(self) -> str | None:
        return self.rows[1].option if len(self.rows) > 1 else None

    @property
    def margin(self) -> float | None:
        """Lead of the first option over the second on the 1–5 scale (None with one option)."""
        if len(self.rows) < 2:
            return None
        return self.rows[0].total - self.rows[1].total

    @property
    def close_call(self) -> bool:
        """True when the top two are within ``close_call_margin`` of each other (ties too)."""
        margin = self.margin
        return margin is not None and margin <= self.close_call_margin + EPS

    def total(self, option: str) -> float:
        for r in self.rows:
            if r.option == option:
                return r.total
        raise KeyError(option)

    def verdict(self) -> str:
        """One sentence: who wins, by how much, and whether it is a close call."""
        if not self.rows:
            return "No options to rank."
        if len(self.rows) == 1:
            return f"{self.rows[0].option} is the only option: there is nothing to compare it with."
        if self.winner is None:
            return (
                "Tie: "
                + " and ".join(self.tied_top)
                + f" share first place ({_f(self.rows[0].total)})."
            )
        text = (
            f"{self.winner} wins with {_f(self.rows[0].total)} against "
            f"{self.runner_up} with {_f(self.rows[1].total)} (margin {_f(self.margin or 0)})"
        )
        if self.close_call:
            text += f": a close call (within {_f(self.close_call_margin)})"
        return text + "."

    def to_markdown(self) -> str:
        """The matrix as a Markdown table, then the verdict and any notes."""
        from archkit.brainstorm.render import matrix_headers, matrix_rows
        from archkit.display import escape_markdown, markdown_table

        lines = [markdown_table(matrix_headers(self), matrix_rows(self)), "",
                 f"**{escape_markdown(self.verdict())}**"]
        lines += [f"* {escape_markdown(n)}" for n in self.notes]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_dict(self) -> dict:
        """Machine-readable form (kept on ADRs and printed by ``--json``)."""
        return {
            "criteria": [
                {"name": n, "weight": w, "share": round(s, 6)}
                for n, w, s in zip(self.criteria, self.weights, self.shares, strict=True)
            ],
            "options": [
                {
                    "name": r.option,
                    "scores": dict(zip(self.criteria, r.scores, strict=True)),
                    "total": round(r.total, 6),
                    "rank": r.rank,
                }
                for r in self.rows
            ],
            "winner": self.winner,
            "tied": self.tied_top if self.winner is None else [],
            "margin": None if self.margin is None else round(self.margin, 6),
            "close_call": self.close_call,
            "close_call_margin": self.close_call_margin,
            "notes": list(self.notes),
        }


def _f(value: float) -> str:
    return f"{value:.2f}"


def evaluate(decision: Decision, weights: dict[str, float] | None = None) -> Matrix:
    """Weighted totals and ranking; ``weights`` overrides some criteria's weights."""
    missing = decision.missing_scores()
    if missing:
        opt, crit = missing[0]
        raise ArchkitError(
            f"decision {decision.id!r}: option {opt!r} has no score for {crit!r}"
            + (f" (and {len(missing) - 1} more missing)" if len(missing) > 1 else ""),
            hint="score every option on every criterion from 1 to 5",
        )
    names = tuple(decision.criterion_names)
    ws = tuple(
        float(weights[c.name]) if weights and c.name in weights else c.weight
        for c in decision.criteria
    )
    if any(w < 0 or not math.isfinite(w) for w in ws):
        raise ArchkitError(
            "weights must be finite and 0 or more", hint="use 0 to ignore a criterion"
        )
    total_w = sum(ws)
    notes = []
    if not decision.options:
        notes.append("the decision has no options yet")
    elif len(decision.options) == 1:
        notes.append("only one option: add an alternative to make this a decision")
    if total_w == 0:
        notes.append("every weight is 0: nothing to rank by, so all options tie")
    zero = [n for n, w in zip(names, ws, strict=True) if w == 0]
    if zero and total_w:
        notes.append("weight 0, so not counted: " + ", ".join(zero))

    unranked = []
    for opt in decision.options:
        scores = tuple(opt.scores[n] for n in names)
        contrib = tuple(
            w * s / total_w if total_w else 0.0 for w, s in zip(ws, scores, strict=True)
        )
        unranked.append((opt.name, scores, contrib, sum(contrib)))
    # Stable sort: options that tie keep the order they were declared in.
    ordered = sorted(unranked, key=lambda row: -row[3])
    rows: list[Row] = []
    for i, (name, scores, contrib, total) in enumerate(ordered):
        tied_with_previous = rows and abs(rows[-1].total - total) <= EPS
        rank = rows[-1].rank if tied_with_previous else i + 1
        rows.append(Row(name, scores, contrib, total, rank))
    return Matrix(names, ws, rows, decision.close_call_margin, notes)


@dataclass(frozen=True, slots=True)
class FlipPoint:
    """The weight at which the winner changes, and who wins beyond it.

    At exactly ``weight`` the two options tie; ``new_winner`` leads just past it
    (together with ``tied_with``, options whose scores move in lockstep with it).
    A challenger that only catches up at weight 0 is not a flip point: weights
    cannot go below 0, so the winner never changes there (it only ties).
    """

    weight: float
    new_winner: str
    tied_with: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """How far one criterion's weight can move (others fixed) before the winner changes."""

    criterion: str
    weight: float
    winner: str | None
    lower: FlipPoint | None = None  # reached by lowering the weight (never below 0)
    upper: FlipPoint | None = None  # reached by raising the weight
    note: str = ""

    @property
    def stable(self) -> bool:
        """True when no weight from 0 upwards changes the winner."""
        return self.winner is not None and self.lower is None and self.upper is None

    @property
    def nearest(self) -> FlipPoint | None:
        """The flip point closest to the current weight."""
        points = [p for p in (self.lower, self.upper) if p is not None]
        return min(points, key=lambda p: abs(p.weight - self.weight), default=None)

    @property
    def fragile(self) -> bool:
        """True when a change of at most 25 % of the weight (or of 0.5) flips the winner."""
        near = self.nearest
        if near is None:
            return False
        return abs(near.weight - self.weight) <= max(0.25 * self.weight, 0.5)

    def describe(self) -> str:
        if self.note:
            return f"{self.criterion}: {self.note}"
        parts = []
        if self.lower is not None:
            parts.append(f"below {_w(self.lower.weight)} {_who(self.lower)}")
        if self.upper is not None:
            parts.append(f"above {_w(self.upper.weight)} {_who(self.upper)}")
        if not parts:
            return f"{self.criterion} (weight {_w(self.weight)}): {self.winner} wins at any weight"
        return f"{self.criterion} (weight {_w(self.weight)}): " + "; ".join(parts)

    def to_dict(self) -> dict:
        def point(p: FlipPoint | None) -> dict | None:
            return None if p is None else {"weight": round(p.weight, 6), "new_winner": p.new_winner}

        return {
            "criterion": self.criterion,
            "weight": self.weight,
            "winner": self.winner,
            "lower": point(self.lower),
            "upper": point(self.upper),
            "stable": self.stable,
            "fragile": self.fragile,
            "note": self.note,
        }


def _who(point: FlipPoint) -> str:
    if point.tied_with:
        return " and ".join([point.new_winner, *point.tied_with]) + " tie for first"
    return f"{point.new_winner} wins"


def _w(value: float) -> str:
    return f"{value:.3g}" if value < 100 else f"{value:,.0f}"


def sensitivity(decision: Decision, matrix: Matrix | None = None) -> list[Sensitivity]:
    """For each criterion, the weights (others fixed) at which the winner changes."""
    matrix = matrix or evaluate(decision)
    names = matrix.criteria
    if matrix.winner is None:
        reason = (
            "no options"
            if not matrix.rows
            else "top options are tied: any change that separates them decides"
        )
        return [
            Sensitivity(n, w, None, note=reason) for n, w in zip(names, matrix.weights, strict=True)
        ]
    if len(matrix.rows) == 1:
        return [
            Sensitivity(n, w, matrix.winner, note="only one option: the winner cannot change")
            for n, w in zip(names, matrix.weights, strict=True)
        ]
    by_name = {r.option: r for r in matrix.rows}
    winner = by_name[matrix.winner]
    # Declared order decides between exact ties past a flip point, like evaluate() does.
    order = {name: i for i, name in enumerate(decision.option_names)}
    out = []
    for c, (name, weight) in enumerate(zip(names, matrix.weights, strict=True)):

        def rest(row: Row, c: int = c) -> float:
            # A_j: the numerator of row j without criterion c.
            return sum(
                w * s
                for i, (w, s) in enumerate(zip(matrix.weights, row.scores, strict=True))
                if i != c
            )

        a_win, s_win = rest(winner), winner.scores[c]
        up: list[tuple[float, int, int, str]] = []
        down: list[tuple[float, int, int, str]] = []
        for row in matrix.rows:
            if row is winner or row.scores[c] == s_win:
                continue  # parallel lines never meet
            x = (a_win - rest(row)) / (row.scores[c] - s_win)
            if row.scores[c] > s_win and x > weight:
                # Among simultaneous crossings the steepest challenger leads just past x.
                up.append((x, -row.scores[c], order[row.option], row.option))
            elif row.scores[c] < s_win and 0 < x < weight:
                down.append((-x, row.scores[c], order[row.option], row.option))
        upper = _first_flip(up, sign=1)
        lower = _first_flip(down, sign=-1)
        out.append(Sensitivity(name, weight, matrix.winner, lower=lower, upper=upper))
    return out


def _first_flip(crossings: list[tuple[float, int, int, str]], sign: int) -> FlipPoint | None:
    """The nearest crossing; challengers crossing there on the same line share the lead."""
    if not crossings:
        return None
    first = min(crossings)
    same_line = [c[3] for c in sorted(crossings) if c[:2] == first[:2] and c[3] != first[3]]
    return FlipPoint(sign * first[0], first[3], tuple(same_line))
