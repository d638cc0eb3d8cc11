"""Consistency of the contracts with the schema catalog and the C4 model (API3xx)."""

from __future__ import annotations

import shutil

import pytest
import yaml

from archkit.api import consistency_findings
from archkit.api.draft import dump_yaml
from archkit.examples import example_dir

EXAMPLE = example_dir("order-platform")


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "design"
    shutil.copytree(EXAMPLE, target)
    return target


def edit_yaml(path, fn):
    data = yaml.safe_load(path.read_text())
    fn(data)
    path.write_text(dump_yaml(data))


def codes(folder):
    return [(f.code, f.object) for f in consistency_findings(folder)]


def test_the_example_passes():
    assert consistency_findings(EXAMPLE) == []


def test_a_planted_column_type_clash_is_caught(folder):
    schema = folder / "schema" / "v2.sql"
    schema.write_text(schema.read_text().replace(
        "active      boolean        NOT NULL DEFAULT true",
        "active      varchar(5)     NOT NULL DEFAULT 'yes'"))
    found = consistency_findings(folder)
    assert [(f.code, f.object) for f in found] == [
        ("API303", "/components/schemas/Product/properties/active/type")]
    assert "varchar(5)" in found[0].message and found[0].line


def test_a_planted_field_type_clash_and_length_and_nullability(folder):
    api = folder / "api" / "openapi.yaml"

    def plant(d):
        props = d["components"]["schemas"]["Order"]["properties"]
        props["total"]["type"] = "boolean"
        props["currency"]["maxLength"] = 10
        props["status"]["type"] = ["string", "null"]
        props["coupon"] = {"type": "string", "maxLength": 20}
    edit_yaml(api, plant)
    assert sorted(codes(folder)) == [
        ("API302", "/components/schemas/Order/properties/coupon"),
        ("API303", "/components/schemas/Order/properties/total/type"),
        ("API304", "/components/schemas/Order/properties/status"),
        ("API305", "/components/schemas/Order/properties/currency/maxLength")]


def test_operations_need_a_table_and_a_serving_container(folder):
    def plant(d):
        d["paths"]["/v1/wishlists"] = {"get": d["paths"]["/v1/orders"]["get"] | {
            "operationId": "listWishlists", "x-archkit-table": None}}
        d["paths"]["/v1/orders/{id}"]["get"]["x-archkit-container"] = "ghostService"
        d["paths"]["/v1/products"]["get"]["x-archkit-container"] = "database"  # SQL only
    edit_yaml(folder / "api" / "openapi.yaml", plant)
    assert sorted(codes(folder)) == [("API301", "/paths/~1v1~1wishlists/get"),
                                     ("API306", "/paths/~1v1~1orders~1{id}/get"),
                                     ("API306", "/paths/~1v1~1products/get")]


def test_tenant_scoped_tables_need_a_claim_path_or_unique_lookup(folder):
    def plant(d):
        d.pop("x-archkit-tenant")
        d["paths"]["/v1/payments/webhook"]["post"]["x-archkit-tenant"] = "lookup:status"
    edit_yaml(folder / "api" / "openapi.yaml", plant)
    found = consistency_findings(folder)
    assert {f.code for f in found} == {"API308"}
    assert len(found) == 8  # seven claim-less operations + the non-unique lookup
    assert any("not unique on its own" in f.message for f in found)


def test_every_event_needs_producer_and_consumer_in_the_dynamic_view(folder):
    ws = folder / "workspace.py"
    ws.write_text(ws.read_text().replace(
        '.step(broker, fulfilment, "PaymentProcessed")\n', ""))
    found = consistency_findings(folder)
    assert [(f.code, f.object) for f in found] == [
        ("API307", "/components/messages/PaymentProcessed")] * 2
    assert "no consumer" in found[0].message or "no consumer" in found[1].message

    def extra(d):
        d["components"]["messages"].pop("InventoryReserved")
        d["components"]["schemas"].pop("InventoryReserved")
        d["channels"].pop("inventoryReserved")
        for key in [k for k in d["operations"] if k.endswith("InventoryReserved")]:
            d["operations"].pop(key)
    edit_yaml(folder / "api" / "asyncapi.yaml", extra)
    assert ("API309", "/components/messages") in codes(folder)


def test_an_unreadable_contract_is_a_finding_and_the_other_is_still_checked(folder):
    (folder / "api" / "openapi.yaml").write_text("openapi: 3.1.0\npaths: [\n")
    ws = folder / "workspace.py"
    ws.write_text(ws.read_text().replace('.step(broker, fulfilment, "PaymentProcessed")\n', ""))
    found = consistency_findings(folder)
    assert [(f.code, f.object) for f in found][0] == ("API300", "openapi.yaml")
    assert found[0].line and found[0].file.endswith("openapi.yaml")
    assert {f.code for f in found[1:]} == {"API307"}


def test_a_module_or_its_container_serves_an_operation(folder):
    api = folder / "api" / "openapi.yaml"
    # the monolith's container serves what its modules serve
    edit_yaml(api, lambda d: d["paths"]["/v1/orders"]["get"].update(
        {"x-archkit-container": "app"}))
    assert codes(folder) == []

    def plant(d):  # modules nobody calls over HTTP: a planted clash is still caught
        d["paths"]["/v1/orders"]["get"]["x-archkit-container"] = "inventoryModule"
        d["paths"]["/v1/carts"]["post"]["x-archkit-container"] = "outboxPublisher"
    edit_yaml(api, plant)
    found = consistency_findings(folder)
    assert sorted((f.code, f.object) for f in found) == [("API306", "/paths/~1v1~1carts/post"),
                                                        ("API306", "/paths/~1v1~1orders/get")]
    assert all("no one calls that container over HTTP" in f.message for f in found)


def test_events_match_the_view_by_module_or_by_its_container(folder):
    events = folder / "api" / "asyncapi.yaml"

    def producer(cid):
        def plant(d):
            d["operations"]["outboxPublisherPublishesOrderPlaced"]["x-archkit-container"] = cid
        return plant
    edit_yaml(events, producer("app"))  # the view's outbox publisher is a module of app
    assert codes(folder) == []
    edit_yaml(events, producer("paymentModule"))  # a sibling module is not the publisher
    found = consistency_findings(folder)
    assert [(f.code, f.object) for f in found] == [
        ("API307", "/components/messages/OrderPlaced")] * 2
    assert "outboxPublisher publishes OrderPlaced in view OrderPipeline" in found[0].message
    assert "asyncapi.yaml has paymentModule publish OrderPlaced" in found[1].message
