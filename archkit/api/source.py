"""Read an OpenAPI or AsyncAPI document (YAML or JSON) and keep where each value sits.

Usage::

    spec = load_spec("api/openapi.yaml")
    spec.kind, spec.version          # ("openapi", "3.1.0")
    spec.line("/paths/~1v1~1orders/post")   # -> 42, the 1-based line of that key

YAML is read from libyaml's events into plain data plus the line of every key
(``archkit.api.yaml_events``); a document with anchors, aliases, merge keys or explicit
tags is composed into nodes instead and turned into data by one walk of our own, the
node tree kept to map a JSON pointer to a line. JSON is read with ``json`` and composed
for lines only when a finding needs one. Two things differ from ``yaml.safe_load`` on purpose:
timestamps stay strings (an OpenAPI ``example: 2024-05-01`` is a string in JSON, and
JSON Schema validators cannot check ``date`` objects), and a key given twice in one
mapping is reported (``duplicates``) instead of silently keeping the last one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from archkit.api.yaml_events import from_events
from archkit.errors import ArchkitError, Where

__all__ = ["MISSING", "Spec", "load_spec", "parse_spec", "pointer", "unpointer"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_constructor = yaml.constructor.SafeConstructor()
MISSING = object()  # what resolve() gives for a reference that points nowhere


def pointer(parts: tuple | list) -> str:
    """A JSON pointer (RFC 6901) from path parts: ``("paths", "/a")`` -> ``/paths/~1a``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def unpointer(text: str) -> list[str]:
    """The parts of a JSON pointer (``#`` prefix allowed)."""
    text = text[1:] if text.startswith("#") else text
    if not text:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in text.split("/")[1:]]


@dataclass
class Spec:
    """A loaded API document: its data, its kind and version, and a pointer→line map."""

    data: Any
    file: str | None = None
    text: str = ""
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    _root: Any = None
    _index: dict = field(default_factory=dict, repr=False)
    _is_json: bool = False
    _lines: dict | None = field(default=None, repr=False)  # id(container) -> {key: line}
    _line_data: Any = field(default=None, repr=False)  # the data _lines describes

    @property
    def kind(self) -> str:
        """``openapi``, ``asyncapi`` or ``unknown``."""
        if isinstance(self.data, dict):
            for key in ("openapi", "asyncapi"):
                if key in self.data:
                    return key
        return "unknown"

    @property
    def version(self) -> str:
        return str(self.data.get(self.kind, "")) if self.kind != "unknown" else ""

    def line(self, ptr: str | list | tuple) -> int | None:
        """1-based line of the value at a JSON pointer (of its key, for a mapping member)."""
        parts = unpointer(ptr) if isinstance(ptr, str) else [str(p) for p in ptr]
        if self._lines is None and self._is_json and self._root is None:
            try:  # JSON is YAML: its lines are read only when a finding needs one
                fast = from_events(self.text)
            except (yaml.YAMLError, RecursionError):
                fast = None
            if fast is not None:
                self._line_data, self._lines = fast[0], fast[1]
        if self._lines is not None:
            return self._line_from_events(parts)
        node = self._nodes()
        if node is None:
            return None
        best = node.start_mark.line + 1
        for part in parts:
            if isinstance(node, yaml.MappingNode):
                index = self._index.get(id(node))
                if index is None:
                    index = {str(k.value): (k, v) for k, v in node.value}
                    self._index[id(node)] = index
                hit = index.get(part)
                if hit is None:
                    return best
                best, node = hit[0].start_mark.line + 1, hit[1]
            elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(
                    node.value):
                node = node.value[int(part)]
                best = node.start_mark.line + 1
            else:
                return best
        return best

    def _line_from_events(self, parts: list[str]) -> int:
        value = self.data if self._line_data is None else self._line_data
        best = self._lines.get(id(value), {}).get(None, 1)
        for part in parts:
            if isinstance(value, dict) and part in value:
                best = self._lines.get(id(value), {}).get(part, best)
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                best = self._lines.get(id(value), {}).get(int(part), best)
                value = value[int(part)]
            else:
                break
        return best

    def resolve(self, ref: str) -> Any:
        """The value a local ``#/...`` reference points at, or ``_MISSING``."""
        if not ref.startswith("#"):
            return MISSING
        node = self.data
        for part in unpointer(ref):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return MISSING
        return node

    def deref(self, value: Any) -> Any:
        """Follow local ``$ref`` chains (at most 20 hops); unresolvable refs give ``{}``."""
        for _ in range(20):
            if isinstance(value, dict) and isinstance(value.get("$ref"), str):
                target = self.resolve(value["$ref"])
                value = {} if target is MISSING else target
            else:
                return value
        return {}

    def _nodes(self):
        if self._root is None and self.text and self._is_json:
            try:  # JSON is YAML: composed only when a finding needs a line
                self._root = yaml.compose(self.text, Loader=_Loader)
            except yaml.YAMLError:
                self._root = False
        return self._root or None


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _INT or tag == _FLOAT or tag == _BOOL or tag == _NULL:
        return _constructor.construct_object(node)
    return node.value  # str, and timestamps kept as their text


class _Aliases:
    """Anchors and aliases: each aliased node is built once, and the expansion is bounded."""

    def __init__(self, limit: int):
        self.memo: dict[int, tuple[Any, int]] = {}
        self.active: set[int] = set()
        self.total = 0
        self.limit = limit


def _build(node: Any, path: list, dups: list, aliases: _Aliases | None = None) -> Any:
    """Plain data from a composed node; with ``aliases``, also guards against alias bombs."""
    if aliases is None:
        return _plain(node, path, dups)
    return _guarded(node, path, dups, aliases)[0]


