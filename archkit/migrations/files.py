"""Migration files on disk: golang-migrate ``NNNN_name.up.sql`` / ``.down.sql`` or Flyway.

Usage::

    from archkit.migrations.files import write_migration
    paths = write_migration(migration, Path("migrations"), "add tenants")
    # -> [migrations/0002_add_tenants.up.sql, migrations/0002_add_tenants.down.sql]

Files are deterministic (no timestamps; the same migration gives the same bytes), the
number is one past the highest already in the folder, and an existing file is never
overwritten: writing the same migration twice finds the earlier files and returns them.
Flyway gets ``V<n>__name.sql`` and its undo script ``U<n>__name.sql``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from archkit.errors import ArchkitError, Where
from archkit.fsio import ensure_inside, write_new

__all__ = ["MigrationText", "write_migration", "render_script", "slug", "existing_numbers"]

LAYOUTS = ("golang-migrate", "flyway")
_GOLANG = re.compile(r"^(\d+)_(.+)\.(up|down)\.sql$")
_FLYWAY = re.compile(r"^([VU])(\d+)__(.+)\.sql$")


class _HasUpDown(Protocol):
    up: list[str]
    down: list[str]


@dataclass(slots=True)
class MigrationText:
    """Up and down statements plus comment lines for the top of each file."""

    up: list[str]
    down: list[str]
    up_notes: list[str] = field(default_factory=list)
    down_notes: list[str] = field(default_factory=list)


def slug(name: str) -> str:
    """A file-safe name: ``slug("Add tenants!") -> "add_tenants"``."""
    out = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not out:
        raise ArchkitError(f"migration name {name!r} has no letters or digits",
                           hint="name it after the change, e.g. 'add_tenants'")
    return out[:80]


def render_script(statements: Sequence[str], notes: Sequence[str] = (), title: str = "") -> str:
    """One SQL file: comment header, then each statement terminated by ``;``."""
    lines = [f"-- {title}"] if title else []
    lines += [f"-- {n}" for line in notes for n in line.splitlines()]
    if lines:
        lines.append("")
    for st in statements:
        st = st.strip().rstrip(";")
        lines.append(st if st.startswith("--") else f"{st};")
    return "\n".join(lines).rstrip("\n") + "\n"


def existing_numbers(folder: Path, layout: str) -> dict[int, str]:
    """``{number: name}`` of the migrations already in ``folder``."""
    found: dict[int, str] = {}
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        m = _GOLANG.match(path.name) if layout == "golang-migrate" else _FLYWAY.match(path.name)
        if m:
            num, name = (int(m.group(1)), m.group(2)) if layout == "golang-migrate" else (
                int(m.group(2)), m.group(3))
            found[num] = name
    return found


def _paths(folder: Path, layout: str, number: int, name: str) -> tuple[Path, Path]:
    if layout == "golang-migrate":
        return folder / f"{number:04d}_{name}.up.sql", folder / f"{number:04d}_{name}.down.sql"
    return folder / f"V{number}__{name}.sql", folder / f"U{number}__{name}.sql"


def write_migration(
    migration: _HasUpDown | MigrationText, folder: Path, name: str, *,
    layout: str = "golang-migrate", number: int | None = None,
) -> list[Path]:
    """Write the up and down files of ``migration`` into ``folder``; returns their paths.

    Never overwrites: with ``number=None`` the next free number is used, unless an
    earlier migration of the same name holds exactly these bytes (then it is returned).
    """
    if layout not in LAYOUTS:
        raise ArchkitError(f"unknown migration layout {layout!r}",
                           hint=f"use one of: {', '.join(LAYOUTS)}")
    folder = Path(folder)
    name = slug(name)
    up_text, down_text = _texts(migration, name)
    existing = existing_numbers(folder, layout)
    if number is None:
        for num, old in sorted(existing.items()):
            up_path, down_path = _paths(folder, layout, num, old)
            if old == name and _same(up_path, up_text) and _same(down_path, down_text):
                return [up_path, down_path]
        number = max(existing, default=0) + 1
    elif number in existing and existing[number] != name:
        raise ArchkitError(
            f"migration number {number} is taken by {existing[number]!r}",
            where=Where(str(folder)), hint="leave number unset to use the next free one",
        )
    up_path, down_path = _paths(folder, layout, number, name)
    for path, text in ((up_path, up_text), (down_path, down_text)):
        ensure_inside(folder, path)
        write_new(path, text)
    return [up_path, down_path]


def _same(path: Path, text: str) -> bool:
    return path.is_file() and path.read_text(encoding="utf-8") == text


def _texts(migration, name: str) -> tuple[str, str]:
    up_notes = list(getattr(migration, "up_notes", []) or [])
    down_notes = list(getattr(migration, "down_notes", []) or [])
    up = render_script(list(migration.up), up_notes, f"archkit migration {name}: up")
    down = render_script(list(migration.down), down_notes, f"archkit migration {name}: down")
    return up, down
