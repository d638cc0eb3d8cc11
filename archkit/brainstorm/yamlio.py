"""YAML with positions, bounded: every mapping and list remembers where its values start.

Usage::

    from archkit.brainstorm.yamlio import parse_yaml_document, pos_of
    doc = parse_yaml_document(text, source="decisions.yaml")
    doc.data["decisions"][0].line          # -> 7
    pos_of(doc.data, "decisions")          # -> (line, col) of the value
    doc.issues                             # duplicate keys: [YamlIssue(...)]

The text is composed into yaml's node graph (which carries line and column) and
converted here rather than by pyyaml's constructor, so that what a hostile file
can do is bounded: nesting depth (``MAX_DEPTH``), values after alias and merge
expansion (``MAX_VALUES`` — a "billion laughs" file stops early), file size
(``MAX_BYTES``). Every failure is an :class:`ArchkitError` with file:line:col.
Only the brainstorm loaders use this; pyyaml is imported when a file is read.
"""

from __future__ import annotations

import functools
import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archkit.errors import ArchkitError, Where

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_VALUES",
    "LocatedDict",
    "LocatedList",
    "YamlDocument",
    "YamlIssue",
    "decode_text",
    "line_of",
    "parse_yaml",
    "parse_yaml_document",
    "pos_of",
    "read_text",
    "read_yaml",
    "short_repr",
]

MAX_DEPTH = 64  # no real requirements or decisions file nests this deep
MAX_VALUES = 100_000  # scalars + containers after aliases and merges are expanded
MAX_BYTES = 8 * 1024 * 1024

MAX_NUMBER_CHARS = 100

_YAML_TAG = "tag:yaml.org,2002:"
_NUMBER_TAGS = {_YAML_TAG + "int", _YAML_TAG + "float"}
_MAP_TAGS = {_YAML_TAG + "map", _YAML_TAG + "set"}
_SEQ_TAGS = {_YAML_TAG + "seq", _YAML_TAG + "omap", _YAML_TAG + "pairs"}


class LocatedDict(dict):
    """A dict from YAML that knows its 1-based line and column, and those of its values."""

    line: int | None = None
    col: int | None = None

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.positions: dict[Any, tuple[int, int]] = {}  # of each value
        self.key_positions: dict[Any, tuple[int, int]] = {}  # of each key


class LocatedList(list):
    """A list from YAML that knows its 1-based line and column, and those of its items."""

    line: int | None = None
    col: int | None = None

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.positions: list[tuple[int, int]] = []


@dataclass(frozen=True, slots=True)
class YamlIssue:
    """Something the YAML itself got wrong that parsing survived (a duplicate key)."""

    message: str
    line: int
    col: int
    key: str = ""


@dataclass(slots=True)
class YamlDocument:
    """The parsed data and the issues met on the way."""

    data: Any
    issues: list[YamlIssue] = field(default_factory=list)


def line_of(value: Any) -> int | None:
    return getattr(value, "line", None)


def pos_of(container: Any, key: Any, *, of_key: bool = False) -> tuple[int | None, int | None]:
    """(line, col) of ``container[key]`` (or of the key itself) where known, else of the
    container."""
    positions = getattr(container, "key_positions" if of_key else "positions", None)
    try:
        if positions is not None:
            return positions[key]
    except (KeyError, IndexError, TypeError):
        pass
    return getattr(container, "line", None), getattr(container, "col", None)


_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = 60
_repr.maxlist = _repr.maxdict = 4
_repr.maxlevel = 2


def short_repr(value: Any) -> str:
    """A repr fit for one line of a message, whatever the value (huge, nested, odd)."""
    try:
        return _repr.repr(value)
    except (ValueError, OverflowError, RecursionError):  # e.g. ints past str()'s digit limit
        return f"<{type(value).__name__}>"


def decode_text(raw: bytes, source: str) -> str:
    """UTF-8 (a BOM is allowed) to text; anything else names the first bad byte's place."""
    _check_size(len(raw), source)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        start = err.start
        line = raw.count(b"\n", 0, start) + 1
        col = start - (raw.rfind(b"\n", 0, start) + 1) + 1
        raise ArchkitError(
            f"not UTF-8 text: byte 0x{raw[start]:02x} cannot be decoded",
            where=Where(source, line, col),
            hint="save the file as UTF-8 (most editors have an 'encoding' menu)",
        ) from None


