"""Reading YAML: the fast event path gives the same data, duplicates and lines as the composer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from archkit.api.source import Spec, _build, _Loader, parse_spec, pointer
from archkit.api.yaml_events import from_events
from archkit.examples import example_dir

TRICKY = """\
openapi: 3.1.0
info: {title: "Tricky: yes", version: '1.0'}
flags: [yes, no, on, off, true, False, y, n, ~, null, Null, '']
numbers: [0x1F, 0o17, 017, 1_000, 1e3, -1.5, .inf, -.Inf, .nan, 1:30, +12, 3.]
dates: [2024-05-01, 2024-05-01T10:00:00Z, "2024-05-01"]
empty:
nested:
  - {a: 1, b: [x, {c: d}]}
  - - deep
    - |
      block text
      kept
    - >
      folded
      text
200: ok
true: key
paths:
  /a/{id}:
    get: {operationId: a}
    get: {operationId: b}
unicode: "caf\\u00e9 ☕"
"""


def composer(text: str) -> tuple:
    root = yaml.compose(text, Loader=_Loader)
    dups: list = []
    return _build(root, [], dups), dups, root


def all_pointers(value, parts=()):
    yield parts
    if isinstance(value, dict):
        for k, v in value.items():
            yield from all_pointers(v, (*parts, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from all_pointers(v, (*parts, i))


def sources() -> list[tuple[str, str]]:
    files = [*sorted((Path(__file__).parent / "corpus").glob("*.yaml")),
             *sorted((example_dir("order-platform") / "api").rglob("*.yaml"))]
    return [("tricky", TRICKY)] + [(p.name, p.read_text()) for p in files]


@pytest.mark.parametrize(("name", "text"), sources(), ids=[n for n, _ in sources()])
def test_event_path_equals_the_composer(name, text):
    fast = from_events(text)
    assert fast is not None, name
    data, lines, dups = fast
    slow, slow_dups, root = composer(text)
    assert data == slow
    assert repr(data) == repr(slow)  # same types too (1 vs 1.0 vs True)
    assert dups == slow_dups
    by_events = Spec(data, _lines=lines)
    by_nodes = Spec(slow, _root=root)
    for parts in all_pointers(data):
        assert by_events.line(pointer(parts)) == by_nodes.line(pointer(parts)), parts


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n", "a: {<<: {b: 1}}\n", "a: !!binary aGk=\n", "a: !custom 1\n",
    "? [1, 2]\n: x\n", "a: 1\n---\nb: 2\n",
])
def test_what_needs_the_composer_goes_its_way(text):
    assert from_events(text) is None


def test_parse_spec_reports_yaml_errors_with_their_place():
    from archkit.errors import ArchkitError

    with pytest.raises(ArchkitError) as err:
        parse_spec("openapi: 3.1.0\ninfo: {title: a\n")
    assert err.value.where.line == 3
