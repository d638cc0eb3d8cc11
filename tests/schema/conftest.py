"""Helpers for the schema tests: counts taken from the corpus files themselves."""

from __future__ import annotations

import re
from pathlib import Path

_CONSTRAINT_WORDS = ("CONSTRAINT", "PRIMARY", "FOREIGN", "UNIQUE", "KEY", "INDEX", "CHECK")


def _is_constraint(line: str) -> bool:
    words = [w.strip("`\"").upper() for w in line.split()] + ["", ""]
    return words[0] in _CONSTRAINT_WORDS or (
        words[0] in ("FULLTEXT", "SPATIAL") and words[1] in ("KEY", "INDEX"))


def tables_in_file(path: Path) -> dict[str, int]:
    """Every ``CREATE TABLE name (...)`` at the top level of a file → its column lines.

    Counted by hand from the text (one column per line, as the corpora are formatted),
    independently of archkit's parser. Temporary tables inside routines are skipped.
    """
    text = path.read_text()
    out = {}
    pattern = re.compile(r"^CREATE TABLE (?:IF NOT EXISTS )?([\w.`\"]+)\s*\((.*?)^\s*\)",
                         re.M | re.S)
    for m in pattern.finditer(text):
        name = m.group(1).split(".")[-1].strip("`\"").lower()
        cols, depth = 0, 0
        for line in m.group(2).splitlines():
            word = line.strip()
            if depth == 0 and word and not word.startswith("--") and not _is_constraint(word):
                cols += 1
            depth += line.count("(") - line.count(")")
        out[name] = cols
    return out


def count(path: Path, pattern: str) -> int:
    return len(re.findall(pattern, path.read_text(), re.M | re.I))
