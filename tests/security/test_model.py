"""The C4 model read as a data-flow diagram: kinds, boundaries, flows, assets, triage refs."""

from __future__ import annotations

import shutil

from threat_fixtures import build, design_for

from archkit.c4 import read_dsl
from archkit.schema import check_schema
from archkit.security import analyse, build_threat_model
from archkit.security.assets import classify


def test_kinds_roles_and_boundaries_of_the_clean_design():
    tm = build_threat_model(build())
    kinds = {n.id: (n.kind, n.role) for n in tm.nodes.values()}
    assert kinds == {"patient": ("external", "person"), "web": ("process", "client"),
                     "api": ("process", "service"), "accounts": ("process", "service"),
                     "db": ("datastore", "database")}
    assert tm.nodes["api"].boundaries == ["system:clinic", "node:region"]
    assert tm.nodes["web"].boundaries == ["client"]  # runs on the user's device
    crossing = {(f.source, f.destination) for f in tm.flows if f.crosses}
    assert crossing == {("patient", "web"), ("web", "api")}
    assert [n.id for n in tm.public()] == ["api"]
    assert [n.id for n in tm.request_path()] == ["api", "accounts"]
    assert tm.nodes["api"].instances == 2


def test_trust_boundary_tag_on_a_container_and_a_relationship():
    def tagged(ws, p):
        p["db"].element.tags.append("trust-boundary")
    tm = build_threat_model(build(extra=tagged))
    assert tm.nodes["db"].boundaries[-1] == "tagged:db"
    assert next(f for f in tm.flows if f.destination == "db").crosses

    def rel(ws, p):
        p["api"].uses(p["accounts"], "Audits with", "gRPC", tags="trust-boundary")
    tm = build_threat_model(build(extra=rel))
    assert any(f.crosses for f in tm.flows if f.description == "Audits with")


def test_trust_boundary_tag_on_a_deployment_node():
    def zone(ws, p):
        node = ws.environment("Live").node("PCI zone", "", "VPC", tags="trust-boundary",
                                           id="pci")
        node.instance(p["accounts"])
    tm = build_threat_model(build(extra=zone))
    assert "node:pci" in tm.nodes["accounts"].boundaries
    assert next(f for f in tm.flows if f.source == "api" and f.destination == "accounts").crosses


def test_groups_and_component_relationships_in_big_bank(corpora):
    ws, _ = read_dsl(corpora / "c4" / "big-bank-plc.dsl")
    tm = build_threat_model(ws)
    assert tm.nodes["mainframe"].boundaries[0] == "group:Big Bank plc"
    assert not tm.nodes["mainframe"].untrusted and tm.nodes["customer"].untrusted
    # component-level relationships lift to their containers
    assert any(f.source == "singlePageApplication" and f.destination == "apiApplication"
               for f in tm.flows)
    assert tm.nodes["apiApplication"].instances == 8
    assert {a.cls for a in tm.nodes["database"].assets} == {"credentials", "pii"}


def test_assets_by_name_type_comment_and_requirements():
    ddl = """
    CREATE TABLE accounts (id bigint PRIMARY KEY, login text, password_hash text,
                           last_ip inet, nickname text, iban text, note text);
    COMMENT ON COLUMN accounts.note IS 'free text; classification: pii';
    """
    catalog = check_schema(ddl, "postgres").catalog
    found = {a.name: (a.cls, a.why) for a in classify(catalog, {"accounts.nickname": "pii",
                                                                 "accounts.iban": "public"})}
    assert found["accounts.password_hash"][0] == "credentials"
    assert found["accounts.last_ip"] == ("pii", "column type inet (a network address)")
    assert found["accounts.note"] == ("pii", "SQL comment")
    assert found["accounts.nickname"] == ("pii", "classified in requirements.yaml")
    assert "accounts.iban" not in found and "accounts.login" not in found


def test_assets_follow_the_tables_a_flow_names():
    ws = build()
    design = design_for(ws)
    tm = build_threat_model(ws, design.catalog)
    assert {a.name for a in tm.nodes["accounts"].assets} == {"users.email",
                                                             "users.password_hash"}


def test_example_assets_are_placed_by_table(example):
    tm = analyse(example).model
    writer = next(f.source for f in tm.flows if "Writes shipments" in f.description)
    assert "shipments.tracking_code" in {a.name for a in tm.nodes[writer].assets}
    assert "payments.provider_ref" in {a.name for a in tm.nodes["database"].assets}


def test_mitigation_by_an_adr_that_does_not_exist_is_reported(example, tmp_path):
    folder = tmp_path / "shop"
    shutil.copytree(example, folder)
    path = folder / "security" / "threats.yaml"
    path.write_text(path.read_text().replace(
        "by: 'control: Amazon RDS storage encryption",
        "by: 'ADR 0042: Amazon RDS storage encryption"))
    notes = [n for n in analyse(folder).notes if n.code != "TM004"]
    assert [n.code for n in notes] == ["TM005"] and "ADR 0042" in notes[0].message
    adr_dir = folder / "docs" / "decisions"
    adr_dir.mkdir(parents=True, exist_ok=True)
    (adr_dir / "0042-storage.md").write_text("# Protect the stored data\n")
    assert [n for n in analyse(folder).notes if n.code != "TM004"] == []


def test_rejected_and_superseded_adrs_decide_nothing(example, tmp_path):
    folder = tmp_path / "shop"
    shutil.copytree(example, folder)
    adr_dir = folder / "docs" / "decisions"
    adr_dir.mkdir(parents=True, exist_ok=True)
    (adr_dir / "0007-vault.md").write_text(
        "# 7. Keep secrets in HashiCorp Vault\n\n## Status\n\nSuperseded by 8\n")
    (adr_dir / "0008-secrets.md").write_text(
        "---\nstatus: rejected\n---\n# Use AWS Secrets Manager\n")
    assert "TM112" in analyse(folder).by_rule()
    (adr_dir / "0009-secrets.md").write_text(
        "---\nstatus: accepted\n---\n# Use AWS Secrets Manager\n")
    assert "TM112" not in analyse(folder).by_rule()


def test_a_flow_counts_the_component_relationships_it_stands_for(corpora):
    ws, _ = read_dsl(corpora / "c4" / "big-bank-plc.dsl")
    tm = build_threat_model(ws)
    spa_api = [f for f in tm.flows
               if (f.source, f.destination) == ("singlePageApplication", "apiApplication")]
    # three controllers called by the SPA, one flow with one technology
    assert [f.relationships for f in spa_api] == [3]
