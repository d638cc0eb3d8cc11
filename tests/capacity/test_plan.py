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
    data["containers"].update(containers)
    path.write_text(yaml.safe_dump(data))


@pytest.fixture
def folder(example, tmp_path):
    target = tmp_path / "shop"
    shutil.copytree(example, target)
    return target


def test_example_plan_matches_the_deployment_view(example):
    plan = plan_capacity(example)
    assert plan.mismatches == [] and plan.findings.errors == []
    counts = {c.id: (c.planned, c.deployed) for c in plan.containers}
    assert counts["api"] == (3, 3) and counts["orderService"] == (2, 2)
    assert all(planned == deployed for planned, deployed in counts.values())
    assert {c.id for c in plan.containers if c.role == "request"} == {"api", "orderService"}
    api = plan["api"]
    assert api.rate == 1500 and api.servers == 22 and api.needed == 2
    assert plan["orderService"].rate == 150  # reached by writes: 1500 / (9 + 1)
    assert api.at_planned.p95_response_s * 1000 <= api.budget_ms


def test_formulas_are_shown(example):
    plan = plan_capacity(example)
    lines = {x.quantity: x for x in plan["api"].lines}
    assert lines["busy servers (Little's law)"].working == "1,500 × 0.01 s"
    assert "Erlang C" in lines["servers (M/M/c, Erlang C)"].quantity
    db = {x.quantity: x for x in plan.database}
    assert db["Database: connections at peak"].value <= plan.assumptions.max_connections
    assert "database storage" in db
    broker = {x.quantity: x for x in plan.broker}
    assert broker["Message Broker: events per second"].value == 450  # 3 producers × 150/s
    assert "| quantity | formula | working | result |" in plan.to_markdown()


def test_fewer_instances_than_planned_is_an_error_finding(folder, capsys):
    ws = folder / "workspace.py"
    ws.write_text(ws.read_text().replace('instances=3, id="apiTask"', 'instances=2, id="apiTask"'))
    plan = plan_capacity(folder)
    [mismatch] = plan.mismatches
    assert mismatch.object == "api" and "runs ×2, the plan needs ×3" in mismatch.message
    assert main(["capacity", str(folder), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in doc["findings"]] == ["CP101"]


def test_assumptions_file_changes_the_plan(folder):
    _assume(folder, orderService={"service_ms": 35, "concurrency": 4, "why": "sync workers"})
    plan = plan_capacity(folder)
    order = plan["orderService"]
    assert order.concurrency == 4 and order.service_source == "capacity.yaml: sync workers"
    assert order.planned == 3 and [f.object for f in plan.mismatches] == ["orderService"]


def test_a_budget_no_count_can_meet_is_an_error(folder):
    _assume(folder, orderService={"service_ms": 80})
    plan = plan_capacity(folder)
    assert plan["orderService"].planned is None
    # p95 of an exponential service is 3 S: 3 × (10 + 80) ms > 200 ms, for either share
    assert [(f.code, f.object) for f in plan.findings.errors] == [
        ("CP105", "api"), ("CP105", "orderService")]


def test_bad_assumptions_file_names_the_line(folder, capsys):
    (folder / "capacity.yaml").write_text("containers:\n  api: {service: 10}\n")
    assert main(["capacity", str(folder)]) == 2
    assert "capacity.yaml:2" in capsys.readouterr().err


def test_plan_keys_on_the_workspace_containers(folder):
    """A modular monolith: one app container on the request path is sized instead."""
    ws = folder / "workspace.py"
    text = ws.read_text()
    for line in ('api.uses(orders, "Places orders with", "JSON/HTTPS")',
                 'api.uses(checkout, "Places orders with", "JSON/HTTPS")'):
        text = text.replace(line, "")
    ws.write_text(text)
    plan = plan_capacity(folder)
    assert {c.id for c in plan.containers if c.role == "request"} == {"api"}
    assert plan["orderService"].role == "consumer"  # it still consumes pipeline events


def test_big_bank_without_requirements_says_what_is_missing(corpora, capsys):
    plan = plan_capacity(corpora / "c4" / "big-bank-plc.dsl")
    assert plan.containers == [] and plan.findings.codes() == ["CP104"]
    assert main(["capacity", str(corpora / "c4" / "big-bank-plc.dsl")]) == 0


def test_latency_chart_marks_planned_and_deployed(example):
    chart = latency_chart(plan_capacity(example))
    assert chart.svg.count('class="archkit-container"') == 5
    assert chart.svg.count('class="archkit-planned"') == 5
    api = dict(chart.points["api"])
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
    assert busiest.id == "orderService" and busiest.at_needed.utilisation > 0.6
    check = simulate_wait(busiest)
    assert check.percent_apart < 5, str(check)
