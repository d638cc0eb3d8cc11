"""ADR writes survive a kill at any moment, keep file modes, and leave no temp files."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from archkit.adr import _txn
from archkit.adr.store import AdrStore
from archkit.cli import main
from archkit.errors import ArchkitError

ROOT = Path(__file__).resolve().parents[2]

FIRST = ("# 1. Use REST\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nx\n\n"
         "## Decision\n\nREST.\n\n## Consequences\n\nJSON.\n")

# Runs one supersede in a child process and kills it (os._exit) at step number argv[2].
_CHILD = """
import os, sys
from pathlib import Path
from archkit.adr import _txn
from archkit.adr.store import AdrStore
steps = []
def hook(step):
    steps.append(step)
    if len(steps) == int(sys.argv[2]):
        os._exit(9)
_txn._HOOK = hook
AdrStore(Path(sys.argv[1]), today="2024-02-02").new("Use gRPC", supersedes=1)
print(len(steps))
"""


def _folder(tmp_path: Path, name: str = "adr") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "0001-use-rest.md").write_text(FIRST)
    os.chmod(folder / "0001-use-rest.md", 0o640)
    return folder


def _kill_at(folder: Path, step: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", _CHILD, str(folder), str(step)],
                          capture_output=True, text=True, env=env, timeout=60, check=False)


def _consistent(folder: Path, capsys) -> str:
    """Run the next command; check the pair is consistent; say which state it is in."""
    assert main(["adr", "import", str(folder), "--json"]) == 0
    data = {d["number"]: d for d in json.loads(capsys.readouterr().out)}
    hidden = sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
    assert hidden == [], hidden  # no journal, no temp files
    assert stat.S_IMODE(os.stat(folder / "0001-use-rest.md").st_mode) == 0o640
    if sorted(data) == [1]:
        assert data[1]["status"] == "Accepted" and data[1]["links"] == []
        assert (folder / "0001-use-rest.md").read_text() == FIRST
        return "before"
    assert sorted(data) == [1, 2]
    assert data[1]["status"] == "Superseded"
    assert data[1]["links"] == [{"kind": "superseded-by", "target": 2}]
    assert data[2]["links"] == [{"kind": "supersedes", "target": 1}]
    return "after"


def test_a_kill_at_every_step_leaves_a_consistent_pair(tmp_path, capsys):
    done = _kill_at(_folder(tmp_path, "full"), 10_000)
    assert done.returncode == 0, done.stderr
    steps = int(done.stdout)
    assert steps >= 8  # journal, its temp, each file's temp and rename, done
    outcomes = []
    for step in range(1, steps + 1):
        folder = _folder(tmp_path, f"kill{step}")
        killed = _kill_at(folder, step)
        assert killed.returncode == 9, killed.stderr
        outcomes.append(_consistent(folder, capsys))
    # killed before the journal exists: nothing changed; after: the next command finished it
    assert outcomes[0] == "before" and outcomes[-1] == "after"
    assert "after" in outcomes[: steps - 1]


def test_an_error_mid_change_rolls_back_both_files(tmp_path, monkeypatch):
    folder = _folder(tmp_path)

    def fail(step: str) -> None:
        if step.startswith("replaced 0002"):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(_txn, "_HOOK", fail)
    store = AdrStore(folder, today="2024-02-02")
    with pytest.raises(ArchkitError, match="nothing changed.*No space left"):
        store.new("Use gRPC", supersedes=1)
    assert sorted(p.name for p in folder.iterdir()) == ["0001-use-rest.md"]
    assert (folder / "0001-use-rest.md").read_text() == FIRST


def test_a_journal_over_a_file_edited_since_stops_with_a_located_error(tmp_path, capsys):
    folder = _folder(tmp_path)
    killed = _kill_at(folder, 5)  # the journal is written, the records not all
    assert killed.returncode == 9 and (folder / _txn.JOURNAL).is_file()
    (folder / "0001-use-rest.md").write_text(FIRST + "\nA person's note.\n")
    with pytest.raises(ArchkitError) as err:
        AdrStore(folder)
    assert err.value.where.file.endswith(_txn.JOURNAL)
    assert main(["adr", "import", str(folder)]) == 2
    assert _txn.JOURNAL in capsys.readouterr().err
    assert "A person's note." in (folder / "0001-use-rest.md").read_text()  # untouched


def test_rewritten_records_keep_their_mode_and_new_ones_get_the_umask_default(tmp_path):
    folder = _folder(tmp_path)
    old = os.umask(0o022)
    try:
        store = AdrStore(folder, today="2024-02-02")
        store.new("Use gRPC", supersedes=1)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(folder / "0001-use-rest.md").st_mode) == 0o640
    assert stat.S_IMODE(os.stat(folder / "0002-use-grpc.md").st_mode) == 0o644


def test_stale_temp_files_are_removed_by_the_next_command(tmp_path, capsys):
    folder = _folder(tmp_path)
    stale = folder / ".0001-use-rest.md.k3j_9x2a.tmp"
    stale.write_text("half a record")
    keep = folder / ".editor-swap.tmp"  # not one of ours
    keep.write_text("x")
    assert main(["adr", "lint", str(folder)]) in (0, 1)
    capsys.readouterr()
    assert not stale.exists() and keep.exists()


def test_a_reader_waits_for_a_change_in_progress_in_another_process(tmp_path):
    folder = _folder(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with _txn.folder_lock(folder):
        (folder / _txn.JOURNAL).write_text("{half written by the process holding the lock")
        reader = subprocess.Popen([sys.executable, "-m", "archkit.cli", "adr", "import",
                                   str(folder)], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        try:
            reader.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pass
        assert reader.poll() is None  # blocked: it must not read the journal mid-change
        (folder / _txn.JOURNAL).unlink()  # the writer finishes
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert "1 records" in out
