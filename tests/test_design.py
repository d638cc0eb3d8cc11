"""The design folder: open it, scaffold one (`archkit new`), check it (`archkit check`), and
hand it to the notebooks (`archkit lab`)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from archkit.cli import main
from archkit.consistency import CHECKS, check_design
from archkit.design import DESIGN_ENV, design_folder, open_design, scaffold
from archkit.errors import ArchkitError


@pytest.fixture()
def copy(tmp_path, example) -> Path:
    design = tmp_path / "design"
    shutil.copytree(example, design)
    return design


def _swap(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def test_open_design_finds_every_part(example):
    design = open_design("order-platform")
    assert design.root == example.resolve()
    assert [p.name for p in design.schema_versions] == ["v1.sql", "v2.sql"]
    assert design.latest_schema.name == "v2.sql"
    assert design.workspace.name == "workspace.py"
    assert design.adr_dir == design.root / "docs" / "decisions"
    assert len(list(design.adr_dir.glob("000[1-4]-*.md"))) == 4
    assert design.missing == []  # api/ (issue 16) and security/ (issue 17) included
    assert design.api_dir == design.root / "api"
    assert "| workspace | workspace.py |" in design._repr_markdown_()


def test_schema_versions_sort_by_number(tmp_path):
    for name in ("v10.sql", "v2.sql", "v1.sql"):
        (tmp_path / "schema").mkdir(exist_ok=True)
        (tmp_path / "schema" / name).write_text("CREATE TABLE t (id int PRIMARY KEY);\n")
    assert [p.name for p in open_design(tmp_path).schema_versions] == [
        "v1.sql", "v2.sql", "v10.sql"]


def test_the_example_is_consistent(example):
    assert check_design(example) == []


def test_scaffold_blank_is_a_valid_clean_design(tmp_path):
    design = scaffold(tmp_path / "mine", "blank")
    assert design.missing == ["api", "security"]
    readme = (design.root / "README.md").read_text()
    for step in ("archkit lab", "archkit check", "archkit pack", "00_start_here"):
        assert step in readme, step
    assert check_design(design.root) == []
    from archkit.brainstorm.requirements import load_requirements
    from archkit.c4.load import load_workspace
    from archkit.schema.validate import check_schema

    assert load_requirements(design.requirements).validate().errors == []
    ws, found = load_workspace(design.workspace)
    assert not found.errors and not ws.validate().errors
    assert not check_schema(design.latest_schema.read_text(), "postgres").findings.errors


def test_scaffold_from_the_example_copies_it(tmp_path, example):
    design = scaffold(tmp_path / "mine")
    assert (design.root / "workspace.py").read_text() == (example / "workspace.py").read_text()
    assert sorted(p.name for p in design.adr_dir.iterdir()) == sorted(
        p.name for p in (example / "docs/decisions").iterdir())
    assert "copy of the worked example" in (design.root / "README.md").read_text()
    assert not list(design.root.rglob("__pycache__"))


def test_scaffold_never_overwrites(tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(ArchkitError, match="not an empty folder"):
        scaffold(target, "blank")
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    with pytest.raises(ArchkitError, match="unknown template"):
        scaffold(tmp_path / "other", "shop")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert scaffold(empty, "blank").requirements is not None  # an empty folder is fine


def test_design_folder_for_notebooks(tmp_path, monkeypatch, example):
    monkeypatch.setenv("ARCHKIT_NOTEBOOK_OUT", str(tmp_path / "nbout"))
    monkeypatch.delenv(DESIGN_ENV, raising=False)
    working = design_folder()
    # a working copy, so notebook 04's ADR edits never touch the example in the repository
    assert working.root == (tmp_path / "nbout/design/order_platform").resolve()
    assert (working.root / "workspace.py").read_text() == (example / "workspace.py").read_text()
    (working.root / "session-note.txt").write_text("kept")
    assert (design_folder().root / "session-note.txt").is_file()  # a rerun keeps the session
    assert working.notebook_out("c4") == (tmp_path / "nbout/c4").resolve()
    mine = scaffold(tmp_path / "mine", "blank")
    monkeypatch.setenv(DESIGN_ENV, str(mine.root))
    assert design_folder().root == mine.root
    monkeypatch.setenv(DESIGN_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(ArchkitError, match="does not exist"):
        design_folder()


# -- archkit check: each code on a planted contradiction ----------------------------------

def _codes(design: Path) -> list[tuple[str, str]]:
    return [(f.code, str(f.severity)) for f in check_design(design)]


def test_broker_changed_to_rabbitmq_contradicts_the_kafka_adr(copy):
    _swap(copy / "workspace.py", '"Apache Kafka", tags="Message Broker"',
          '"RabbitMQ", tags="Message Broker"')
    found = check_design(copy)
    assert [(f.code, str(f.severity)) for f in found] == [("DC102", "error")]
    f = found[0]
    assert f.object == "ADR 0004 / broker" and "Kafka" in f.message and "RabbitMQ" in f.message
    assert f.file.startswith("docs/decisions/0004-") and "technology" in f.fix


def test_superseding_the_decision_moves_the_check_with_it(copy):
    # notebook 04's supersede: the new accepted record is what the model must agree with
    from archkit.adr import Record
    from archkit.adr.store import AdrStore

    AdrStore(copy / "docs/decisions").ensure(
        "Message broker for the order pipeline: RabbitMQ", status="accepted", supersedes=4,
        record=Record(number=None, title="", decision="Use RabbitMQ."))
    assert _codes(copy) == [("DC102", "error")]  # the model still says Kafka
    _swap(copy / "workspace.py", '"Apache Kafka", tags="Message Broker"',
          '"RabbitMQ", tags="Message Broker"')
    assert _codes(copy) == []


def test_database_and_proposed_decisions(copy):
    _swap(copy / "workspace.py", '"PostgreSQL 16", tags="Database"', '"MySQL 8", tags="Database"')
    assert _codes(copy) == [("DC103", "error")]
    _swap(copy / "docs/decisions/0002-primary-datastore-for-tenants-catalogue-and-orders-"
          "postgresql.md", "status: accepted", "status: proposed")
    assert _codes(copy) == [("DC103", "warning")]  # proposed: a warning, not an error


def test_microservices_in_the_model_contradict_the_monolith(copy):
    service = '    shop.container("Payment Service", "Charges.", "Python", id="paymentService")\n'
    anchor = "    broker = shop.container("
    _swap(copy / "workspace.py", anchor, service + anchor)
    found = check_design(copy)
    assert [f.code for f in found] == ["DC101"]
    assert "2 deployable containers: Shopfront App (app), Payment Service" in found[0].message


def test_requirements_against_schema_and_model(copy):
    _swap(copy / "requirements.yaml", "  - name: Shipment\n", "  - name: Refund\n    description: "
          "Money back.\n    attributes: [id]\n  - name: Shipment\n")
    _swap(copy / "requirements.yaml", '  - {method: POST, path: "/v1/payments/webhook"',
          '  - {method: GET, path: "/v1/reports"}\n  - {method: POST, path: "/v1/payments/webhook"')
    found = check_design(copy)
    assert [(f.code, f.object) for f in found] == [("DC201", "Refund"),
                                                    ("DC301", "GET /v1/reports")]
    assert all(f.file == "requirements.yaml" and f.line for f in found)


def test_instances_below_the_capacity_estimate(copy):
    _swap(copy / "workspace.py", 'instances=3, id="appTask"', 'instances=2, id="appTask"')
    found = check_design(copy)
    assert [f.code for f in found] == ["DC401"]
    assert "runs 2 instance(s) in Live" in found[0].message and "needs at least 3" in \
        found[0].message
    assert "the capacity plan sizes it at 2 + 1 spare" in found[0].message


def test_instances_follow_the_capacity_plan_assumptions(copy):
    """archkit check and archkit capacity give one verdict: a slower measured service time
    in capacity.yaml raises what DC401 asks for, exactly to the plan's count."""
    from archkit.capacity import plan_capacity

    (copy / "capacity.yaml").write_text(
        (copy / "capacity.yaml").read_text()
        + "containers:\n  app: {service_ms: 40, concurrency: 16, why: measured}\n")
    planned = plan_capacity(copy)["app"].planned
    assert planned > 3
    found = check_design(copy)
    assert [f.code for f in found] == ["DC401"]
    assert f"needs at least {planned}:" in found[0].message
    assert "40 ms service time (capacity.yaml" in found[0].message


