"""Read decisions from YAML: every good decision, plus a finding for each part that is not.

Usage::

    from archkit.brainstorm.load import load_decisions
    found = load_decisions("examples/order_platform/decisions.yaml")
    found["api-style"].evaluate().winner
    found.problems          # Findings with code, line and a one-line fix

File shape (``decisions:`` may be left out for a single decision)::

    decisions:
      - id: api-style
        question: Which API style should Shopfront expose?
        criteria: [{name: Client reach, weight: 5}, ...]
        options:
          - {name: REST, scores: {Client reach: 5, ...}, pros: [...], cons: [...]}

Codes: BR101 decision without a question (skipped), BR102 bad criterion (dropped),
BR103 bad score (option dropped), BR104 missing score (option dropped), BR105 score
for an unknown criterion (ignored), BR106 duplicate name (dropped), BR107 fewer than
two options, BR108 every weight is 0, BR109 no criteria, BR110 unknown key (ignored),
BR111 entry is not a mapping (skipped).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archkit.brainstorm.decision import Criterion, Decision, Option
from archkit.brainstorm.yamlio import line_of, parse_yaml
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity

__all__ = ["DecisionSet", "decisions_from_data", "load_decisions"]

DECISION_KEYS = {
    "id",
    "title",
    "question",
    "context",
    "criteria",
    "options",
    "status",
    "deciders",
    "close_call_margin",
    "source",
}
CRITERION_KEYS = {"name", "weight", "description"}
OPTION_KEYS = {"name", "summary", "scores", "pros", "cons", "neutral"}


@dataclass(slots=True)
class DecisionSet:
    """The decisions of a file, in file order, and what could not be understood."""

    decisions: list[Decision] = field(default_factory=list)
    problems: Findings = field(default_factory=Findings)
    source: str = ""

    def __iter__(self) -> Iterator[Decision]:
        return iter(self.decisions)

    def __len__(self) -> int:
        return len(self.decisions)

    def __getitem__(self, key: int | str) -> Decision:
        if isinstance(key, int):
            return self.decisions[key]
        for d in self.decisions:
            if d.id == key:
                return d
        raise KeyError(f"no decision {key!r}; ids: {', '.join(d.id for d in self.decisions)}")

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.decisions]

    def _repr_markdown_(self) -> str:
        parts = [d.to_markdown() for d in self.decisions]
        if self.problems:
            parts.append("#### Not understood\n\n" + self.problems._repr_markdown_())
        return "\n\n".join(parts) or "*No decisions.*"


def load_decisions(path: str | Path) -> DecisionSet:
    """Read a decisions YAML file (syntax errors raise ArchkitError with line and column)."""
    path = Path(path)
    return decisions_from_data(parse_yaml(path.read_text(encoding="utf-8"), str(path)), str(path))


class _Collector:
    def __init__(self, source: str):
        self.source = source
        self.findings = Findings()

    def add(
        self, code: str, severity: Severity, message: str, obj: str | None, node: Any, fix: str
    ) -> None:
        self.findings.append(
            Finding(
                code, severity, message, object=obj, line=line_of(node), fix=fix, file=self.source
            )
        )


def decisions_from_data(data: Any, source: str = "<decisions>") -> DecisionSet:
    """Build decisions from parsed YAML (or plain dicts); bad parts become findings."""
    if isinstance(data, dict) and "decisions" in data:
        entries = data["decisions"]
    elif isinstance(data, dict) and "question" in data:
        entries = [data]
    else:
        entries = data
    if not isinstance(entries, list):
        raise ArchkitError(
            "expected a list of decisions",
            where=Where(source, line_of(data)),
            hint="start the file with 'decisions:' and one '- question: ...' entry per decision",
        )
    out = _Collector(source)
    decisions: list[Decision] = []
    for index, entry in enumerate(entries, 1):
        decision = _decision(entry, index, out)
        if decision is None:
            continue
        if decision.id in {d.id for d in decisions}:
            out.add(
                "BR106",
                Severity.ERROR,
                f"decision id {decision.id!r} is used twice",
                decision.id,
                entry,
                "give each decision its own 'id'",
            )
            continue
        decisions.append(decision)
    return DecisionSet(decisions, out.findings.sorted(), source)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()]
    return [str(v).strip() for v in value]


def _decision(entry: Any, index: int, out: _Collector) -> Decision | None:
    if not isinstance(entry, dict):
        out.add(
            "BR111",
            Severity.ERROR,
            f"decision #{index} is not a mapping",
            None,
            entry,
            "write each decision as 'question: ...' with criteria and options",
        )
        return None
    name = _text(entry.get("id") or entry.get("title") or entry.get("question")) or f"#{index}"
    for key in sorted(set(entry) - DECISION_KEYS, key=str):
        out.add(
            "BR110",
            Severity.WARNING,
            f"unknown key {key!r} ignored",
            name,
            entry,
            "known keys: " + ", ".join(sorted(DECISION_KEYS)),
        )
    if not _text(entry.get("question")):
        out.add(
            "BR101",
            Severity.ERROR,
            "decision has no question; skipped",
            name,
            entry,
            "add 'question: Which … should we use?'",
        )
        return None
    criteria = _criteria(entry.get("criteria") or [], name, out)
    names = {c.name for c in criteria}
    options = _options(entry.get("options") or [], names, name, out)
    try:
        decision = Decision(
            question=_text(entry["question"]),
            criteria=criteria,
            options=options,
            context=_text(entry.get("context")),
            title=_text(entry.get("title")),
            id=_text(entry.get("id")),
            status=_text(entry.get("status")) or "proposed",
            deciders=_texts(entry.get("deciders")),
            source=_text(entry.get("source")),
            **(
                {"close_call_margin": float(entry["close_call_margin"])}
                if entry.get("close_call_margin") is not None
                else {}
            ),
        )
    except (ArchkitError, TypeError, ValueError) as err:
        out.add(
            "BR101",
            Severity.ERROR,
            f"decision skipped: {getattr(err, 'message', err)}",
            name,
            entry,
            "fix the decision's fields",
        )
        return None
    if not criteria:
        out.add(
            "BR109",
            Severity.WARNING,
            "no criteria: every option ties",
            decision.id,
            entry,
            "add criteria with weights, e.g. {name: Latency, weight: 3}",
        )
    elif sum(c.weight for c in criteria) == 0:
        out.add(
            "BR108",
            Severity.WARNING,
            "every weight is 0: every option ties",
            decision.id,
            entry,
            "give the criteria that matter a weight above 0",
        )
    if len(options) < 2:
        out.add(
            "BR107",
            Severity.WARNING,
            f"{len(options)} option(s): nothing to compare",
            decision.id,
            entry,
            "add at least two options",
        )
    return decision


def _criteria(items: Any, decision: str, out: _Collector) -> list[Criterion]:
    result: list[Criterion] = []
    for item in items if isinstance(items, list) else [items]:
        if not isinstance(item, dict) or not _text(item.get("name")):
            out.add(
                "BR102",
                Severity.ERROR,
                f"criterion {item!r} not understood; dropped",
                decision,
                item,
                "write a criterion as {name: Latency, weight: 3}",
            )
            continue
        for key in sorted(set(item) - CRITERION_KEYS, key=str):
            out.add(
                "BR110",
                Severity.WARNING,
                f"unknown key {key!r} ignored",
                f"{decision}/{item['name']}",
                item,
                "known keys: name, weight, description",
            )
        try:
            crit = Criterion(
                _text(item["name"]), item.get("weight", 1.0), _text(item.get("description"))
            )
        except ArchkitError as err:
            out.add(
                "BR102",
                Severity.ERROR,
                f"{err.message}; dropped",
                decision,
                item,
                err.hint or "fix the criterion",
            )
            continue
        if crit.name in {c.name for c in result}:
            out.add(
                "BR106",
                Severity.ERROR,
                f"criterion {crit.name!r} appears twice; dropped",
                decision,
                item,
                "give every criterion a distinct name",
            )
            continue
        result.append(crit)
    return result


def _options(items: Any, criteria: set[str], decision: str, out: _Collector) -> list[Option]:
    result: list[Option] = []
    for item in items if isinstance(items, list) else [items]:
        if not isinstance(item, dict) or not _text(item.get("name")):
            out.add(
                "BR111",
                Severity.ERROR,
                f"option {item!r} not understood; dropped",
                decision,
                item,
                "write an option as {name: REST, scores: {...}}",
            )
            continue
        name = _text(item["name"])
        obj = f"{decision}/{name}"
        for key in sorted(set(item) - OPTION_KEYS, key=str):
            out.add(
                "BR110",
                Severity.WARNING,
                f"unknown key {key!r} ignored",
                obj,
                item,
                "known keys: " + ", ".join(sorted(OPTION_KEYS)),
            )
        raw = item.get("scores") or {}
        if not isinstance(raw, dict):
            out.add(
                "BR103",
                Severity.ERROR,
                "scores must be a mapping; option dropped",
                obj,
                item,
                "write scores as {Criterion name: 1..5}",
            )
            continue
        scores = {}
        for key, value in raw.items():
            if str(key) not in criteria:
                out.add(
                    "BR105",
                    Severity.WARNING,
                    f"score for unknown criterion {key!r} ignored",
                    obj,
                    raw,
                    "add the criterion or fix the spelling",
                )
            else:
                scores[str(key)] = value
        missing = sorted(criteria - set(scores))
        if missing:
            out.add(
                "BR104",
                Severity.ERROR,
                f"no score for {', '.join(missing)}; option dropped",
                obj,
                raw if isinstance(raw, dict) and raw else item,
                "score the option on every criterion from 1 to 5",
            )
            continue
        try:
            opt = Option(
                name,
                scores,
                _text(item.get("summary")),
                _texts(item.get("pros")),
                _texts(item.get("cons")),
                _texts(item.get("neutral")),
            )
        except ArchkitError as err:
            out.add(
                "BR103",
                Severity.ERROR,
                f"{err.message}; option dropped",
                obj,
                raw if raw else item,
                err.hint or "fix the score",
            )
            continue
        if opt.name in {o.name for o in result}:
            out.add(
                "BR106",
                Severity.ERROR,
                f"option {opt.name!r} appears twice; dropped",
                decision,
                item,
                "give every option a distinct name",
            )
            continue
        result.append(opt)
    return result
