"""archkit's zero-downtime lint agrees with squawk on the rules both have.

The shared migrations live in tests/migrations/safety_cases/; squawk runs once over all of them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archkit.migrations.safety import SQUAWK_RULES, lint_migration

CASES = Path(__file__).parent / "safety_cases"
SHARED = {rule for rules in SQUAWK_RULES.values() for rule in rules}


def _squawk() -> str:
    exe = Path(sys.executable).parent / "squawk"
    found = str(exe) if exe.exists() else shutil.which("squawk")
    if not found:
        pytest.fail("squawk (PyPI squawk-cli) is not installed in the venv")
    return found


@pytest.fixture(scope="module")
def squawk_report() -> dict[str, set[tuple[int, str]]]:
    files = sorted(CASES.glob("*.sql"))
    proc = subprocess.run(
        [_squawk(), "--reporter", "json", *map(str, files)],
        capture_output=True, text=True, check=False,
    )
    report: dict[str, set[tuple[int, str]]] = {f.name: set() for f in files}
    for item in json.loads(proc.stdout or "[]"):
        if item["rule_name"] in SHARED:
            report[Path(item["file"]).name].add((item["line"] + 1, item["rule_name"]))
    return report


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.glob("*.sql")))
def test_agrees_with_squawk(case: str, squawk_report) -> None:
    theirs = squawk_report[case]
    ours = lint_migration((CASES / case).read_text(), "postgres", file=case)
    ours_as_rules = {(f.line, f.code): set(SQUAWK_RULES.get(f.code, ())) for f in ours}
    # every squawk finding on a shared rule is covered by one of ours on the same line
    for line, rule in theirs:
        assert any(ln == line and rule in rules for (ln, _c), rules in ours_as_rules.items()), (
            f"squawk reports {rule} at line {line}; archkit does not: {ours.codes()}"
        )
    # every finding of ours that squawk also knows is reported by squawk on that line
    for (line, code), rules in ours_as_rules.items():
        if rules:
            assert any((line, r) in theirs for r in rules), (
                f"archkit reports {code} at line {line}; squawk does not ({sorted(theirs)})"
            )


def test_cases_cover_every_shared_rule(squawk_report) -> None:
    seen = {rule for found in squawk_report.values() for _line, rule in found}
    assert seen == SHARED


def test_safe_rewrites_are_clean() -> None:
    text = (CASES / "17_safe_expand.sql").read_text()
    assert lint_migration(text, "postgres") == []