def test_a_schema_finding_the_check_cell_claims_is_fixed(copy, monkeypatch):
    """The check cell and the linter agree today; DC501 catches them drifting apart again."""
    import archkit.check
    from archkit.check.result import CheckResult

    _swap(copy / "schema/v2.sql", "payments_provider_ref_global_key", "payments_provider_ref_key")
    assert check_design(copy) == []  # both say the global unique is wrong: no contradiction
    claim = "unique constraints are per tenant (lead with tenant_id)"
    monkeypatch.setattr(archkit.check, "multi_tenant_schema",
                        lambda sql: CheckResult("multi_tenant_schema", right=[claim]),
                        raising=False)
    found = check_design(copy)
    assert [(f.code, f.object) for f in found] == [("DC501", "payments(provider_ref)")]
    assert "multi_tenant_schema" in found[0].message and "SC207" in found[0].message
    assert found[0].file == "schema/v2.sql" and found[0].line


def test_an_unreadable_artefact_is_a_finding_not_a_crash(copy):
    (copy / "requirements.yaml").write_text("name: [unclosed\n")
    found = check_design(copy)
    assert [(f.code, f.object) for f in found] == [("DC901", "requirements")]


def test_checks_are_a_registry_and_plugins_are_optional(copy, monkeypatch):
    assert {"architecture style", "technologies", "entities", "endpoints", "capacity",
            "claims"} <= set(CHECKS)
    import archkit.consistency as consistency

    monkeypatch.setattr(consistency, "PLUGINS", ("archkit.no_such_stage",))
    assert check_design(copy) == []


