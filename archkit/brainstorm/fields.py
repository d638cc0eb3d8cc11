"""Typed reading of YAML fields: a value of the wrong type becomes a located finding, not a crash.

Usage::

    read = FieldReader("requirements.yaml", unknown="BR301", wrong_type="BR303")
    name = read.text(entry, "name", "entities[2]")     # None (and a finding) if not text
    read.unknown_keys(entry, {"name", "description"}, "Order")
    read.findings                                       # Findings with file, line and column

The loaders of requirements and decisions share it; each passes its own codes.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from archkit.brainstorm.yamlio import YamlIssue, pos_of, short_repr
from archkit.findings import Finding, Findings, Severity

__all__ = ["MAX_NUMBER", "FieldReader", "as_text"]

MAX_NUMBER = 1e15  # larger than any real target; keeps later arithmetic finite


def as_text(value: Any) -> str | None:
    """A scalar as stripped text (numbers, dates and booleans as written); None for the rest."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool | int | float | dt.date):
        try:
            return str(value)
        except ValueError:  # an int past str()'s digit limit, from the Python API
            return None
    return None


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"{type(value).__name__} {short_repr(value)}"


class FieldReader:
    """Reads fields of YAML mappings, adding a finding for each value it cannot use."""

    def __init__(self, source: str, *, unknown: str, wrong_type: str, duplicate: str):
        self.source = source
        self.codes = {"unknown": unknown, "wrong_type": wrong_type, "duplicate": duplicate}
        self.findings = Findings()

    def add(self, code: str, severity: Severity, message: str, obj: str | None,
            container: Any, key: Any = None, fix: str = "", *, of_key: bool = False) -> None:
        """A finding placed at ``container[key]`` (or the container when key is None)."""
        if key is None:
            line, col = getattr(container, "line", None), getattr(container, "col", None)
        else:
            line, col = pos_of(container, key, of_key=of_key)
        self.findings.append(Finding(code, severity, message, object=obj, line=line,
                                     fix=fix or None, file=self.source, col=col))

    def yaml_issues(self, issues: list[YamlIssue]) -> None:
        for issue in issues:
            self.findings.append(Finding(
                self.codes["duplicate"], Severity.ERROR, issue.message, object=issue.key or None,
                line=issue.line, col=issue.col, file=self.source,
                fix="keep one of the two entries (YAML keys must be unique)"))

    def unknown_keys(self, mapping: dict, known: set[str], obj: str | None) -> None:
        for key in sorted(set(mapping) - known, key=str):
            self.add(self.codes["unknown"], Severity.WARNING,
                     f"unknown key {short_repr(key)} ignored", obj, mapping, key,
                     "known keys: " + ", ".join(sorted(known)), of_key=True)

    def wrong(self, mapping: Any, key: Any, obj: str | None, expected: str, what: str,
              fix: str) -> None:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        self.add(self.codes["wrong_type"], Severity.ERROR,
                 f"'{key}' must be {expected}, not {_kind(value)}; {what}", obj, mapping, key, fix)

    def text(self, mapping: dict, key: str, obj: str | None, *, what: str = "ignored",
             fix: str = "") -> str | None:
        """The value as text; "" when absent; None (with a finding) when not a scalar."""
        value = mapping.get(key)
        if value is None:
            return ""
        text = as_text(value)
        if text is None:
            self.wrong(mapping, key, obj, "text", what, fix or f"write {key}: some text")
        return text

    def texts(self, mapping: dict, key: str, obj: str | None) -> list[str]:
        """A list of texts (a single text counts as a list of one); non-texts are reported."""
        value = mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            text = as_text(value)
            if text is None:
                self.wrong(mapping, key, obj, "a list of texts", "ignored",
                           f"write {key}: [first, second]")
                return []
            return [text]
        out = []
        for index, item in enumerate(value):
            text = as_text(item)
            if text is None:
                self.add(self.codes["wrong_type"], Severity.ERROR,
                         f"'{key}' item {index + 1} must be text, not {_kind(item)}; ignored",
                         obj, value, index, "write each item as plain text")
            else:
                out.append(text)
        return out

    def number(self, mapping: dict, key: Any, obj: str | None) -> float | int | None:
        """A finite number (int kept as int) within ±MAX_NUMBER; else None and a finding."""
        value = mapping.get(key)
        if value is None:
            return None
        problem = None
        if isinstance(value, bool) or not isinstance(value, int | float):
            problem = f"must be a number, not {_kind(value)}"
        else:
            try:
                as_float = float(value)
            except OverflowError:
                as_float = math.inf
            if not math.isfinite(as_float):
                problem = f"must be a finite number, not {short_repr(value)}"
            elif abs(as_float) > MAX_NUMBER:
                problem = f"{as_float:.3g} is too large to be a real target"
        if problem:
            self.add(self.codes["wrong_type"], Severity.ERROR, f"'{key}' {problem}; ignored",
                     obj, mapping, key, "write a plain number such as 1500 or 99.9")
            return None
        return value