def _check_size(size: int, source: str) -> None:
    if size > MAX_BYTES:
        raise ArchkitError(
            f"input is over {MAX_BYTES:,} bytes, more than a YAML input may have",
            where=Where(source),
            hint="split the file, or check that it is the right one",
        )


def read_text(path: str | Path) -> str:
    """A file's text as UTF-8; unreadable files and bad bytes raise located ArchkitErrors."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as err:
        raise ArchkitError(
            f"cannot read the file: {err.strerror or err}",
            where=Where(str(path)),
            hint="check the path and that it is a readable file",
        ) from None
    return decode_text(raw, str(path))


def parse_yaml(text: str | bytes, source: str = "<yaml>") -> Any:
    """Parse YAML text to located dicts and lists (duplicate keys: the last one wins)."""
    return parse_yaml_document(text, source).data


def read_yaml(path: str | Path) -> Any:
    """Read and parse a YAML file (errors name the file, line and column)."""
    return parse_yaml(read_text(path), source=str(Path(path)))


def parse_yaml_document(text: str | bytes, source: str = "<yaml>") -> YamlDocument:
    """Parse YAML text; every failure is an ArchkitError with line and column."""
    import yaml

    if isinstance(text, bytes):
        text = decode_text(text, source)
    _check_size(len(text), source)  # characters: at least as many bytes
    _check_flow_depth(text, source)
    loader = None
    try:
        loader = _loader_class()(text)
        node = loader.get_single_node()
        doc = YamlDocument(None)
        if node is not None:
            doc.data = _Converter(loader, source, doc.issues).convert(node, 0)
        return doc
    except yaml.YAMLError as err:
        raise _yaml_error(err, text, source) from None
    except RecursionError:  # the depth guard should stop it first; never a traceback
        raise ArchkitError(
            "YAML nested too deeply",
            where=Where(source),
            hint=f"keep nesting under {MAX_DEPTH} levels",
        ) from None
    finally:
        if loader is not None:
            loader.dispose()


def _check_flow_depth(text: str, source: str) -> None:
    """Refuse ``[[[[…`` / ``{{{{…`` past MAX_DEPTH before pyyaml's scanner sees it.

    The scanner keeps a possible key per open bracket and rechecks them all on
    every token (about half a second for a few thousand brackets); this linear
    pass finds the place first. Quoted text and comments are skipped.
    """
    if "[" not in text and "{" not in text:
        return
    depth, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, i) + 1
                raise ArchkitError(
                    f"not valid YAML: nested more than {MAX_DEPTH} levels deep",
                    where=Where(source, line, i - (text.rfind("\n", 0, i) + 1) + 1),
                    hint=f"keep nesting under {MAX_DEPTH} levels",
                )
        elif ch in "]}":
            depth = max(depth - 1, 0)
        elif ch in "\"'" and depth:  # quoted text inside a flow collection
            close = _closing_quote(text, i)
            i = close if close > i else n
        elif ch == "#" and (i == 0 or text[i - 1] in " \t\n"):
            newline = text.find("\n", i)
            i = n if newline < 0 else newline
        i += 1


def _closing_quote(text: str, start: int) -> int:
    quote, i = text[start], start + 1
    while True:
        i = text.find(quote, i)
        if i < 0:
            return -1
        if quote == "'" and text.startswith("''", i):
            i += 2
            continue
        if quote == '"' and _escaped(text, i):
            i += 1
            continue
        return i


def _escaped(text: str, i: int) -> bool:
    backslashes = 0
    while i - backslashes - 1 >= 0 and text[i - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _yaml_error(err: Exception, text: str, source: str) -> ArchkitError:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    if mark is not None:
        where = Where(source, mark.line + 1, mark.column + 1)
    elif isinstance(getattr(err, "position", None), int):  # a ReaderError: a bad character
        pos = err.position  # type: ignore[attr-defined]
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        where = Where(source, text.count("\n", 0, pos) + 1, col)
    else:
        where = Where(source)
    problem = getattr(err, "problem", None) or getattr(err, "reason", None) or str(err)
    return ArchkitError(
        f"not valid YAML: {problem}",
        where=where,
        hint="check indentation, quoting, and that lists and mappings are closed",
    )


@functools.cache
def _loader_class() -> type:
    """SafeLoader whose composer refuses to nest deeper than MAX_DEPTH (it recurses)."""
    import yaml

    class Loader(yaml.SafeLoader):
        def __init__(self, stream: str):
            super().__init__(stream)
            self._depth = 0

        def compose_node(self, parent, index):  # noqa: ANN001 - pyyaml's signature
            self._depth += 1
            try:
                if self._depth > MAX_DEPTH:
                    raise yaml.composer.ComposerError(
                        None, None, f"nested more than {MAX_DEPTH} levels deep",
                        self.peek_event().start_mark,
                    )
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

    return Loader


class _Converter:
    """Node graph → LocatedDict / LocatedList / scalars, counting every value it makes."""

    def __init__(self, loader: Any, source: str, issues: list[YamlIssue]):
        self.loader = loader
        self.source = source
        self.issues = issues
        self.count = 0

    def fail(self, node: Any, message: str, hint: str) -> ArchkitError:
        mark = node.start_mark
        return ArchkitError(message, where=Where(self.source, mark.line + 1, mark.column + 1),
                            hint=hint)

    def convert(self, node: Any, depth: int) -> Any:
        import yaml

        self.count += 1
        if self.count > MAX_VALUES:
            raise self.fail(node, f"YAML expands to more than {MAX_VALUES:,} values "
                                  "(aliases or merge keys repeat data)",
                            "write the values out, or use fewer nested aliases")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested more than {MAX_DEPTH} levels deep "
                                  "(an alias that refers to itself?)",
                            "remove the self-referring alias")
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag not in _SEQ_TAGS:
                raise self.fail(node, f"tag {node.tag!r} is not supported here",
                                "remove the tag")
            out = LocatedList()
            out.line, out.col = node.start_mark.line + 1, node.start_mark.column + 1
            for item in node.value:
                out.append(self.convert(item, depth + 1))
                out.positions.append((item.start_mark.line + 1, item.start_mark.column + 1))
            return out
        if node.tag not in _MAP_TAGS:
            raise self.fail(node, f"tag {node.tag!r} is not supported here", "remove the tag")
        return self.mapping(node, depth)

    def scalar(self, node: Any) -> Any:
        if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
            # 1:2:3:… (YAML 1.1 base 60) and long digit runs cost time and overflow str()
            raise self.fail(node, f"number {short_repr(node.value)} is longer than "
                                  f"{MAX_NUMBER_CHARS} characters",
                            "quote it to keep it as text, or write a shorter number")
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError, TypeError) as err:
            # e.g. a date like 2024-13-45, or an integer past Python's 4,300-digit limit
            raise self.fail(node, f"value {short_repr(node.value)} cannot be read: {err}",
                            "quote it to keep it as text, or fix the value") from None

    def key(self, node: Any) -> Any:
        import yaml

        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, "a mapping key must be plain text, not a list or mapping",
                            "write the key as text")
        self.count += 1
        return self.scalar(node)

    def mapping(self, node: Any, depth: int) -> LocatedDict:
        out = LocatedDict()
        out.line, out.col = node.start_mark.line + 1, node.start_mark.column + 1
        merged: list[tuple[Any, Any, tuple[int, int]]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _YAML_TAG + "merge":
                merged.extend(self.merge_sources(value_node, depth))
                continue
            key = self.key(key_node)
            value = self.convert(value_node, depth + 1)
            place = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
            if key in out:
                self.issues.append(YamlIssue(
                    f"key {short_repr(key)} appears twice in this mapping; the later value is used",
                    key_node.start_mark.line + 1, key_node.start_mark.column + 1, str(key)))
            out[key] = value
            out.positions[key] = place
            out.key_positions[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        for key, value, place in merged:  # explicit keys win, then earlier merge sources
            if key not in out:
                out[key] = value
                out.positions[key] = out.key_positions[key] = place
        return out

    def merge_sources(self, node: Any, depth: int) -> list[tuple[Any, Any, tuple[int, int]]]:
        import yaml

        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        pairs = []
        for source in sources:
            value = self.convert(source, depth + 1)
            if not isinstance(value, LocatedDict):
                raise self.fail(source, "'<<' merges only mappings",
                                "write '<<: *anchor' with an anchor on a mapping")
            pairs += [(k, v, value.positions.get(k, (value.line, value.col)))
                      for k, v in value.items()]
        return pairs
