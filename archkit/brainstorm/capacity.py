"""A back-of-envelope capacity estimate that shows its formulas and its assumptions.

Usage::

    from archkit.brainstorm.capacity import estimate_capacity
    est = estimate_capacity(reqs.non_functional)      # or reqs.capacity()
    est["database storage"].value                      # bytes
    est                                                # a Markdown table in Jupyter

Inputs come from the requirements (peak RPS, reads per write, data growth,
latency, availability, RPO); everything else is an explicit :class:`Assumptions`
value with a default, printed next to the result. Data growth is read as pairs
``<things>_per_day`` + ``bytes_per_<thing>``, plus ``retention_years``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from archkit.brainstorm.yamlio import short_repr
from archkit.display import markdown_table

if TYPE_CHECKING:
    from archkit.brainstorm.requirements import NonFunctional

__all__ = ["Assumptions", "CapacityEstimate", "Line", "estimate_capacity"]

SECONDS_PER_DAY = 86_400
DAYS_PER_YEAR = 365
MINUTES_PER_MONTH = 30 * 24 * 60


@dataclass(frozen=True, slots=True)
class Assumptions:
    """What the estimate assumes beyond the requirements; override any of them."""

    index_overhead: float = 0.5  # indexes and free space, as a share of raw row data
    replicas: int = 2  # full copies of the database (primary + one standby)
    hot_window_days: int = 30  # recent data that is read often
    hot_fraction: float = 0.2  # share of the hot window worth caching (the 80/20 rule)
    cache_overhead: float = 0.5  # cache memory per byte of data beyond the data itself
    cache_hit_ratio: float = 0.8  # reads answered by the cache
    queries_per_request: float = 3.0  # database queries per request that reaches the database
    query_ms: float = 5.0  # mean database query time

    def rows(self) -> list[list[str]]:
        return [[k.replace("_", " "), _plain(v)] for k, v in asdict(self).items()]


@dataclass(frozen=True, slots=True)
class Line:
    """One estimated quantity: the formula in words, the numbers put in, the result."""

    quantity: str
    formula: str
    working: str
    value: float
    unit: str  # "B" for bytes (shown as kB/MB/GB/TB), else a plain unit

    @property
    def shown(self) -> str:
        return _bytes(self.value) if self.unit == "B" else f"{_plain(self.value)} {self.unit}"


@dataclass(slots=True)
class CapacityEstimate:
    """The estimated lines, the assumptions used, and what could not be estimated (and why)."""

    lines: list[Line] = field(default_factory=list)
    assumptions: Assumptions = field(default_factory=Assumptions)
    missing: list[str] = field(default_factory=list)

    def __getitem__(self, quantity: str) -> Line:
        for line in self.lines:
            if line.quantity == quantity:
                return line
        raise KeyError(f"no estimate for {quantity!r}; have: {', '.join(self.names)}")

    def __contains__(self, quantity: object) -> bool:
        return quantity in self.names

    @property
    def names(self) -> list[str]:
        return [line.quantity for line in self.lines]

    def to_dict(self) -> dict:
        return {
            "lines": [
                {
                    "quantity": x.quantity,
                    "formula": x.formula,
                    "working": x.working,
                    "value": x.value,
                    "unit": x.unit,
                }
                for x in self.lines
            ],
            "assumptions": asdict(self.assumptions),
            "missing": list(self.missing),
        }

    def to_markdown(self) -> str:
        rows = [[x.quantity, x.formula, x.working, x.shown] for x in self.lines]
        out = ["### Capacity estimate (back of the envelope)", ""]
        out += [markdown_table(["quantity", "formula", "working", "estimate"], rows), ""]
        out += ["Assumptions (override with `Assumptions(...)`):", ""]
        out += [markdown_table(["assumption", "value"], self.assumptions.rows()), ""]
        if self.missing:
            out += ["Not estimated:", ""] + [f"* {m}" for m in self.missing] + [""]
        return "\n".join(out)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _plain(value: float) -> str:
    value = round(float(value), 6)  # hide float noise such as 1260.0000000000002
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.3g}"


def _bytes(value: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if value >= size:
            return f"{value / size:,.1f} {unit}"
    return f"{value:,.0f} B"


def _usable(value: object, *, zero_ok: bool, top: float | None) -> float | None:
    """A finite number in range as float, else None (inputs may come from any Python code)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    if not math.isfinite(number) or number < 0 or (number == 0 and not zero_ok):
        return None
    return None if top is not None and number > top else number


def _streams(growth: dict[str, float]) -> tuple[list[tuple[str, float, float]], list[str]]:
    """Pairs ``<things>_per_day`` with ``bytes_per_<thing>``; returns streams and unused keys."""
    streams, used = [], {"retention_years"}
    for key, per_day in growth.items():
        if not key.endswith("_per_day") or key.startswith("bytes_"):
            continue
        things = key[: -len("_per_day")]
        for size_key in (f"bytes_per_{things}", f"bytes_per_{things.removesuffix('s')}"):
            if size_key in growth:
                streams.append((things, float(per_day), float(growth[size_key])))
                used |= {key, size_key}
                break
    return streams, [k for k in growth if k not in used]


