"""A decision as data: a question, criteria with weights, options scored 1–5 per criterion.

Usage::

    from archkit.brainstorm.decision import Criterion, Decision, Option
    d = Decision(
        question="Which API style?",
        criteria=[Criterion("Client reach", 3), Criterion("Latency", 1)],
        options=[Option("REST", {"Client reach": 5, "Latency": 3}),
                 Option("gRPC", {"Client reach": 2, "Latency": 5})],
    )
    d.evaluate().winner   # -> "REST"

The arithmetic lives in :mod:`archkit.brainstorm.matrix`; this module only holds
the model and checks that it is well formed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archkit.brainstorm.yamlio import short_repr
from archkit.errors import ArchkitError

if TYPE_CHECKING:
    from archkit.brainstorm.matrix import Matrix, Sensitivity

__all__ = ["MIN_SCORE", "MAX_SCORE", "Criterion", "Decision", "Option", "slug"]

MIN_SCORE, MAX_SCORE = 1, 5
MAX_WEIGHT = 1e6  # far above any real weight; keeps sums and flip points finite
DEFAULT_CLOSE_CALL_MARGIN = 0.25  # on the 1–5 scale of the weighted total


def slug(text: str) -> str:
    """A stable id from a title: lowercase ASCII words joined by dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "decision"


@dataclass(slots=True)
class Criterion:
    """What the options are judged on, and how much it counts (a weight >= 0)."""

    name: str
    weight: float = 1.0
    description: str = ""

    def __post_init__(self) -> None:
        self.name = str(self.name).strip()
        if not self.name:
            raise ArchkitError("a criterion needs a name", hint="name: Latency")
        try:
            if isinstance(self.weight, bool):
                raise TypeError("a yes/no value is not a weight")
            self.weight = float(self.weight)
        except (TypeError, ValueError, OverflowError) as err:
            raise ArchkitError(
                f"criterion {self.name!r}: weight {short_repr(self.weight)} is not a number",
                hint="use a number such as 1, 2.5 or 5",
            ) from err
        if not math.isfinite(self.weight) or self.weight < 0:
            raise ArchkitError(
                f"criterion {self.name!r}: weight {self.weight:g} must be a finite number, "
                "0 or more",
                hint="weights say how much a criterion counts; use 0 to ignore it",
            )
        if self.weight > MAX_WEIGHT:
            raise ArchkitError(
                f"criterion {self.name!r}: weight {self.weight:g} is above {MAX_WEIGHT:,.0f}",
                hint="weights only count relative to each other: use 1 to 10, or percentages",
            )


@dataclass(slots=True)
class Option:
    """One candidate answer with a 1–5 score per criterion (5 = best) and its arguments."""

    name: str
    scores: dict[str, int] = field(default_factory=dict)
    summary: str = ""
    pros: list[str] = field(default_factory=list)
    cons: list[str] = field(default_factory=list)
    neutral: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.name = str(self.name).strip()
        if not self.name:
            raise ArchkitError("an option needs a name", hint="name: PostgreSQL")
        self.scores = {str(k): _check_score(self.name, str(k), v) for k, v in self.scores.items()}


def _check_score(option: str, criterion: str, value: Any) -> int:
    whole = (not isinstance(value, bool) and isinstance(value, int | float)
             and (isinstance(value, int) or (math.isfinite(value) and value.is_integer())))
    if not whole:
        raise ArchkitError(
            f"option {option!r}, criterion {criterion!r}: score {short_repr(value)} is not a "
            "whole number",
            hint=f"score each criterion from {MIN_SCORE} (worst) to {MAX_SCORE} (best)",
        )
    if not MIN_SCORE <= value <= MAX_SCORE:
        raise ArchkitError(
            f"option {option!r}, criterion {criterion!r}: score {short_repr(value)} is outside "
            f"{MIN_SCORE}–{MAX_SCORE}",
            hint=f"score each criterion from {MIN_SCORE} (worst) to {MAX_SCORE} (best)",
        )
    return int(value)


@dataclass(slots=True)
class Decision:
    """A question, its context, weighted criteria and two or more scored options."""

    question: str
    criteria: list[Criterion] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    context: str = ""
    title: str = ""
    id: str = ""
    status: str = "proposed"
    deciders: list[str] = field(default_factory=list)
    close_call_margin: float = DEFAULT_CLOSE_CALL_MARGIN
    source: str = ""  # where the options came from (catalogue entry, Claude, a person)

    def __post_init__(self) -> None:
        self.question = str(self.question).strip()
        if not self.question:
            raise ArchkitError("a decision needs a question", hint="question: Which API style?")
        self.title = self.title or self.question.rstrip("?")
        margin = self.close_call_margin
        if not (isinstance(margin, int | float) and not isinstance(margin, bool)
                and math.isfinite(margin) and margin >= 0):
            raise ArchkitError(
                f"close_call_margin {short_repr(margin)} must be a number, 0 or more",
                hint=f"the default is {DEFAULT_CLOSE_CALL_MARGIN} on the 1–5 scale",
            )
        self.id = self.id or slug(self.title)
        for kind, names in (("criterion", self.criterion_names), ("option", self.option_names)):
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ArchkitError(
                    f"decision {self.id!r}: {kind} {dupes[0]!r} appears more than once",
                    hint=f"give every {kind} a distinct name",
                )

    @property
    def criterion_names(self) -> list[str]:
        return [c.name for c in self.criteria]

    @property
    def option_names(self) -> list[str]:
        return [o.name for o in self.options]

    def criterion(self, name: str) -> Criterion:
        for c in self.criteria:
            if c.name == name:
                return c
        raise ArchkitError(
            f"decision {self.id!r} has no criterion {name!r}",
            hint="one of: " + ", ".join(self.criterion_names),
        )

    def option(self, name: str) -> Option:
        for o in self.options:
            if o.name == name:
                return o
        raise ArchkitError(
            f"decision {self.id!r} has no option {name!r}",
            hint="one of: " + ", ".join(self.option_names),
        )

    def missing_scores(self) -> list[tuple[str, str]]:
        """(option, criterion) pairs that have no score yet."""
        return [
            (o.name, c.name) for o in self.options for c in self.criteria if c.name not in o.scores
        ]

    def evaluate(self) -> Matrix:
        """The weighted matrix and ranking (see :func:`archkit.brainstorm.matrix.evaluate`)."""
        from archkit.brainstorm.matrix import evaluate

        return evaluate(self)

    def sensitivity(self) -> list[Sensitivity]:
        """For each criterion, the weight at which the winner changes."""
        from archkit.brainstorm.matrix import sensitivity

        return sensitivity(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the shape ``decisions.yaml`` uses (round-trips through the loader)."""
        return {
            "id": self.id,
            "title": self.title,
            "question": self.question,
            "context": self.context,
            "status": self.status,
            "deciders": list(self.deciders),
            "close_call_margin": self.close_call_margin,
            "source": self.source,
            "criteria": [
                {"name": c.name, "weight": c.weight, "description": c.description}
                for c in self.criteria
            ],
            "options": [
                {
                    "name": o.name,
                    "summary": o.summary,
                    "scores": dict(o.scores),
                    "pros": list(o.pros),
                    "cons": list(o.cons),
                    "neutral": list(o.neutral),
                }
                for o in self.options
            ],
        }

    def to_markdown(self) -> str:
        from archkit.brainstorm.render import decision_markdown

        return decision_markdown(self)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        from archkit.brainstorm.render import decision_html

        return decision_html(self)