def _plain(node: Any, path: list, dups: list) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        out_list = []
        for i, item in enumerate(node.value):
            path.append(i)
            out_list.append(_plain(item, path, dups))
            path.pop()
        return out_list
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key, value_node in _members(node, path, dups):
            path.append(key)
            out[key] = _plain(value_node, path, dups)
            path.pop()
        return out
    raise ArchkitError(f"unsupported YAML node {type(node).__name__}")


def _guarded(node: Any, path: list, dups: list, aliases: _Aliases) -> tuple[Any, int]:
    if isinstance(node, yaml.ScalarNode):
        aliases.total += 1
        return _scalar(node), 1
    key = id(node)
    hit = aliases.memo.get(key)
    if hit is not None:  # an alias: the same object again, counted at its full size
        aliases.total += hit[1]
        if aliases.total > aliases.limit:
            raise ArchkitError("aliases expand the document beyond "
                               f"{aliases.limit:,} values (an alias bomb?)",
                               where=Where(None, node.start_mark.line + 1),
                               hint="write the repeated parts out, or use $ref")
        return hit
    if key in aliases.active:
        raise ArchkitError("an alias refers to a node that contains it (a recursive alias)",
                           where=Where(None, node.start_mark.line + 1,
                                       node.start_mark.column + 1),
                           hint="JSON has no cycles: use a $ref instead")
    aliases.active.add(key)
    size = 1
    if isinstance(node, yaml.SequenceNode):
        built: Any = []
        for i, item in enumerate(node.value):
            path.append(i)
            value, n = _guarded(item, path, dups, aliases)
            built.append(value)
            size += n
            path.pop()
    elif isinstance(node, yaml.MappingNode):
        built = {}
        for name, value_node in _members(node, path, dups):
            path.append(name)
            value, n = _guarded(value_node, path, dups, aliases)
            built[name] = value
            size += n
            path.pop()
    else:
        raise ArchkitError(f"unsupported YAML node {type(node).__name__}")
    aliases.active.discard(key)
    aliases.memo[key] = (built, size)
    return built, size


def _members(node: yaml.MappingNode, path: list, dups: list):
    """``(key, value node)`` of a mapping; repeated keys noted in ``dups``."""
    if any(k.tag == _MERGE for k, _ in node.value):
        _constructor.flatten_mapping(node)
    seen: set = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise ArchkitError("a mapping key is not a plain value",
                               where=Where(None, key_node.start_mark.line + 1,
                                           key_node.start_mark.column + 1),
                               hint="write keys as plain strings")
        key = _scalar(key_node)
        if not isinstance(key, str):
            key = str(key).lower() if isinstance(key, bool) else str(key)
        if key in seen:
            dups.append((pointer([*path, key]), key_node.start_mark.line + 1))
        seen.add(key)
        yield key, value_node


def parse_spec(text: str, file: str | None = None) -> Spec:
    """Parse YAML or JSON text; a syntax error is an ArchkitError with its line and column."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            return Spec(json.loads(text), file=file, text=text, _is_json=True)
        except RecursionError:
            raise ArchkitError("the document is nested too deeply", where=Where(file),
                               hint="flatten it with $ref components") from None
        except json.JSONDecodeError as err:
            raise ArchkitError(f"not valid JSON: {err.msg}", where=Where(file, err.lineno,
                               err.colno), hint="fix the JSON syntax at that place") from None
    try:
        fast = from_events(text)
    except yaml.YAMLError:
        fast = None  # the composer below reports the error with its place
    if fast is not None:
        data, lines, dups = fast
        return Spec(data, file=file, text=text, duplicates=dups, _lines=lines)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        raise ArchkitError(f"not valid YAML: {err.problem}",
                           where=Where(file, mark.line + 1 if mark else None,
                                       mark.column + 1 if mark else None),
                           hint="fix the YAML syntax at that place") from None
    except yaml.YAMLError as err:
        raise ArchkitError(f"not valid YAML: {err}", where=Where(file)) from None
    if root is None:
        raise ArchkitError("the document is empty", where=Where(file),
                           hint="start it with 'openapi: 3.1.0' or 'asyncapi: 3.0.0'")
    dups: list = []
    # Anchors ('&') are rare in API descriptions; only documents with one pay for the guard.
    aliases = _Aliases(limit=1_000_000 + 10 * text.count("\n")) if "&" in text else None
    try:
        data = _build(root, [], dups, aliases)
    except RecursionError:
        raise ArchkitError("the document is nested too deeply", where=Where(file),
                           hint="flatten it with $ref components") from None
    except ArchkitError as err:
        raise ArchkitError(err.message, where=Where(file, err.where.line if err.where else None,
                           err.where.col if err.where else None), hint=err.hint) from None
    return Spec(data, file=file, text=text, duplicates=dups, _root=root)


def load_spec(path: str | Path) -> Spec:
    """Read and parse an API document file; it must be an OpenAPI 3.x or AsyncAPI 3 document."""
    path = Path(path)
    if not path.is_file():
        raise ArchkitError(f"no such file: {path}", where=Where(str(path)),
                           hint="give the path of an OpenAPI or AsyncAPI YAML/JSON file")
    spec = parse_spec(path.read_text(encoding="utf-8"), str(path))
    if not isinstance(spec.data, dict) or spec.kind == "unknown":
        raise ArchkitError("not an OpenAPI or AsyncAPI document (no 'openapi' or 'asyncapi' key)",
                           where=Where(str(path), 1, 1),
                           hint="the top level needs 'openapi: 3.1.0' or 'asyncapi: 3.0.0'")
    return spec
