"""``archkit schema check`` answers a re-run on an unchanged file from its result cache:
the same bytes and exit code as a fresh check, never a stale answer, never a failure of
its own (archkit/result_cache.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archkit import result_cache
from archkit.cli import main
from archkit.result_cache import Result, ResultCache
from archkit.schema import cli_design

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ARCHKIT_CACHE_DIR", str(folder))
    monkeypatch.delenv("ARCHKIT_NO_CACHE", raising=False)
    return folder


def run(argv, capsys) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def entries(folder: Path) -> list[Path]:
    return sorted((folder / "schema-check").glob("??/*"))


def forbid_checking(monkeypatch) -> None:
    """From here on a check that parses fails the test: only the cache may answer."""
    def parse_again(args, raw=None):
        raise AssertionError("checked again although the file and options are unchanged")
    monkeypatch.setattr(cli_design, "_check_now", parse_again)


CORPUS_FILES = [
    ("schema/pagila-schema.postgres.sql", "postgres"),
    ("schema/sakila-schema.mysql.sql", "mysql"),
    ("schema/sakila-schema.sqlite.sql", "sqlite"),
]


@pytest.mark.parametrize("name,dialect", CORPUS_FILES)
@pytest.mark.parametrize("as_json", [False, True])
def test_a_cached_answer_is_byte_for_byte_a_fresh_one(corpora, cache_dir, capsys, monkeypatch,
                                                      name, dialect, as_json):
    argv = ["schema", "check", str(corpora / name), "--dialect", dialect]
    argv += ["--json"] if as_json else []
    fresh = run([*argv, "--no-cache"], capsys)
    assert entries(cache_dir) == []  # --no-cache neither reads nor writes
    first = run(argv, capsys)
    assert len(entries(cache_dir)) == 1
    forbid_checking(monkeypatch)
    again = run(argv, capsys)
    assert fresh == first == again
    if as_json:
        assert json.loads(again[1])["tables"] > 10  # the cached answer is the real report


def test_an_edited_file_is_checked_again(tmp_path, cache_dir, capsys):
    ddl = tmp_path / "schema.sql"
    ddl.write_text("CREATE TABLE a (id bigint PRIMARY KEY);\n")
    argv = ["schema", "check", str(ddl), "--dialect", "postgres", "--json"]
    assert run(argv, capsys)[0] == 0
    ddl.write_text("CREATE TABLE a (id bigint PRIMARY KEY);\n"
                   "CREATE TABLE b (id bigint PRIMARY KEY, a_id bigint REFERENCES a (nope));\n")
    code, out, _ = run(argv, capsys)
    assert code == 1
    assert [(f["code"], f["line"]) for f in json.loads(out)["findings"]
            if f["severity"] == "error"] == [("SC105", 2)]
    assert len(entries(cache_dir)) == 2


def test_other_options_are_another_answer(tmp_path, cache_dir, capsys, monkeypatch):
    ddl = tmp_path / "schema.sql"
    ddl.write_text("CREATE TABLE a (id int);\n")  # SC201: no primary key
    base = ["schema", "check", str(ddl), "--dialect", "postgres"]
    with_finding = run(base, capsys)
    without = run([*base, "--disable", "SC201"], capsys)
    as_json = run([*base, "--json"], capsys)
    assert "SC201" in with_finding[1] and "SC201" not in without[1]
    assert json.loads(as_json[1])["tables"] == 1
    assert len(entries(cache_dir)) == 3
    forbid_checking(monkeypatch)
    assert run(base, capsys) == with_finding
    assert run([*base, "--disable", "SC201"], capsys) == without


def test_the_environment_switch_turns_it_off(tmp_path, cache_dir, capsys, monkeypatch):
    ddl = tmp_path / "schema.sql"
    ddl.write_text("CREATE TABLE a (id int PRIMARY KEY);\n")
    monkeypatch.setenv("ARCHKIT_NO_CACHE", "1")
    assert run(["schema", "check", str(ddl), "--dialect", "postgres"], capsys)[0] == 0
    assert not cache_dir.exists()


def test_an_engine_check_is_never_cached(tmp_path, cache_dir, capsys):
    ddl = tmp_path / "s.sql"
    ddl.write_text("CREATE TABLE a (id INTEGER PRIMARY KEY);\n")
    argv = ["schema", "check", str(ddl), "--dialect", "sqlite", "--engine", "sqlite"]
    assert run(argv, capsys)[0] == 0
    assert entries(cache_dir) == []


def test_an_input_error_is_not_cached_and_still_reported(tmp_path, cache_dir, capsys):
    binary = tmp_path / "dump.sql"
    binary.write_bytes(b"PGDMP\x00\x01binary")
    for _ in range(2):
        code, out, err = run(["schema", "check", str(binary), "--dialect", "postgres"], capsys)
        assert code == 2 and "binary" in err and out == ""
    assert entries(cache_dir) == []
    code, _, err = run(["schema", "check", str(tmp_path / "missing.sql"),
                        "--dialect", "postgres"], capsys)
    assert code == 2 and "missing.sql" in err


def test_a_damaged_entry_is_a_miss_and_is_written_again(tmp_path, cache_dir, capsys):
    ddl = tmp_path / "schema.sql"
    ddl.write_text("CREATE TABLE a (id int);\n")
    argv = ["schema", "check", str(ddl), "--dialect", "postgres"]
    fresh = run(argv, capsys)
    [entry] = entries(cache_dir)
    whole = entry.read_bytes()
    for damaged in (whole[:-5], whole + b"more", b"garbage", b""):
        entry.write_bytes(damaged)
        assert run(argv, capsys) == fresh
        assert entry.read_bytes() == whole


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path, capsys, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("ARCHKIT_CACHE_DIR", str(blocker))
    ddl = tmp_path / "schema.sql"
    ddl.write_text("CREATE TABLE a (id int);\n")
    argv = ["schema", "check", str(ddl), "--dialect", "postgres"]
    code, out, err = run(argv, capsys)
    assert (code, err) == (0, "") and "SC201" in out
    assert run(argv, capsys) == (code, out, err)


def test_a_cached_answer_loads_no_sqlglot(tmp_path, cache_dir):
    """The point of the cache: the answer comes without importing the parser."""
    ddl = tmp_path / "schema.sql"
    ddl.write_text("CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int);\n")
    script = (
        "import sys, contextlib, io\nfrom archkit.cli import main\nbuf = io.StringIO()\n"
        f"with contextlib.redirect_stdout(buf):\n    code = main(['schema', 'check', {str(ddl)!r},"
        " '--dialect', 'postgres'])\n"
        "print(code, 'sqlglot' in sys.modules, repr(buf.getvalue()))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env=env, check=True).stdout for _ in range(2)]
    first, second = (r.split(" ", 2) for r in runs)
    assert first[:2] == ["0", "True"]  # the first run parsed
    assert second[:2] == ["0", "False"]  # the second did not need to
    assert first[2] == second[2] and "SC201" in second[2]


def test_the_key_follows_code_environment_and_inputs(tmp_path, monkeypatch):
    cache = ResultCache(tmp_path)
    key = cache.key(["postgres"], {"a.sql": b"x"})
    assert key == cache.key(["postgres"], {"a.sql": b"x"})
    assert key != cache.key(["mysql"], {"a.sql": b"x"})
    assert key != cache.key(["postgres"], {"b.sql": b"x"})  # the name is in the output
    assert key != cache.key(["postgres"], {"a.sql": b"y"})
    monkeypatch.setattr(result_cache, "_FINGERPRINT", None)
    monkeypatch.setenv("ARCHKIT_SOMETHING", "new")
    assert cache.key(["postgres"], {"a.sql": b"x"}) != key


def test_an_edited_module_changes_the_code_fingerprint(tmp_path):
    module = tmp_path / "pkg" / "mod.py"
    module.parent.mkdir()
    module.write_text("A = 1\n")
    (tmp_path / "pkg" / "__pycache__").mkdir()
    before = result_cache._tree_stats(tmp_path)
    os.utime(module, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert result_cache._tree_stats(tmp_path) != before
    assert len(before) == 1  # the module itself; bytecode caches are not code


def test_old_entries_are_pruned_and_read_ones_kept(tmp_path):
    cache = ResultCache(tmp_path)
    cache.put("aa" + "0" * 62, Result(0, "old\n"))
    cache.put("bb" + "0" * 62, Result(1, "read\n", "warn\n"))
    long_ago = time.time() - (result_cache.MAX_AGE_DAYS + 1) * 24 * 3600
    for name in ("aa" + "0" * 62, "bb" + "0" * 62, ".pruned"):
        path = tmp_path / name[:2] / name if name[0] != "." else tmp_path / name
        os.utime(path, (long_ago, long_ago))
    assert cache.get("bb" + "0" * 62) == Result(1, "read\n", "warn\n")  # a read renews it
    cache.put("cc" + "0" * 62, Result(0, "new\n"))
    assert cache.get("aa" + "0" * 62) is None
    assert cache.get("bb" + "0" * 62) == Result(1, "read\n", "warn\n")
    assert cache.get("cc" + "0" * 62) == Result(0, "new\n")


def test_a_pipe_is_read_once_and_checked(tmp_path, cache_dir):
    """A file that can be read only once (a pipe, /dev/stdin) is checked, not cached."""
    ddl = "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int);\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "archkit.cli", "schema", "check", "/dev/stdin",
                           "--dialect", "postgres", "--json"], input=ddl, capture_output=True,
                          text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tables"] == 2
    assert entries(cache_dir) == []
