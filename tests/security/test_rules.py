"""Every rule fires on a design with its defect planted, and not on the clean design."""

from __future__ import annotations

from threat_fixtures import CLEAN_DDL, CLEAN_DECISIONS, build, rules, threats

from archkit.security.rules import RULES


def _without(*refs):
    return [d for d in CLEAN_DECISIONS if d.ref not in refs]


def test_the_clean_design_has_no_threats():
    assert threats() == []


def test_twenty_rules_each_with_why_and_fix():
    assert len(RULES) == 20
    for code, rule in RULES.items():
        assert code == rule.code and code.startswith("TM1")
        assert rule.why and rule.fix and set(rule.stride) <= set("STRIDE")


def test_tm101_plain_http_from_the_internet_is_high():
    found = threats(build(api_tech="JSON/HTTP"))
    assert rules(found) == ["TM101"]
    assert found[0].severity == "high" and found[0].element == "web->api"
    assert "without TLS" in found[0].message


def test_tm102_boundary_flow_without_technology():
    def partner(ws, p):
        ws.system("Insurer", "Checks cover", external=True, id="insurer").uses(p["api"], "Asks")
    assert rules(threats(build(extra=partner))) == ["TM102"]

    def partner_tls(ws, p):
        ws.system("Insurer", "Checks cover", external=True, id="insurer").uses(
            p["api"], "Asks", "HTTPS with mTLS")
    assert "TM102" not in rules(threats(build(extra=partner_tls)))


def test_tm103_no_authentication_decided_or_described():
    found = threats(decisions=_without("ADR 0001"))
    assert rules(found) == ["TM103"] and found[0].severity == "high"


def test_tm103_one_finding_for_every_public_process():
    def second_api(ws, p):
        admin = p["system"].container("Reports", "Reports API", "Python", id="reports")
        p["web"].uses(admin, "Fetches reports from", "JSON/HTTPS")
        ws.environment("Live")
    found = [t for t in threats(build(extra=second_api), decisions=_without("ADR 0001"))
             if t.rule == "TM103"]
    assert len(found) == 1 and found[0].merged == 2
    assert set(found[0].elements) == {"api", "reports"}


def test_tm104_store_reached_from_outside_its_boundary():
    def direct(ws, p):
        ws.system("Analytics", "BI tool", external=True, id="bi").uses(
            p["db"], "Reads tables from", "SQL/TLS")
    found = threats(build(extra=direct))
    assert "TM104" in rules(found)
    assert next(t for t in found if t.rule == "TM104").elements == ("db", "bi")


def test_tm105_credentials_without_encryption_at_rest():
    found = threats(decisions=_without("ADR 0003"))
    assert rules(found) == ["TM105"] and found[0].severity == "high"
    assert "credentials" in found[0].message


def test_tm105_pii_only_is_medium():
    ddl = "CREATE TABLE tenants (id bigint PRIMARY KEY);\nCREATE TABLE people (id bigint " \
          "PRIMARY KEY, tenant_id bigint NOT NULL, email text);"
    found = threats(ddl=ddl, decisions=_without("ADR 0003"))
    assert [(t.rule, t.severity) for t in found] == [("TM105", "medium")]


def test_tm106_personal_data_to_an_external_system():
    def mailer(ws, p):
        p["accounts"].uses(ws.system("Mailer", "Sends mail", external=True, id="mailer"),
                           "Sends reminders using", "HTTPS")
    found = threats(build(extra=mailer))
    assert "TM106" in rules(found)
    assert next(t for t in found if t.rule == "TM106").element == "mailer"


def test_tm106_not_for_a_service_without_personal_data():
    def mailer(ws, p):
        p["web"].uses(ws.system("CDN", "Static files", external=True, id="cdn"),
                      "Loads fonts from", "HTTPS")
    assert "TM106" not in rules(threats(build(extra=mailer)))


def test_tm107_table_without_tenant_key():
    ddl = ("CREATE TABLE tenants (id bigint PRIMARY KEY);\n"
           "CREATE TABLE users (id bigint PRIMARY KEY, tenant_id bigint NOT NULL);\n"
           "CREATE TABLE notes (id bigint PRIMARY KEY, body text);")
    found = threats(ddl=ddl)
    assert rules(found) == ["TM107"] and found[0].element == "notes"
    assert "TM107" not in rules(threats(ddl=ddl, multi_tenant=False))


def test_tm108_unique_key_ignoring_the_tenant_reuses_sc207():
    ddl = "CREATE TABLE tenants (id bigint PRIMARY KEY);\nCREATE TABLE users (id bigint " \
          "PRIMARY KEY, tenant_id bigint NOT NULL, login text, CONSTRAINT u UNIQUE (login));"
    found = threats(ddl=ddl)
    assert rules(found) == ["TM108"] and "SC207" in found[0].message


def test_tm109_webhook_without_signature():
    def hooks(ws, p, words="Sends payment webhooks to"):
        ws.system("PSP", "Card payments", external=True, id="psp").uses(p["api"], words, "HTTPS")
    assert "TM109" in rules(threats(build(extra=hooks)))
    signed = build(extra=lambda ws, p: hooks(ws, p, "Sends HMAC-signed payment webhooks to"))
    assert "TM109" not in rules(threats(signed))


