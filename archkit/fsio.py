"""File writes that lose nothing: atomic, deterministic, and careful with edits.

Usage::

    from archkit.fsio import atomic_write, write_new
    atomic_write(Path("out/index.html"), html_text)
    write_new(Path("migrations/0002_add_tenant.up.sql"), sql)   # refuses to overwrite
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from archkit.errors import ArchkitError, Where

__all__ = ["atomic_write", "write_new", "ensure_inside"]


def atomic_write(path: Path, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` via a temp file and rename.

    Returns False (and leaves the file untouched, mtime included) when the
    content is already identical, so a second run changes nothing.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == raw:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        # mkstemp creates 0600; give the file the mode a plain open() would have.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


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
