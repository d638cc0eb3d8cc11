"""Output files of the C4 stage: safe names, and writes that never clobber a person's edits.

Usage::

    writer = OutputDir(Path("out/c4"))
    writer.write("Containers.svg", svg_bytes)     # refuses if a person changed the file
    writer.finish()                                # records what archkit wrote

A small manifest (``.archkit-c4.json``) remembers the hash of every file archkit wrote,
so a rerun may replace its own output but not a file someone edited since.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from archkit.errors import ArchkitError, Where
from archkit.fsio import atomic_write, ensure_inside

__all__ = ["OutputDir", "safe_name", "MANIFEST"]

MANIFEST = ".archkit-c4.json"


def safe_name(key: str) -> str:
    """A view key as a file name: letters, digits, ``-``, ``_`` and ``.`` only."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", key).strip(".")
    return name or "view"


class OutputDir:
    """A folder archkit writes generated files into, with a manifest of their hashes."""

    def __init__(self, root: str | Path, force: bool = False):
        self.root = Path(root)
        self.force = force
        self.manifest_path = self.root / MANIFEST
        self.known: dict[str, str] = {}
        if self.manifest_path.is_file():
            try:
                self.known = json.loads(self.manifest_path.read_text("utf-8"))
            except ValueError:
                self.known = {}
        self.written: list[Path] = []

    def write(self, name: str, data: str | bytes) -> Path:
        path = ensure_inside(self.root, self.root / name)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if path.exists() and not self.force:
            current = hashlib.sha256(path.read_bytes()).hexdigest()
            if current != hashlib.sha256(raw).hexdigest() and current != self.known.get(name):
                raise ArchkitError(
                    "refusing to overwrite a file that was changed since archkit wrote it",
                    where=Where(str(path)), hint="move your edits elsewhere, or pass --force",
                )
        atomic_write(path, raw)
        self.known[name] = hashlib.sha256(raw).hexdigest()
        self.written.append(path)
        return path

    def finish(self) -> None:
        atomic_write(self.manifest_path,
                     json.dumps(dict(sorted(self.known.items())), indent=2) + "\n")
