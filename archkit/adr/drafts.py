"""Generated decision drafts (from a brainstorm) written into an ADR folder safely.

Usage::

    from archkit.adr.drafts import record_decision
    done = record_decision(AdrStore(Path("docs/decisions")), record, decision_id="message-bus")
    done.action        # "written" | "unchanged" | "rewritten" | "superseded"
    done.record.file   # the record that now holds the decision
    done.superseded    # the earlier record, when a new one had to supersede it

The same decision is recorded again and again while a team iterates. Its
latest record is rewritten in place only while it is still ``proposed`` (or
``draft``) *and* no person has edited it since archkit wrote it; otherwise
the earlier record stays as it is and a new record supersedes it, both files
linked both ways in one journalled change.

"Not edited" is checked with a fingerprint archkit writes into the record's
metadata (``archkit-draft: <sha256 prefix>``, a front-matter key in MADR, a
line under the title in adr-tools records): the SHA-256 of the record's text
without that line. A person's edit changes the text, so the fingerprint no
longer matches; a record without one was written by a person.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from archkit.adr.dialects import dumps
from archkit.adr.model import Record, normalize_status
from archkit.errors import ArchkitError

if TYPE_CHECKING:
    from archkit.adr.store import AdrStore

__all__ = ["Recorded", "record_decision", "DRAFT_KEY", "is_unedited_draft", "stamp"]

DRAFT_KEY = "archkit-draft"
_OPEN = ("proposed", "draft")


@dataclass(frozen=True)
class Recorded:
    """What :func:`record_decision` did.

    ``action``: "written" (first record of the decision), "unchanged" (the
    record already says this), "rewritten" (the open, unedited draft was
    updated in place) or "superseded" (a new record supersedes ``superseded``).
    """

    action: str
    record: Record
    path: Path
    superseded: Record | None = None

    def __str__(self) -> str:
        tail = f" (supersedes {self.superseded.file})" if self.superseded else ""
        return f"{self.path.name}: {self.action}{tail}"


def record_decision(store: AdrStore, record: Record, *, decision_id: str | None = None
                    ) -> Recorded:
    """Write ``record`` as the current ADR of its decision (see the module docstring).

    ``decision_id`` names the decision; by default ``record.matrix["decision_id"]``
    (what :func:`archkit.brainstorm.to_adr.decision_to_record` puts there). The
    record's number, file and supersede links are assigned by the store.
    """
    key = decision_id or (record.matrix or {}).get("decision_id")
    if not key:
        raise ArchkitError("a decision record needs an id to be found again",
                           hint="pass decision_id= or set record.matrix['decision_id']")
    draft = replace(record, matrix={**(record.matrix or {}), "decision_id": key},
                    metadata={k: v for k, v in record.metadata.items() if k != DRAFT_KEY},
                    links=list(record.links), layout={})
    status = draft.status or "proposed"
    current = _latest(store, key)
    if current is None:
        rec = store.new(draft.title, status=status, record=draft, date=draft.date, draft=True)
        return Recorded("written", rec, store.path_of(rec))
    path = store.path_of(current)
    same_status = normalize_status(status) == current.status_kind  # keep "Proposed" as spelt
    in_place = replace(draft, number=current.number, file=current.file,
                       date=draft.date or current.date,
                       status=current.status if same_status else status,
                       links=[*current.links, *(lk for lk in draft.links
                                                if lk not in current.links)])
    in_place.layout["dialect"] = current.layout.get("dialect", store.dialect)
    if path.read_bytes() == dumps(stamp(in_place)).encode("utf-8"):
        return Recorded("unchanged", current, path)
    if current.status_kind in _OPEN and is_unedited_draft(current):
        return Recorded("rewritten", store.replace_record(in_place, draft=True), path)
    rec = store.new(draft.title, status=status, supersedes=current.number, record=draft,
                    date=draft.date, draft=True)
    return Recorded("superseded", rec, store.path_of(rec), store.get(current.number))  # type: ignore[arg-type]


def stamp(record: Record) -> Record:
    """``record`` with the fingerprint of the text it is written as (its metadata)."""
    bare = replace(record, metadata={k: v for k, v in record.metadata.items() if k != DRAFT_KEY})
    stamped = replace(bare, metadata=dict(bare.metadata))
    stamped.metadata[DRAFT_KEY] = _digest(dumps(bare))
    return stamped


def is_unedited_draft(record: Record) -> bool:
    """Whether ``record`` (as read from disk) is exactly what archkit last wrote."""
    stamp = record.metadata.get(DRAFT_KEY)
    if not stamp:
        return False
    bare = replace(record, metadata={k: v for k, v in record.metadata.items() if k != DRAFT_KEY})
    return _digest(dumps(bare)) == stamp


def _latest(store: AdrStore, key: str) -> Record | None:
    """The newest record of decision ``key`` that nothing supersedes."""
    mine = [r for r in store.all() if isinstance(r.matrix, dict)
            and r.matrix.get("decision_id") == key and r.number is not None]
    open_ = [r for r in mine if not r.superseded_by]
    pool = open_ or mine
    return max(pool, key=lambda r: r.number) if pool else None  # type: ignore[arg-type, return-value]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
