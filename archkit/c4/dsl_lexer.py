"""Split Structurizr DSL text into statements (one per line) of tokens with line/column.

Usage::

    for stmt in lex(text, "workspace.dsl"):
        stmt.words    # ['softwareSystem', 'Shopfront', '{']

Comments (``#``, ``//``, ``/* */``) are dropped; quoted strings keep their text with
``\\"`` and ``\\\\`` unescaped. Braces are checked for balance here, so an unbalanced
file fails with the line and column of the brace at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archkit.errors import ArchkitError, Where

__all__ = ["Token", "Statement", "lex", "decode", "MAX_NESTING", "ARROW"]

ARROW = re.compile(r"-(?:/|-[A-Za-z0-9_]+-)?>")  # ->, -/> and --archetype->
_STRING_STOP = re.compile(r'["\\\n]')
MAX_NESTING = 100  # the parser recurses per block; real workspaces nest < 15 deep


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    line: int
    col: int
    quoted: bool = False


@dataclass(slots=True)
class Statement:
    """The tokens of one logical line; ``opens`` when it ends with ``{``."""

    tokens: list[Token] = field(default_factory=list)
    file: str | None = None
    chain: tuple[str, ...] = ()  # the files that !include'd this one, outermost first

    @property
    def words(self) -> list[str]:
        return [t.text for t in self.tokens]

    @property
    def line(self) -> int:
        return self.tokens[0].line

    @property
    def col(self) -> int:
        return self.tokens[0].col

    @property
    def opens(self) -> bool:
        last = self.tokens[-1]
        return last.text == "{" and not last.quoted

    @property
    def closes(self) -> bool:
        return len(self.tokens) == 1 and self.tokens[0].text == "}" and not self.tokens[0].quoted


def decode(data: bytes, file: str | None) -> str:
    """Bytes to text, refusing binary files and empty input with a located error."""
    if b"\x00" in data[:8192]:
        offset = data.index(b"\x00")
        line = data[:offset].count(b"\n") + 1
        col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        raise ArchkitError("this is a binary file, not Structurizr DSL",
                           where=Where(file, line, col), hint="give a .dsl text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise ArchkitError("the file is not UTF-8 text (is it binary?)",
                           where=Where(file, line, col), hint="save the DSL as UTF-8") from None
    if not text.strip():
        raise ArchkitError("the workspace file is empty", where=Where(file, 1, 1),
                           hint='start with: workspace { model { ... } views { ... } }')
    return text


def lex(text: str, file: str | None = None) -> list[Statement]:
    """Statements in order; raises ArchkitError on unbalanced braces or unclosed strings."""
    statements: list[Statement] = []
    current = Statement(file=file)
    stack: list[Token] = []
    i, line, col, n = 0, 1, 1, len(text)

    def flush() -> None:
        nonlocal current
        if current.tokens:
            statements.append(current)
            current = Statement(file=file)

    while i < n:
        ch = text[i]
        if ch == "\n":
            flush()
            i, line, col = i + 1, line + 1, 1
            continue
        if ch in " \t\r":
            i, col = i + 1, col + 1
            continue
        if ch == "\\" and _continues(text, i):  # line continuation
            i, line, col = _after_continuation(text, i, line)
            continue
        # Like Structurizr, "#" and "//" start a comment only at the start of a line
        # (so "#ffffff" in a style is a colour, not a comment).
        if not current.tokens and (ch == "#" or text.startswith("//", i)):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise ArchkitError("comment opened with /* is never closed",
                                   where=Where(file, line, col), hint="close it with */")
            chunk = text[i:end + 2]
            line += chunk.count("\n")
            col = len(chunk) - chunk.rfind("\n") if "\n" in chunk else col + len(chunk)
            i = end + 2
            continue
        if ch == '"':
            start_line, start_col = line, col
            if text.startswith('"""', i):
                end = text.find('"""', i + 3)
                if end < 0:
                    raise ArchkitError('text block opened with """ is never closed',
                                       where=Where(file, line, col), hint='close it with """')
                body = text[i + 3:end]
                current.tokens.append(Token(_dedent(body), start_line, start_col, True))
                line += body.count("\n")
                col = col + 6 + len(body) if "\n" not in body else len(body) - body.rfind("\n") + 3
                i = end + 3
                continue
            j, buf = i + 1, []
            while j < n and text[j] != '"':
                if text[j] == "\n":
                    raise ArchkitError("string is not closed before the end of the line",
                                       where=Where(file, start_line, start_col),
                                       hint='add the closing "')
                if text[j] == "\\" and _continues(text, j):  # "Software \ <newline> System"
                    j, line, _ = _after_continuation(text, j, line)
                    continue
                if text[j] == "\\" and j + 1 < n and text[j + 1] in '"\\':
                    buf.append(text[j + 1])
                    j += 2
                    continue
                stop = _STRING_STOP.search(text, j + 1)  # copy plain text in one go
                end = stop.start() if stop else n
                buf.append(text[j:end])
                j = end
            if j >= n:
                raise ArchkitError("string is not closed", where=Where(file, start_line, start_col),
                                   hint='add the closing "')
            current.tokens.append(Token("".join(buf), start_line, start_col, True))
            last_nl = text.rfind("\n", i, j)
            col = j - last_nl + 1 if last_nl >= 0 else col + j + 1 - i
            i = j + 1
            continue
        if ch == "{":
            tok = Token("{", line, col)
            current.tokens.append(tok)
            stack.append(tok)
            if len(stack) > MAX_NESTING:
                raise ArchkitError(f"blocks are nested more than {MAX_NESTING} deep",
                                   where=Where(file, line, col), hint="close some blocks")
            flush()
            i, col = i + 1, col + 1
            continue
        if ch == "}":
            flush()
            tok = Token("}", line, col)
            if not stack:
                raise ArchkitError("'}' closes a block that was never opened",
                                   where=Where(file, line, col), hint="remove the extra '}'")
            stack.pop()
            current.tokens.append(tok)
            flush()
            i, col = i + 1, col + 1
            continue
        j = i
        while j < n and text[j] not in ' \t\r\n"{}':
            j += 1
        word = text[i:j]
        current.tokens.append(Token(word, line, col))
        col += j - i
        i = j
    flush()
    if stack:
        tok = stack[-1]
        raise ArchkitError("'{' is never closed", where=Where(file, tok.line, tok.col),
                           hint="add the matching '}'")
    return statements


def _continues(text: str, i: int) -> bool:
    """A backslash at the end of a line (spaces, tabs or CR may follow it)."""
    j = i + 1
    while j < len(text) and text[j] in " \t\r":
        j += 1
    return j < len(text) and text[j] == "\n"


def _after_continuation(text: str, i: int, line: int) -> tuple[int, int, int]:
    """Position after a continuation: the next line, its leading blanks skipped (as Structurizr)."""
    j = text.index("\n", i) + 1
    start = j
    while j < len(text) and text[j] in " \t":
        j += 1
    return j, line + 1, j - start + 1


def _dedent(body: str) -> str:
    import textwrap

    return textwrap.dedent(body).strip("\n")
