"""Erlang C and the M/M/c tail against textbook values and first principles."""

from __future__ import annotations

import math

import pytest

from archkit.capacity.queueing import erlang_c, mmc, servers_for


def test_erlang_c_matches_the_factorial_formula():
    def direct(c, a):
        top = a ** c / math.factorial(c) * c / (c - a)
        return top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)

    for c, a in [(1, 0.5), (2, 1.5), (8, 5.25), (32, 15.0), (10, 9.9)]:
        assert erlang_c(c, a) == pytest.approx(direct(c, a), rel=1e-9)


def test_single_server_reduces_to_mm1():
    q = mmc(arrival_rate=8, service_s=0.1, servers=1)  # ρ = 0.8
    assert q.p_wait == pytest.approx(0.8)
    assert q.mean_wait_s == pytest.approx(0.8 / (10 - 8))  # ρ / (μ − λ)
    # M/M/1 response time is Exp(μ − λ): p95 = ln 20 / (μ − λ)
    assert q.p95_response_s == pytest.approx(math.log(20) / 2, rel=1e-6)
    assert q.in_system == pytest.approx(8 * q.mean_response_s)  # Little's law


def test_overload_is_unstable_not_an_error():
    q = mmc(100, 0.05, 4)
    assert not q.stable and math.isinf(q.mean_wait_s)


def test_servers_for_respects_cap_and_budget():
    assert servers_for(1500, 0.010, max_utilisation=0.7) == 22
    tight = servers_for(150, 0.035, max_utilisation=0.7, p95_budget_s=0.106)
    assert tight is not None and mmc(150, 0.035, tight).p95_response_s <= 0.106
    assert mmc(150, 0.035, tight - 1).p95_response_s > 0.106 or \
        150 * 0.035 / (tight - 1) > 0.7
    assert servers_for(10, 0.5, p95_budget_s=0.2) is None  # service alone is too slow