RATE_LIMITED_SPEC = """openapi: 3.1.0
info: {title: x, version: '1'}
paths:
  /x:
    get:
      operationId: getX
      responses:
        '200':
          description: ok
          headers: {RateLimit: {schema: {type: string}}}
        '429':
          description: slow down
          headers:
            RateLimit: {schema: {type: string}}
            Retry-After: {schema: {type: integer}}
          content: {application/json: {schema: {type: object}}}
"""


def test_tm110_public_api_without_rate_limits(tmp_path):
    assert rules(threats(decisions=_without("ADR 0004"))) == ["TM110"]
    spec = tmp_path / "openapi.yaml"
    spec.write_text(RATE_LIMITED_SPEC)
    assert threats(decisions=_without("ADR 0004"), openapi=spec) == []
    spec.write_text("openapi: 3.1.0\npaths: {}\n")
    found = threats(decisions=_without("ADR 0004"), openapi=spec)
    assert rules(found) == ["TM110"] and "OpenAPI contract" in found[0].message


def test_tm111_single_instance_on_the_request_path():
    found = threats(build(api_instances=1))
    assert rules(found) == ["TM111"] and found[0].element == "api"


def test_tm112_no_secret_store():
    found = threats(decisions=_without("ADR 0002"))
    assert rules(found) == ["TM112"] and found[0].element == "accounts"


def test_tm113_admin_console_at_the_public_entry():
    def admin(ws, p):
        console = p["system"].container("Admin Console", "Back office for staff", "Python",
                                        id="admin")
        p["person"].uses(console, "Administers using", "HTTPS")
        ws.environment("Live").node("admin task", "", "Docker", instances=2).instance(console)
    found = threats(build(extra=admin))
    assert "TM113" in rules(found)
    assert "TM113" not in rules(threats())


def test_tm114_plain_connection_to_a_store_of_secrets():
    found = threats(build(db_tech="SQL"))
    assert rules(found) == ["TM114"] and found[0].severity == "low"


def test_tm115_no_tenant_isolation_decision():
    assert rules(threats(decisions=_without("ADR 0005"))) == ["TM115"]
    assert threats(decisions=_without("ADR 0005"), multi_tenant=False) == []


def test_tm116_broker_without_authenticated_producers():
    def broker(ws, p, tech="Kafka"):
        b = p["system"].container("Broker", "Events", "Apache Kafka", tags="Message Broker",
                                  id="broker")
        p["accounts"].uses(b, "Publishes UserChanged to", tech)
    assert "TM116" in rules(threats(build(extra=broker)))
    sasl = build(extra=lambda ws, p: broker(ws, p, "Kafka over SASL_SSL"))
    assert "TM116" not in rules(threats(sasl))


def test_tm117_element_without_technology():
    def bare(ws, p):
        p["system"].container("Worker", "Does jobs", id="worker")
    found = threats(build(extra=bare))
    assert rules(found) == ["TM117"] and found[0].element == "worker"


def test_tm118_public_process_reads_secrets_directly():
    def shortcut(ws, p):
        p["api"].uses(p["db"], "Reads users from", "SQL/TLS")
    found = threats(build(extra=shortcut))
    assert rules(found) == ["TM118"]
    assert found[0].elements == ("api", "db")


def test_tm119_no_audit_trail():
    assert rules(threats(decisions=_without("ADR 0006"))) == ["TM119"]
    ddl = CLEAN_DDL + "CREATE TABLE audit_log (id bigint PRIMARY KEY, tenant_id bigint NOT NULL);"
    assert threats(ddl=ddl, decisions=_without("ADR 0006")) == []


def test_tm120_request_path_calls_an_external_system():
    def sync(ws, p):
        p["accounts"].uses(ws.system("Registry", "National registry", external=True,
                                     id="registry"), "Checks identity with", "HTTPS")
    found = threats(build(extra=sync))
    assert "TM120" in rules(found)
    assert next(t for t in found if t.rule == "TM120").element == "accounts->registry"


def test_ids_are_stable_and_depend_on_rule_and_elements():
    a = threats(build(api_tech="JSON/HTTP"))
    b = threats(build(api_tech="JSON/HTTP"))
    assert [t.id for t in a] == [t.id for t in b]
    assert a[0].id.startswith("TM101-") and len(a[0].id) == len("TM101-") + 8


def test_tm103_tm109_read_the_api_contract(tmp_path):
    def hooks(ws, p):
        ws.system("PSP", "Card payments", external=True, id="psp").uses(
            p["api"], "Sends payment webhooks to", "HTTPS")
    spec = tmp_path / "openapi.yaml"
    spec.write_text("openapi: 3.1.0\nsecurity:\n  - bearer: []\npaths: {}\ncomponents:\n"
                    "  securitySchemes:\n    bearer: {type: http, scheme: bearer}\n"
                    "    psp: {type: apiKey, in: header, name: X-Signature,\n"
                    "          description: HMAC of the body}\n")
    found = rules(threats(build(extra=hooks), decisions=_without("ADR 0001"), openapi=spec))
    assert "TM103" not in found and "TM109" not in found


def test_tm113_admin_endpoint_in_the_requirements():
    found = threats(endpoints=[("GET", "/v1/products"), ("POST", "/admin/tenants")])
    assert rules(found) == ["TM113"] and found[0].element == "api"
    assert "/admin/tenants" in found[0].message
    assert threats(endpoints=[("GET", "/v1/products")]) == []
