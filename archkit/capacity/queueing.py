"""Queueing formulas for sizing: Little's law and the M/M/c (Erlang C) queue.

Usage::

    from archkit.capacity.queueing import mmc, servers_for
    q = mmc(arrival_rate=1500, service_s=0.010, servers=32)
    q.utilisation, q.p_wait, q.mean_wait_s, q.p95_response_s
    servers_for(1500, 0.010, max_utilisation=0.7, p95_budget_s=0.04)   # -> 22

M/M/c: Poisson arrivals at rate λ, c servers, exponential service times of mean S
(μ = 1/S), first come first served. Erlang C gives the chance an arrival waits; waits
that happen are exponential with rate cμ − λ, so the response time (wait + service) has
a closed-form tail that the 95th percentile is solved from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Queue", "erlang_c", "mmc", "servers_for"]


def erlang_c(servers: int, offered_load: float) -> float:
    """Chance an arrival waits, for ``servers`` and offered load a = λS (Erlang C)."""
    if offered_load <= 0:
        return 0.0
    if offered_load >= servers:
        return 1.0
    b = 1.0  # Erlang B by its recurrence: stable for large c, no factorials
    for k in range(1, servers + 1):
        b = offered_load * b / (k + offered_load * b)
    return servers * b / (servers - offered_load * (1 - b))


@dataclass(frozen=True, slots=True)
class Queue:
    """An M/M/c queue's steady state (``stable`` is False when λ ≥ cμ)."""

    arrival_rate: float
    service_s: float
    servers: int
    utilisation: float
    p_wait: float
    mean_wait_s: float
    mean_response_s: float
    p95_response_s: float
    in_system: float  # Little's law: L = λ W

    @property
    def stable(self) -> bool:
        return self.utilisation < 1


def _tail(t: float, mu: float, theta: float, p_wait: float) -> float:
    """P(response > t): no wait then service, or an Exp(θ) wait then service."""
    no_wait = (1 - p_wait) * math.exp(-mu * t)
    if abs(theta - mu) < 1e-12:
        both = (1 + mu * t) * math.exp(-mu * t)
    else:
        both = (theta * math.exp(-mu * t) - mu * math.exp(-theta * t)) / (theta - mu)
    return no_wait + p_wait * both


def mmc(arrival_rate: float, service_s: float, servers: int, *, quantile: float = 0.95) -> Queue:
    """The M/M/c queue for λ = ``arrival_rate``/s, mean service ``service_s`` s, c servers."""
    mu = 1 / service_s
    a = arrival_rate * service_s
    rho = a / servers
    if rho >= 1:
        inf = math.inf
        return Queue(arrival_rate, service_s, servers, rho, 1.0, inf, inf, inf, inf)
    p_wait = erlang_c(servers, a)
    theta = servers * mu - arrival_rate
    wait = p_wait / theta
    lo, hi = 0.0, service_s
    while _tail(hi, mu, theta, p_wait) > 1 - quantile:
        hi *= 2
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _tail(mid, mu, theta, p_wait) > 1 - quantile else (lo, mid)
    response = wait + service_s
    return Queue(arrival_rate, service_s, servers, rho, p_wait, wait, response, hi,
                 arrival_rate * response)


def servers_for(arrival_rate: float, service_s: float, *, max_utilisation: float = 0.7,
                p95_budget_s: float | None = None, limit: int = 100_000) -> int | None:
    """The fewest servers with utilisation ≤ the cap and p95 response ≤ the budget.

    None when no count meets the budget (the service time alone is too slow).
    """
    if arrival_rate <= 0:
        return 1
    c = max(1, math.ceil(arrival_rate * service_s / max_utilisation))
    while c <= limit:
        q = mmc(arrival_rate, service_s, c)
        if p95_budget_s is None or q.p95_response_s <= p95_budget_s:
            return c
        if q.p_wait < 1e-9:  # no more waiting to remove: the budget is below the service time
            return None
        c += 1
    return None
