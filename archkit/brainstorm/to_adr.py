"""Decision → ADR: the weighted comparison becomes an Architecture Decision Record.

Usage::

    from archkit.brainstorm.to_adr import decision_to_record, record_decisions
    rec = decision_to_record(decision)                 # an archkit.adr Record, no I/O
    result = record_decisions(decisions, Path("docs/decisions"))
    result.paths                                       # the MADR drafts written

Mapping: criteria → Decision Drivers (with weights); options → Considered Options,
with Good / Neutral / Bad arguments from their pros, neutral points and cons; the
winner → "Chosen option" with the matrix as its justification; the matrix as a
table under More Information with the close-call and sensitivity verdicts; and
the matrix itself, machine-readable, on ``Record.matrix`` (the ADR writers keep
it as a JSON "Decision Matrix" section, so it survives a round trip).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archkit.brainstorm.matrix import Matrix, Sensitivity, evaluate, sensitivity
from archkit.brainstorm.render import (
    SENSITIVITY_HEADERS,
    matrix_headers,
    matrix_rows,
    sensitivity_rows,
)
from archkit.display import escape_markdown, markdown_table
from archkit.fsio import atomic_write, write_new

if TYPE_CHECKING:
    from archkit.adr.model import Record
    from archkit.brainstorm.decision import Decision

__all__ = [
    "RecordResult",
    "decision_from_record",
    "decision_to_record",
    "matrix_payload",
    "record_decisions",
]


def _num(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


def matrix_payload(decision: Decision, matrix: Matrix, sens: list[Sensitivity]) -> dict[str, Any]:
    """The machine-readable matrix kept on the record (JSON-able, stable key order)."""
    return {
        "decision_id": decision.id,
        "title": decision.title,
        "question": decision.question,
        **matrix.to_dict(),
        "sensitivity": [s.to_dict() for s in sens],
    }


def adr_title(decision: Decision, matrix: Matrix) -> str:
    """Plain-text title: ``<decision title>: <winner>`` (or "undecided" on a tie)."""
    if matrix.winner:
        return f"{decision.title}: {matrix.winner}"
    if matrix.tied_top:
        return f"{decision.title}: undecided between {' and '.join(matrix.tied_top)}"
    return f"{decision.title}: undecided"


def decision_to_record(decision: Decision, *, number: int | None = None,
                       date: str | None = None) -> Record:
    """The decision as an ADR Record (Markdown fields escaped; no I/O)."""
    from archkit.adr.model import Argument, Record, md
    from archkit.adr.model import Option as AdrOption

    matrix = evaluate(decision)
    sens = sensitivity(decision, matrix)
    shares = dict(zip(matrix.criteria, matrix.shares, strict=True))
    drivers = []
    for c in decision.criteria:
        text = f"{c.name} — weight {_num(c.weight)} ({shares[c.name]:.0%})"
        drivers.append(md(text + (f": {c.description}" if c.description else "")))
    rows = {r.option: r for r in matrix.rows}
    options = []
    for o in decision.options:
        row = rows[o.name]
        scores = ", ".join(f"{n} {s}" for n, s in zip(matrix.criteria, row.scores, strict=True))
        description = (f"{o.summary}. " if o.summary else "") + (
            f"Weighted total {row.total:.2f} (rank {row.rank} of {len(matrix.rows)}); "
            f"scores: {scores}."
        )
        arguments = [Argument("Good", md(p)) for p in o.pros]
        arguments += [Argument("Neutral", md(p)) for p in o.neutral]
        arguments += [Argument("Bad", md(p)) for p in o.cons]
        options.append(AdrOption(md(o.name), md(description), arguments))

    context = md(decision.question)
    if decision.context:
        context += "\n\n" + md(decision.context)
    record = Record(
        number=number,
        title=md(adr_title(decision, matrix)),
        date=date,
        status=decision.status or "proposed",
        deciders=[md(d) for d in decision.deciders],
        context=context,
        drivers=drivers,
        options=options,
        matrix=matrix_payload(decision, matrix, sens),
        more_information=_more_information(decision, matrix, sens),
    )
    if matrix.winner:
        record.chosen = md(matrix.winner)
        record.justification = _justification(matrix, sens)
    else:
        record.decision = md(
            f"No option is chosen yet: {matrix.verdict()} Change the weights or scores, "
            "or add a criterion that separates them, then record the decision again."
        )
    return record


def _justification(matrix: Matrix, sens: list[Sensitivity]) -> str:
    text = f"it ranks first in the weighted decision matrix: {matrix.verdict()}"
    fragile = [s for s in sens if s.fragile]
    if matrix.close_call:
        text += " Treat it as a close call and revisit it if the drivers change."
    if fragile:
        text += " Sensitive to " + "; ".join(s.describe() for s in fragile) + "."
    elif all(s.stable for s in sens):
        text += " No single weight change alters the winner."
    from archkit.adr.model import md

    return md(text)


def _more_information(decision: Decision, matrix: Matrix, sens: list[Sensitivity]) -> str:
    parts = [
        "Weighted decision matrix (scores 1–5, 5 best; total = Σ weight × score / Σ weight):",
        markdown_table(matrix_headers(matrix), matrix_rows(matrix)),
        escape_markdown(matrix.verdict()),
    ]
    parts += [escape_markdown(n[0].upper() + n[1:] + ".") for n in matrix.notes]
    if len(matrix.rows) > 1:
        parts += [
            "Sensitivity — the weight of one criterion at which the winner changes, the "
            "others fixed:",
            markdown_table(SENSITIVITY_HEADERS, sensitivity_rows(sens)),
        ]
    if decision.source:
        parts.append(escape_markdown(f"Options from: {decision.source}"))
    parts.append("The same matrix is kept machine-readable in the Decision Matrix section.")
    return "\n\n".join(parts)


@dataclass(slots=True)
class RecordResult:
    """What :func:`record_decisions` did: per decision, the file and the action taken."""

    folder: Path
    actions: list[tuple[str, Path, str]] = field(default_factory=list)  # id, path, action

    @property
    def paths(self) -> list[Path]:
        return [p for _, p, _ in self.actions]

    def action(self, decision_id: str) -> str:
        return next(a for i, _, a in self.actions if i == decision_id)

    def _repr_markdown_(self) -> str:
        rows = [[i, p.name, a] for i, p, a in self.actions]
        return markdown_table(["decision", "file", "action"], rows)


def record_decisions(
    decisions: Iterable[Decision],
    folder: Path,
    *,
    dialect: str = "madr",
    date: str | None = None,
    overwrite: bool = False,
) -> RecordResult:
    """Write an ADR draft per decision into ``folder``; reruns change nothing.

    A decision already recorded there (found by its id in the record's matrix)
    keeps its number and date: identical output is "unchanged", different output
    is "kept" (someone edited it, or the decision changed) unless ``overwrite``.
    New decisions get the next free numbers, in the order given.
    """
    from archkit.adr.dialects import dumps
    from archkit.adr.model import file_name
    from archkit.adr.store import AdrStore

    folder = Path(folder)
    store = AdrStore(folder, dialect=dialect)
    existing = {
        (r.matrix or {}).get("decision_id"): r for r in store.all() if isinstance(r.matrix, dict)
    }
    today = date or _dt.date.today().isoformat()
    next_number = store.next_number()
    result = RecordResult(folder)
    for decision in decisions:
        old = existing.get(decision.id)
        number = old.number if old and old.number is not None else next_number
        if not old:
            next_number += 1
        record = decision_to_record(decision, number=number, date=(old.date if old else today))
        name = Path(old.file).name if old and old.file else file_name(
            number, adr_title(decision, evaluate(decision)))
        path = folder / name
        text = dumps(record, dialect)
        current = path.read_bytes() if path.exists() else None
        if current == text.encode("utf-8"):
            result.actions.append((decision.id, path, "unchanged"))
        elif current is not None and not overwrite:
            result.actions.append((decision.id, path, "kept (differs; overwrite=True replaces)"))
        else:
            (atomic_write if current is not None else write_new)(path, text)
            result.actions.append((decision.id, path, "updated" if current else "written"))
    return result


def decision_from_record(record: Record) -> Decision:
    """Rebuild the decision behind an ADR from its machine-readable matrix, to revisit it.

    Weights, scores, the question and the close-call margin come from ``record.matrix``;
    pros, neutral points and cons from the record's options (matched by name).
    """
    from archkit.adr.model import md
    from archkit.brainstorm.decision import Criterion, Decision, Option
    from archkit.errors import ArchkitError, Where

    data = record.matrix
    if not isinstance(data, dict) or not data.get("options"):
        raise ArchkitError(
            "this record carries no decision matrix", where=Where(record.file),
            hint="only records written from a brainstorm decision can be revisited",
        )
    try:
        criteria = [Criterion(c["name"], c["weight"]) for c in data["criteria"]]
        by_title = {o.title: o for o in record.options}
        position = {o.title: i for i, o in enumerate(record.options)}
        options = []
        # The matrix lists options by rank; the record keeps the order they were declared in,
        # which decides ties, so rebuild in that order.
        for o in sorted(data["options"], key=lambda o: position.get(md(o["name"]), 1 << 30)):
            adr_option = by_title.get(md(o["name"]))
            options.append(Option(
                o["name"], dict(o["scores"]),
                pros=adr_option.good if adr_option else [],
                neutral=adr_option.neutral if adr_option else [],
                cons=adr_option.bad if adr_option else [],
            ))
        return Decision(
            question=data["question"], criteria=criteria, options=options,
            title=data.get("title") or "", id=data.get("decision_id") or "",
            status=record.status_kind or "proposed",
            close_call_margin=data.get("close_call_margin", 0.25),
        )
    except (KeyError, TypeError) as err:
        raise ArchkitError(f"the record's decision matrix is incomplete: {err}",
                           where=Where(record.file),
                           hint="regenerate the record from its decision") from err
