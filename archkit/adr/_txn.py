"""All-or-nothing writes of several files (a link touches two records, an export many).

Usage::

    commit_files({Path("a.md"): "...", Path("b.md"): "..."}, expected={Path("a.md"): old_bytes})
    recover(folder)       # at the start of every command: finish a change a kill cut short

Before any file changes, a journal (``.archkit-adr-journal.json``, in the files'
folder) records every file's old and new bytes. Then each file is replaced
atomically (temp file + rename, mode kept), and the journal is removed.

- An error while writing rolls the files already replaced back to their old
  bytes (files that did not exist are removed) and removes the journal.
- A kill leaves the journal: :func:`recover` (run by the store when it opens a
  folder, and by :func:`commit_files` itself) rolls the change forward, since
  the journal holds every new byte. If a person edited one of the files since,
  neither direction is safe: it stops with a located error and changes nothing.
- Temp files a kill left behind (``.NAME.XXXXXXXX.tmp``) are deleted.
- Both hold an exclusive lock on the folder (``flock`` on the folder itself, so
  no lock file is left behind and a killed process releases it), so a reader
  never completes a change another process is still making.

``expected`` maps a path to the bytes it had when it was read (None = must not
exist): a file changed by someone since then is never overwritten.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from archkit.errors import ArchkitError, Where
from archkit.fsio import remove_stale_temps, write_temp

__all__ = ["commit_files", "recover", "folder_lock", "JOURNAL"]

JOURNAL = ".archkit-adr-journal.json"

# Called with the name of each step; tests set it to simulate a kill between steps.
_HOOK: Callable[[str], None] | None = None


def _step(name: str) -> None:
    if _HOOK is not None:
        _HOOK(name)


def commit_files(
    writes: dict[Path, str | bytes], expected: dict[Path, bytes | None] | None = None
) -> list[Path]:
    """Write every file or none; returns the paths whose content changed (sorted).

    All paths must be in one folder (the journal's).
    """
    expected = expected or {}
    if not writes:
        return []
    folders = {Path(p).parent for p in writes}
    if len(folders) != 1:
        raise ArchkitError("a multi-file change must stay in one folder",
                           hint="write each folder's files in a separate call")
    folder = folders.pop()
    if folder.exists() and not folder.is_dir():
        raise ArchkitError("not a folder", where=Where(str(folder)),
                           hint="write into a folder (it is created when missing)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ArchkitError(f"cannot create the folder: {err.strerror or err}",
                           where=Where(str(folder)), hint="check the path") from None
    with folder_lock(folder):
        _recover(folder)
        return _commit(folder, writes, expected)


def _commit(folder: Path, writes: dict[Path, str | bytes],
            expected: dict[Path, bytes | None]) -> list[Path]:
    plan: list[tuple[Path, bytes, bytes | None]] = []
    for path in sorted(writes):
        data = writes[path]
        raw = data.encode("utf-8") if isinstance(data, str) else data
        old = path.read_bytes() if path.is_file() else None
        if path in expected and old != expected[path]:
            raise ArchkitError(
                "the file changed since it was read; refusing to overwrite it",
                where=Where(str(path)),
                hint="re-run the command so it reads the current version",
            )
        if old != raw:
            plan.append((path, raw, old))
    if not plan:
        return []
    journal = folder / JOURNAL
    try:
        _write_journal(journal, plan)
    except OSError as err:
        remove_stale_temps(folder)
        raise ArchkitError(f"could not write the change journal (nothing changed): "
                           f"{err.strerror or err}", where=Where(str(journal)),
                           hint="check free space and permissions") from None
    done: list[tuple[Path, bytes | None]] = []
    try:
        for path, raw, old in plan:
            _replace(path, raw, f"temp {path.name}")
            done.append((path, old))
            _step(f"replaced {path.name}")
        journal.unlink()
        _step("done")
    except BaseException as err:
        for path, old in reversed(done):
            _restore(path, old)
        journal.unlink(missing_ok=True)
        remove_stale_temps(folder)
        if isinstance(err, OSError):
            raise ArchkitError(f"could not write the files (nothing changed): "
                               f"{err.strerror or err}", where=Where(str(err.filename or folder)),
                               hint="check free space and permissions, then run it again"
                               ) from err
        raise
    return [path for path, _raw, _old in plan]


def recover(folder: Path) -> list[Path]:
    """Complete the change a kill interrupted in ``folder`` (if any); remove stale temps.

    Returns the files it wrote. Raises ArchkitError (at the journal) when a file
    of the change was edited since, so neither finishing nor undoing is safe.
    """
    folder = Path(folder)
    with folder_lock(folder):
        return _recover(folder)


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (waits for another archkit process's change).

    Where ``fcntl`` is missing (Windows) changes are not locked against each other.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield  # no folder yet: nothing to lock against
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _recover(folder: Path) -> list[Path]:
    remove_stale_temps(folder)
    journal = folder / JOURNAL
    if not journal.is_file():
        return []
    entries = _read_journal(journal)
    state: list[tuple[Path, bytes | None, bytes | None]] = []
    for name, old, new in entries:
        path = folder / name
        current = path.read_bytes() if path.is_file() else None
        if current != old and current != new:
            raise ArchkitError(
                f"an interrupted change could not be completed: {name} was edited since",
                where=Where(str(journal)),
                hint=f"check {name} (the journal holds its old and new text), "
                f"then delete {JOURNAL}",
            )
        state.append((path, current, new))
    written = []
    for path, current, new in state:
        if current != new:
            if new is None:
                path.unlink(missing_ok=True)
            else:
                _replace(path, new, f"recover {path.name}")
            written.append(path)
    journal.unlink(missing_ok=True)
    return written


def _write_journal(journal: Path, plan: list[tuple[Path, bytes, bytes | None]]) -> None:
    files = [{"name": path.name, "old": _b64(old), "new": _b64(raw),
              "new_sha256": hashlib.sha256(raw).hexdigest()} for path, raw, old in plan]
    text = json.dumps({"archkit_journal": 1, "files": files}, indent=1, sort_keys=True)
    _step("journal")
    _replace(journal, text.encode("utf-8"), "journal temp")
    _sync_dir(journal.parent)
    _step("journal written")


def _read_journal(journal: Path) -> list[tuple[str, bytes | None, bytes | None]]:
    try:
        data = json.loads(journal.read_bytes().decode("utf-8"))
        out = []
        for entry in data["files"]:
            name = entry["name"]
            if not isinstance(name, str) or Path(name).name != name or name.startswith("."):
                raise ValueError(f"bad file name {name!r}")
            out.append((name, _unb64(entry["old"]), _unb64(entry["new"])))
        return out
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as err:
        raise ArchkitError(f"unreadable change journal: {err}", where=Where(str(journal)),
                           hint="check the records by hand, then delete the journal") from None


def _replace(path: Path, raw: bytes, step: str) -> None:
    """Atomically give ``path`` the bytes ``raw`` (temp + rename, mode kept, synced)."""
    tmp = write_temp(path, raw, sync=True)
    try:
        _step(step)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _restore(path: Path, old: bytes | None) -> None:
    if old is None:
        path.unlink(missing_ok=True)
    else:
        _replace(path, old, f"restore {path.name}")


def _sync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # not every file system syncs a directory; the rename is still atomic
    finally:
        os.close(fd)


def _b64(raw: bytes | None) -> str | None:
    return None if raw is None else base64.b64encode(raw).decode("ascii")


def _unb64(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text.encode("ascii"), validate=True)
