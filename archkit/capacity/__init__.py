"""Capacity planning from the requirements and the C4 model: instances, partitions, pools.

Usage::

    from archkit.capacity import plan_capacity, mmc
    plan = plan_capacity("examples/order_platform")
    plan.mismatches                      # CP101: the deployment view disagrees
    mmc(1500, 0.010, 32).p95_response_s  # one M/M/c queue

Modules: ``queueing`` (Little's law, Erlang C), ``plan`` (the plan), ``simulate`` (a ciw
cross-check, optional), ``chart`` (latency against instances), ``pack``, ``cli``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover
    from archkit.capacity.chart import latency_chart
    from archkit.capacity.pack import consistency_findings, write_pack_section
    from archkit.capacity.plan import CapacityPlan, ContainerPlan, PlanAssumptions, plan_capacity
    from archkit.capacity.queueing import erlang_c, mmc, servers_for
    from archkit.capacity.simulate import simulate_wait

__all__ = [
    "CapacityPlan",
    "ContainerPlan",
    "PlanAssumptions",
    "consistency_findings",
    "erlang_c",
    "latency_chart",
    "mmc",
    "plan_capacity",
    "servers_for",
    "simulate_wait",
    "write_pack_section",
]

_LAZY = {
    "CapacityPlan": "archkit.capacity.plan",
    "ContainerPlan": "archkit.capacity.plan",
    "PlanAssumptions": "archkit.capacity.plan",
    "consistency_findings": "archkit.capacity.pack",
    "erlang_c": "archkit.capacity.queueing",
    "latency_chart": "archkit.capacity.chart",
    "mmc": "archkit.capacity.queueing",
    "plan_capacity": "archkit.capacity.plan",
    "servers_for": "archkit.capacity.queueing",
    "simulate_wait": "archkit.capacity.simulate",
    "write_pack_section": "archkit.capacity.pack",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
