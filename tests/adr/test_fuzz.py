"""A bounded fuzz run of the ADR readers: only ArchkitError escapes, no input takes 1 s.

Inputs are generated text, the ADR corpus files mutated (spans cut, repeated and
spliced with Markdown and ADR tokens), the hostile shapes that once hung a
regex, and whole folders of such files (some not UTF-8) read by the store,
linted, indexed and exported. Hypothesis' ``deadline`` fails any single input
that takes over a second; the example counts keep the whole run near ten seconds (budget: 20).
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from archkit.adr import AdrIndex, AdrStore, dumps, export, lint, loads
from archkit.adr._naming import parse_title
from archkit.errors import ArchkitError
from archkit.examples import corpus_file

FUZZ = settings(deadline=1000, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TOKENS = [
    "# ", "## ", "### ", "#", "\t" * 300, " " * 300, "\n", "\n\n", "\r\n", "\r", "\ufeff",
    "---\n", "...\n", "```\n", "~~~\n", "```json\n", "* ", "- ", "[", "]", "(", ")", "](",
    "[" * 200, "](" * 200, "Chosen option: \"", "\", because", "Good, because ", "Status: ",
    "status: ", "- Status: superseded by [20201016-x](20201016-x.md)\n",
    "Superseded by [3. T](0003-t.md)", "Supercedes [", "ADR-", "ADR 1: ", "1. ", "0" * 40,
    "9" * 30, "date: ", "decision-makers: [", "\x00", "\x0b", "\u2028", "é", "<script>",
    "## Status\n", "## Context\n", "## Decision Outcome\n", "## Pros and Cons of the Options\n",
    "## Decision Matrix\n", "## Links\n", "### Consequences\n", "{", "}", ":", '"', "'",
]

# Shapes that made a regex backtrack (a heading then thousands of tabs took 34 s).
HOSTILE = [
    "# T" + "\t" * 5000 + "x\n",
    "# " + " \t" * 5000 + "#" * 10 + "x\n",
    "# 1. T\n\n## Status\n\nSuperseded" + " " * 20000 + "x [a](b)\n",
    "# T\n\n## Status\n\na" + " -" * 20000 + "\n",
    "# T\n\n## Decision Outcome\n\n" + '\n\nChosen option: "' * 2000 + "\n",
    "# T\n\n## Considered Options\n\n* " + "[" * 20000 + "\n\n## Pros and Cons of the Options\n"
    "\n### x\n",
    "# T\n\n## Considered Options\n\n* " + "[](" * 20000 + "\n",
    "# 1." + " " * 20000 + "\n",
    "# ADR" + "-" * 20000 + "1: x\n",
    "---\n" + "a" * 20000 + "\n---\n# T\n",
    "# T\n\n" + "* a\n" + "  b\n" * 5000,
    "# T\n" + "## Context\n" * 1500,
    "# T\n\n## Links\n\n" + "* Amends [1. x](0001-x.md)\n" * 2000,
]


@cache
def _corpus() -> list[str]:
    texts = []
    for sub in ("adr/adr-tools", "adr/madr"):
        folder = corpus_file(sub)
        if folder is not None:
            texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))]
    return texts or ["# 1. T\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nx\n"]


@st.composite
def mutated(draw) -> str:
    """A corpus record with spans cut, repeated, or replaced by Markdown / ADR tokens."""
    corpus = _corpus()
    text = corpus[draw(st.integers(0, len(corpus) - 1))]
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 200)))
        kind = draw(st.sampled_from(["token", "cut", "repeat", "text"]))
        if kind == "token":
            piece = draw(st.sampled_from(TOKENS)) * draw(st.integers(1, 3))
            text = text[:i] + piece + text[j:]
        elif kind == "cut":
            text = text[:i] + text[j:]
        elif kind == "repeat":
            text = text[:j] + text[i:j] * draw(st.integers(1, 20)) + text[j:]
        else:
            text = text[:i] + draw(st.text(max_size=20)) + text[j:]
    return text


def _read_all(text: str) -> None:
    """Everything a user does with one file's text: read, rewrite, read again, lint."""
    try:
        record, _found = loads(text, file="0001-x.md")
    except ArchkitError:
        return
    again = dumps(record)
    for dialect in ("madr", "nygard"):
        try:
            loads(dumps(record, dialect), file="0001-x.md")
        except ArchkitError:
            pass
    loads(again, file="0001-x.md")
    for forced in ("madr", "nygard"):  # read as a dialect it may not be written in
        try:
            loads(text, file="0001-x.md", dialect=forced)
        except ArchkitError:
            pass
    lint([record], today="2026-01-01")
    parse_title(record.title)


@settings(FUZZ, max_examples=500)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_generated_text(text):
    _read_all(text)


@settings(FUZZ, max_examples=600)
@given(mutated())
@example(HOSTILE[0])
def test_mutated_corpus_records(text):
    _read_all(text)


def _hostile(test):
    for text in HOSTILE:
        test = example(text)(test)
    return test


@settings(FUZZ, phases=[Phase.explicit])
@given(st.text())
@_hostile
def test_hostile_shapes_read_in_linear_time(text):
    _read_all(text)


NAMES = ["0001-a.md", "0002-b.md", "adr-003-c.md", "ADR-004-d.md", "20201016-e.md",
         "2020-10-17-f.md", "index.md", "README.md", "notes.md", ".hidden.md", "0001-dup.md",
         "0009.md", "99999999999999999999-big.md"]


FOLDERS = st.tuples(
    st.lists(st.tuples(st.sampled_from(NAMES), mutated() | st.binary(max_size=200)),
             min_size=1, max_size=5, unique_by=lambda pair: pair[0]),
    st.sampled_from([None, "doc/adr", "", "\x00", "../../x"]),
)


def _write_folder(root: Path, files, adr_dir) -> AdrStore:
    folder = root / "adr"
    folder.mkdir()
    for name, content in files:
        raw = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(raw)
    if adr_dir is not None:
        (root / ".adr-dir").write_text(adr_dir)
    return AdrStore.open(root) if adr_dir is not None else AdrStore(folder)


@settings(FUZZ, max_examples=150)
@given(FOLDERS)
def test_mutated_folders_read_lint_index(case):
    with tempfile.TemporaryDirectory() as root:
        try:
            store = _write_folder(Path(root), *case)
            records = store.all()
            lint(records, today="2026-01-01", findings=store.findings)
            AdrIndex(records).to_markdown()
            AdrIndex(records).graph.to_dot()
        except ArchkitError:
            pass


# Writes sync to disk (the journal relies on it), so this one has no per-input deadline.
@settings(FUZZ, max_examples=40, deadline=None)
@given(FOLDERS)
def test_mutated_folders_convert_and_change(case):
    with tempfile.TemporaryDirectory() as root:
        try:
            store = _write_folder(Path(root), *case)
            export(store.all(), "nygard", Path(root) / "out")
            if store.records:
                store.accept(max(store.records))
        except ArchkitError:
            pass
