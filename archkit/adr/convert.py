"""Convert a folder of records between dialects (adr-tools / Nygard <-> MADR 4).

Usage::

    written = convert(Path("doc/adr"), "madr", Path("docs/decisions"))

Every field both dialects can hold is kept (links go to MADR's ``## Links``,
MADR's options and drivers to extra Nygard sections), so converting back gives
the same records. All files are written at once or not at all, and a file in
the target folder that differs from what would be written is never replaced.
"""

from __future__ import annotations

from pathlib import Path

from archkit.adr._txn import commit_files
from archkit.adr.dialects import DIALECTS, dumps
from archkit.adr.store import AdrStore
from archkit.errors import ArchkitError, Where

__all__ = ["convert", "export"]


def export(records, to: str, out: Path, *, force: bool = False) -> list[Path]:
    """Write ``records`` in dialect ``to`` into ``out`` (all files, or none)."""
    if to not in DIALECTS:
        raise ArchkitError(f"unknown ADR dialect '{to}'", hint="use --to madr or --to nygard")
    out = Path(out)
    writes: dict[Path, str] = {}
    for rec in records:
        name = Path(rec.file or rec.default_file_name()).name
        if name.startswith("."):
            name = rec.default_file_name()
        path = out / name
        writes[path] = dumps(rec, to)
        if path.is_file() and not force and path.read_bytes() != writes[path].encode("utf-8"):
            raise ArchkitError(
                "a different file is already there; refusing to overwrite it",
                where=Where(str(path)),
                hint="choose an empty --out folder, or delete the file if it is yours",
            )
    return commit_files(writes)


def convert(src: Path, to: str, out: Path, *, force: bool = False) -> list[Path]:
    """Read every record of ``src`` and write it in dialect ``to`` into ``out``."""
    store = AdrStore.open(Path(src))
    if not len(store):
        raise ArchkitError(f"no ADR files (NNNN-title.md) in {store.folder}",
                           where=Where(str(src)), hint="point at the folder holding the records")
    unreadable = [f for f in store.findings if f.code == "ADR001"]
    if unreadable:  # converting the rest would silently drop these records
        first = unreadable[0]
        raise ArchkitError(
            f"{len(unreadable)} record(s) could not be read: {first.message}",
            where=Where(str(store.folder / (first.file or "")), first.line, first.col),
            hint=first.fix or "fix the record, then convert again")
    if Path(out).resolve() == store.folder.resolve():
        raise ArchkitError("--out is the source folder", where=Where(str(out)),
                           hint="convert into a new folder, then replace the old one yourself")
    return export(store.all(), to, out, force=force)
