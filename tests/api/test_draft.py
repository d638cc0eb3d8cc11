"""api draft: OpenAPI 3.1 from requirements + schema, AsyncAPI 3 from decisions + C4."""

from __future__ import annotations

import json
import shutil
from types import SimpleNamespace

import pytest

from archkit.api import draft_asyncapi, draft_openapi, parse_spec, validate_spec, write_drafts
from archkit.api.draft import dump_yaml
from archkit.api.mapping import column_schema, json_types, resource_table
from archkit.cli import main
from archkit.errors import ArchkitError
from archkit.examples import example_dir

EXAMPLE = example_dir("order-platform")


@pytest.fixture(scope="module")
def openapi():
    return draft_openapi(EXAMPLE)


def test_one_operation_per_required_endpoint_on_the_right_table(openapi):
    ops = {(m.upper(), p): op for p, item in openapi["paths"].items() for m, op in item.items()}
    assert set(ops) == {("GET", "/v1/products"), ("GET", "/v1/products/{id}"),
                        ("POST", "/v1/carts"), ("PUT", "/v1/carts/{id}/items"),
                        ("POST", "/v1/orders"), ("GET", "/v1/orders/{id}"),
                        ("GET", "/v1/orders"), ("POST", "/v1/payments/webhook")}
    tables = {k: op["x-archkit-table"] for k, op in ops.items()}
    assert tables[("PUT", "/v1/carts/{id}/items")] == "cart_items"
    assert tables[("POST", "/v1/payments/webhook")] == "payments"
    assert ops[("GET", "/v1/orders")]["operationId"] == "listOrders"
    assert ops[("POST", "/v1/payments/webhook")]["operationId"] == "receivePaymentWebhook"
    assert ops[("POST", "/v1/orders")]["x-archkit-container"] == "orderModule"
    assert ops[("POST", "/v1/payments/webhook")]["x-archkit-container"] == "paymentModule"


def test_components_come_from_columns_with_types_limits_and_nullability(openapi):
    product = openapi["components"]["schemas"]["Product"]
    props = product["properties"]
    assert "tenant_id" not in props  # the tenant comes from the token's claim
    assert props["sku"] == {"type": "string", "maxLength": 64}
    assert props["currency"] == {"type": "string", "maxLength": 3, "minLength": 3}
    assert props["price"]["type"] == "number" and props["price"]["multipleOf"] == 0.01
    assert props["description"]["type"] == ["string", "null"]
    assert props["id"]["readOnly"] is True and props["id"]["format"] == "int64"
    assert props["created_at"]["format"] == "date-time"
    assert "description" not in product["required"] and "sku" in product["required"]


def test_the_draft_is_valid_and_lint_points_at_what_to_tighten(openapi):
    from archkit.api import lint_spec

    spec = parse_spec(dump_yaml(openapi))
    assert validate_spec(spec) == []
    assert [(f.code, f.object) for f in lint_spec(spec)] == [
        ("API160", "/components/schemas/Product/properties/description")]


def test_types_are_mapped_per_dialect():
    col = SimpleNamespace
    assert column_schema(col(type="tinyint(1)", nullable=False), "mysql") == {"type": "boolean"}
    assert column_schema(col(type="integer", nullable=False), "sqlite")["format"] == "int64"
    assert column_schema(col(type="integer", nullable=False), "postgres")["format"] == "int32"
    assert json_types("numeric(12,2)") == {"number", "string"}
    assert "string" not in json_types("boolean")
    assert resource_table("/v2/carts/{id}/items", {"carts", "cart_items"}) == "cart_items"


def test_asyncapi_draft_has_the_pipeline_events_from_the_dynamic_view():
    doc = draft_asyncapi(EXAMPLE)
    assert validate_spec(parse_spec(dump_yaml(doc))) == []
    assert set(doc["components"]["messages"]) == {"OrderPlaced", "InventoryReserved",
                                                  "PaymentProcessed"}
    assert doc["servers"]["production"]["protocol"] == "kafka"  # the broker decision's winner
    sends = {(o["x-archkit-container"], o["channel"]["$ref"]) for o in
             doc["operations"].values() if o["action"] == "send"}
    assert sends == {("outboxPublisher", "#/channels/orderPlaced"),
                     ("outboxPublisher", "#/channels/inventoryReserved"),
                     ("outboxPublisher", "#/channels/paymentProcessed")}
    receives = {(o["x-archkit-container"], o["channel"]["$ref"]) for o in
                doc["operations"].values() if o["action"] == "receive"}
    assert receives == {("inventoryModule", "#/channels/orderPlaced"),
                        ("paymentModule", "#/channels/inventoryReserved"),
                        ("fulfilmentModule", "#/channels/paymentProcessed")}
    payload = doc["components"]["schemas"]["PaymentProcessed"]
    assert payload["x-archkit-table"] == "payments"
    assert payload["properties"]["provider_ref"]["maxLength"] == 100


def test_write_drafts_is_deterministic_and_never_clobbers_edits(tmp_path):
    folder = tmp_path / "design"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("api"))
    first = write_drafts(folder, folder / "api")
    text = (folder / "api" / "openapi.yaml").read_text()
    write_drafts(folder, folder / "api")  # same content: accepted, nothing changes
    assert (folder / "api" / "openapi.yaml").read_text() == text
    assert [p.name for p in first.files] == ["openapi.yaml", "asyncapi.yaml"]
    (folder / "api" / "openapi.yaml").write_text(text + "# my edit\n")
    with pytest.raises(ArchkitError, match="refusing to overwrite"):
        write_drafts(folder, folder / "api")
    assert main(["api", "draft", str(folder)]) == 2
    assert main(["api", "draft", str(folder), "--force"]) == 0
    assert (folder / "api" / "openapi.yaml").read_text() == text


def test_a_folder_without_c4_still_drafts_openapi_and_says_what_it_skipped(tmp_path):
    folder = tmp_path / "d"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("api", "workspace.py"))
    result = write_drafts(folder, folder / "api")
    assert [p.name for p in result.files] == ["openapi.yaml"]
    assert [f.code for f in result.findings] == ["API300"]


def test_a_folder_with_nothing_to_draft_is_bad_input(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["api", "draft", str(tmp_path / "empty"), "--json"]) == 2
    error = json.loads(capsys.readouterr().out)
    assert "nothing could be drafted" in error["error"] and error["hint"]


def test_serving_containers_come_from_the_workspace_and_the_draft_is_consistent(tmp_path):
    from archkit.api import consistency_findings

    folder = tmp_path / "design"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("api"))
    ops = {(m.upper(), p): op["x-archkit-container"]
           for p, item in draft_openapi(folder)["paths"].items() for m, op in item.items()}
    assert ops[("GET", "/v1/products/{id}")] == "catalogueModule"  # its `endpoints` property
    write_drafts(folder, folder / "api")
    assert [f.code for f in consistency_findings(folder)
            if f.code in ("API306", "API307", "API309")] == []
    # without the modules' endpoints: the dynamic step, the webhook's caller, else the API
    ws = folder / "workspace.py"
    ws.write_text(ws.read_text().replace('ref.element.properties["endpoints"] = endpoints',
                                         "pass"))
    ops = {(m.upper(), p): op["x-archkit-container"]
           for p, item in draft_openapi(folder)["paths"].items() for m, op in item.items()}
    assert ops[("POST", "/v1/orders")] == "orderModule"   # step "POST /v1/orders"
    assert ops[("POST", "/v1/payments/webhook")] == "paymentModule"  # the provider calls it
    assert ops[("GET", "/v1/products")] == "app"          # the container describing the API
