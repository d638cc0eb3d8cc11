"""Plain data and key lines straight from libyaml's events: the fast path for API documents.

Usage::

    built = from_events(text)        # None when the document needs PyYAML's full composer
    data, lines, duplicates = built  # lines[id(container)][key or index] -> 1-based line

Why: composing a YAML document into nodes builds a node and two marks per value in
Python and costs ten times libyaml's parse itself; API descriptions use none of what
needs nodes (anchors, aliases, merge keys, explicit tags), so the data and the line of
every key are built from the events in one pass. A document that does use them gets
``None`` and goes the composer's way (``archkit.api.source``), so both paths give the
same data: strings, ints, floats, booleans and nulls resolved as PyYAML's safe loader
does, timestamps kept as text.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

__all__ = ["from_events"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_constructor = yaml.constructor.SafeConstructor()
_NO_KEY = object()
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BOOL, _NULL = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"


class _Fallback(Exception):
    """The document uses something only the composer handles."""


def _plain(value: str) -> Any:
    """A plain (unquoted) scalar, resolved with PyYAML's implicit resolvers."""
    for tag, regexp in _RESOLVERS.get(value[:1] if value else "", ()):
        if regexp.match(value):
            if tag == _NULL:
                return None
            if tag == _BOOL or tag == _INT or tag == _FLOAT:
                return _constructor.construct_object(yaml.ScalarNode(tag, value))
            if tag == "tag:yaml.org,2002:merge":
                raise _Fallback
            return value  # timestamps and the rest stay text
    return value


def _scalar(event: ScalarEvent) -> Any:
    if event.anchor is not None:
        raise _Fallback
    tag = event.tag
    if tag is None or tag == "!":
        return _plain(event.value) if event.implicit[0] and tag is None else event.value
    if tag == _STR:
        return event.value
    raise _Fallback  # explicit tags (!!binary, custom ones): the composer's business


def from_events(text: str) -> tuple[Any, dict[int, dict], list[tuple[str, int]]] | None:
    """``(data, lines, duplicates)`` of one YAML document, or None to use the composer."""
    from archkit.api.source import pointer

    lines: dict[int, dict] = {}
    dups: list[tuple[str, int]] = []
    # frames: [container, its lines, pending key (maps)]; path: parts down to the top one
    stack: list[list] = []
    path: list = []
    root: Any = _NO_KEY
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            cls = type(event)
            if cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Fallback  # the composer says "expected a single document"
            elif cls is ScalarEvent:
                value = _scalar(event)
                line = event.start_mark.line + 1
                if not stack:
                    root = value
                    continue
                frame = stack[-1]
                container = frame[0]
                if type(container) is dict:
                    if frame[2] is _NO_KEY:
                        key = value if type(value) is str else (
                            str(value).lower() if isinstance(value, bool) else str(value))
                        if key in container:
                            dups.append((pointer([*path, key]), line))
                        frame[2] = key
                        frame[1][key] = line
                    else:
                        container[frame[2]] = value
                        frame[2] = _NO_KEY
                else:
                    frame[1][len(container)] = line
                    container.append(value)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if event.anchor is not None or (event.tag is not None and not event.implicit):
                    raise _Fallback
                new: Any = {} if cls is MappingStartEvent else []
                new_lines: dict = {}
                lines[id(new)] = new_lines
                line = event.start_mark.line + 1
                if stack:
                    frame = stack[-1]
                    container = frame[0]
                    if type(container) is dict:
                        if frame[2] is _NO_KEY:
                            raise _Fallback  # a mapping or list used as a key
                        container[frame[2]] = new
                        path.append(frame[2])
                        frame[2] = _NO_KEY
                    else:
                        frame[1][len(container)] = line
                        path.append(len(container))
                        container.append(new)
                else:
                    root = new
                    new_lines[None] = line  # where the document starts (no key is None)
                stack.append([new, new_lines, _NO_KEY])
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                stack.pop()
                if stack:
                    path.pop()
            elif cls is AliasEvent:
                raise _Fallback
    except _Fallback:
        return None
    if root is _NO_KEY:
        return None
    return root, lines, dups
