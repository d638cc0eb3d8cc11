"""The triage widget's controller sorts and records triage; the check cell judges flows."""

from __future__ import annotations

import shutil

import pytest

import archkit.check
from archkit.c4 import new_workspace
from archkit.security import analyse
from archkit.widgets.threat_triage import TriageController, triage_widget


@pytest.fixture
def folder(example, tmp_path):
    target = tmp_path / "shop"
    shutil.copytree(example, target)
    return target


def test_sort_orders_the_table(folder):
    c = TriageController(folder)
    by_status = [t.status for t in c.sort("status")]
    assert by_status == sorted(by_status, key=["open", "accepted", "mitigated",
                                               "not-applicable"].index)
    first = c.sort("severity")[0]
    assert first.severity == "high"
    html = c.html()
    assert html.index(f'data-threat="{first.id}"') < html.index('data-threat="TM119-550aa9de"')
    assert [t.rule for t in c.sort("rule")] == sorted(t.rule for t in c.threats)


def test_triage_writes_the_file_and_the_analysis_sees_it(folder):
    c = TriageController(folder)
    msg = c.triage("TM119-550aa9de", "accepted", reason="audit via pgaudit later",
                   review="2027-01-31")
    assert msg == "TM119-550aa9de: accepted"
    assert analyse(folder).get("TM119-550aa9de").status == "accepted"
    msg = c.triage("TM114-0096ef3e", "accepted", reason="no date")
    assert msg.startswith("TM114-0096ef3e: open — ") and "review date" in msg


def test_widget_save_button(folder):
    pytest.importorskip("ipywidgets")
    w = triage_widget(folder)
    w.threat.value, w.status.value = "TM116-ce0d00b3", "mitigated"
    w.why.value = "control: MSK IAM auth"
    w._on_save()
    assert "mitigated" in w.message.value
    assert 'data-threat="TM116-ce0d00b3" data-status="mitigated"' in w.table.value
    w.sort.value = "rule"
    assert w.controller.order == "rule"


def _partner(link):
    mine = new_workspace("link")
    shop = mine.system("Shopfront", "Sells.")
    api = shop.container("API", "Takes orders.", "Python")
    db = shop.container("Database", "Keeps orders.", "PostgreSQL", tags="Database")
    warehouse = mine.system("Warehouse System", "Ships.", external=True)
    api.uses(db, "Reads and writes orders in", "SQL/TLS")
    link(warehouse, api, db)
    return mine


def test_check_cell_passes_for_https_through_the_api():
    result = archkit.check.secure_partner_flows(
        _partner(lambda w, api, db: w.uses(api, "Confirms shipments using", "JSON/HTTPS")))
    assert result.passed, str(result)


def test_check_cell_says_what_is_wrong_for_the_first_draft():
    result = archkit.check.secure_partner_flows(
        _partner(lambda w, api, db: w.uses(db, "Writes shipment status to", "JDBC")))
    assert not result.passed
    text = str(result)
    assert "not the database" in text and "JSON/HTTPS" in text
    blank = archkit.check.secure_partner_flows(_partner(lambda w, api, db: None))
    assert "keep the partner's link" in str(blank)


def test_the_exercise_is_listed():
    assert "secure_partner_flows" in archkit.check.exercises()
