"""``archkit capacity``: instances, partitions and pools sized from the requirements.

Usage::

    archkit capacity examples/order_platform
    archkit capacity examples/order_platform --json
    archkit capacity examples/order_platform --simulate     # ciw cross-check (optional extra)
    archkit capacity big-bank-plc.dsl --peak-rps 800 --p95-ms 300 --reads-per-write 4

Exit codes: 0 the deployment view matches the plan, 1 an error finding (fewer instances
than planned, a p95 budget no count can meet, too many connections), 2 bad input.
"""

from __future__ import annotations

import argparse

from archkit.cli import add_json_flag, emit, exit_code_for

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="DIR", help="a design folder or a .dsl / .py workspace")
    parser.add_argument("--peak-rps", type=float, help="peak requests per second (overrides or "
                        "supplies requirements.yaml's non_functional.peak_rps)")
    parser.add_argument("--p95-ms", type=float, help="p95 latency target in ms")
    parser.add_argument("--reads-per-write", type=float, help="reads per write")
    parser.add_argument("--simulate", action="store_true",
                        help="cross-check the busiest queue's wait with a ciw simulation")
    add_json_flag(parser)
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from archkit.capacity.plan import plan_capacity

    targets = {k: v for k, v in (("peak_rps", args.peak_rps), ("p95_ms", args.p95_ms),
                                 ("read_write_ratio", args.reads_per_write)) if v is not None}
    plan = plan_capacity(args.source, targets=targets)
    data = plan.to_dict()
    text = plan.to_text()
    if args.simulate and plan.busiest() is not None:
        from archkit.capacity.simulate import simulate_wait

        check = simulate_wait(plan.busiest())
        data["simulation"] = {"container": check.container, "servers": check.servers,
                              "analytical_ms": round(check.analytical_ms, 4),
                              "simulated_ms": round(check.simulated_ms, 4),
                              "percent_apart": round(check.percent_apart, 2),
                              "customers": check.customers}
        text += f"\nsimulation: {check}"
    emit(args, data, text)
    return exit_code_for(f.severity for f in plan.findings)