# -- the commands ---------------------------------------------------------------------------

def test_cli_new_check_and_exit_codes(tmp_path, capsys):
    target = tmp_path / "mine"
    assert main(["new", str(target), "--from", "blank", "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["template"] == "blank" and "README.md" in made["files"]
    assert main(["new", str(target)]) == 2
    assert "never overwrites" in capsys.readouterr().err
    assert main(["check", str(target), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
    _swap(target / "workspace.py", '"PostgreSQL 16", tags="Database"',
          '"DynamoDB", tags="Database"')
    assert main(["check", str(target)]) == 0  # the blank's decision is only proposed
    assert "DC103 warning" in capsys.readouterr().out
    assert main(["check", str(tmp_path / "nowhere")]) == 2


def test_cli_lab_hands_the_folder_to_the_notebooks(tmp_path, capsys, example):
    assert main(["lab", str(example), "--dry-run", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["env"] == {DESIGN_ENV: str(example.resolve())}
    assert doc["command"][1] == "lab" and doc["command"][-1].endswith("notebooks")


def test_every_stage_notebook_reads_the_design_folder():
    notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    for source in sorted(notebooks.glob("0*.py")):
        first = source.read_text().split("# %%\n", 2)[1]  # the first code cell
        assert re.search(r"^DESIGN = design_folder\(\)", first, flags=re.M), source.name
        assert 'example_dir("order-platform")' not in source.read_text(), source.name


def test_public_names():
    import archkit.consistency
    import archkit.design
    import archkit.pack_html

    assert set(archkit.design.__all__) == {"DESIGN_ENV", "TEMPLATES", "DesignFolder",
                                           "design_folder", "notebook_out", "open_design",
                                           "scaffold"}
    assert set(archkit.consistency.__all__) == {
        "CHECKS", "Design", "PLUGINS", "REQUESTS_PER_INSTANCE", "check_design",
        "consistency_check", "plugin_hooks"}
    assert set(archkit.pack_html.__all__) == {"CSP", "html_path", "index_html", "markdown_page"}
