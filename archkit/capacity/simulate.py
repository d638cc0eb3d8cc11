"""A simulation cross-check of the analytical queue wait, with ciw (an optional extra).

Usage::

    from archkit.capacity import plan_capacity, simulate_wait
    plan = plan_capacity("examples/order_platform")
    check = simulate_wait(plan.busiest())     # at the M/M/c servers the plan chose
    check.analytical_ms, check.simulated_ms, check.percent_apart

ciw runs the same M/M/c queue (Poisson arrivals, exponential service, c servers) for
several seeded replications; the first ``warmup_s`` seconds of each are dropped. Seeds
are fixed, so a rerun gives the same figures. :meth:`CapacityPlan.busiest` picks the queue
where a wait is most likely, which is where the analytical wait matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archkit.errors import ArchkitError

__all__ = ["WaitCheck", "simulate_wait"]


@dataclass(frozen=True, slots=True)
class WaitCheck:
    container: str
    servers: int
    utilisation: float
    analytical_ms: float
    simulated_ms: float
    customers: int
    replications: int

    @property
    def percent_apart(self) -> float:
        return abs(self.simulated_ms - self.analytical_ms) / self.analytical_ms * 100

    def __str__(self) -> str:
        return (f"{self.container}: mean queue wait {self.analytical_ms:.3f} ms (Erlang C) vs "
                f"{self.simulated_ms:.3f} ms (ciw, {self.customers:,} customers in "
                f"{self.replications} runs), {self.percent_apart:.1f} % apart, c = "
                f"{self.servers}, utilisation {self.utilisation:.2f}")


def simulate_wait(container: Any, *, servers: int | None = None, customers: int | None = None,
                  replications: int = 4, warmup_s: float = 5.0, seed: int = 1) -> WaitCheck:
    """Simulate ``container``'s queue at ``servers`` (default: the count the plan chose).

    ``customers`` defaults to enough for about 50,000 who wait (at least 200,000, at most
    1,000,000): rare waits need more arrivals for the same precision.
    """
    try:
        import ciw
    except ImportError:
        raise ArchkitError("the simulation needs ciw", hint="pip install 'archkit[simulate]' "
                           "(or pip install ciw)") from None
    from archkit.capacity.queueing import mmc

    c = servers or container.servers
    if c is None:
        raise ArchkitError(f"{container.name} is not sized", hint="see the plan's findings")
    lam, service_s = container.rate, container.service_ms / 1000
    queue = mmc(lam, service_s, c)
    if customers is None:
        customers = min(1_000_000, max(200_000, round(50_000 / max(queue.p_wait, 1e-6))))
    horizon = warmup_s + customers / replications / lam
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(lam)],
        service_distributions=[ciw.dists.Exponential(1 / service_s)],
        number_of_servers=[queue.servers])
    total_wait, count = 0.0, 0
    for run in range(replications):
        ciw.seed(seed + run)
        sim = ciw.Simulation(network)
        sim.simulate_until_max_time(horizon)
        for record in sim.get_all_records():
            if record.arrival_date >= warmup_s:
                total_wait += record.waiting_time
                count += 1
    return WaitCheck(container.id, queue.servers, queue.utilisation, queue.mean_wait_s * 1000,
                     total_wait / count * 1000, count, replications)
