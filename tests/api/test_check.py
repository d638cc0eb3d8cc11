"""api check: validity (same verdicts as openapi-spec-validator), lines, lint rules, CLI."""

from __future__ import annotations

import copy
import json

import pytest
import yaml
from openapi_spec_validator import validate as osv_validate

from archkit.api import LintConfig, check_spec, lint_spec, parse_spec, validate_spec
from archkit.cli import main
from archkit.errors import ArchkitError


def base(version: str = "3.1.0") -> dict:
    return {
        "openapi": version,
        "info": {"title": "Shop", "version": "1.0"},
        "servers": [{"url": "https://api.shop.test"}],
        "paths": {
            "/orders/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "string", "maxLength": 20}}],
                "get": {
                    "operationId": "getOrder",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Order"}}}}},
                },
            },
            "/orders": {"post": {"operationId": "placeOrder", "requestBody": {"content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
                "responses": {"201": {"description": "created"}}}},
        },
        "components": {"schemas": {"Order": {
            "type": "object", "required": ["id"],
            "properties": {"id": {"type": "string", "maxLength": 20},
                           "status": {"type": "string", "enum": ["placed", "paid"],
                                      "default": "placed"}}}}},
    }


def mutate(doc: dict, fn) -> dict:
    doc = copy.deepcopy(doc)
    fn(doc)
    return doc


def _set(path: list, value):
    def fn(doc):
        node = doc
        for p in path[:-1]:
            node = node[p]
        if isinstance(node, list) and path[-1] == len(node):
            node.append(value)
        else:
            node[path[-1]] = value
    return fn


def _del(path: list):
    def fn(doc):
        node = doc
        for p in path[:-1]:
            node = node[p]
        del node[path[-1]]
    return fn


MUTATIONS = {
    "valid": lambda d: None,
    "no info": _del(["info"]),
    "bad response key": _set(["paths", "/orders", "post", "responses", "99"], {"description": "x"}),
    "param without in": _del(["paths", "/orders/{id}", "parameters", 0, "in"]),
    "unknown field on operation": _set(["paths", "/orders", "post", "summaryy"], "x"),
    "dangling ref": _set(["paths", "/orders/{id}", "get", "responses", "200", "content",
                          "application/json", "schema"], {"$ref": "#/components/schemas/Nope"}),
    "duplicate operationId": _set(["paths", "/orders", "post", "operationId"], "getOrder"),
    "undeclared path param": _del(["paths", "/orders/{id}", "parameters"]),
    "path param not in path": _set(["paths", "/orders", "post", "parameters"], [
        {"name": "x", "in": "path", "required": True, "schema": {"type": "string"}}]),
    "bad default": _set(["components", "schemas", "Order", "properties", "status", "default"],
                        "shipped"),
    "allOf required missing": _set(["components", "schemas", "Big"], {
        "allOf": [{"$ref": "#/components/schemas/Order"}], "required": ["nope"]}),
    "repeated path-level parameter": _set(["paths", "/orders/{id}", "parameters", 1], {
        "name": "id", "in": "path", "required": True, "schema": {"type": "string"}}),
    "repeated parameter": _set(["paths", "/orders", "post", "parameters"], [
        {"name": "q", "in": "query", "schema": {"type": "string"}},
        {"name": "q", "in": "query", "schema": {"type": "string"}}]),
}


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_validity_verdict_agrees_with_openapi_spec_validator(case, version):
    doc = mutate(base(version), MUTATIONS[case])
    try:
        osv_validate(doc)
        osv_ok = True
    except Exception:  # noqa: BLE001 - any validation error is a 'not valid' verdict
        osv_ok = False
    ours = validate_spec(parse_spec(json.dumps(doc)))
    assert (not ours.errors) == osv_ok, (case, [str(f) for f in ours])
    assert osv_ok == (case == "valid")


def test_findings_carry_json_pointer_and_yaml_line(tmp_path):
    doc = mutate(base(), MUTATIONS["dangling ref"])
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    report = check_spec(path)
    ref = next(f for f in report.findings if f.code == "API003")
    assert ref.object == ("/paths/~1orders~1{id}/get/responses/200/content/application~1json"
                          "/schema/$ref")
    line = path.read_text().splitlines()[ref.line - 1]
    assert "$ref" in line and "Nope" in line
    assert not report.valid


