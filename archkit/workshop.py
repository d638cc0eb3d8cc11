"""Workshop mode: student copies of the notebooks without their solutions, and a reset.

In a stage notebook the solution of an exercise sits between nbgrader-style markers::

    weights = {
        ### BEGIN SOLUTION
        "Latency": 5,
        ### END SOLUTION
    }
    archkit.check.my_exercise(weights)

The student copy keeps the cell and replaces each block with a blank at the marker's
indentation (``# YOUR CODE HERE``, plus ``...`` where Python needs a statement), and
strips every output, so no answer leaks through a rendered result either.

Usage::

    python -m archkit.workshop notebooks workshop          # write the student set
    python -m archkit.workshop --reset workshop/02_schema_design.ipynb

    from archkit.workshop import write_student_set, reset
    write_student_set("notebooks", "workshop").files

The student folder keeps a manifest of what was written; a later run refuses to
overwrite a notebook a student changed unless ``force=True`` (``--force``), and
``reset`` keeps the student's version as ``NAME.before-reset-N.ipynb`` first.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archkit.display import escape_markdown, markdown_table
from archkit.errors import ArchkitError, Where
from archkit.fsio import atomic_write

__all__ = [
    "BEGIN",
    "END",
    "CODE_STUB",
    "MARKDOWN_STUB",
    "MANIFEST",
    "OPEN_HINT",
    "Blank",
    "StudentNotebook",
    "WorkshopSet",
    "blank_solutions",
    "notebook_text",
    "student_notebook",
    "write_student_set",
    "reset",
    "main",
]

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CODE_STUB = "# YOUR CODE HERE"
MARKDOWN_STUB = "YOUR ANSWER HERE"
MANIFEST = ".archkit-workshop.json"
# Notebook-level metadata that can carry answers (saved widget state) or noise; `jupytext`
# pairs a notebook with a .py file, which JupyterLab would then write into the student folder.
DROP_METADATA = ("widgets", "toc", "varInspector", "jupytext")
# The repository's jupytext.toml pairs every notebook below it; this one, in the student
# folder, turns pairing off there (jupytext reads the nearest config file).
JUPYTEXT_CONFIG = ("jupytext.toml",
                   "# Student copies are plain notebooks: no paired .py files here.\n"
                   'formats = "ipynb"\n')
OPEN_HINT = "open them with: make lab-workshop  (or: jupyter lab {out})"


@dataclass(frozen=True, slots=True)
class Blank:
    """One solution block taken out: its cell (1-based), first line in the cell, size."""

    cell: int
    line: int
    lines: int


@dataclass(slots=True)
class StudentNotebook:
    """The student version of one notebook (``notebook`` is an nbformat node)."""

    name: str
    notebook: Any
    blanks: list[Blank] = field(default_factory=list)

    def text(self) -> str:
        """The notebook file's content: nbformat's stable JSON, ending in a newline."""
        return notebook_text(self.notebook)

    def _repr_markdown_(self) -> str:
        if not self.blanks:
            return f"`{escape_markdown(self.name)}`: no solution blocks, copied as it is."
        rows = [[b.cell, b.line, b.lines] for b in self.blanks]
        return (f"`{escape_markdown(self.name)}`: {len(self.blanks)} blanks\n\n"
                + markdown_table(["cell", "line", "lines taken out"], rows))


@dataclass(slots=True)
class WorkshopSet:
    """What a run wrote into the student folder."""

    out: Path
    notebooks: list[StudentNotebook] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def files(self) -> list[str]:
        return [nb.name for nb in self.notebooks]

    def _repr_markdown_(self) -> str:
        rows = [[nb.name, str(len(nb.blanks)), "yes" if nb.name in self.changed else "no"]
                for nb in self.notebooks]
        head = f"**Student set in `{escape_markdown(str(self.out))}`**"
        return head + "\n\n" + markdown_table(["notebook", "blanks", "written"], rows)


def notebook_text(nb: Any) -> str:
    """The file content of a notebook: nbformat's stable JSON, ending in a newline."""
    import nbformat

    return nbformat.writes(nb) + "\n"


def _marker(line: str, marker: str) -> bool:
    return line.strip() == marker


