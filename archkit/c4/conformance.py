"""Structurizr DSL conformance: run Structurizr's own parser test files through archkit.

Usage::

    expectations = structurizr_expectations(Path(".../structurizr-dsl/DslTests.java.txt"))
    report = check_corpus(Path(".../structurizr-dsl"))
    print(report.summary())

``DslTests.java.txt`` is Structurizr's JUnit class: a test method that parses a file and
ends in ``fail()`` (outside restricted mode or a disabled feature) says the file must be
rejected, with the line in its expected message; every other parsed file must be accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from archkit.errors import ArchkitError

__all__ = ["Expectation", "Outcome", "ConformanceReport", "structurizr_expectations",
           "check_corpus"]

_METHOD = re.compile(r"@(?:Parameterized)?Test\b")
_FILE = re.compile(r'"src/test/resources/dsl/([^"\s]+\.dsl)"')
_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class Expectation:
    """What Structurizr does with one file: accept it, or reject it at ``line``."""

    file: str  # relative to the corpus folder
    must_fail: bool
    line: int | None = None
    message: str = ""


@dataclass(frozen=True)
class Outcome:
    expectation: Expectation
    accepted: bool
    error: str = ""
    line: int | None = None
    findings: int = 0

    @property
    def agrees(self) -> bool:
        return self.accepted != self.expectation.must_fail


@dataclass
class ConformanceReport:
    outcomes: list[Outcome] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # named by the tests, not in the corpus

    def _split(self, must_fail: bool) -> list[Outcome]:
        return [o for o in self.outcomes if o.expectation.must_fail is must_fail]

    def summary(self) -> str:
        ok = self._split(False)
        bad = self._split(True)
        same_line = [o for o in bad if not o.accepted and o.line == o.expectation.line]
        return (f"accepted by Structurizr, parsed by archkit: {sum(o.accepted for o in ok)} / "
                f"{len(ok)}\n"
                f"rejected by Structurizr, rejected by archkit: "
                f"{sum(not o.accepted for o in bad)} / {len(bad)} "
                f"(at Structurizr's line: {len(same_line)})")


def structurizr_expectations(tests_java: Path) -> list[Expectation]:
    """Each .dsl file the Java test class parses, with what Structurizr does with it."""
    text = tests_java.read_text(encoding="utf-8")
    found: dict[str, Expectation] = {}
    for chunk in _METHOD.split(text)[1:]:
        files = list(dict.fromkeys(_FILE.findall(chunk)))
        restricted = "setRestricted(true)" in chunk or ".disable(" in chunk
        must_fail = "fail();" in chunk and not restricted
        line_match = _LINE.search(chunk)
        message = ""
        if must_fail:
            m = re.search(r'assertEquals\("([^"]*)', chunk)
            message = m.group(1) if m else ""
        for name in files:
            if must_fail:
                line = int(line_match.group(1)) if line_match else None
                found[name] = Expectation(name, True, line, message)
            else:  # accepted, unless another test says it must fail
                found.setdefault(name, Expectation(name, False))
    return sorted(found.values(), key=lambda e: e.file)


def check_corpus(folder: Path) -> ConformanceReport:
    """Parse every file ``DslTests.java.txt`` names; compare with Structurizr."""
    from archkit.c4.dsl_reader import read_dsl

    report = ConformanceReport()
    for exp in structurizr_expectations(folder / "DslTests.java.txt"):
        path = folder / exp.file
        if not path.is_file():
            report.missing.append(exp.file)
            continue
        try:
            _, findings = read_dsl(path)
        except ArchkitError as err:
            line = err.where.line if err.where else None
            report.outcomes.append(Outcome(exp, False, str(err), line))
        else:
            report.outcomes.append(Outcome(exp, True, findings=len(findings)))
    return report
