"""Record what a decision widget shows: rewrite an untouched draft, or supersede a settled ADR.

Usage::

    from archkit.widgets.record import record_shown
    outcome = record_shown(decision, Path("docs/decisions"))
    outcome.action     # "written", "unchanged", "rewritten" or "superseded"
    outcome.message    # one line for the widget's status

The decision's latest ADR (found by the decision id its matrix carries) is

* absent: a new draft is written;
* saying the same (same weights, scores and options): left alone, "unchanged";
* still *proposed* and exactly as archkit wrote it: rewritten in place (same number and
  date; the file is renamed when the winner, and so the title, changed);
* *accepted* (or any status but proposed), or edited by a person: kept, and a new
  proposed ADR supersedes it, linked both ways (``AdrStore.new(..., supersedes=N)``).

No outcome needs an argument a button cannot give; nothing a person wrote is lost.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, replace
from pathlib import Path

from archkit.brainstorm.decision import Criterion, Decision
from archkit.brainstorm.matrix import evaluate, sensitivity
from archkit.brainstorm.to_adr import (
    adr_title,
    decision_from_record,
    decision_to_record,
    matrix_payload,
    record_decisions,
)
from archkit.errors import ArchkitError
from archkit.fsio import atomic_write

__all__ = ["Recorded", "record_shown"]


@dataclass(frozen=True, slots=True)
class Recorded:
    """What recording did: the action, the ADR file written or kept, and what it replaced."""

    action: str
    path: Path
    replaces: Path | None = None
    reason: str = ""

    @property
    def message(self) -> str:
        text = f"{self.path.name}: {self.action}"
        if self.action == "superseded" and self.replaces is not None:
            return (f"{self.path.name}: written; it supersedes {self.replaces.name} "
                    f"({self.reason}), linked both ways")
        if self.action == "rewritten" and self.replaces is not None \
                and self.replaces != self.path:
            return f"{text} (was {self.replaces.name}; still proposed and unedited)"
        if self.reason:
            return f"{text} ({self.reason})"
        return text


def record_shown(decision: Decision, folder: str | Path, *, date: str | None = None
                 ) -> Recorded:
    """Record ``decision`` as it is now into the ADR folder ``folder`` (see module doc)."""
    from archkit.adr import AdrStore, dumps

    folder = Path(folder)
    store = AdrStore(folder)
    latest = _latest(store, decision.id)
    if latest is None:
        result = record_decisions([decision], folder, date=date)
        _, path, action = result.actions[0]
        return Recorded(action, path)
    old_path = store.path_of(latest)
    if _payload(decision) == _canonical(latest.matrix):
        return Recorded("unchanged", old_path, reason="its ADR says the same")
    current = old_path.read_text(encoding="utf-8")
    dialect = latest.layout.get("dialect") or store.dialect
    untouched = _as_recorded(decision, latest)
    pristine = untouched is not None and dumps(
        _drafted(untouched, latest), dialect) == current
    if latest.status_kind == "proposed" and pristine:
        return _rewrite(store, decision, latest, old_path, dialect)
    reason = "edited by a person" if not pristine else f"it is {latest.status_kind}"
    today = date or _dt.date.today().isoformat()
    fresh = decision_to_record(decision, date=today)
    new = store.new(adr_title(decision, evaluate(decision)), status="proposed",
                    supersedes=latest.number, record=fresh, date=today)
    return Recorded("superseded", store.path_of(new), old_path, reason)


def _latest(store, decision_id: str):
    """The newest record carrying ``decision_id`` that nothing superseded yet."""
    mine = [r for r in store.all() if isinstance(r.matrix, dict)
            and r.matrix.get("decision_id") == decision_id and r.number is not None]
    live = [r for r in mine if not r.superseded_by] or mine
    return max(live, key=lambda r: r.number) if live else None


def _rewrite(store, decision: Decision, old, old_path: Path, dialect: str) -> Recorded:
    from archkit.adr import dumps
    from archkit.adr.model import file_name

    text = dumps(_drafted(decision, old), dialect)
    target = old_path.with_name(file_name(old.number, adr_title(decision, evaluate(decision))))
    linked = any(link.target == old.number for r in store.all() for link in r.links)
    if linked or target.exists():  # other records link to this file name: keep it
        target = old_path
    atomic_write(target, text)
    if target != old_path:
        old_path.unlink()
    return Recorded("rewritten", target, old_path)


def _drafted(decision: Decision, old):
    """The draft archkit writes for ``decision`` in ``old``'s place: its number, date and
    the links the store keeps (a draft that supersedes an older ADR still says so)."""
    record = decision_to_record(decision, number=old.number, date=old.date)
    record.links = list(old.links)
    return record


def _payload(decision: Decision) -> str:
    matrix = evaluate(decision)
    return _canonical(matrix_payload(decision, matrix, sensitivity(decision, matrix)))


def _canonical(data: object) -> str:
    return json.dumps(data, sort_keys=True, default=str)


def _as_recorded(live: Decision, record) -> Decision | None:
    """The decision as the record's matrix has it, with the live decision's texts.

    The matrix keeps weights, scores and options but not descriptions or context; those
    the widget cannot change, so the live decision supplies them. Rendering this gives
    the exact file archkit wrote, unless a person edited it since.
    """
    try:
        carried = decision_from_record(record)
    except ArchkitError:
        return None
    texts = {c.name: c.description for c in live.criteria}
    options = {o.name: o for o in live.options}
    return replace(
        live,
        criteria=[Criterion(c.name, c.weight, texts.get(c.name, "")) for c in carried.criteria],
        options=[replace(options[o.name], scores=dict(o.scores)) if o.name in options else o
                 for o in carried.options],
        status=carried.status,
        close_call_margin=carried.close_call_margin,
    )