def blank_solutions(source: str, *, cell_type: str = "code",
                    where: str = "<cell>") -> tuple[str, list[tuple[int, int]]]:
    """Replace every solution block of one cell; returns the new text and (line, size) pairs.

    Unbalanced markers raise ArchkitError naming ``where`` and the line.
    """
    lines = source.split("\n")
    out: list[str] = []
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    for number, line in enumerate(lines, start=1):
        if _marker(line, BEGIN):
            if start is not None:
                raise ArchkitError(
                    f"'{BEGIN}' inside a solution block opened on line {start}",
                    where=Where(where, number, len(line) - len(line.lstrip()) + 1),
                    hint=f"close the first block with '{END}' before opening another",
                )
            start = number
            indent = line[: len(line) - len(line.lstrip())]
            stub = CODE_STUB if cell_type == "code" else MARKDOWN_STUB
            out.append(indent + stub)
        elif _marker(line, END):
            if start is None:
                raise ArchkitError(
                    f"'{END}' without a '{BEGIN}' before it",
                    where=Where(where, number, len(line) - len(line.lstrip()) + 1),
                    hint=f"add '{BEGIN}' above the solution, or remove this line",
                )
            blocks.append((start, number - start + 1))
            start = None
        elif start is None:
            out.append(line)
    if start is not None:
        raise ArchkitError(
            f"'{BEGIN}' is never closed", where=Where(where, start),
            hint=f"end the solution with a line '{END}'",
        )
    text = "\n".join(out)
    if cell_type == "code" and blocks:
        text = _keep_valid_python(source, text)
    return text, blocks


def _keep_valid_python(original: str, blanked: str) -> str:
    """A comment alone cannot be a block's body: add ``...`` where Python needs a statement."""
    if not _parses(original) or _parses(blanked):
        return blanked
    fixed = blanked.replace(CODE_STUB, f"...  {CODE_STUB}")
    return fixed if _parses(fixed) else blanked


def _parses(code: str) -> bool:
    # IPython magics and shell escapes are not Python; blank them before parsing.
    plain = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                      for line in code.split("\n"))
    try:
        ast.parse(plain)
    except SyntaxError:
        return False
    return True


