"""DSL writer (lossless round trip) and the C4-PlantUML / Mermaid exporters."""

from __future__ import annotations

from archkit.c4 import new_workspace
from archkit.c4.dsl_reader import parse_dsl
from archkit.c4.dsl_writer import write_dsl
from archkit.c4.mermaid import to_mermaid
from archkit.c4.plantuml import to_plantuml

from .conftest import HOSTILE


def test_big_bank_dsl_round_trip_is_lossless(big_bank):
    text = write_dsl(big_bank)
    again, findings = parse_dsl(text)
    assert again.to_dict() == big_bank.to_dict()
    assert list(findings) == []
    assert write_dsl(again) == text  # and the writer is deterministic


def test_python_workspace_round_trips_through_dsl(shopfront):
    shopfront.view("Containers").without_implied()
    again, _ = parse_dsl(write_dsl(shopfront))
    assert again.to_dict() == shopfront.to_dict()
    assert again.view("Containers").implied is False


def _hostile_workspace():
    b = new_workspace(HOSTILE, HOSTILE)
    s = b.system(HOSTILE, HOSTILE, id="s")
    db = s.container(HOSTILE, HOSTILE, HOSTILE, tags="Database", id="db")
    u = b.person(HOSTILE, HOSTILE, id="u")
    u.uses(db, HOSTILE, HOSTILE)
    b.containers(s, "C", title=HOSTILE).includes("*")
    return b.build()


def test_hostile_label_is_inert_in_dsl():
    ws = _hostile_workspace()
    text = write_dsl(ws)
    assert '"<script>alert(\\"x\\")</script> & \\"quotes\\""' in text
    again, _ = parse_dsl(text)
    assert again.model["u"].name == HOSTILE
    assert again.to_dict() == ws.to_dict()


def test_hostile_label_is_inert_in_plantuml():
    text = to_plantuml(_hostile_workspace()).files["C.puml"]
    assert "<script>" not in text and 'alert("x")' not in text
    assert "&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#34;quotes&#34;" in text
    for line in text.splitlines():  # every string literal stays closed on its line
        assert line.count('"') % 2 == 0


def test_hostile_label_is_inert_in_mermaid():
    text = to_mermaid(_hostile_workspace()).files["C.mmd"]
    assert "<script>" not in text
    assert "#lt;script#gt;alert(#quot;x#quot;)#lt;/script#gt; #amp; #quot;quotes#quot;" in text
    for line in text.splitlines():
        assert line.count('"') % 2 == 0


def test_plantuml_export_of_big_bank(big_bank):
    result = to_plantuml(big_bank)
    assert sorted(result.files) == sorted(f"{v.key}.puml" for v in big_bank.views)
    containers = result.files["Containers.puml"]
    assert containers.startswith("@startuml Containers\n!include <C4/C4_Container>")
    assert 'ContainerDb(database, "Database", "Oracle Database Schema"' in containers
    assert 'System_Boundary(boundary_internetBankingSystem, "Internet Banking System") {' in (
        containers)
    assert ('Rel(apiApplication, database, "Reads from and writes to", "JDBC", '
            '$tags="implied")') in containers
    signin = result.files["SignIn.puml"]
    assert 'RelIndex(1, singlePageApplication, signinController, "Submits credentials to")' in (
        signin)
    live = result.files["LiveDeployment.puml"]
    assert 'Deployment_Node(node_bigbankApi, "bigbank-api*** (x8)", "Ubuntu 16.04 LTS"' in live
    assert {f.code for f in result.findings} == {"C4401", "C4403"}


def test_mermaid_export_of_big_bank(big_bank):
    result = to_mermaid(big_bank)
    context = result.files["SystemContext.mmd"]
    assert context.startswith("C4Context\n    title System Context: Internet Banking System")
    assert 'Rel(customer, internetBankingSystem, "Views account balances' in context
    live = result.files["LiveDeployment.mmd"]
    assert "C4Deployment" in live and "Replicates data to" not in live
    lost = [f for f in result.findings if f.code == "C4404"]
    assert lost and lost[0].object == "LiveDeployment"
    assert 'UpdateElementStyle(customer, $bgColor="#08427b", $fontColor="#ffffff")' in (
        result.files["SystemLandscape.mmd"])
