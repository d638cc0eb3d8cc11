"""Where the DSL reader's text comes from: files, ``!include`` (files, folders), ``!docs``.

Usage::

    text = read_text(Path("workspace.dsl"), None, findings, None)

The include guards live here: a cycle (a file reached again through its own includes), more
than MAX_INCLUDE_DEPTH levels, more than MAX_INCLUDED_FILES files, files over
MAX_FILE_BYTES, special files and unusable paths are located ArchkitErrors, never a hang
or a raw OSError. Remote URLs are findings (archkit works offline).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from archkit.c4.dsl_lexer import Statement, Token, decode, lex
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity

if TYPE_CHECKING:
    from archkit.c4.model import Element

__all__ = ["SourcesReader", "read_text", "URL", "MAX_INCLUDE_DEPTH", "MAX_INCLUDED_FILES",
           "MAX_FILE_BYTES"]

MAX_INCLUDE_DEPTH = 16  # nested !include / workspace extends
MAX_INCLUDED_FILES = 2000  # per workspace: a diamond of includes cannot explode
MAX_FILE_BYTES = 32 * 1024 * 1024
URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,30}://")


def read_text(path: Path, encoding: str | None, findings: Findings,
               stmt: Statement | None) -> str:
    where = Where(stmt.file, stmt.line, stmt.col) if stmt else Where(str(path)[:500])
    try:
        if not path.is_file():
            raise ArchkitError(f"{str(path)[:200]} is not a regular file", where=where,
                               hint="give a .dsl file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ArchkitError(f"{str(path)[:200]} is larger than {MAX_FILE_BYTES >> 20} MB",
                               where=where, hint="split the workspace into smaller files")
        data = path.read_bytes()
    except OSError as err:
        raise ArchkitError(f"cannot read {str(path)[:200]}: {err.strerror or err}", where=where,
                           hint="check the path and its permissions") from None
    if encoding:
        try:
            return decode(data.decode(encoding).encode("utf-8"), str(path))
        except (LookupError, UnicodeDecodeError) as err:
            raise ArchkitError(f"cannot decode the file as {encoding}: {err}",
                               where=Where(str(path)), hint="give the file's real encoding"
                               ) from None
    try:
        return decode(data, str(path))
    except ArchkitError as err:
        if "not UTF-8" not in err.message:
            raise
        findings.append(Finding(
            "C4306", Severity.WARNING, "the file is not UTF-8; it was read as ISO-8859-1",
            line=err.where.line if err.where else None, file=str(path),
            fix="save it as UTF-8, or read it with read_dsl(path, encoding=...)"))
        return decode(data.decode("latin-1").encode("utf-8"), str(path))


class SourcesReader:
    """Parser methods for files; the parser supplies error(), note(), skip_block(),
    ``stmts``/``pos`` (where included statements are spliced), ``chain`` and ``budget``."""

    def local_path(self, stmt: Statement, target: str) -> Path:
        """``target`` relative to the file holding ``stmt``; a located error if unusable."""
        here = Path(stmt.file).parent if stmt.file else self.base_dir
        tok = stmt.tokens[1] if len(stmt.tokens) > 1 else stmt
        try:
            path = (here / target).resolve()
            path.stat()
        except FileNotFoundError:
            raise self.error(f"{stmt.tokens[0].text}: no such file or folder {target[:200]!r}",
                             tok, "check the path (relative to the file it is written in)"
                             ) from None
        except (OSError, ValueError, RuntimeError) as err:
            reason = getattr(err, "strerror", None) or str(err)
            raise self.error(f"{stmt.tokens[0].text}: cannot use the path {target[:200]!r} "
                             f"({reason})", tok, "give a shorter, valid path") from None
        return path

    def check_chain(self, stmt: Statement, path: Path) -> tuple[str, ...]:
        """The include chain for ``path``; refuses cycles, depth and runaway file counts."""
        chain = (*self.chain, *stmt.chain, str(Path(stmt.file).resolve()) if stmt.file else "")
        if str(path) in chain:
            raise self.error(f"{stmt.tokens[0].text} of {path.name!r} includes itself "
                             "(an include cycle)", stmt,
                             "remove the include that leads back to this file")
        if len(chain) > MAX_INCLUDE_DEPTH:
            raise self.error(f"includes are nested more than {MAX_INCLUDE_DEPTH} deep", stmt,
                             "flatten the includes")
        self.budget[0] -= 1
        if self.budget[0] < 0:
            raise self.error(f"more than {MAX_INCLUDED_FILES} files included", stmt,
                             "include each file once")
        return chain

    def include(self, stmt: Statement, toks: list[Token]) -> None:
        target = toks[1].text if len(toks) > 1 else ""
        if not target:
            raise self.error("!include needs a file, folder or URL", stmt, "!include model.dsl")
        if URL.match(target):
            self.note("C4301", Severity.WARNING, f"!include of a URL ({target}) is not fetched",
                      stmt, "download the file and !include it by path", "!include")
            return
        path = self.local_path(stmt, target)
        # Structurizr includes a folder's files recursively, hidden files left out.
        files = self.files_under(stmt, path) if path.is_dir() else [path]
        spliced: list[Statement] = []
        for f in files:
            chain = self.check_chain(stmt, f.resolve())
            for s in lex(read_text(f, self.encoding, self.findings, stmt), str(f)):
                s.chain = chain[len(self.chain):]
                spliced.append(s)
        self.stmts[self.pos:self.pos] = spliced

    def files_under(self, stmt: Statement, folder: Path) -> list[Path]:
        """Regular, non-hidden files below ``folder``, sorted; bounded by the include budget."""
        found: list[Path] = []
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if name.startswith("."):
                    continue
                found.append(Path(root) / name)
                if len(found) > self.budget[0]:
                    raise self.error(f"{stmt.tokens[0].text} of {folder.name!r}: more than "
                                     f"{self.budget[0]} files", stmt,
                                     "point it at the folder that holds the DSL files")
        return sorted(p for p in found if p.is_file())

    def docs(self, stmt: Statement, toks: list[Token], head: str,
             context: Element | None) -> None:
        """``!docs`` / ``!adrs``: read the folder and say what is there (not modelled)."""
        target = toks[1].text if len(toks) > 1 else ""
        owner = context.name if context is not None else "the workspace"
        if not target:
            raise self.error(f"{head} needs a folder", stmt, f"{head} docs")
        path = self.local_path(stmt, target)
        files = self.files_under(stmt, path) if path.is_dir() else [path]
        if head == "!docs":
            self.note("C4307", Severity.INFO, f"!docs for {owner}: {len(files)} files in "
                      f"{target}, not part of the C4 model", stmt,
                      "nothing to do: the design pack links the documentation", head)
        else:
            count = self.count_adrs(path, files)
            self.note("C4307", Severity.INFO, f"{head} for {owner}: {count} decision records in "
                      f"{target}; read them with `archkit adr import {target}`", stmt,
                      "nothing to do: archkit keeps ADRs next to the C4 model", head)
        self.skip_block(stmt)

    @staticmethod
    def count_adrs(path: Path, files: list[Path]) -> int:
        try:
            from archkit.adr.store import AdrStore

            return len(AdrStore.open(path).all())
        except Exception:  # noqa: BLE001 — a count for a note; the files are listed anyway
            return len([f for f in files if f.suffix.lower() in (".md", ".adoc")])