def estimate_capacity(
    nfr: NonFunctional, assumptions: Assumptions | None = None
) -> CapacityEstimate:
    """Estimate peak load, storage, cache and database sizing from the stated targets."""
    a = assumptions or Assumptions()
    est = CapacityEstimate(assumptions=a)
    add = est.lines.append

    def usable(value: object, key: str, *, zero_ok: bool = False, top: float | None = None):
        number = _usable(value, zero_ok=zero_ok, top=top)
        if number is None and value is not None:
            est.missing.append(f"{key} = {short_repr(value)} is not usable: "
                               f"{'0 or more' if zero_ok else 'above 0'} expected"
                               + (f", at most {top:g}" if top else ""))
        return number

    rps = usable(nfr.peak_rps, "peak_rps")
    ratio = usable(nfr.read_write_ratio, "read_write_ratio", zero_ok=True)
    rpo = usable(nfr.rpo_minutes, "rpo_minutes", zero_ok=True)
    p95 = usable(nfr.latency_ms.get("p95"), "latency_ms.p95")
    availability = usable(nfr.availability, "availability", top=100)
    growth = {}
    for key, value in nfr.data_growth.items():
        number = usable(value, f"data_growth.{key}")
        if number is not None:
            growth[str(key)] = number

    if rps is not None and ratio is not None:
        reads, writes = rps * ratio / (ratio + 1), rps / (ratio + 1)
        add(
            Line(
                "peak reads",
                "peak RPS × r / (r + 1), r = reads per write",
                f"{_plain(rps)} × {_plain(ratio)} / {_plain(ratio + 1)}",
                reads,
                "req/s",
            )
        )
        add(
            Line(
                "peak writes",
                "peak RPS / (r + 1)",
                f"{_plain(rps)} / {_plain(ratio + 1)}",
                writes,
                "req/s",
            )
        )
        db_qps = (reads * (1 - a.cache_hit_ratio) + writes) * a.queries_per_request
        add(
            Line(
                "peak database queries",
                "(peak reads × (1 − cache hit ratio) + peak writes) × queries per request",
                f"({_plain(reads)} × {_plain(1 - a.cache_hit_ratio)} + {_plain(writes)}) × "
                f"{_plain(a.queries_per_request)}",
                db_qps,
                "queries/s",
            )
        )
        add(
            Line(
                "busy database connections",
                "peak queries/s × query time (Little's law)",
                f"{_plain(db_qps)} × {_plain(a.query_ms / 1000)} s",
                db_qps * a.query_ms / 1000,
                "connections",
            )
        )
        if rpo is not None:
            add(
                Line(
                    "writes at risk within the RPO",
                    "peak writes × RPO",
                    f"{_plain(writes)} × {_plain(rpo * 60)} s",
                    writes * rpo * 60,
                    "writes",
                )
            )
    else:
        est.missing.append("read/write split and database load: need peak_rps and read_write_ratio")

    if rps is not None and p95 is not None:
        add(
            Line(
                "requests in flight at peak",
                "peak RPS × p95 latency (Little's law, an upper bound)",
                f"{_plain(rps)} × {_plain(p95 / 1000)} s",
                rps * p95 / 1000,
                "requests",
            )
        )
    else:
        est.missing.append("requests in flight: need peak_rps and latency_ms.p95")

    streams, unused = _streams(growth)
    retention = growth.get("retention_years")
    per_year_total = 0.0
    for things, per_day, size in streams:
        add(
            Line(
                f"{things} per second (average)",
                f"{things} per day / 86,400",
                f"{_plain(per_day)} / 86,400",
                per_day / SECONDS_PER_DAY,
                f"{things}/s",
            )
        )
        per_year = per_day * size * DAYS_PER_YEAR
        per_year_total += per_year
        add(
            Line(
                f"{things} data per year",
                f"{things} per day × bytes per item × 365",
                f"{_plain(per_day)} × {_plain(size)} B × 365",
                per_year,
                "B",
            )
        )
        hot = per_day * size * a.hot_window_days
        cache = hot * a.hot_fraction * (1 + a.cache_overhead)
        add(
            Line(
                f"cache memory for {things}",
                "per day × bytes × hot window days × hot fraction × (1 + cache overhead)",
                f"{_plain(per_day)} × {_plain(size)} B × {a.hot_window_days} × "
                f"{_plain(a.hot_fraction)} × {_plain(1 + a.cache_overhead)}",
                cache,
                "B",
            )
        )
    if not streams:
        est.missing.append(
            "storage and cache: need data_growth pairs like orders_per_day + bytes_per_order"
        )
    elif retention is None:
        est.missing.append("storage over the retention period: need data_growth.retention_years")
    else:
        kept = per_year_total * float(retention)
        add(
            Line(
                "data kept (retention)",
                "data per year × retention years",
                f"{_bytes(per_year_total)} × {_plain(retention)}",
                kept,
                "B",
            )
        )
        add(
            Line(
                "database storage",
                "data kept × (1 + index overhead) × replicas",
                f"{_bytes(kept)} × {_plain(1 + a.index_overhead)} × {a.replicas}",
                kept * (1 + a.index_overhead) * a.replicas,
                "B",
            )
        )
    for key in unused:
        est.missing.append(
            f"data_growth.{key}: not understood (expected <things>_per_day with "
            "bytes_per_<thing>, or retention_years)"
        )

    if availability is not None:
        add(
            Line(
                "downtime budget per month",
                "(1 − availability) × 30 days",
                f"(1 − {_plain(availability)} %) × {_plain(MINUTES_PER_MONTH)} min",
                (1 - availability / 100) * MINUTES_PER_MONTH,
                "min",
            )
        )
    elif nfr.availability is None:
        est.missing.append("downtime budget: need availability")
    return est
