"""Workshop check cell for the ADR stage: did you supersede a decision properly?

Usage (in a notebook)::

    import archkit.check
    archkit.check.adr_supersede("../out/04_adr_export/decisions", old=4)
"""

from __future__ import annotations

from pathlib import Path

from archkit.check.result import CheckResult

__all__ = ["adr_supersede"]


def adr_supersede(folder, old: int) -> CheckResult:
    """ADR ``old`` is superseded by a newer record, linked both ways; the folder lints clean."""
    from archkit.adr.lint import lint
    from archkit.adr.store import AdrStore

    store = folder if isinstance(folder, AdrStore) else AdrStore(Path(folder))
    result = CheckResult("adr_supersede")
    if not result.expect(old in store.records, f"ADR {old} is in {store.folder.name}",
                         f"record the decisions first; there is no ADR {old} in {store.folder}"):
        return result
    record = store.records[old]
    newer = [r for r in store.all() if any(
        lk.relation == "supersedes" and lk.target == old for lk in r.links)]
    if not result.expect(bool(newer), f"a newer record supersedes ADR {old}",
                         f"store.new('…', supersedes={old}) writes the new record and the link"):
        return result
    new = newer[0]
    result.expect(new.number is not None and new.number > old,
                  f"the newer record has a higher number ({new.number})",
                  "a superseding record comes after the one it replaces")
    result.expect(record.status_kind == "superseded", f"ADR {old} says it is superseded",
                  f"set ADR {old}'s status to superseded (store.supersede does it)")
    result.expect(new.number in record.superseded_by,
                  f"ADR {old} links forward to ADR {new.number}",
                  f"add 'Superseded by' ADR {new.number} to ADR {old}")
    result.expect(new.status_kind in ("accepted", "proposed"),
                  f"ADR {new.number} is {new.status_kind}",
                  f"accept ADR {new.number}: store.accept({new.number})")
    errors = lint(store.all(), findings=store.findings).errors
    result.expect(not errors, "the folder lints without errors",
                  "fix: " + "; ".join(f"{f.code} {f.message}" for f in errors[:3]))
    return result
