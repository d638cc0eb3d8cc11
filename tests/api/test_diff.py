"""api diff: each of oasdiff's error families is caught, graded, and named by operation."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from archkit.api import diff_specs, parse_spec
from archkit.cli import main


def v1() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Shop", "version": "1.0"},
        "security": [],
        "paths": {
            "/orders": {
                "get": {"operationId": "listOrders",
                        "parameters": [{"name": "status", "in": "query",
                                        "schema": {"type": "string",
                                                   "enum": ["placed", "paid", "shipped"]}},
                                       {"name": "limit", "in": "query",
                                        "schema": {"type": "integer", "maximum": 100}}],
                        "responses": {"200": {"description": "ok", "content": {
                            "application/json": {"schema": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/Order"}}}}}}},
                "post": {"operationId": "placeOrder",
                         "requestBody": {"content": {"application/json": {"schema": {
                             "$ref": "#/components/schemas/NewOrder"}}}},
                         "responses": {"201": {"description": "created"}}},
            },
            "/orders/{id}": {"get": {"operationId": "getOrder", "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}}}},
            "/legacy": {"get": {"operationId": "legacy", "deprecated": True,
                                "responses": {"200": {"description": "ok"}}}},
        },
        "components": {"schemas": {
            "Order": {"type": "object", "required": ["id", "total"],
                      "properties": {"id": {"type": "string"}, "total": {"type": "number"},
                                     "note": {"type": "string"}}},
            "NewOrder": {"type": "object", "required": ["cart"],
                         "properties": {"cart": {"type": "string", "maxLength": 64},
                                        "coupon": {"type": "string"},
                                        "qty": {"type": "number"}}},
        }},
    }


def change(fn) -> tuple[dict, dict]:
    old, new = v1(), v1()
    fn(new)
    return old, new


def run(old: dict, new: dict):
    return diff_specs(parse_spec(json.dumps(old)), parse_spec(json.dumps(new)))


FAMILIES = {
    # id expected, level, operation, mutation of the new version
    "operation removed": ("operation-removed", "error", "GET /orders/{id}",
                          lambda d: d["paths"].pop("/orders/{id}")),
    "deprecated operation removed": ("operation-removed", "warning", "GET /legacy",
                                     lambda d: d["paths"].pop("/legacy")),
    "parameter removed": ("request-parameter-removed", "error", "GET /orders",
                          lambda d: d["paths"]["/orders"]["get"]["parameters"].pop(1)),
    "new required parameter": ("new-required-request-parameter", "error", "GET /orders",
                               lambda d: d["paths"]["/orders"]["get"]["parameters"].append(
                                   {"name": "tenant", "in": "header", "required": True,
                                    "schema": {"type": "string"}})),
    "new required property": ("request-new-required-property", "error", "POST /orders",
                              lambda d: (d["components"]["schemas"]["NewOrder"]["properties"]
                                         .__setitem__("email", {"type": "string"}),
                                         d["components"]["schemas"]["NewOrder"]["required"]
                                         .append("email"))),
    "property became required": ("request-property-became-required", "error", "POST /orders",
                                 lambda d: d["components"]["schemas"]["NewOrder"]["required"]
                                 .append("coupon")),
    "type narrowed": ("request-type-narrowed", "error", "POST /orders",
                      lambda d: d["components"]["schemas"]["NewOrder"]["properties"]["qty"]
                      .__setitem__("type", "integer")),
    "enum shrunk": ("request-parameter-enum-value-removed", "error", "GET /orders",
                    lambda d: d["paths"]["/orders"]["get"]["parameters"][0]["schema"]["enum"]
                    .remove("shipped")),
    "max tightened": ("request-parameter-max-decreased", "error", "GET /orders",
                      lambda d: d["paths"]["/orders"]["get"]["parameters"][1]["schema"]
                      .__setitem__("maximum", 50)),
    "maxLength tightened": ("request-max-length-decreased", "error", "POST /orders",
                            lambda d: d["components"]["schemas"]["NewOrder"]["properties"]
                            ["cart"].__setitem__("maxLength", 32)),
    "response property removed": ("response-property-removed", "error", "GET /orders",
                                  lambda d: d["components"]["schemas"]["Order"]["properties"]
                                  .pop("note")),
    "response property optional": ("response-property-became-optional", "error", "GET /orders",
                                   lambda d: d["components"]["schemas"]["Order"]["required"]
                                   .remove("total")),
    "security added": ("security-added", "error", "GET /orders/{id}",
                       lambda d: d["paths"]["/orders/{id}"]["get"].__setitem__(
                           "security", [{"bearer": []}])),
    "success response removed": ("response-success-status-removed", "error", "POST /orders",
                                 lambda d: d["paths"]["/orders"]["post"]["responses"].__setitem__(
                                     "202", d["paths"]["/orders"]["post"]["responses"].pop(
                                         "201"))),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_each_breaking_family_is_found_with_its_id_level_and_operation(family):
    change_id, level, operation, fn = FAMILIES[family]
    found = run(*change(fn))
    hits = [c for c in found if c.id == change_id]
    assert hits, (family, [c.to_dict() for c in found])
    assert (hits[0].level, hits[0].operation) == (level, operation)


def test_messages_name_the_field_path_inside_the_schema():
    old, new = change(FAMILIES["response property removed"][3])
    found = [c for c in run(old, new) if c.id == "response-property-removed"]
    assert found[0].message == "response 200 (application/json): [].note was removed"


def test_identical_versions_have_no_changes_and_additions_are_info_only():
    assert run(v1(), v1()) == []
    old, new = change(lambda d: (d["paths"].__setitem__("/carts", {"post": {
        "operationId": "openCart", "responses": {"201": {"description": "ok"}}}}),
        d["paths"]["/orders"]["get"]["parameters"].append(
            {"name": "q", "in": "query", "schema": {"type": "string"}})))
    found = run(old, new)
    assert {c.level for c in found} == {"info"}
    assert {c.id for c in found} == {"operation-added", "new-optional-request-parameter"}


def test_loosening_a_request_is_not_breaking_but_widening_a_response_is():
    old, new = change(lambda d: (
        d["components"]["schemas"]["NewOrder"]["properties"]["cart"].__setitem__("maxLength", 128),
        d["components"]["schemas"]["Order"]["properties"]["total"].__setitem__(
            "type", ["number", "string"])))
    found = run(old, new)
    assert [c.id for c in found if c.level == "error"] == ["response-type-changed"]


def test_draft_stability_downgrades_errors_and_lowering_stability_is_an_error():
    old, new = v1(), v1()
    old["paths"]["/orders/{id}"]["get"]["x-stability-level"] = "alpha"
    new["paths"].pop("/orders/{id}")
    assert [(c.id, c.level) for c in run(old, new)] == [("operation-removed", "info")]
    old, new = change(lambda d: d["paths"]["/orders"]["get"].__setitem__(
        "x-stability-level", "beta"))
    assert [(c.id, c.level) for c in run(old, new)] == [("operation-stability-decreased",
                                                          "error")]


def test_removing_a_deprecated_operation_before_its_sunset_is_an_error():
    from datetime import date

    old, new = change(lambda d: d["paths"].pop("/legacy"))
    old["paths"]["/legacy"]["get"]["x-sunset"] = "2027-01-31"
    before = diff_specs(parse_spec(json.dumps(old)), parse_spec(json.dumps(new)),
                        today=date(2026, 12, 1))
    after = diff_specs(parse_spec(json.dumps(old)), parse_spec(json.dumps(new)),
                       today=date(2027, 2, 1))
    assert [(c.id, c.level) for c in before] == [("operation-removed-before-sunset", "error")]
    assert [(c.id, c.level) for c in after] == [("operation-removed", "warning")]


def test_removed_operations_are_counted_exactly():
    old = v1()
    for i in range(30):
        old["paths"][f"/things/{i}"] = {"get": {"operationId": f"t{i}", "responses": {
            "200": {"description": "ok"}}}}
    new = copy.deepcopy(old)
    for i in (3, 7, 11):
        new["paths"].pop(f"/things/{i}")
    found = run(old, new)
    assert sorted(c.operation for c in found if c.id == "operation-removed") == [
        "GET /things/11", "GET /things/3", "GET /things/7"]
    assert all(c.level == "error" for c in found if c.id == "operation-removed")


def test_cli_diff_json_and_exit_codes(tmp_path, capsys):
    old, new = change(FAMILIES["operation removed"][3])
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new))
    assert main(["api", "diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"),
                 "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["changes"] == [{"id": "operation-removed", "level": "error",
                                "operation": "GET /orders/{id}",
                                "message": "GET /orders/{id} was removed without being "
                                           "deprecated first"}]
    assert main(["api", "diff", str(tmp_path / "old.yaml"), str(tmp_path / "old.yaml")]) == 0
    assert main(["api", "diff", str(tmp_path / "old.yaml"), str(tmp_path / "nope.yaml")]) == 2


def test_event_contracts_break_consumers_when_payload_fields_go():
    from archkit.api import load_spec
    from archkit.examples import example_dir

    path = example_dir("order-platform") / "api" / "asyncapi.yaml"
    old = load_spec(path)
    data = copy.deepcopy(old.data)
    del data["components"]["schemas"]["OrderPlaced"]["properties"]["currency"]
    data["components"]["schemas"]["OrderPlaced"]["required"].remove("currency")
    del data["operations"]["fulfilmentModuleConsumesPaymentProcessed"]
    found = diff_specs(old, parse_spec(yaml.safe_dump(data)))
    assert {(c.id, c.level, c.operation) for c in found} == {
        ("payload-property-removed", "error", "SEND shopfront.order-placed"),
        ("payload-property-removed", "error", "RECEIVE shopfront.order-placed"),
        ("operation-removed", "error", "RECEIVE shopfront.payment-processed")}
    assert diff_specs(old, old) == []


def test_comparing_an_openapi_with_an_asyncapi_document_is_bad_input():
    from archkit.api import load_spec
    from archkit.errors import ArchkitError
    from archkit.examples import example_dir

    api = example_dir("order-platform") / "api"
    with pytest.raises(ArchkitError, match="cannot compare"):
        diff_specs(load_spec(api / "openapi.yaml"), load_spec(api / "asyncapi.yaml"))
