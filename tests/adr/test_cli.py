"""``archkit adr ...`` from a shell: JSON shapes, files written, exit codes."""

from __future__ import annotations

import json

import pytest

from archkit.cli import main


def _json(capsys, argv) -> tuple[int, object]:
    code = main(argv)
    return code, json.loads(capsys.readouterr().out)


def test_import_json_shape(corpora, capsys):
    code, data = _json(capsys, ["adr", "import", str(corpora / "adr" / "adr-tools"), "--json"])
    assert code == 0 and len(data) == 9
    assert data[4] == {"number": 5, "title": "Help comments", "status": "Accepted",
                       "date": "2016-02-13", "file": "0005-help-comments.md",
                       "links": [{"kind": "amended-by", "target": 9}]}
    code, data = _json(capsys, ["adr", "import", str(corpora / "adr" / "madr"), "--json"])
    assert [d["number"] for d in data] == list(range(19))
    assert data[3]["status"] == "on hold"


def test_lint_exit_codes(corpora, tmp_path, capsys):
    code, data = _json(capsys, ["adr", "lint", str(corpora / "adr" / "adr-tools"), "--json"])
    assert (code, data) == (0, {"records": 9, "findings": []})
    (tmp_path / "0001-a.md").write_text("# 1. A\n\nDate: 26/11/2026\n\n## Status\n\nAccepted\n\n"
                                        "## Context\n\nx\n\n## Decision\n\ny\n\n"
                                        "## Consequences\n\nz\n")
    code, data = _json(capsys, ["adr", "lint", str(tmp_path), "--json"])
    assert code == 1
    assert [(f["code"], f["severity"], f["object"]) for f in data["findings"]] == [
        ("ADR003", "error", "ADR-0001")]
    assert main(["adr", "lint", str(tmp_path / "missing")]) == 2


def test_new_convert_and_index(tmp_path, capsys):
    project = tmp_path / "shop"
    project.mkdir()
    code, first = _json(capsys, ["adr", "new", "Use PostgreSQL for orders", "--dir",
                                 str(project), "--date", "2026-11-26", "--json"])
    assert code == 0 and first["number"] == 1 and first["status"] == "proposed"
    folder = project / "docs" / "decisions"
    assert first["path"] == str(folder / "0001-use-postgresql-for-orders.md")
    code, second = _json(capsys, ["adr", "new", "Use CockroachDB", "--dir", str(project),
                                  "--supersedes", "1", "--status", "accepted", "--json"])
    assert second["links"] == [{"kind": "supersedes", "target": 1}]
    assert "status: superseded by ADR-0002" in (folder / "0001-use-postgresql-for-orders.md"
                                                ).read_text()
    code, conv = _json(capsys, ["adr", "convert", str(folder), "--to", "nygard",
                                "--out", str(tmp_path / "nygard"), "--json"])
    assert code == 0 and len(conv["written"]) == 2
    text = (tmp_path / "nygard" / "0002-use-cockroachdb.md").read_text()
    assert text.startswith("# 2. Use CockroachDB\n\nDate: ")
    assert "Supersedes [1. Use PostgreSQL for orders](0001-use-postgresql-for-orders.md)" in text
    code, idx = _json(capsys, ["adr", "index", str(folder), "--json"])
    assert code == 0 and str(folder / "index.md") in idx["files"]
    assert "| 1 | [Use PostgreSQL for orders]" in (folder / "index.md").read_text()
    with pytest.raises(SystemExit) as usage:
        main(["adr", "new", "X", "--dir", str(project), "--dialect", "asciidoc"])
    assert usage.value.code == 2


def test_every_adr_command_is_documented(capsys):
    with pytest.raises(SystemExit):
        main(["adr", "--help"])
    out = capsys.readouterr().out
    for command in ("import", "lint", "convert", "index", "new"):
        assert command in out


def test_new_in_an_adr_tools_project_follows_adr_dir_and_its_dialect(corpora, tmp_path, capsys):
    import shutil

    shutil.copytree(corpora / "adr" / "adr-tools", tmp_path / "doc" / "adr")
    (tmp_path / ".adr-dir").write_text("doc/adr")
    code, rec = _json(capsys, ["adr", "new", "Use Homebrew taps", "--dir", str(tmp_path),
                               "--supersedes", "6", "--date", "2026-11-26", "--json"])
    assert code == 0 and rec["number"] == 10
    text = (tmp_path / "doc" / "adr" / "0010-use-homebrew-taps.md").read_text()
    assert text.startswith("# 10. Use Homebrew taps\n\nDate: 2026-11-26\n\n## Status\n\n"
                           "Proposed\n\nSupercedes [6. Packaging and distribution in other "
                           "version control repositories](0006-packaging-and-distribution-in-"
                           "other-version-control-repositories.md)\n")
    old = (tmp_path / "doc" / "adr" /
           "0006-packaging-and-distribution-in-other-version-control-repositories.md")
    assert "## Status\n\nSuperceded by [10. Use Homebrew taps](0010-use-homebrew-taps.md)\n" in (
        old.read_text())
    code, data = _json(capsys, ["adr", "lint", str(tmp_path), "--json", "--today", "2026-11-26"])
    assert (code, data["findings"]) == (0, [])


def test_import_folder_explains_a_missing_folder(tmp_path):
    from archkit.adr.workshop import import_folder

    report = import_folder(tmp_path / "nowhere")
    assert report.records == [] and "No ADR folder" in report._repr_markdown_()


def _shell(*argv: str) -> tuple[int, str, str]:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "archkit.cli", *argv], capture_output=True,
                          text=True, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": str(root)})
    return done.returncode, done.stdout, done.stderr


def test_bad_input_exits_2_with_one_located_line_never_a_traceback(tmp_path):
    folder = tmp_path / "adr"
    folder.mkdir()
    (folder / "0001-tabs.md").write_text("# T" + "\t" * 2500 + "x\n\n## Status\n\nAccepted\n")
    code, out, err = _shell("adr", "import", str(folder), "--json")
    assert code == 0 and json.loads(out)[0]["title"] == "T" + "\t" * 2500 + "x"
    (tmp_path / ".adr-dir").write_bytes(b"doc/\xff\xfe\n")
    (tmp_path / "afile").write_text("x")
    for argv in (["adr", "import", str(tmp_path)],
                 ["adr", "convert", str(folder), "--to", "madr", "--out", str(tmp_path / "afile")],
                 ["adr", "index", str(tmp_path / ("x" * 300))]):
        code, out, err = _shell(*argv)
        assert code == 2, (argv, out, err)
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert str(tmp_path) in err  # located: names the file or folder at fault
