"""Split a SQL script into statements, with the line each one starts on.

Usage::

    from archkit.schema.split import split_statements
    for st in split_statements(text, "postgres"):
        print(st.line, st.text)

``Places`` finds where a name is written inside the statements (file line and column),
tokenizing only the statements it is asked about::

    places = Places(split_statements(text, "postgres"), "postgres")
    places.find(3, "user_id", after=("references",))   # -> (4, 17) or None

Understands single/double/backtick quoting, ``--``/``#``/``/* */`` comments,
PostgreSQL dollar quoting (``$$ ... $$``, ``$tag$ ... $tag$``), MySQL
``DELIMITER`` lines, and ``BEGIN ... END`` trigger bodies (SQLite, MySQL). A PostgreSQL
file is read as psql reads it: a line starting with a backslash, where a statement starts,
is a meta-command of its own (``\\restrict KEY``; ``Statement.is_meta_command``), and the
data after ``COPY ... FROM stdin;`` (up to its ``\\.`` line) is no statement.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from archkit.schema.dialects import dialect as get_dialect

__all__ = ["Places", "Statement", "split_statements"]


@dataclass(slots=True)
class Statement:
    """One statement: its text (without the terminator), first line and column (1-based)."""

    text: str
    line: int
    col: int = 1
    end_line: int = 0
    offset: int = 0
    comments: list[str] = field(default_factory=list)

    @property
    def is_meta_command(self) -> bool:
        """A psql meta-command (``\\restrict KEY``): run by psql itself, not SQL."""
        return self.text.startswith("\\")

    @property
    def copies_from_stdin(self) -> bool:
        """``COPY ... FROM stdin``: its rows followed it in the script (and were skipped)."""
        return bool(_COPY_STDIN.match(self.text))

    @property
    def for_psql_only(self) -> bool:
        """Nothing for an engine to apply: psql's own command, or a COPY of rows from psql."""
        return self.is_meta_command or self.copies_from_stdin

    def position(self, offset: int) -> tuple[int, int]:
        """File line and column (1-based) of the character at ``offset`` in ``text``."""
        text = self.text
        offset = max(0, min(offset, len(text)))
        newline = text.rfind("\n", 0, offset)
        if newline < 0:  # on the statement's first line, which need not start at column 1
            return self.line, self.col + offset
        return self.line + text.count("\n", 0, offset), offset - newline


_COMMON = r"""
 (?P<sq>'(?:[^'{bs}]|''{esc})*'?)
|(?P<dq>"(?:[^"{bs}]|""{esc})*"?)
|(?P<lc>--[^\n]*)
|(?P<bc>/\*.*?(?:\*/|\Z))
|(?P<word>\b(?:BEGIN|END(?:\s+(?:IF|LOOP|WHILE|REPEAT)\b)?|CASE)\b)
"""


def _pattern(dialect: str, delimiter: str) -> re.Pattern:
    d = get_dialect(dialect)
    mysql = d.mysql_lexicon
    body = _COMMON.format(bs="\\\\" if mysql else "", esc="|\\\\." if mysql else "")
    extra = []
    if mysql:
        extra.append(r"(?P<bt>`(?:[^`]|``)*`?)")
        extra.append(r"(?P<hc>\#[^\n]*)")
        extra.append(r"(?P<delim>^[\ \t]*DELIMITER[\ \t]+(?P<newdelim>\S+)[\ \t]*$)")
    if d.dollar_quotes:
        extra.append(r"(?P<dollar>\$(?P<tag>[A-Za-z_][A-Za-z0-9_]*)?\$)")
        # E'...' strings take backslash escapes (E'it\'s'); must be tried before plain quotes
        body = r"(?P<esq>(?<![\w])[Ee]'(?:[^'\\]|\\.|'')*'?)|" + body
    if d.psql_scripts:
        extra.append(r"(?P<meta>^\\[^\n]*)")
    extra.append(f"(?P<semi>{re.escape(delimiter)})")
    # A look-ahead on the first characters any alternative can start with lets the engine
    # skip ordinary text quickly (about 3x faster on a pg_dump file).
    starts = "-/'\"$;EeBbCc" + ("`#Dd \t" if mysql else "") + ("\\" if d.psql_scripts else "") \
        + delimiter[0]
    lead = "(?=[" + "".join("\\" + ch if ch in "\\]^-[" else ch for ch in starts) + "])"
    return re.compile(lead + "(?:" + body + "|" + "|".join(extra) + ")",
                      re.S | re.I | re.X | re.M)


_COPY_STDIN = re.compile(r"\s*COPY\b[^;]*?\bFROM\s+STDIN\b", re.I)
_END_OF_DATA = re.compile(r"^\\\.[ \t]*\r?$", re.M)  # psql's end of COPY data: a line "\."
_TRIGGERISH = re.compile(r"^\s*CREATE\s+(?:DEFINER\s*=\s*\S+\s+)?(?:OR\s+REPLACE\s+)?"
                         r"(?:TEMP\w*\s+)?(?:TRIGGER|PROCEDURE|FUNCTION|EVENT)\b", re.I)


