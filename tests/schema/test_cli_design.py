"""``archkit schema check`` / ``transpile``: JSON shape, exit codes, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from archkit.cli import main


def run(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_json_has_the_documented_shape(example, capsys):
    code, out, _ = run(["schema", "check", str(example / "schema" / "v1.sql"),
                        "--dialect", "postgres", "--json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"statements", "tables", "views", "indexes", "unparsed", "findings"}
    assert (data["statements"], data["tables"], data["views"], data["indexes"]) == (19, 9, 1, 7)
    assert data["unparsed"] == [] and data["findings"] == []


def test_check_reports_errors_with_lines_and_exits_1(tmp_path, capsys):
    bad = tmp_path / "bad.sql"
    bad.write_text("CREATE TABLE a (id bigint PRIMARY KEY);\n"
                   "CREATE TABLE b (id bigint PRIMARY KEY, a_id bigint REFERENCES a (nope));\n"
                   "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql STRANGE;\n")
    code, out, _ = run(["schema", "check", str(bad), "--dialect", "pg", "--json"], capsys)
    data = json.loads(out)
    assert code == 1
    assert [(f["code"], f["severity"], f["line"]) for f in data["findings"]
            if f["severity"] == "error"] == [("SC105", "error", 2)]
    assert all(set(f) == {"code", "severity", "message", "object", "line", "col"}
               for f in data["findings"])
    assert [u["line"] for u in data["unparsed"]] == [3]
    code, text, _ = run(["schema", "check", str(bad), "--dialect", "postgres",
                         "--disable", "SC202"], capsys)
    assert code == 1 and "SC105" in text and "SC202" not in text


def test_check_on_the_sqlite_engine(tmp_path, capsys):
    f = tmp_path / "s.sql"
    f.write_text("CREATE TABLE a (id INTEGER PRIMARY KEY);\nCREATE INDEX i ON a (id);\n"
                 "CREATE INDEX i ON a (id);\n")
    code, out, _ = run(["schema", "check", str(f), "--dialect", "sqlite", "--engine", "sqlite",
                        "--json"], capsys)
    found = [(x["code"], x["line"]) for x in json.loads(out)["findings"]]
    assert code == 1 and ("SC103", 3) in found and ("SC301", 3) in found


def test_transpile_prints_sql_and_notes(example, tmp_path, capsys):
    src = str(example / "schema" / "v1.sql")
    code, out, err = run(["schema", "transpile", src, "--from", "postgres", "--to", "mysql"],
                         capsys)
    assert code == 0 and out.startswith("CREATE TABLE users (")
    assert "AUTO_INCREMENT PRIMARY KEY" in out and "SC403" in err
    target = tmp_path / "v1.mysql.sql"
    code, out, _ = run(["schema", "transpile", src, "--from", "postgres", "--to", "mysql",
                        "--out", str(target), "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["out"] == str(target) and data["notes"]
    assert target.read_text().startswith("CREATE TABLE users (")
    # the same output again is fine; a file someone edited is kept unless --force
    assert run(["schema", "transpile", src, "--from", "postgres", "--to", "mysql",
                "--out", str(target)], capsys)[0] == 0
    target.write_text("-- my edits\n")
    code, _, err = run(["schema", "transpile", src, "--from", "postgres", "--to", "mysql",
                        "--out", str(target)], capsys)
    assert code == 2 and "refusing to overwrite" in err
    assert target.read_text() == "-- my edits\n"
    code, _, _ = run(["schema", "transpile", src, "--from", "postgres", "--to", "mysql",
                      "--out", str(target), "--force"], capsys)
    assert code == 0 and target.read_text().startswith("CREATE TABLE users (")


def _bad_inputs(tmp_path):
    empty = tmp_path / "empty.sql"
    empty.write_text("-- nothing here\n")
    binary = tmp_path / "blob.sql"
    binary.write_bytes(bytes(range(256)) * 8)
    big = tmp_path / "big.sql"
    with big.open("wb") as fh:  # a 50 MB file, written sparsely
        fh.seek(50 * 1024 * 1024)
        fh.write(b";")
    return {"empty": (empty, "no SQL statements"), "binary": (binary, "binary"),
            "big": (big, "MB")}


@pytest.mark.parametrize("case", ["empty", "binary", "big"])
def test_bad_files_give_one_clear_message_and_exit_2(tmp_path, case):
    path, words = _bad_inputs(tmp_path)[case]
    proc = subprocess.run(
        [sys.executable, "-m", "archkit.cli", "schema", "check", str(path), "--dialect",
         "postgres"], capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert words in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_unknown_and_wrong_dialect_exit_2(corpora, capsys):
    mysql_file = str(corpora / "schema" / "sakila-schema.mysql.sql")
    code, _, err = run(["schema", "check", mysql_file, "--dialect", "oracle"], capsys)
    assert code == 2 and "unknown dialect 'oracle'" in err
    code, out, err = run(["schema", "check", mysql_file, "--dialect", "postgres", "--json"],
                         capsys)
    assert code == 2 and "looks like mysql" in err and "--dialect mysql" in err
    assert json.loads(out)["hint"] == "use --dialect mysql"


def test_missing_file_and_missing_dialect_exit_2(tmp_path, capsys):
    code, _, err = run(["schema", "check", str(tmp_path / "nope.sql"), "--dialect", "sqlite"],
                       capsys)
    assert code == 2 and "nope.sql" in err
    code, _, err = run(["schema", "check", str(tmp_path / "nope.sql")], capsys)
    assert code == 2 and "--dialect" in err


def test_engine_of_another_dialect_exit_2(example, capsys):
    code, _, err = run(["schema", "check", str(example / "schema" / "v1.sql"), "--dialect",
                        "postgres", "--engine", "sqlite"], capsys)
    assert code == 2 and "transpile it first" in err
