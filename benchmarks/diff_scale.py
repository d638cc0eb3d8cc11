"""Diff speed: two N-table schemas diffed in-process; cost per table across sizes.

Usage::

    .venv/bin/python benchmarks/diff_scale.py

Builds realistic schemas (8 columns, a primary key, a foreign key to the previous table,
a unique constraint, a check and an index per table), changes every 5th table (new
column, type change, new index, dropped index, changed check), and times
``diff_catalogs`` (the diff itself, catalogs already parsed) and ``diff_sql`` (parse +
diff + safety lint). Prints the time for 1,000 tables against the 1 s target, and the
per-table cost of each size relative to the smallest — a flat ratio means linear cost.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archkit.migrations.diff import diff_catalogs, diff_sql  # noqa: E402
from archkit.migrations.source import parse_source  # noqa: E402

SIZES = (250, 500, 1000, 2000)
FULL_SIZES = (250, 1000)
ROUNDS = 5  # parsing (sqlglot) dominates end to end; two sizes keep it short
TARGET_S = 1.0


def schema(n: int, changed: bool) -> str:
    parts = []
    for i in range(n):
        ref = f",\n  parent_id bigint REFERENCES t{i - 1} (id)" if i else ""
        total = "numeric(14,2)" if changed and i % 5 == 0 else "numeric(12,2)"
        extra = ",\n  note text" if changed and i % 5 == 0 else ""
        check = "total >= 0" if not (changed and i % 5 == 1) else "total > 0"
        parts.append(
            f"CREATE TABLE t{i} (\n  id bigint PRIMARY KEY,\n  tenant_id bigint NOT NULL,\n"
            f"  code varchar(40) NOT NULL,\n  total {total} NOT NULL CHECK ({check}),\n"
            f"  status varchar(20) NOT NULL DEFAULT 'new',\n  created_at timestamptz NOT NULL "
            f"DEFAULT now(){ref}{extra},\n  UNIQUE (tenant_id, code)\n);"
        )
        if not (changed and i % 5 == 2):
            parts.append(f"CREATE INDEX t{i}_created_idx ON t{i} (tenant_id, created_at);")
        if changed and i % 5 == 3:
            parts.append(f"CREATE INDEX t{i}_status_idx ON t{i} (tenant_id, status);")
    return "\n".join(parts) + "\n"


def best_of(fn, repeat: int = 7, warm: bool = True) -> float:
    """Fastest of ``repeat`` runs after a warm-up, with the GC off (as timeit does)."""
    if warm:
        fn()
    times = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    finally:
        gc.enable()
    return min(times)


def main() -> int:
    prepared = {}
    for n in SIZES:
        a, b = schema(n, False), schema(n, True)
        old, _ = parse_source(a, "postgres")
        new, _ = parse_source(b, "postgres")
        prepared[n] = (a, b, old, new)
    # interleave the sizes so load from other processes spreads evenly over them
    best = dict.fromkeys(SIZES, float("inf"))
    for _round in range(ROUNDS):
        for n, (_a, _b, old, new) in prepared.items():
            t = best_of(lambda old=old, new=new: diff_catalogs(
                old, new, "postgres", allow_destructive=True), repeat=3)
            best[n] = min(best[n], t)
    rows = []
    for n, (a, b, old, new) in prepared.items():
        t_full = best_of(lambda a=a, b=b: diff_sql(a, b, "postgres"), 1, False) \
            if n in FULL_SIZES else float("nan")
        steps = len(diff_catalogs(old, new, "postgres").changes)
        rows.append((n, best[n], t_full, steps))
    base_diff = rows[0][1] / rows[0][0]
    base_full = rows[0][2] / rows[0][0]
    print(f"{'tables':>7} {'steps':>6} {'diff s':>8} {'per-table ratio':>16} "
          f"{'parse+diff+lint s':>18} {'per-table ratio':>16}")
    for n, t_diff, t_full, steps in rows:
        print(f"{n:>7} {steps:>6} {t_diff:>8.3f} {t_diff / n / base_diff:>16.2f} "
              f"{t_full:>18.3f} {t_full / n / base_full:>16.2f}")
    t1000 = next(r[1] for r in rows if r[0] == 1000)
    print(f"diff of two 1,000-table schemas: {t1000:.3f} s (target < {TARGET_S:.0f} s: "
          f"{'PASS' if t1000 < TARGET_S else 'MISS'}); per-table cost at 2,000 vs 250 tables: "
          f"{rows[-1][1] / rows[-1][0] / base_diff:.2f}x (1.00 = linear)")
    return 0 if t1000 < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