def split_statements(text: str, dialect: str = "postgres") -> list[Statement]:
    """Statements of ``text`` in order; empty statements and pure comments are skipped."""
    out: list[Statement] = []
    delimiter = ";"
    pattern = _pattern(dialect, delimiter)
    psql = get_dialect(dialect).psql_scripts
    if "/*!" in text and get_dialect(dialect).mysql_lexicon:
        text = _run_executable_comments(text, pattern)
    pos = 0
    start = 0
    depth = 0  # BEGIN/CASE ... END nesting inside a trigger or routine body
    routine: bool | None = None
    n = len(text)
    lines = _LineCounter(text)
    while pos < n:
        m = pattern.search(text, pos)
        if m is None:
            break
        kind = m.lastgroup
        if kind == "tag":
            kind = "dollar"
        if kind == "newdelim":
            kind = "delim"
        if kind == "delim":
            if _strip_comments(text[start : m.start()]).strip():
                pos = m.end()  # the word DELIMITER inside a statement
                continue
            _emit(out, text, start, m.start(), lines)  # keeps leading comments out
            delimiter = m.group("newdelim")
            pattern = _pattern(dialect, delimiter)
            pos = start = m.end()
            continue
        if kind == "dollar":
            closing = m.group(0)
            end = text.find(closing, m.end())
            pos = n if end < 0 else end + len(closing)
            continue
        if kind == "word":
            if routine is None:
                routine = bool(_TRIGGERISH.match(_strip_comments(text[start:m.start()])))
            if routine and delimiter == ";":
                word = m.group(0).upper()
                if word in ("BEGIN", "CASE"):
                    depth += 1
                elif word == "END" and depth > 0:  # END IF / END LOOP close no BEGIN
                    depth -= 1
            pos = m.end()
            continue
        if kind == "meta":
            if _strip_comments(text[start:m.start()]).strip():
                pos = m.end()  # inside a statement: left to it (psql would run it there)
                continue
            _emit(out, text, start, m.start(), lines)  # comments before it, if any
            _emit(out, text, m.start(), m.end(), lines)
            pos = start = m.end()
            continue
        if kind == "semi":
            if depth > 0:
                pos = m.end()
                continue
            emitted = len(out)
            _emit(out, text, start, m.start(), lines)
            pos = start = m.end()
            depth, routine = 0, None
            if psql and len(out) > emitted and out[-1].copies_from_stdin:
                end = _END_OF_DATA.search(text, pos)  # its rows: data, not statements
                pos = start = n if end is None else end.end()
            continue
        pos = m.end()
    _emit(out, text, start, n, lines)
    return out


def _run_executable_comments(text: str, pattern: re.Pattern) -> str:
    """``text`` with the markers of the MySQL comments every MySQL and MariaDB server runs
    blanked (``/*!40101 CHARACTER SET utf8 */``, mysqldump's ``/*!50001 VIEW ...*/``): their
    bodies are SQL. Gated on a later version (``/*!80023``, 5.7 and on) or MariaDB's own
    (``/*M!``), a body runs on some servers only and stays a comment. Lines and offsets stay
    where they were."""
    spans = []
    for m in pattern.finditer(text):  # strings and quoted names are passed over whole
        gate = _EXECUTABLE.match(m.group(0)) if m.lastgroup == "bc" else None
        if gate is not None and (gate.group(1) is None or int(gate.group(1)) < 50700) \
                and m.group(0).endswith("*/"):
            spans += [(m.start(), m.start() + gate.end()), (m.end() - 2, m.end())]
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], " " * (end - start)]
        last = end
    return "".join(out) + text[last:]


_EXECUTABLE = re.compile(r"/\*!(\d{5})?(?!\d)")


def _strip_comments(text: str) -> str:
    return re.sub(r"--[^\n]*|/\*.*?\*/|#[^\n]*", " ", text, flags=re.S)


_LEADING = re.compile(r"\s*(?:(--[^\n]*|#[^\n]*|/\*.*?\*/)\s*)*", re.S)


class _LineCounter:
    """Line numbers of increasing offsets in linear time overall."""

    def __init__(self, text: str):
        self.text, self.pos, self.line = text, 0, 1

    def __call__(self, offset: int) -> int:
        self.line += self.text.count("\n", self.pos, offset)
        self.pos = offset
        return self.line


def _emit(out: list[Statement], text: str, start: int, end: int, lines: _LineCounter) -> None:
    chunk = text[start:end]
    lead = _LEADING.match(chunk)
    body_start = lead.end() if lead else 0
    body = chunk[body_start:].rstrip()
    if not body:
        return
    comments = re.findall(r"--[^\n]*|#[^\n]*|/\*.*?\*/", chunk[:body_start], flags=re.S)
    abs_start = start + body_start
    line = lines(abs_start)
    col = abs_start - (text.rfind("\n", 0, abs_start) + 1) + 1
    end_line = line + body.count("\n")
    out.append(Statement(body, line, col, end_line, abs_start, comments))


