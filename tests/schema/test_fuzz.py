"""Bounded fuzzing of the SQL parsers through the Python API: only ArchkitError escapes.

Inputs are corpus and example SQL cut into a few statements and mutated (spans deleted,
duplicated, hostile tokens and long runs inserted, cut short), plus generated token soup.
Each test is bounded by ``max_examples`` (deterministic, so CI sees the same inputs); the
longer, time-budgeted run is ``benchmarks/fuzz.py``.
"""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archkit.errors import ArchkitError
from archkit.examples import EXAMPLES_ROOT, corpus_file
from archkit.migrations.diff import diff_sql
from archkit.migrations.safety import lint_migration
from archkit.schema.transpile import transpile_schema
from archkit.schema.validate import check_schema

TOKENS = ["(", ")", "'", '"', "`", ",", ";", "--", "/*", "*/", "$$", "::", "[", "]", "\\",
          "CREATE TABLE", "PRIMARY KEY", "REFERENCES", "FOREIGN KEY", "CHECK", "DEFAULT",
          "NOT NULL", "UNIQUE", "CONSTRAINT", "INDEX", "ON", "VIEW", "AS", "SELECT", "x", "t",
          "COMMENT ON COLUMN", "ALTER TABLE", "ADD", "DROP", "AUTO_INCREMENT", "ENUM", "1",
          "GENERATED ALWAYS AS", "DATE_SUB(", "E=B", "\t", "\n", " ", "é", "a.b", "'s'"]
RUNS = ["(", " ", "\t", "a", "'", "-", "*", "\n", "/*", ","]


def _seeds() -> list[str]:
    files = [EXAMPLES_ROOT / "order_platform" / "schema" / "v1.sql",
             EXAMPLES_ROOT / "order_platform" / "schema" / "v2.sql"]
    for name in ("pagila-schema.postgres.sql", "sakila-schema.mysql.sql",
                 "sakila-schema.sqlite.sql"):
        path = corpus_file(f"schema/{name}")
        if path is not None:
            files.append(path)
    chunks = []
    for path in files:
        parts = [p + ";" for p in path.read_text().split(";") if p.strip()]
        chunks += ["".join(parts[i:i + 3]) for i in range(0, len(parts), 7)]
    return chunks


SEEDS = _seeds()


@st.composite
def mutated(draw) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, n))
        op = draw(st.sampled_from(["delete", "duplicate", "token", "run", "cut"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "token":
            text = text[:i] + draw(st.sampled_from(TOKENS)) + text[i:]
        elif op == "run":
            text = text[:i] + draw(st.sampled_from(RUNS)) * draw(st.sampled_from([50, 2000])) \
                + text[i:]
        else:
            text = text[:i]
    return text


soup = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=40).map(" ".join)
inputs = st.one_of(mutated(), soup)
FUZZ = settings(max_examples=400, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(autouse=True, scope="module")
def _quiet():
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def _only_archkit_errors(call, *args) -> None:
    try:
        call(*args)
    except ArchkitError:
        pass


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
@FUZZ
@given(text=inputs)
def test_check_raises_only_archkit_errors(dialect, text):
    _only_archkit_errors(check_schema, text, dialect)


@settings(FUZZ, max_examples=200)
@given(old=inputs, new=inputs, dialect=st.sampled_from(["postgres", "mysql", "sqlite"]))
def test_diff_raises_only_archkit_errors(old, new, dialect):
    _only_archkit_errors(diff_sql, old, new, dialect)


@FUZZ
@given(text=inputs, dialect=st.sampled_from(["postgres", "mysql", "sqlite"]))
def test_lint_migration_raises_only_archkit_errors(text, dialect):
    _only_archkit_errors(lint_migration, text, dialect)


@settings(FUZZ, max_examples=150)
@given(text=inputs, source=st.sampled_from(["postgres", "mysql", "sqlite"]),
       target=st.sampled_from(["postgres", "mysql", "sqlite"]))
def test_transpile_raises_only_archkit_errors(text, source, target):
    _only_archkit_errors(transpile_schema, text, source, target)
