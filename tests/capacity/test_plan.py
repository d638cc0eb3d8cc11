"""The capacity plan of the example matches its deployment view; mismatches are found."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from archkit.capacity import latency_chart, plan_capacity, simulate_wait, write_pack_section
from archkit.capacity.pack import consistency_findings
from archkit.cli import main


def _assume(folder, **containers):
    path = folder / "capacity.yaml"
    data = yaml.safe_load(path.read_text())
    data.setdefault("containers", {}).update(containers)
    path.write_text(yaml.safe_dump(data))


@pytest.fixture
def folder(example, tmp_path):
    target = tmp_path / "shop"
    shutil.copytree(example, target)
    return target


def _entry(plan):
    """The container that takes the shoppers' requests (the API, or the modular monolith)."""
    return next(c for c in plan.containers if c.role == "request" and c.rate == 1500)


def test_example_plan_matches_the_deployment_view(example):
    plan = plan_capacity(example)
    assert plan.mismatches == [] and plan.findings.errors == []
    assert all(c.planned == c.deployed for c in plan.containers)
    entry = _entry(plan)
    assert (entry.servers, entry.needed, entry.planned, entry.deployed) == (22, 2, 3, 3)
    assert entry.at_planned.p95_response_s * 1000 <= entry.budget_ms
    for c in plan.containers:
        if c is not entry:
            assert c.rate == 150  # reached by writes, or consuming one event per write


def test_formulas_are_shown(example):
    plan = plan_capacity(example)
    lines = {x.quantity: x for x in _entry(plan).lines}
    assert lines["busy servers (Little's law)"].working == "1,500 × 0.01 s"
    assert "Erlang C" in lines["servers (M/M/c, Erlang C)"].quantity
    db = {x.quantity: x for x in plan.database}
    assert db["Database: connections at peak"].value <= plan.assumptions.max_connections
    assert "database storage" in db
    events = next(x for x in plan.broker if x.quantity.endswith("events per second"))
    assert events.value % 150 == 0  # producers × 150 orders/s
    assert "| quantity | formula | working | result |" in plan.to_markdown()


def test_fewer_instances_than_planned_is_an_error_finding(folder, capsys):
    ws = folder / "workspace.py"
    assert ws.read_text().count("instances=3") == 1
    ws.write_text(ws.read_text().replace("instances=3", "instances=2"))
    plan = plan_capacity(folder)
    [mismatch] = plan.mismatches
    assert mismatch.object == _entry(plan).id and "runs ×2, the plan needs ×3" in mismatch.message
    assert main(["capacity", str(folder), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in doc["findings"]] == ["CP101"]


def test_assumptions_file_changes_the_plan(folder):
    entry = _entry(plan_capacity(folder)).id
    _assume(folder, **{entry: {"concurrency": 8, "why": "sync workers"}})
    plan = plan_capacity(folder)
    sized = plan[entry]
    assert sized.concurrency == 8 and sized.service_source == "capacity.yaml: sync workers"
    assert sized.planned == 4 and [f.object for f in plan.mismatches] == [entry]


def test_a_budget_no_count_can_meet_is_an_error(folder):
    entry = _entry(plan_capacity(folder)).id
    _assume(folder, **{entry: {"service_ms": 80}})
    plan = plan_capacity(folder)
    assert plan[entry].planned is None
    # p95 of an exponential service is 3 S: 240 ms > the 200 ms target, whatever the share
    assert ("CP105", entry) in [(f.code, f.object) for f in plan.findings.errors]


def test_unknown_container_in_assumptions_is_a_warning(folder):
    _assume(folder, nosuchService={"service_ms": 5})
    found = plan_capacity(folder).findings
    assert ("CP100", "nosuchService") in [(f.code, f.object) for f in found]


MONOLITH = """
from archkit.c4 import new_workspace


def build_workspace():
    ws = new_workspace("Shop")
    shopper = ws.person("Shopper", "Buys.", id="shopper")
    shop = ws.system("Shop", "Sells.", id="shop")
    web = shop.container("Web App", "In the browser.", "TypeScript and React", id="webApp")
    app = shop.container("App", "Everything, one deployable.", "Python and FastAPI", id="app")
    db = shop.container("Database", "Data.", "PostgreSQL", tags="Database", id="database")
    shopper.uses(web, "Shops using", "HTTPS")
    web.uses(app, "Calls", "JSON/HTTPS")
    app.uses(db, "Reads and writes", "SQL")
    live = ws.environment("Live")
    live.node("app task", "", "Docker", instances=3, id="appTask").instance(app)
    live.node("RDS", "", "PostgreSQL, Multi-AZ", id="rds").instance(db)
    return ws.build()
"""


def test_plan_keys_on_the_workspace_containers(folder):
    """A modular monolith: the one app container on the request path is sized instead."""
    (folder / "workspace.py").write_text(MONOLITH)
    plan = plan_capacity(folder)
    assert [(c.id, c.planned, c.deployed) for c in plan.containers] == [("app", 3, 3)]
    assert plan.mismatches == []


def test_big_bank_without_requirements_says_what_is_missing(corpora, capsys):
    plan = plan_capacity(corpora / "c4" / "big-bank-plc.dsl")
    assert plan.containers == [] and plan.findings.codes() == ["CP104"]
    assert main(["capacity", str(corpora / "c4" / "big-bank-plc.dsl")]) == 0


def test_latency_chart_marks_planned_and_deployed(example):
    plan = plan_capacity(example)
    chart = latency_chart(plan)
    assert chart.svg.count('class="archkit-container"') == len(plan.containers)
    assert chart.svg.count('class="archkit-planned"') == len(plan.containers)
    api = dict(chart.points[_entry(plan).id])
    # one API instance runs at 94 %: its p95 is well above the planned three's
    assert api[1] > 1.4 * api[3] and api[2] >= api[3] >= api[4]


def test_pack_section(example, tmp_path):
    section = write_pack_section(example, tmp_path)
    assert section.files == ["capacity/plan.md", "capacity/plan.json", "capacity/latency.svg"]
    assert section.summary[0].endswith("0 mismatch(es) with the deployment view")
    assert consistency_findings(example).errors == []


def test_simulation_agrees_with_erlang_c_within_5_percent(example):
    pytest.importorskip("ciw")
    plan = plan_capacity(example)
    busiest = plan.busiest()
    check = simulate_wait(busiest)
    assert check.servers == busiest.servers and check.utilisation >= 0.5
    assert check.percent_apart < 5, str(check)


def test_cli_json(example, capsys):
    assert main(["capacity", str(example), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["findings"] == [] and doc["containers"]
    first = doc["containers"][0]
    assert {"id", "rate", "service_ms", "servers", "needed", "planned", "deployed",
            "lines"} <= set(first)
    assert first["planned"] == first["deployed"]


def test_targets_on_the_command_line_size_big_bank(corpora, capsys):
    dsl = str(corpora / "c4" / "big-bank-plc.dsl")
    code = main(["capacity", dsl, "--peak-rps", "800", "--p95-ms", "300",
                 "--reads-per-write", "4", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0  # more instances than planned is a warning, not an error
    sized = {c["id"]: (c["planned"], c["deployed"]) for c in doc["containers"]}
    assert sized == {"webApplication": (2, 4), "apiApplication": (2, 8)}
    assert [f["code"] for f in doc["findings"]] == ["CP101", "CP101"]
    assert main(["capacity", dsl, "--peak-rps", "8000", "--p95-ms", "300"]) == 1  # too few
