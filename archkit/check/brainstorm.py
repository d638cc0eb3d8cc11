"""Workshop exercises for the brainstorming notebook.

Usage (in a notebook)::

    import archkit.check
    archkit.check.orders_storage_per_year(299)        # GB per year for Shopfront's orders
    archkit.check.caching_decision(my_decision)       # a decision about caching catalogue reads

The expected answers are computed from the worked example's requirements, not
written down here, so the exercise follows the example if it changes.
"""

from __future__ import annotations

from typing import Any

from archkit.check.result import CheckResult

__all__ = ["caching_decision", "orders_storage_per_year"]


def _example_estimate():
    from archkit.brainstorm.requirements import load_requirements
    from archkit.examples import example_dir

    return load_requirements(example_dir("order-platform") / "requirements.yaml").capacity()


def orders_storage_per_year(answer_gb: Any) -> CheckResult:
    """Storage Shopfront's orders need per year, in GB (before indexes and replicas)."""
    result = CheckResult("orders_storage_per_year")
    try:
        answer = float(answer_gb)
    except (TypeError, ValueError):
        result.expect(False, "", "give a number of gigabytes, e.g. 123.4")
        return result
    line = _example_estimate()["orders data per year"]
    expected = line.value / 1e9
    close = abs(answer - expected) <= 0.03 * expected
    as_gib = abs(answer - line.value / 2**30) <= 0.03 * line.value / 2**30
    if close or as_gib:
        result.expect(True, f"{answer:,.1f} GB per year ({line.working})", "")
        if as_gib:
            result.right.append("that is in GiB (2^30 bytes); in GB (10^9) it reads a bit higher")
        return result
    per_day, retention = expected / 365, expected * 7
    if abs(answer - per_day) <= 0.05 * per_day:
        result.expect(False, "", "that is one day of orders: multiply by 365 days")
    elif abs(answer - retention) <= 0.05 * retention:
        result.expect(False, "", "that is all seven years of retention: give one year")
    elif abs(answer * 1000 - expected) <= 0.05 * expected:
        result.expect(False, "", "check the unit: the answer is in GB, not TB")
    else:
        result.expect(False, "", "use orders per day × bytes per order × 365 days, in GB (10^9 B)")
    return result


def caching_decision(decision: Any) -> CheckResult:
    """A decision about caching Shopfront's catalogue reads, ready to rank and record."""
    from archkit.brainstorm.decision import Decision

    result = CheckResult("caching_decision")
    if not isinstance(decision, Decision):
        result.expect(False, "", "pass a Decision, e.g. load_catalogue()['cache-store']"
                                 ".to_decision(context=...)")
        return result
    ok = result.expect(len(decision.options) >= 2, f"{len(decision.options)} options to compare",
                       "compare at least two options (e.g. Redis and a CDN)")
    result.expect(len(decision.criteria) >= 3, f"{len(decision.criteria)} criteria",
                  "judge the options on at least three criteria")
    result.expect(any("latency" in c.name.lower() for c in decision.criteria),
                  "latency is a criterion (p95 target: 200 ms)",
                  "add a Latency criterion: the requirements set p95 at 200 ms")
    result.expect(any("tenant" in c.name.lower() for c in decision.criteria),
                  "tenant isolation is a criterion (a cache must never serve one tenant's data "
                  "to another)",
                  "add a Tenant isolation criterion: the requirements forbid cross-tenant reads, "
                  "and a shared cache key can leak them")
    missing = decision.missing_scores()
    ok &= result.expect(not missing, "every option is scored on every criterion",
                        "score " + ", ".join(f"{o} on {c}" for o, c in missing[:3]))
    weighted = sum(c.weight for c in decision.criteria) > 0
    ok &= result.expect(weighted, "the weights say what matters",
                        "give the criteria that matter a weight above 0")
    argued = [o.name for o in decision.options if not (o.pros and o.cons)]
    result.expect(not argued, "every option has pros and cons",
                  f"add at least one pro and one con to: {', '.join(argued)}")
    result.expect(bool(decision.context.strip()), "the context is stated",
                  "say what is being cached and why (catalogue pages, 9 reads per write)")
    if ok:
        matrix = decision.evaluate()
        result.expect(matrix.winner is not None, f"a clear winner: {matrix.winner}",
                      "the top options tie: adjust a weight or add a criterion that separates "
                      "them")
        if matrix.close_call:
            result.right.append("it is a close call: say so in the ADR and name what would flip "
                                "it (see the sensitivity table)")
    return result
