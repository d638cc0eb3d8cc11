"""The fluent API, the worked example it builds, the check cell, and the public names."""

from __future__ import annotations

import pytest

import archkit.c4
import archkit.check
from archkit.c4 import new_workspace
from archkit.errors import ArchkitError


def test_example_has_what_the_workshop_needs(shopfront):
    model = shopfront.model
    people = [e.name for e in model.of_kind("person")]
    assert people == ["Shopper", "Merchant Staff"]
    containers = [e.name for e in model["shopfront"].children]
    # ADR 0003: a modular monolith, so one deployable app beside the front end, DB and broker
    assert containers == ["Web App", "Shopfront App", "Database", "Message Broker"]
    assert model["database"].technology.startswith("PostgreSQL")
    assert "Kafka" in model["broker"].technology
    assert model["paymentProvider"].external and model["emailSystem"].external
    assert [c.name for c in model["app"].children] == [
        "Catalogue Module", "Cart Module", "Order Module", "Inventory Module", "Payment Module",
        "Fulfilment Module", "Outbox Publisher"]
    assert model["orderModule"].properties["endpoints"] == "/v1/orders"
    steps = [s.description for s in shopfront.view("OrderPipeline").steps]
    assert steps.index("OrderPlaced") < steps.index("InventoryReserved") < steps.index(
        "PaymentProcessed") < steps.index("Shipping notice")
    live = shopfront.view("LiveDeployment").contents()
    assert {getattr(e, "of", None) for e in live.elements} >= {"app", "database", "broker"}
    assert model["appTask"].instances == "3"


def test_fluent_errors_are_archkit_errors():
    b = new_workspace("W")
    s = b.system("S", "x")
    api = s.container("API", "x", "Go")
    with pytest.raises(ArchkitError, match="belongs in a softwareSystem"):
        api.container("Nested")
    with pytest.raises(ArchkitError, match="unknown element"):
        b.relate(s, "nope")
    with pytest.raises(ArchkitError, match="already exists"):
        b.landscape("L")
        b.landscape("L")
    with pytest.raises(ArchkitError, match="already used"):
        b.system("Other", id="s")


def test_identifiers_come_from_names():
    b = new_workspace("W")
    first = b.system("Order Service")
    second = b.system("Order Service (EU)")
    assert (first.id, second.id) == ("orderService", "orderServiceEu")


def test_check_cell():
    good = new_workspace("W")
    s = good.system("S", "Sells")
    api = s.container("API", "Serves", "Go")
    db = s.container("DB", "Keeps", "PostgreSQL", tags="Database")
    web = s.container("Web", "Shows", "React")
    pay = good.system("Pay", "Charges", external=True)
    web.uses(api, "Calls").uses(pay, "Redirects to")
    api.uses(db, "Reads")
    good.containers(s, "C").includes("*")
    assert archkit.check.c4_container_view(good).passed
    bad = new_workspace("W")
    bad.system("S")
    result = archkit.check.c4_container_view(bad)
    assert not result.passed and "add one" in result.wrong[0]
    assert "c4_container_view" in archkit.check.exercises()


def test_public_names_resolve():
    for name in archkit.c4.__all__:
        assert getattr(archkit.c4, name) is not None
    assert sorted(dir(archkit.c4)) == sorted(archkit.c4.__all__)


def test_importing_the_c4_package_and_cli_stays_light():
    import json
    import subprocess
    import sys

    code = ("import sys, json, archkit.c4, archkit.c4.cli; "
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    loaded = set(json.loads(out.stdout))
    assert not loaded & {"diagrams", "graphviz", "yaml", "sqlglot", "ipywidgets", "httpx"}
