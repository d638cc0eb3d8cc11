"""The back-of-envelope estimate: hand-checked numbers, shown formulas, missing inputs named."""

import pytest

from archkit.brainstorm import load_requirements
from archkit.brainstorm.capacity import Assumptions, estimate_capacity
from archkit.brainstorm.requirements import NonFunctional


def test_example_estimate_by_hand(example):
    est = load_requirements(example / "requirements.yaml").capacity()
    assert est["peak reads"].value == pytest.approx(1350)  # 1500 × 9/10
    assert est["peak writes"].value == pytest.approx(150)  # 1500 / 10
    # 400,000 orders/day × 2,048 B × 365 = 299.0 GB per year
    assert est["orders data per year"].value == pytest.approx(400_000 * 2048 * 365)
    assert est["orders data per year"].shown == "299.0 GB"
    assert est["data kept (retention)"].value == pytest.approx(400_000 * 2048 * 365 * 7)
    # × (1 + 0.5 index overhead) × 2 replicas = 6.3 TB
    assert est["database storage"].value == pytest.approx(400_000 * 2048 * 365 * 7 * 1.5 * 2)
    assert est["database storage"].shown == "6.3 TB"
    # cache: 400,000 × 2,048 × 30 days × 20 % × 1.5 = 7.4 GB
    assert est["cache memory for orders"].value == pytest.approx(400_000 * 2048 * 30 * 0.2 * 1.5)
    assert est["orders per second (average)"].value == pytest.approx(400_000 / 86_400)
    assert est["requests in flight at peak"].value == pytest.approx(300)  # 1500 × 0.2 s
    assert est["peak database queries"].value == pytest.approx((1350 * 0.2 + 150) * 3)
    assert est["busy database connections"].value == pytest.approx(1260 * 0.005)
    assert est["writes at risk within the RPO"].value == pytest.approx(150 * 300)
    assert est["downtime budget per month"].value == pytest.approx(21.6)
    assert not est.missing


def test_formulas_and_working_are_shown(example):
    text = load_requirements(example / "requirements.yaml").capacity().to_markdown()
    assert "| peak writes | peak RPS / (r + 1) | 1,500 / 10 | 150 req/s |" in text
    assert "| orders data per year | orders per day × bytes per item × 365 | " \
           "400,000 × 2,048 B × 365 | 299.0 GB |" in text
    assert "| index overhead | 0.5 |" in text  # assumptions are printed


def test_assumptions_can_be_overridden(example):
    reqs = load_requirements(example / "requirements.yaml")
    est = reqs.capacity(Assumptions(replicas=3, index_overhead=0.0))
    assert est["database storage"].value == pytest.approx(400_000 * 2048 * 365 * 7 * 3)


def test_missing_inputs_are_listed_not_guessed():
    est = estimate_capacity(NonFunctional(peak_rps=100, data_growth={"carts_per_day": 10,
                                                                      "widgets": 3}))
    assert "peak reads" not in est and "database storage" not in est
    text = " | ".join(est.missing)
    assert "need peak_rps and read_write_ratio" in text
    assert "need data_growth pairs like orders_per_day + bytes_per_order" in text
    assert "data_growth.widgets: not understood" in text
    assert "downtime budget: need availability" in text
    assert "requests in flight: need peak_rps and latency_ms.p95" in text
    assert "data_growth.carts_per_day: not understood" in text  # no bytes_per_cart to pair with