def student_notebook(path: str | Path) -> StudentNotebook:
    """Read a solution notebook and build its student version (no I/O beyond the read)."""
    import nbformat

    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        nb = nbformat.reads(json.dumps(raw), as_version=4)
    except (ValueError, KeyError, TypeError) as err:  # NotJSONError is a ValueError
        raise ArchkitError(f"not a notebook: {err}", where=Where(str(path)),
                           hint="give a .ipynb file saved by Jupyter") from err
    # Upgrading an old notebook gives cells random ids; stable ones keep copies byte-identical.
    raw_cells = raw.get("cells", []) if isinstance(raw, dict) else []
    for index, (cell, raw_cell) in enumerate(zip(nb.cells, raw_cells, strict=False)):
        if "id" in cell and not (isinstance(raw_cell, dict) and raw_cell.get("id")):
            cell.id = hashlib.sha1(f"{path.name}:{index}".encode()).hexdigest()[:12]
    blanks: list[Blank] = []
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type in ("code", "markdown"):
            text, blocks = blank_solutions(cell.source, cell_type=cell.cell_type,
                                           where=f"{path} (cell {index})")
            cell.source = text
            blanks += [Blank(index, line, size) for line, size in blocks]
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in ("execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
    for key in DROP_METADATA:
        nb.metadata.pop(key, None)
    return StudentNotebook(path.name, nb, blanks)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_manifest(out: Path) -> dict[str, dict[str, str]]:
    path = out / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ArchkitError(f"unreadable workshop manifest: {err}", where=Where(str(path)),
                           hint=f"delete {MANIFEST} and write the set again with --force") from err
    return data.get("notebooks", {}) if isinstance(data, dict) else {}


def _write_manifest(out: Path, entries: dict[str, dict[str, str]]) -> None:
    data = {"generator": "archkit.workshop", "notebooks": dict(sorted(entries.items()))}
    atomic_write(out / MANIFEST, json.dumps(data, indent=2, sort_keys=True) + "\n")


def _edited(target: Path, recorded: dict[str, str] | None, new_text: str) -> bool:
    """True when ``target`` holds something neither we wrote last time nor are writing now."""
    if not target.is_file():
        return False
    current = _digest(target.read_text(encoding="utf-8"))
    if current == _digest(new_text):
        return False
    return recorded is None or current != recorded.get("sha256")


def write_student_set(source: str | Path, out: str | Path, *,
                      force: bool = False) -> WorkshopSet:
    """Write the student copy of every notebook in ``source`` into ``out``.

    A notebook in ``out`` that a student changed since the last run is left alone
    (ArchkitError, nothing written) unless ``force``.
    """
    source, out = Path(source), Path(out)
    if not source.is_dir():
        raise ArchkitError(f"no notebook folder at {source}", where=Where(str(source)),
                           hint="give the folder holding the solution notebooks, e.g. notebooks")
    if source.resolve() == out.resolve():
        raise ArchkitError("the student folder must differ from the solution folder",
                           where=Where(str(out)), hint="write the student set to e.g. workshop/")
    paths = sorted(source.glob("*.ipynb"))
    if not paths:
        raise ArchkitError(f"no .ipynb files in {source}", where=Where(str(source)))
    built = [student_notebook(p) for p in paths]
    manifest = _read_manifest(out)
    edited = [nb.name for nb in built if _edited(out / nb.name, manifest.get(nb.name), nb.text())]
    if edited and not force:
        raise ArchkitError(
            "these student notebooks were changed since they were written: " + ", ".join(edited),
            where=Where(str(out)),
            hint="use --force to overwrite them, or --reset NAME to restore one with a backup",
        )
    result = WorkshopSet(out, built)
    entries = dict(manifest)
    for nb in built:
        text = nb.text()
        if atomic_write(out / nb.name, text):
            result.changed.append(nb.name)
        entries[nb.name] = {"source": _relative(source / nb.name, out), "sha256": _digest(text)}
    _write_manifest(out, entries)
    atomic_write(out / JUPYTEXT_CONFIG[0], JUPYTEXT_CONFIG[1])
    return result


def _relative(path: Path, start: Path) -> str:
    import os

    return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()


def reset(student: str | Path, source: str | Path | None = None) -> Path | None:
    """Put a student notebook back to its first state; returns the backup of their version.

    The solution notebook is found through the folder's manifest unless ``source``
    (the solution notebook) is given. The student's own version, if it differs, is
    kept next to it as ``NAME.before-reset-N.ipynb``; nothing is lost.
    """
    student = Path(student)
    folder = student.parent
    if source is None:
        entry = _read_manifest(folder).get(student.name)
        if not entry:
            raise ArchkitError(
                f"{student.name} is not in the workshop manifest of {folder}",
                where=Where(str(student)),
                hint="write the set with 'python -m archkit.workshop notebooks workshop' first, "
                     "or pass the solution notebook",
            )
        source = folder / entry["source"]
    fresh = student_notebook(source).text()
    backup = None
    if student.is_file() and student.read_text(encoding="utf-8") != fresh:
        backup = _free_backup_name(student)
        atomic_write(backup, student.read_bytes())
    atomic_write(student, fresh)
    entries = _read_manifest(folder)
    entries[student.name] = {"source": _relative(Path(source), folder), "sha256": _digest(fresh)}
    _write_manifest(folder, entries)
    return backup


def _free_backup_name(student: Path) -> Path:
    n = 1
    while (candidate := student.with_name(f"{student.stem}.before-reset-{n}.ipynb")).exists():
        n += 1
    return candidate


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m archkit.workshop SOURCE OUT [--force]`` or ``--reset NOTEBOOK``."""
    parser = argparse.ArgumentParser(
        prog="python -m archkit.workshop",
        description="Write student copies of the notebooks (solutions blanked, outputs "
                    "stripped), or reset one student notebook.",
    )
    parser.add_argument("source", nargs="?", help="folder of solution notebooks (notebooks)")
    parser.add_argument("out", nargs="?", help="folder for the student copies (workshop)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite student notebooks even when a student changed them")
    parser.add_argument("--reset", metavar="NOTEBOOK",
                        help="restore this student notebook (its edits are kept as a backup)")
    args = parser.parse_args(argv)
    try:
        if args.reset:
            backup = reset(args.reset)
            kept = f"; the student's version is kept as {backup}" if backup else ""
            print(f"reset {args.reset}{kept}")
            return 0
        if not (args.source and args.out):
            parser.error("give SOURCE and OUT folders, or --reset NOTEBOOK")
        result = write_student_set(args.source, args.out, force=args.force)
    except ArchkitError as err:
        print(f"archkit: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"archkit: error: {err}", file=sys.stderr)
        return 2
    blanks = sum(len(nb.blanks) for nb in result.notebooks)
    print(f"wrote {len(result.notebooks)} student notebooks ({blanks} blanks) to {result.out} "
          f"({len(result.changed)} changed)")
    print(OPEN_HINT.format(out=result.out))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
