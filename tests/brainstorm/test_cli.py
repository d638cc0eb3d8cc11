"""``archkit brainstorm …`` through archkit.cli.main."""

import json

import pytest

from archkit import cli


@pytest.fixture(autouse=True)
def no_api_key(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_rank_json(capsys, example):
    code, out, _ = run(capsys, "brainstorm", "rank", str(example / "decisions.yaml"), "--json")
    data = json.loads(out)
    assert code == 0 and data["findings"] == []
    broker = data["decisions"][3]
    assert broker["id"] == "message-broker"
    assert broker["matrix"]["winner"] == "Kafka" and broker["matrix"]["close_call"] is True
    assert [o["name"] for o in broker["matrix"]["options"]] == [
        "Kafka", "Amazon SQS (FIFO) + SNS", "RabbitMQ"]
    ops = next(s for s in broker["sensitivity"] if s["criterion"] == "Operational load")
    assert ops["upper"] == {"weight": 6.0, "new_winner": "Amazon SQS (FIFO) + SNS"}


def test_rank_text_and_exit_1_on_error_findings(capsys, tmp_path):
    bad = tmp_path / "d.yaml"
    bad.write_text("decisions:\n  - question: q?\n    criteria: [{name: A}]\n"
                   "    options: [{name: X, scores: {A: 9}}, {name: Y, scores: {A: 2}}]\n")
    code, out, _ = run(capsys, "brainstorm", "rank", str(bad))
    assert code == 1
    assert "q: Y is the only option" in out
    assert "BR103 error [q?/X]: option 'X', criterion 'A': score 9 is outside 1–5" in out


def test_rank_unreadable_input_exits_2(capsys, tmp_path):
    bad = tmp_path / "d.yaml"
    bad.write_text("decisions: [\n")
    code, out, err = run(capsys, "brainstorm", "rank", str(bad))
    assert code == 2 and "not valid YAML" in err


def test_estimate(capsys, example):
    code, out, _ = run(capsys, "brainstorm", "estimate", str(example / "requirements.yaml"))
    assert code == 0
    assert "database storage: 6.3 TB   = data kept × (1 + index overhead) × replicas" in out
    code, out, _ = run(capsys, "brainstorm", "estimate", str(example / "requirements.yaml"),
                       "--json")
    lines = {x["quantity"]: x for x in json.loads(out)["lines"]}
    assert lines["peak writes"]["value"] == 150


def test_catalogue(capsys):
    code, out, _ = run(capsys, "brainstorm", "catalogue")
    assert code == 0 and "messaging: Kafka, RabbitMQ, Amazon SQS" in out
    code, out, _ = run(capsys, "brainstorm", "catalogue", "multi-tenancy", "--json")
    assert json.loads(out)["options"][0]["name"] == "Shared schema with row-level security"
    code, _, err = run(capsys, "brainstorm", "catalogue", "nope")
    assert code == 2 and "no entry 'nope'" in err


def test_adr_writes_drafts_and_reruns_unchanged(capsys, example, tmp_path):
    args = ["brainstorm", "adr", str(example / "decisions.yaml"), "--out", str(tmp_path),
            "--date", "2026-11-26", "--json"]
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert [f["action"] for f in json.loads(out)["files"]] == ["written"] * 4
    assert len(list(tmp_path.glob("000?-*.md"))) == 4
    code, out, _ = run(capsys, *args)
    assert [f["action"] for f in json.loads(out)["files"]] == ["unchanged"] * 4


def test_suggest_without_key_falls_back(capsys):
    code, out, _ = run(capsys, "brainstorm", "suggest", "Which database for orders?", "--json")
    data = json.loads(out)
    assert code == 0 and data["source"] == "catalogue" and data["catalogue_id"] == "datastore"
    assert data["message"].startswith("Claude assist unavailable: no ANTHROPIC_API_KEY set.")


def test_check_requirements(capsys, example, tmp_path):
    code, out, _ = run(capsys, "brainstorm", "check", str(example / "requirements.yaml"))
    assert code == 0
    assert out.strip() == ("Shopfront order platform: 10 entities, 9 relationships, "
                           "8 endpoints, 0 findings")
    bad = tmp_path / "r.yaml"
    bad.write_text("name: x\nrelationships:\n  - {source: A, target: B}\n")
    code, out, _ = run(capsys, "brainstorm", "check", str(bad), "--json")
    data = json.loads(out)
    assert code == 1
    assert [f["code"] for f in data["findings"]] == ["BR208", "BR201", "BR201"]
    assert data["findings"][1]["line"] == 3


def test_half_good_requirements_check_and_estimate_keep_the_rest_and_exit_1(capsys, tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("name: x\nentities:\n  - {name: [a]}\n  - {name: Order}\n"
                   "non_functional:\n  peak_rps: 100\n  data_growth: lots\n")
    code, out, _ = run(capsys, "brainstorm", "check", str(bad), "--json")
    data = json.loads(out)
    assert code == 1 and data["entities"] == 1
    assert [(f["code"], f["line"], f["col"]) for f in data["findings"]] == [
        ("BR303", 3, 12), ("BR303", 7, 16)]
    code, out, _ = run(capsys, "brainstorm", "estimate", str(bad))
    assert code == 1
    assert f"{bad}:7:16: BR303 error [data_growth]: 'data_growth' must be a mapping" in out


def test_missing_file_and_folder_exit_2_with_the_path(capsys, tmp_path):
    for path in (tmp_path / "nope.yaml", tmp_path):
        for command in ("check", "estimate", "rank"):
            code, _, err = run(capsys, "brainstorm", command, str(path))
            assert code == 2 and err.startswith(f"archkit: error: {path}: cannot read the file")
            assert err.count("\n") == 1
