"""Checks on requirements: references, targets that contradict each other, impossible values.

Usage::

    from archkit.brainstorm.validate import validate_requirements
    validate_requirements(reqs)      # Findings; also reqs.validate()

Codes: BR201 relationship names an unknown entity (error), BR202 duplicate entity
(error), BR203 availability outside (0, 100] % (error), BR204 negative or zero target
(error), BR205 latency percentiles out of order (warning), BR206 unknown HTTP method
(warning), BR207 endpoint path without a leading "/" (warning), BR208 no peak RPS,
so there is nothing to size against (info).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.brainstorm.yamlio import short_repr
from archkit.findings import Finding, Findings, Severity

if TYPE_CHECKING:
    from archkit.brainstorm.requirements import Requirements

__all__ = ["HTTP_METHODS", "validate_requirements"]

HTTP_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
_PERCENTILES = ("p50", "p90", "p95", "p99", "p999")


def validate_requirements(reqs: Requirements) -> Findings:
    """Every problem found, in a stable order (by line, then code), the loader's included."""
    out = Findings(reqs.problems)  # what the loader could not understand (BR3xx)
    nfr = reqs.non_functional
    places = getattr(nfr, "positions", {})

    def add(code: str, severity: Severity, message: str, obj: str | None, line: int | None,
            fix: str, col: int | None = None) -> None:
        out.append(Finding(code, severity, message, obj, line, fix, reqs.source or None, col))

    def add_at(code: str, severity: Severity, message: str, key: str, fix: str) -> None:
        line, col = places.get(key, (None, None))
        add(code, severity, message, key, line, fix, col)

    names: set[str] = set()
    for e in reqs.entities:
        if e.name in names:
            add("BR202", Severity.ERROR, f"entity {e.name!r} is listed twice", e.name, e.line,
                "merge the two entries or rename one")
        names.add(e.name)
    for r in reqs.relationships:
        for end in (r.source, r.target):
            if end not in names:
                add("BR201", Severity.ERROR, f"relationship names unknown entity {end!r}",
                    f"{r.source} -> {r.target}", r.line,
                    f"add an entity {end!r} or fix the spelling")
    for ep in reqs.endpoints:
        if str(ep.method).upper() not in HTTP_METHODS:
            add("BR206", Severity.WARNING, f"unknown HTTP method {ep.method!r}",
                f"{ep.method} {ep.path}", ep.line, "use GET, POST, PUT, PATCH or DELETE")
        if not str(ep.path).startswith("/"):
            add("BR207", Severity.WARNING, "endpoint path does not start with '/'",
                f"{ep.method} {ep.path}", ep.line, f"write it as /{ep.path}")

    avail = nfr.availability
    if isinstance(avail, int | float) and not 0 < avail <= 100:
        add_at("BR203", Severity.ERROR, f"availability {avail} % is impossible",
               "availability", "give a percentage such as 99.9")
    numbers = {"peak_rps": nfr.peak_rps, "read_write_ratio": nfr.read_write_ratio,
               "rpo_minutes": nfr.rpo_minutes, "rto_minutes": nfr.rto_minutes,
               **{f"latency_ms.{k}": v for k, v in nfr.latency_ms.items()},
               **{f"data_growth.{k}": v for k, v in nfr.data_growth.items()}}
    for key, value in numbers.items():
        zero_ok = key in ("rpo_minutes", "rto_minutes")
        bad = not isinstance(value, int | float) or value < 0 or (value == 0 and not zero_ok)
        if value is not None and bad:
            add_at("BR204", Severity.ERROR, f"{key} = {short_repr(value)} must be a positive "
                   "number", key, "give a number above 0")
    ordered = [(p, nfr.latency_ms[p]) for p in _PERCENTILES if p in nfr.latency_ms]
    for (p_lo, lo), (p_hi, hi) in zip(ordered, ordered[1:], strict=False):
        if isinstance(lo, int | float) and isinstance(hi, int | float) and lo > hi:
            line, col = places.get(f"latency_ms.{p_lo}", (None, None))
            add("BR205", Severity.WARNING, f"latency {p_lo} ({lo} ms) is above {p_hi} ({hi} ms)",
                "latency_ms", line, f"a higher percentile cannot be faster: raise {p_hi}", col)
    if nfr.peak_rps is None:
        add_at("BR208", Severity.INFO, "no peak_rps: the capacity estimate has nothing to size",
               "non_functional", "state the peak requests per second")
    return out.sorted()