class Places:
    """Where names are written in the statements of a file: line and column, on demand.

    Only a statement a question is asked about is read into words (once, by a scanner that
    knows the dialect's comments, strings and quoted names), so a name inside a comment or
    a string is never taken for the real one, and a file without findings costs nothing.
    """

    def __init__(self, statements: Sequence[Statement], dialect: str):
        self.statements = list(statements)
        self.dialect = dialect
        self._starts = [st.line for st in self.statements]
        self._words: dict[int, list[tuple[str, int]]] = {}

    def find(self, line: int | None, name: str | None, after: Sequence[str] = (),
             then: int = 0) -> tuple[int, int] | None:
        """Line and column of the first word ``name`` written on or after file line ``line``
        in the statement(s) there — after the words ``after``, in order, when they are there
        (``("references", "users")``), else anywhere from ``line`` on; ``then`` moves that
        many words further (the type after a column's name). Names compare without quotes
        and case; punctuation counts as a word (``"("``). None when the name is not there."""
        if line is None or not name:
            return None
        name = name.lower()
        anchors = [a.lower() for a in after]
        candidates = self._candidates(line)
        for anchored in ([anchors, []] if anchors else [[]]):
            for index in candidates:
                st = self.statements[index]
                words = self._read(index)
                begin = _line_offset(st.text, line - st.line)
                if begin is None:
                    continue
                first = next((i for i, w in enumerate(words) if w[1] >= begin), None)
                if first is None:
                    continue
                hit = _search(words, first, name, anchored)
                if hit is not None and hit + then < len(words):
                    return st.position(words[hit + then][1])
        return None

    def _candidates(self, line: int) -> list[int]:
        """Indexes of the statements that span ``line``, in file order."""
        hi = bisect_right(self._starts, line)
        out = []
        i = hi - 1
        while i >= 0 and (self.statements[i].end_line or self.statements[i].line) >= line:
            out.append(i)
            i -= 1
        if not out and hi:
            out.append(hi - 1)
        return out[::-1]

    def _read(self, index: int) -> list[tuple[str, int]]:
        if index not in self._words:
            self._words[index] = _words(self.statements[index].text, self.dialect)
        return self._words[index]


def _line_offset(text: str, lines: int) -> int | None:
    """Offset of the start of line ``lines`` (0 = the first) of ``text``."""
    offset = 0
    for _ in range(max(lines, 0)):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return None
    return offset


def _search(words, start: int, name: str, anchors: list[str]) -> int | None:
    i = start
    for anchor in anchors:
        i = next((j for j in range(i, len(words)) if words[j][0] == anchor), None)
        if i is None:
            return None
        i += 1
    return next((j for j in range(i, len(words)) if words[j][0] == name), None)


_WORDS: dict[str, re.Pattern] = {}


def _word_pattern(dialect: str) -> re.Pattern:
    """Comments and strings (skipped), quoted names, words, numbers and punctuation."""
    if dialect not in _WORDS:
        d = get_dialect(dialect)
        mysql = d.mysql_lexicon
        skip = [r"--[^\n]*", r"/\*.*?(?:\*/|\Z)"]
        names = [r'"(?P<dq>(?:[^"]|"")*)"?', r"`(?P<bt>(?:[^`]|``)*)`?"]
        if mysql:  # backslash escapes; "..." is a string; # starts a comment
            skip += [r"'(?:[^'\\]|\\.|'')*'?", r'"(?:[^"\\]|\\.|"")*"?', r"\#[^\n]*"]
            names = names[1:]
        else:
            skip.append(r"'(?:[^']|'')*'?")
        if d.dollar_quotes:
            skip[:0] = [r"(?<!\w)[Ee]'(?:[^'\\]|\\.|'')*'?",
                        r"\$(?P<tag>(?:[A-Za-z_]\w*)?)\$(?:.*?\$(?P=tag)\$|.*)"]
        if d.bracket_names:
            names.append(r"\[(?P<br>[^\]]*)\]?")
        _WORDS[dialect] = re.compile(
            "(?:" + "|".join(skip) + ")|" + "|".join(names)
            + r"|(?P<word>[^\W\d][\w$]*|\d[\w.]*)|(?P<punct>\S)", re.S)
    return _WORDS[dialect]


def _words(text: str, dialect: str) -> list[tuple[str, int]]:
    """(lower-case word or unquoted name, offset) of every word of ``text`` but comments
    and strings."""
    out = []
    for m in _word_pattern(dialect).finditer(text):
        kind = m.lastgroup
        if kind in ("word", "punct"):
            out.append((m.group(kind).lower(), m.start()))
        elif kind == "dq":
            out.append((m.group(kind).replace('""', '"').lower(), m.start()))
        elif kind == "bt":
            out.append((m.group(kind).replace("``", "`").lower(), m.start()))
        elif kind == "br":
            out.append((m.group(kind).lower(), m.start()))
    return out
