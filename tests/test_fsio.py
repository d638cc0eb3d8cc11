import os

import pytest

from archkit.errors import ArchkitError
from archkit.fsio import atomic_write, ensure_inside, write_new


def test_atomic_write_skips_identical_content(tmp_path):
    target = tmp_path / "a" / "x.txt"
    assert atomic_write(target, "hello") is True
    mtime = os.stat(target).st_mtime_ns
    assert atomic_write(target, "hello") is False
    assert os.stat(target).st_mtime_ns == mtime
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.txt"]  # no temp left


def test_atomic_write_gives_ordinary_file_mode(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "page.html", "<p>hi</p>")
    finally:
        os.umask(old)
    assert os.stat(tmp_path / "page.html").st_mode & 0o777 == 0o644


def test_write_new_refuses_to_overwrite_changed_file(tmp_path):
    target = tmp_path / "0001_init.up.sql"
    write_new(target, "CREATE TABLE t (id int);")
    assert write_new(target, "CREATE TABLE t (id int);") is False
    with pytest.raises(ArchkitError, match="refusing to overwrite"):
        write_new(target, "DROP TABLE t;")
    assert target.read_text() == "CREATE TABLE t (id int);"


def test_ensure_inside_rejects_escape(tmp_path):
    assert ensure_inside(tmp_path, tmp_path / "a.md") == (tmp_path / "a.md").resolve()
    with pytest.raises(ArchkitError, match="escapes"):
        ensure_inside(tmp_path, tmp_path / ".." / "etc" / "passwd")


def test_atomic_write_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "run.sh"
    target.write_text("echo old\n")
    os.chmod(target, 0o750)
    assert atomic_write(target, "echo new\n") is True
    assert target.read_text() == "echo new\n"
    assert os.stat(target).st_mode & 0o777 == 0o750
    os.chmod(target, 0o600)  # a private file stays private
    atomic_write(target, "echo newer\n")
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.sh"]


def test_stale_temp_files_are_recognised_and_removed(tmp_path):
    from archkit.fsio import is_temp_name, remove_stale_temps, write_temp

    tmp = write_temp(tmp_path / "a.md", b"half")
    assert is_temp_name(tmp.name) and not is_temp_name(".a.md.swp")
    (tmp_path / ".vimrc.tmp").write_text("mine")
    assert remove_stale_temps(tmp_path) == [tmp]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".vimrc.tmp"]
