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
BR111 entry is not a mapping (skipped), BR112 duplicate YAML key (the later one is used),
BR113 value of the wrong type (ignored, or the decision skipped when it is the question).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archkit.brainstorm.decision import Criterion, Decision, Option
from archkit.brainstorm.fields import FieldReader, as_text
from archkit.brainstorm.yamlio import line_of, parse_yaml_document, pos_of, read_text, short_repr
from archkit.errors import ArchkitError, Where
from archkit.findings import Findings, Severity

__all__ = ["DecisionSet", "decisions_from_data", "load_decisions", "load_decisions_text"]

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
    """Read a decisions YAML file: every good decision, and ``problems`` for the rest.

    An unreadable file, bad UTF-8 or bad YAML raises :class:`ArchkitError` with
    file:line:col; so does a file that holds no list of decisions at all.
    """
    return load_decisions_text(read_text(path), source=str(Path(path)))


def load_decisions_text(text: str | bytes, source: str = "<decisions>") -> DecisionSet:
    """Decisions from YAML text (bytes are read as UTF-8); see :func:`load_decisions`."""
    doc = parse_yaml_document(text, source)
    return _decisions(doc.data, source, doc.issues)


def decisions_from_data(data: Any, source: str = "<decisions>") -> DecisionSet:
    """Build decisions from parsed YAML (or plain dicts); bad parts become findings."""
    return _decisions(data, source, [])


class _Collector(FieldReader):
    def __init__(self, source: str):
        super().__init__(source, unknown="BR110", wrong_type="BR113", duplicate="BR112")


def _decisions(data: Any, source: str, issues: list) -> DecisionSet:
    if isinstance(data, dict) and "decisions" in data:
        entries = data["decisions"]
        where = Where(source, *pos_of(data, "decisions"))
    elif isinstance(data, dict) and "question" in data:
        entries, where = [data], Where(source)
    else:
        entries, where = data, Where(source, line_of(data), getattr(data, "col", None))
    if not isinstance(entries, list):
        raise ArchkitError(
            "expected a list of decisions",
            where=where,
            hint="start the file with 'decisions:' and one '- question: ...' entry per decision",
        )
    out = _Collector(source)
    out.yaml_issues(issues)
    if isinstance(data, dict) and "decisions" in data:
        out.unknown_keys(data, {"decisions"}, None)
    decisions: list[Decision] = []
    for index, entry in enumerate(entries, 1):
        decision = _decision(entry, index, out, entries)
        if decision is None:
            continue
        if decision.id in {d.id for d in decisions}:
            out.add("BR106", Severity.ERROR, f"decision id {decision.id!r} is used twice",
                    decision.id, entry, None, "give each decision its own 'id'")
            continue
        decisions.append(decision)
    return DecisionSet(decisions, out.findings.sorted(), source)


def _decision(entry: Any, index: int, out: _Collector, entries: list) -> Decision | None:
    if not isinstance(entry, dict):
        out.add("BR111", Severity.ERROR, f"decision #{index} is not a mapping", None, entries,
                index - 1, "write each decision as 'question: ...' with criteria and options")
        return None
    texts = {k: as_text(entry.get(k)) for k in ("id", "title", "question")}
    name = texts["id"] or texts["title"] or texts["question"] or f"#{index}"
    out.unknown_keys(entry, DECISION_KEYS, name)
    fields = {k: out.text(entry, k, name) for k in ("id", "title", "context", "status", "source")}
    question = out.text(entry, "question", name, what="decision skipped")
    if not question:
        if question == "":
            out.add("BR101", Severity.ERROR, "decision has no question; skipped", name, entry,
                    None, "add 'question: Which … should we use?'")
        return None
    criteria = _criteria(entry, name, out)
    options = _options(entry, {c.name for c in criteria}, name, out)
    margin = _margin(entry, name, out)
    try:
        decision = Decision(
            question=question,
            criteria=criteria,
            options=options,
            context=fields["context"] or "",
            title=fields["title"] or "",
            id=fields["id"] or "",
            status=fields["status"] or "proposed",
            deciders=out.texts(entry, "deciders", name),
            source=fields["source"] or "",
            **({} if margin is None else {"close_call_margin": margin}),
        )
    except ArchkitError as err:
        out.add("BR101", Severity.ERROR, f"decision skipped: {err.message}", name, entry, None,
                err.hint or "fix the decision's fields")
        return None
    if not criteria:
        out.add("BR109", Severity.WARNING, "no criteria: every option ties", decision.id, entry,
                None, "add criteria with weights, e.g. {name: Latency, weight: 3}")
    elif sum(c.weight for c in criteria) == 0:
        out.add("BR108", Severity.WARNING, "every weight is 0: every option ties", decision.id,
                entry, None, "give the criteria that matter a weight above 0")
    if len(options) < 2:
        out.add("BR107", Severity.WARNING, f"{len(options)} option(s): nothing to compare",
                decision.id, entry, None, "add at least two options")
    return decision


