"""A bounded fuzz run of the Structurizr DSL reader: only ArchkitError may escape, nothing hangs.

Two sources, both deterministic: byte mutations of the corpus files (Structurizr's own DSL
tests and Big Bank) and hypothesis-generated token soup. A whole run stays within a budget
CI can afford (about 15 s); a single input that runs for seconds fails the test as a hang.
Every workspace that parses must also survive the DSL writer and read back.
"""

from __future__ import annotations

import random
import signal
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archkit.c4.dsl_reader import parse_dsl
from archkit.c4.dsl_writer import write_dsl
from archkit.errors import ArchkitError

MUTATIONS = 4000  # inputs per run, always the same ones (seeded)
BUDGET_S = 12.0  # a safety cap on a slow machine
HANG_S = 5  # one input running this long is a hang

TOKENS = ["workspace", "model", "views", "{", "}", "\n", " ", '"', '"""', "->", "-/>",
          "--x->", "=", "person", "softwareSystem", "container", "component", "group",
          "deploymentEnvironment", "deploymentNode", "containerInstance", "instanceOf",
          "infrastructureNode", "!include", "!const", "!var", "${A}", "!identifiers",
          "hierarchical", "!element", "!elements", "element.parent==a", "this", "archetypes",
          "a", "b", "a.b", "\\\n", "/*", "*/", "#", "//", "include", "*", "autoLayout", "lr",
          "styles", "element", "relationship", "tags", "url", "javascript:x", "properties",
          "systemLandscape", "systemContext", "dynamic", "deployment", "animation", "!docs",
          "!adrs", "workspace extends", "\x00", "\ufeff", "é", "\t", "\r\n", "{" * 50]
MUTATION_TOKENS = [t.encode("utf-8") for t in TOKENS] + [b"\xff\xfe", b"\xc3", b"\x00"]


@contextmanager
def _hang_guard(label: str):
    def on_alarm(signum, frame):  # noqa: ARG001
        raise TimeoutError(f"the DSL reader hung on {label}")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(HANG_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _check(data: bytes, base_dir: Path, label: str) -> str:
    """Parse ``data``; only ArchkitError may escape; a parsed workspace round-trips."""
    from archkit.c4.dsl_lexer import decode

    with _hang_guard(label):
        try:
            text = decode(data, "fuzz.dsl")
            ws, _ = parse_dsl(text, file=str(base_dir / "fuzz.dsl"), base_dir=base_dir)
        except ArchkitError as err:
            assert err.where is not None and err.where.line, (label, str(err))
            return "rejected"
        written = write_dsl(ws)
        try:
            again, _ = parse_dsl(written, file="again.dsl")
        except ArchkitError as err:
            pytest.fail(f"{label}: the written DSL does not read back: {err}\n{written}")
        assert len(list(again.model.walk_all())) == len(list(ws.model.walk_all())), label
        return "parsed"


def _mutate(rng: random.Random, data: bytes) -> bytes:
    if rng.random() < 0.5:  # line edits keep tokens whole, so parsing gets further
        lines = data.split(b"\n")
        for _ in range(rng.randint(1, 3)):
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            op = rng.randrange(3)
            if op == 0:
                lines.insert(j, lines[i])
            elif op == 1 and len(lines) > 1:
                del lines[i]
            else:
                lines[i], lines[j] = lines[j], lines[i]
        return b"\n".join(lines)
    buf = bytearray(data)
    for _ in range(rng.randint(1, 2)):
        op = rng.randrange(5)
        at = rng.randint(0, len(buf))
        if op == 0 and buf:  # flip a byte
            buf[min(at, len(buf) - 1)] = rng.randrange(256)
        elif op == 1:  # delete a range
            del buf[at:at + rng.randint(1, 40)]
        elif op == 2:  # duplicate a range
            chunk = buf[at:at + rng.randint(1, 200)]
            buf[at:at] = chunk * rng.randint(1, 3)
        elif op == 3:  # insert a DSL token
            buf[at:at] = rng.choice(MUTATION_TOKENS)
        else:  # truncate
            del buf[at:]
    return bytes(buf)


@pytest.fixture(scope="module")
def seeds(corpora: Path) -> list[Path]:
    """The corpus workspaces that parse: their mutations reach past the first error."""
    from archkit.c4.dsl_reader import read_dsl

    folder = corpora / "c4" / "structurizr-dsl"
    good = []
    for path in sorted(folder.rglob("*.dsl")) + [corpora / "c4" / "big-bank-plc.dsl"]:
        try:
            read_dsl(path)
        except ArchkitError:
            continue
        good.append(path)
    return good


def test_mutated_corpus_files_only_raise_archkit_errors(seeds):
    rng = random.Random(1234)
    outcomes = {"parsed": 0, "rejected": 0}
    start = time.monotonic()
    tried = 0
    while tried < MUTATIONS and time.monotonic() - start < BUDGET_S:
        seed = seeds[tried % len(seeds)]
        data = _mutate(rng, seed.read_bytes())
        outcomes[_check(data, seed.parent, f"mutation {tried} of {seed.name}")] += 1
        tried += 1
    assert tried >= 200, "the run should try a few hundred inputs"
    assert outcomes["parsed"] and outcomes["rejected"]  # both paths were exercised


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)), max_size=60))
def test_token_soup_only_raises_archkit_errors(tmp_path, parts):
    text = ("workspace {\n model {\n" + " ".join(parts) + "\n}\n views {\n"
            + " ".join(reversed(parts)) + "\n}\n}\n")
    _check(text.encode("utf-8", "surrogatepass"), tmp_path, repr(text[:200]))


@pytest.mark.parametrize("text", [
    "workspace {" * 5000,
    "workspace {\n model {\n" + 'group "g" {\n' * 99 + "}\n" * 99 + "}\n}\n",
    'workspace { model { a = person "' + "x" * 200_000 + '" } }',
    "workspace { model { " + "a" * 100_000 + " } }",
    "workspace { model { " + "${" * 50_000 + " } }",
    "workspace { model { " + "/*" * 50_000 + " } }",
    'workspace { model { a = person "x" { url "' + "\\" * 100_000 + '" } } }',
    "workspace { model { !include / } }",
    "workspace { model { !include /dev/zero } }",
    "workspace { model { !docs / } }",
    "workspace extends /dev/stdin { }",
    'workspace { model { a = softwareSystem "" { b = container "" } } }',  # empty names
])
def test_pathological_inputs_end_fast_with_a_located_error_or_a_parse(tmp_path, text):
    _check(text.encode("utf-8"), tmp_path, text[:60])
