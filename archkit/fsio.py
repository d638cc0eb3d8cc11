"""File writes that lose nothing: atomic, deterministic, and careful with edits.

Usage::

    from archkit.fsio import atomic_write, write_new
    atomic_write(Path("out/index.html"), html_text)         # keeps the file's mode
    write_new(Path("migrations/0002_add_tenant.up.sql"), sql)   # refuses to overwrite
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from archkit.errors import ArchkitError, Where

__all__ = ["atomic_write", "write_new", "ensure_inside", "write_temp", "file_mode",
           "is_temp_name", "remove_stale_temps"]


def atomic_write(path: Path, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` via a temp file and rename.

    Returns False (and leaves the file untouched, mtime included) when the
    content is already identical, so a second run changes nothing. A file that
    exists keeps its mode; a new one gets the mode a plain ``open()`` gives it.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == raw:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = write_temp(path, raw)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def write_temp(path: Path, raw: bytes, *, sync: bool = False) -> Path:
    """``raw`` in a hidden temp file next to ``path`` (``.NAME.XXXXXXXX.tmp``), ready to
    ``os.replace`` onto it, with the mode ``path`` has (or a new file would get).

    ``sync`` flushes it to disk first, for writes a journal relies on.
    """
    path = Path(path)
    mode = file_mode(path)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        # mkstemp creates 0600; the result must not depend on how it was written.
        os.chmod(tmp, mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def file_mode(path: Path) -> int:
    """The permission bits of ``path``, or those a new file gets under the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def is_temp_name(name: str) -> bool:
    """Whether ``name`` is one of :func:`write_temp`'s files (``.NAME.XXXXXXXX.tmp``)."""
    if not (name.startswith(".") and name.endswith(".tmp")):
        return False
    target, dot, rand = name[1:-4].rpartition(".")
    return bool(target) and bool(dot) and len(rand) == 8 and all(
        c.isascii() and (c.isalnum() or c == "_") for c in rand)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete the temp files an interrupted write left in ``folder``; returns them."""
    removed: list[Path] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for entry in entries:
        if is_temp_name(entry.name) and entry.is_file():
            try:
                entry.unlink()
            except OSError:
                continue  # not ours to remove (read-only folder): leave it
            removed.append(entry)
    return removed


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_new(path: Path, data: str | bytes) -> bool:
    """Write a file that must not exist yet (identical content is accepted as done)."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists():
        if path.read_bytes() == raw:
            return False
        raise ArchkitError(
            "refusing to overwrite a file whose content differs",
            where=Where(str(path)),
            hint="choose a new name or number, or delete the file first if it is yours to replace",
        )
    return atomic_write(path, raw)


def ensure_inside(root: Path, candidate: Path) -> Path:
    """Resolve ``candidate`` and make sure it stays inside ``root`` (no ``..`` escapes)."""
    root_r = Path(root).resolve()
    cand_r = Path(candidate).resolve()
    if cand_r != root_r and root_r not in cand_r.parents:
        raise ArchkitError(
            f"path escapes its folder: {candidate}",
            where=Where(str(candidate)),
            hint=f"keep generated files inside {root_r}",
        )
    return cand_r