def test_a_dangling_ref_in_a_request_body_is_caught_where_openapi_spec_validator_looks_away():
    # openapi-spec-validator does not walk request bodies; a $ref there to nothing passes it.
    doc = mutate(base(), _set(["paths", "/orders", "post", "requestBody", "content",
                               "application/json", "schema"], {"$ref": "#/nope"}))
    osv_validate(doc)
    assert [f.code for f in validate_spec(parse_spec(json.dumps(doc)))] == ["API003"]


def test_refs_to_examples_are_checked_but_example_values_are_data():
    doc = base()
    media = doc["paths"]["/orders/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
    media["examples"] = {"gone": {"$ref": "#/components/examples/Gone"},
                         "data": {"value": {"id": "a", "$ref": "not a reference"}}}
    found = [(f.code, f.object) for f in validate_spec(parse_spec(json.dumps(doc)))]
    assert found == [("API003", "/paths/~1orders~1{id}/get/responses/200/content/"
                                "application~1json/examples/gone/$ref")]


def test_openapi_30_nullable_admits_null_inside_examples():
    doc = base("3.0.3")
    props = doc["components"]["schemas"]["Order"]["properties"]
    props["note"] = {"type": "string", "maxLength": 9, "nullable": True}
    props["status"]["nullable"] = True
    media = doc["paths"]["/orders/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
    media["example"] = {"id": "o1", "note": None, "status": None}
    assert not [f for f in lint_spec(parse_spec(json.dumps(doc))) if f.code == "API130"]
    media["example"] = {"id": None}
    assert [f.object for f in lint_spec(parse_spec(json.dumps(doc))) if f.code == "API130"] == [
        "/paths/~1orders~1{id}/get/responses/200/content/application~1json/example/id"]


def test_duplicate_yaml_keys_are_reported_not_dropped():
    spec = parse_spec("openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths: {}\n"
                      "info: {title: b, version: '2'}\n")
    found = validate_spec(spec)
    assert [(f.code, f.object, f.line) for f in found if f.code == "API001"] == [
        ("API001", "/info", 4)]


def test_yaml_dates_stay_strings_so_examples_check_as_json_would():
    spec = parse_spec("openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths: {}\n"
                      "components:\n  schemas:\n    D: {type: string, format: date, "
                      "maxLength: 10, example: 2024-05-01}\n")
    assert spec.data["components"]["schemas"]["D"]["example"] == "2024-05-01"
    assert not [f for f in lint_spec(spec) if f.code == "API131"]


def test_bad_input_is_an_archkit_error_with_place(tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_text("openapi: 3.1.0\ninfo: [\n")
    with pytest.raises(ArchkitError) as err:
        check_spec(bad)
    assert err.value.where.line is not None
    swagger = tmp_path / "s.yaml"
    swagger.write_text("swagger: '2.0'\ninfo: {title: a, version: '1'}\npaths: {}\n")
    with pytest.raises(ArchkitError, match="no 'openapi' or 'asyncapi'"):
        check_spec(swagger)


LINT_CASES = {
    "API101": _del(["paths", "/orders", "post", "operationId"]),
    "API110": _set(["components", "schemas", "Orphan"], {"type": "integer"}),
    "API120": _del(["servers"]),
    "API121": _set(["servers"], [{"url": "http://api.shop.test"}]),
    "API130": _set(["paths", "/orders/{id}", "get", "responses", "200", "content",
                    "application/json", "example"], {"id": 42}),
    "API140": _set(["paths", "/orders", "post", "security"], [{"nope": []}]),
    "API160": _set(["components", "schemas", "Order", "properties", "note"], {"type": "string"}),
    "API161": _set(["components", "schemas", "Order", "properties", "tags"], {
        "type": "array", "items": {"type": "string", "maxLength": 5}}),
}


@pytest.mark.parametrize("code", sorted(LINT_CASES))
def test_each_lint_rule_fires_on_its_planted_fault_only(code):
    clean = {f.code for f in lint_spec(parse_spec(json.dumps(base())))}
    planted = lint_spec(parse_spec(json.dumps(mutate(base(), LINT_CASES[code]))))
    assert code not in clean
    hit = [f for f in planted if f.code == code]
    assert hit and hit[0].fix


def test_rules_can_be_disabled_and_silenced_per_operation():
    doc = base()
    spec = parse_spec(json.dumps(doc))
    assert any(f.code == "API141" for f in lint_spec(spec))
    assert not any(f.code == "API141" for f in lint_spec(spec, LintConfig(disable={"API141"})))
    doc["paths"]["/orders"]["post"]["x-archkit-ignore"] = ["API141", "API150"]
    silenced = lint_spec(parse_spec(json.dumps(doc)))
    assert not [f for f in silenced if f.code in ("API141", "API150")
                and f.object.startswith("/paths/~1orders/post")]
    assert [f for f in silenced if f.code == "API150"]  # still on GET /orders/{id}
    doc["x-archkit-ignore"] = ["API150"]
    assert not [f for f in lint_spec(parse_spec(json.dumps(doc))) if f.code == "API150"]


def test_secured_rate_limited_operation_is_clean_of_owasp_findings():
    doc = base()
    doc["security"] = [{"bearer": []}]
    doc["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    headers = {"RateLimit": {"schema": {"type": "string", "maxLength": 100}}}
    for item in doc["paths"].values():
        for method in ("get", "post"):
            if method in item:
                item[method]["responses"] = {
                    "200": {"description": "ok", "headers": headers},
                    "400": {"description": "bad", "headers": headers,
                            "content": {"application/json": {"schema": {"type": "object"}}}},
                    "401": {"description": "who", "headers": headers,
                            "content": {"application/json": {"schema": {"type": "object"}}}},
                    "429": {"description": "slow", "headers": {
                        **headers, "Retry-After": {"schema": {"type": "integer"}}},
                        "content": {"application/json": {"schema": {"type": "object"}}}}}
    codes = {f.code for f in lint_spec(parse_spec(json.dumps(doc)))}
    assert not codes & {"API141", "API142", "API150", "API151", "API152", "API153", "API154"}


def test_cli_check_json_shape_and_exit_codes(tmp_path, capsys):
    good = base()
    good["paths"]["/orders"]["post"]["x-archkit-ignore"] = ["API141"]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(mutate(base(), MUTATIONS["duplicate operationId"])))
    assert main(["api", "check", str(path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    first = data["findings"][0]
    assert set(first) >= {"code", "kind", "severity", "message", "path", "line"}
    assert {f["kind"] for f in data["findings"]} == {"validity", "lint"}
    assert any(f["code"] == "API004" and f["line"] for f in data["findings"])
    assert main(["api", "check", str(tmp_path / "missing.yaml")]) == 2
    capsys.readouterr()
    warn_only = tmp_path / "w.yaml"
    warn_only.write_text(yaml.safe_dump(base()))
    codes = "API141,API142,API151,API160,API161"
    assert main(["api", "check", str(warn_only), "--disable", codes]) == 0


def test_asyncapi_documents_are_validated_against_the_official_schema():
    good = ("asyncapi: 3.0.0\ninfo: {title: Orders, version: '1.0'}\n"
            "channels:\n  orders:\n    address: orders.placed\n    messages:\n"
            "      OrderPlaced:\n        payload: {type: object}\n")
    assert not validate_spec(parse_spec(good))
    bad = good.replace("address: orders.placed", "address: 42")
    found = validate_spec(parse_spec(bad))
    assert [f.object for f in found if f.code == "API002"] == ["/channels/orders"]
    assert found[0].line == 4  # the line of the key "orders:"


FORMAT_DEFAULTS = [
    ("date-time", "abc"), ("date-time", "2024-05-01T10:00:00Z"), ("email", "nope"),
    ("uuid", "x"), ("uuid", "123e4567-e89b-12d3-a456-426614174000"), ("int32", 2**40),
    ("int32", 5), ("int64", 2**70), ("date", "2020-13-45"), ("ipv4", "999.1.1.1"),
    ("uri", "not a uri"), ("byte", "!!"), ("byte", "aGk="), ("regex", "["),
    ("uri-reference", "/a b"), ("password", "x"),
]


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
@pytest.mark.parametrize(("fmt", "value"), FORMAT_DEFAULTS)
def test_defaults_are_checked_against_their_format_as_openapi_spec_validator_does(
        version, fmt, value):
    kind = "integer" if fmt.startswith("int") else "string"
    doc = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {},
           "components": {"schemas": {"A": {"type": kind, "format": fmt, "default": value}}}}
    try:
        osv_validate(doc)
        osv_ok = True
    except Exception:  # noqa: BLE001
        osv_ok = False
    assert (not validate_spec(parse_spec(json.dumps(doc))).errors) == osv_ok


def test_json_documents_get_lines_too_and_no_lint_validates_only(tmp_path, capsys):
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(mutate(base(), MUTATIONS["duplicate operationId"]), indent=2))
    found = check_spec(path).findings
    dup = next(f for f in found if f.code == "API004")
    assert '"operationId": "getOrder"' in path.read_text().splitlines()[dup.line - 1]
    assert main(["api", "check", str(path), "--no-lint", "--json"]) == 1
    kinds = {f["kind"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert kinds == {"validity"}


def test_asyncapi_lint_wants_tls_servers_and_bounded_payloads():
    doc = ("asyncapi: 3.0.0\ninfo: {title: Orders, version: '1.0'}\n"
           "servers:\n  prod: {host: 'k:9092', protocol: kafka}\n"
           "channels:\n  orders:\n    address: orders.placed\n    messages:\n"
           "      OrderPlaced:\n        payload:\n          type: object\n"
           "          properties:\n            note: {type: string}\n"
           "            ids: {type: array, items: {type: integer}}\n")
    found = [(f.code, f.object) for f in check_spec(parse_spec(doc)).findings]
    assert found == [("API121", "/servers/prod/protocol"),
                     ("API160", "/channels/orders/messages/OrderPlaced/payload/properties/note"),
                     ("API161", "/channels/orders/messages/OrderPlaced/payload/properties/ids")]
    secure = doc.replace("protocol: kafka", "protocol: kafka-secure").replace(
        "{type: string}", "{type: string, maxLength: 200}").replace(
        "{type: array,", "{type: array, maxItems: 10,")
    assert check_spec(parse_spec(secure)).findings == []


HOSTILE_YAML = {
    "recursive alias": ("x: &a [*a]\n", "recursive alias"),
    "alias bomb": ("a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 8)),
        "alias bomb"),
    "deep nesting": ("x: " + "[" * 900 + "]" * 900 + "\n", "cannot be validated"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_YAML))
def test_hostile_yaml_is_bad_input_not_a_crash_or_a_hang(case):
    tail, says = HOSTILE_YAML[case]
    text = "openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths: {}\n" + tail
    with pytest.raises(ArchkitError, match=says):
        check_spec(parse_spec(text))


def test_anchors_and_merge_keys_are_read_like_yaml_does():
    text = ("openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths: {}\ncomponents:\n"
            "  schemas:\n    A: &s {type: string, maxLength: 3}\n    B: *s\n"
            "    C: {<<: *s, minLength: 1}\n")
    schemas = parse_spec(text).data["components"]["schemas"]
    assert schemas["B"] == schemas["A"] and schemas["C"] == {**schemas["A"], "minLength": 1}


def test_optional_authentication_on_a_write_is_its_own_finding():
    doc = base()
    doc["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    doc["paths"]["/orders"]["post"]["security"] = [{"bearer": []}, {}]
    found = [(f.code, f.object) for f in lint_spec(parse_spec(json.dumps(doc)))
             if f.code.startswith("API14")]
    assert sorted(found) == [("API142", "/paths/~1orders~1{id}/get"),
                             ("API143", "/paths/~1orders/post/security/1")]


def test_the_report_shows_refs_in_jupyter_without_maths():
    """JupyterLab typesets `$…$` as maths: two `$ref` pointers in one Markdown table did."""
    doc = mutate(base(), _set(["paths", "/orders", "post", "requestBody", "content",
                               "application/json", "schema"], {"$ref": "#/nope"}))
    report = check_spec(parse_spec(json.dumps(doc)))
    assert list(report.findings.by_code("API003"))
    html = report._repr_html_()
    assert "$" not in html and "&#36;ref" in html and 'class="mathjax_ignore"' in html
    assert "ERROR" in html and "not valid" in html
