"""The brainstorming workshop exercises: right answers pass, typical mistakes get a hint."""

import pytest

import archkit.check
from archkit.brainstorm.catalogue import load_catalogue
from archkit.brainstorm.decision import Criterion


def test_exercises_are_registered():
    names = archkit.check.exercises()
    assert {"orders_storage_per_year", "caching_decision"} <= set(names)


@pytest.mark.parametrize("answer, passed, hint", [
    (299, True, None),
    ("299.0", True, None),
    (278.4, True, None),  # GiB
    (0.82, False, "one day of orders"),
    (2093, False, "seven years"),
    (0.299, False, "not TB"),
    (42, False, "orders per day × bytes per order × 365"),
    ("lots", False, "give a number"),
])
def test_orders_storage_per_year(answer, passed, hint):
    result = archkit.check.orders_storage_per_year(answer)
    assert result.passed is passed
    if hint:
        assert hint in result.wrong[0]


def shopfront_caching():
    d = load_catalogue()["cache-store"].to_decision(context="Catalogue pages, 9 reads per write")
    d.criteria.append(Criterion("Tenant isolation", 4))
    for o, s in zip(d.options, (5, 5, 3), strict=True):
        o.scores["Tenant isolation"] = s
    return d


def test_caching_decision_passes_when_complete():
    result = archkit.check.caching_decision(shopfront_caching())
    assert result.passed, str(result)
    assert "a clear winner: Redis" in result.right


def test_caching_decision_points_at_what_is_missing():
    bare = load_catalogue()["cache-store"].to_decision()
    result = archkit.check.caching_decision(bare)
    assert not result.passed
    assert any("Tenant isolation" in w for w in result.wrong)
    assert any("say what is being cached" in w for w in result.wrong)
    d = shopfront_caching()
    del d.options[1].scores["Latency"]
    d.options[2].cons = []
    result = archkit.check.caching_decision(d)
    assert "score Memcached on Latency" in result.wrong
    assert "add at least one pro and one con to: CDN" in result.wrong
    assert archkit.check.caching_decision("Redis").wrong[0].startswith("pass a Decision")