def _margin(entry: dict, name: str, out: _Collector) -> float | None:
    if entry.get("close_call_margin") is None:
        return None
    value = out.number(entry, "close_call_margin", name)
    if value is not None and value < 0:
        out.add("BR113", Severity.ERROR, f"close_call_margin {value} must be 0 or more; "
                "the default is used", name, entry, "close_call_margin",
                "write close_call_margin: 0.25")
        return None
    return None if value is None else float(value)


def _items(entry: dict, key: str, decision: str, out: _Collector) -> tuple[list, Any]:
    """The entries under ``key`` (a single mapping counts as a list of one) and their parent."""
    items = entry.get(key)
    if items is None:
        return [], None
    if isinstance(items, list):
        return items, items
    if isinstance(items, dict):
        return [items], None
    out.wrong(entry, key, decision, "a list", "ignored", f"write '{key}:' then '- {{name: …}}'")
    return [], None


def _named_items(entry: dict, key: str, decision: str, out: _Collector,
                 bad: tuple[str, str, str], keys: set[str]
                 ) -> Iterator[tuple[dict, str, str]]:
    """``(item, name, "decision/name")`` for each mapping with a name under ``key``.

    Usage: ``for item, name, obj in _named_items(entry, "options", d, out, (code, "option",
    hint), OPTION_KEYS)``. An entry without a name is reported as ``bad`` (code, what it
    is, how to write it) and skipped; unknown keys of the rest are reported.
    """
    code, what, hint = bad
    items, parent = _items(entry, key, decision, out)
    for index, item in enumerate(items):
        place = (parent, index) if parent is not None else (item, None)
        if not isinstance(item, dict) or not as_text(item.get("name")):
            out.add(code, Severity.ERROR, f"{what} {short_repr(item)} not understood; dropped",
                    decision, *place, hint)
            continue
        name = as_text(item["name"]) or ""
        obj = f"{decision}/{name}"
        out.unknown_keys(item, keys, obj)
        yield item, name, obj


def _criteria(entry: dict, decision: str, out: _Collector) -> list[Criterion]:
    result: list[Criterion] = []
    for item, name, obj in _named_items(entry, "criteria", decision, out, (
            "BR102", "criterion", "write a criterion as {name: Latency, weight: 3}"),
            CRITERION_KEYS):
        weight = item.get("weight", 1.0)
        if isinstance(weight, bool):
            out.add("BR102", Severity.ERROR, f"criterion {name!r}: weight {weight!r} is not a "
                    "number; dropped", decision, item, "weight", "use a number such as 1 or 2.5")
            continue
        try:
            crit = Criterion(name, weight, out.text(item, "description", obj) or "")
        except ArchkitError as err:
            out.add("BR102", Severity.ERROR, f"{err.message}; dropped", decision, item,
                    "weight" if "weight" in item else None, err.hint or "fix the criterion")
            continue
        if crit.name in {c.name for c in result}:
            out.add("BR106", Severity.ERROR, f"criterion {crit.name!r} appears twice; dropped",
                    decision, item, None, "give every criterion a distinct name")
            continue
        result.append(crit)
    return result


def _options(entry: dict, criteria: set[str], decision: str, out: _Collector) -> list[Option]:
    result: list[Option] = []
    for item, name, obj in _named_items(entry, "options", decision, out, (
            "BR111", "option", "write an option as {name: REST, scores: {...}}"), OPTION_KEYS):
        raw = item.get("scores") or {}
        if not isinstance(raw, dict):
            out.add("BR103", Severity.ERROR, "scores must be a mapping; option dropped", obj,
                    item, "scores", "write scores as {Criterion name: 1..5}")
            continue
        scores = {}
        for key, value in raw.items():
            label = as_text(key)
            if label not in criteria:
                out.add("BR105", Severity.WARNING,
                        f"score for unknown criterion {short_repr(key)} ignored", obj, raw, key,
                        "add the criterion or fix the spelling", of_key=True)
            else:
                scores[label] = value
        missing = sorted(criteria - set(scores))
        if missing:
            out.add("BR104", Severity.ERROR, f"no score for {', '.join(missing)}; option dropped",
                    obj, raw if raw else item, None,
                    "score the option on every criterion from 1 to 5")
            continue
        try:
            opt = Option(name, scores, out.text(item, "summary", obj) or "",
                         out.texts(item, "pros", obj), out.texts(item, "cons", obj),
                         out.texts(item, "neutral", obj))
        except ArchkitError as err:
            out.add("BR103", Severity.ERROR, f"{err.message}; option dropped", obj,
                    raw if raw else item, None, err.hint or "fix the score")
            continue
        if opt.name in {o.name for o in result}:
            out.add("BR106", Severity.ERROR, f"option {opt.name!r} appears twice; dropped",
                    decision, item, None, "give every option a distinct name")
            continue
        result.append(opt)
    return result
