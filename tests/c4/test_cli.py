"""``archkit c4 render`` and ``archkit c4 export``: JSON shapes, files, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from archkit.cli import main


def test_render_big_bank_json(big_bank_path, tmp_path, capsys):
    code = main(["c4", "render", str(big_bank_path), "--out", str(tmp_path),
                 "--format", "svg,png", "--json"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"elements", "relationships", "views", "findings"}
    assert (doc["elements"], doc["relationships"]) == (18, 26)
    assert [v["key"] for v in doc["views"]][:3] == ["SystemLandscape", "SystemContext",
                                                    "Containers"]
    assert len(doc["views"]) == 7
    for view in doc["views"]:
        assert view["files"] == [str(tmp_path / f"{view['key']}.svg"),
                                 str(tmp_path / f"{view['key']}.png")]
    svg = (tmp_path / "Containers.svg").read_bytes()
    # a rerun changes nothing
    assert main(["c4", "render", str(big_bank_path), "--out", str(tmp_path), "--json"]) == 0
    assert (tmp_path / "Containers.svg").read_bytes() == svg


def test_render_refuses_to_overwrite_an_edited_file(big_bank_path, tmp_path, capsys):
    assert main(["c4", "render", str(big_bank_path), "--out", str(tmp_path)]) == 0
    edited = tmp_path / "SignIn.svg"
    edited.write_text("<svg>my notes</svg>")
    assert main(["c4", "render", str(big_bank_path), "--out", str(tmp_path)]) == 2
    assert "changed since archkit wrote it" in capsys.readouterr().err
    assert edited.read_text() == "<svg>my notes</svg>"
    assert main(["c4", "render", str(big_bank_path), "--out", str(tmp_path), "--force"]) == 0
    assert edited.read_text().startswith("<?xml")


def test_render_python_module(example, tmp_path, capsys):
    code = main(["c4", "render", str(example / "workspace.py"), "--out", str(tmp_path),
                 "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {v["key"]: v["kind"] for v in doc["views"]} == {
        "Landscape": "systemLandscape", "Context": "systemContext", "Containers": "container",
        "AppComponents": "component", "OrderPipeline": "dynamic",
        "LiveDeployment": "deployment"}
    assert (tmp_path / "OrderPipeline.svg").is_file()


def test_model_errors_exit_1(tmp_path, capsys):
    dsl = tmp_path / "w.dsl"
    dsl.write_text('workspace {\n model {\n  a = softwareSystem "A" "x"\n'
                   '  b = softwareSystem "A" "y"\n  a -> b "Uses"\n }\n'
                   ' views {\n  systemLandscape "L" {\n   include *\n  }\n }\n}\n')
    code = main(["c4", "render", str(dsl), "--out", str(tmp_path / "out"), "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [f["code"] for f in doc["findings"] if f["severity"] == "error"] == ["C4101"]


def test_malformed_dsl_exits_2_with_line_and_column(tmp_path):
    bad = tmp_path / "bad.dsl"
    bad.write_text('workspace {\n    model {\n        a -> b "x"\n    }\n}\n')
    proc = subprocess.run([sys.executable, "-m", "archkit.cli", "c4", "render", str(bad),
                           "--out", str(tmp_path / "o"), "--json"], capture_output=True,
                          text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    assert (doc["line"], doc["col"]) == (3, 9)
    assert doc["error"] == "unknown identifier 'a'"


def test_binary_and_empty_files_exit_2(tmp_path, capsys):
    binary = tmp_path / "x.dsl"
    binary.write_bytes(bytes(range(256)))
    empty = tmp_path / "e.dsl"
    empty.write_text("")
    for path in (binary, empty):
        assert main(["c4", "export", str(path), "--to", "mermaid"]) == 2
    err = capsys.readouterr().err
    assert "binary file" in err and "empty" in err


def test_export_to_stdout_and_to_files(big_bank_path, tmp_path, capsys):
    assert main(["c4", "export", str(big_bank_path), "--to", "structurizr"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('workspace "Big Bank plc"')
    assert main(["c4", "export", str(big_bank_path), "--to", "mermaid", "--out",
                 str(tmp_path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert sorted(f["name"] for f in doc["files"]) == sorted(
        ["SystemLandscape.mmd", "SystemContext.mmd", "Containers.mmd", "Components.mmd",
         "SignIn.mmd", "DevelopmentDeployment.mmd", "LiveDeployment.mmd"])
    assert (tmp_path / "SignIn.mmd").read_text().startswith("C4Dynamic")
    assert any(f["code"] == "C4404" for f in doc["findings"])


def test_unknown_format_exits_2(big_bank_path, tmp_path, capsys):
    assert main(["c4", "render", str(big_bank_path), "--out", str(tmp_path),
                 "--format", "svg,bmp"]) == 2
    assert "unknown format" in capsys.readouterr().err


def test_help_documents_both_commands(capsys):
    try:
        main(["c4", "--help"])
    except SystemExit:
        pass
    out = capsys.readouterr().out
    assert "render" in out and "export" in out


def test_export_structurizr_writes_workspace_dsl(example, tmp_path, capsys):
    assert main(["c4", "export", str(example / "workspace.py"), "--to", "structurizr",
                 "--out", str(tmp_path)]) == 0
    text = (tmp_path / "workspace.dsl").read_text()
    assert text.startswith('workspace "Shopfront"')
    assert "app = container \"Shopfront App\"" in text
    assert '"endpoints" "/v1/orders"' in text  # the module's property, read by archkit check
