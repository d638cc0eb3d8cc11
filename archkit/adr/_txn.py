"""All-or-nothing writes of several files (a link touches two records, an export many).

Usage::

    commit_files({Path("a.md"): "...", Path("b.md"): "..."}, expected={Path("a.md"): old_bytes})

Every new content goes to a temp file first; only then are they renamed into
place. If any step fails, files already replaced get their old bytes back and
files that did not exist are removed, so the folder is as it was.
``expected`` maps a path to the bytes it had when it was read (None = must not
exist): a file changed by someone since then is never overwritten.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from archkit.errors import ArchkitError, Where

__all__ = ["commit_files"]


def commit_files(
    writes: dict[Path, str | bytes], expected: dict[Path, bytes | None] | None = None
) -> list[Path]:
    """Write every file or none; returns the paths whose content changed (sorted)."""
    expected = expected or {}
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
    temps: list[Path] = []
    done: list[tuple[Path, bytes | None]] = []
    try:
        for path, raw, _old in plan:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temps.append(Path(tmp))
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
        for (path, _raw, old), tmp in zip(plan, temps, strict=True):
            os.replace(tmp, path)
            done.append((path, old))
    except BaseException:
        for path, old in reversed(done):
            _restore(path, old)
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        raise
    return [path for path, _raw, _old in plan]


def _restore(path: Path, old: bytes | None) -> None:
    if old is None:
        path.unlink(missing_ok=True)
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".bak")
    with os.fdopen(fd, "wb") as fh:
        fh.write(old)
    os.replace(tmp, path)
