"""Structurizr DSL conformance: Structurizr's own parser test files through archkit.

Usage::

    .venv/bin/python benchmarks/structurizr_dsl_corpus.py [--verbose]

Reads ../shared/corpora/c4/structurizr-dsl/DslTests.java.txt for what Structurizr does with
each file (accept, or reject at a line), parses each file with archkit and prints
"accepted by Structurizr, parsed by archkit: N / M" and "rejected by Structurizr, rejected
by archkit: N / M", then every disagreement (all outcomes with --verbose) and the time taken
against a floor measured in the same run (reading and lexing the same files).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archkit.c4.conformance import check_corpus  # noqa: E402
from archkit.c4.dsl_lexer import lex  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "c4" / "structurizr-dsl"
TARGET = 0.95


def main(argv: list[str]) -> int:
    if not (CORPUS / "DslTests.java.txt").is_file():
        print(f"corpus not found at {CORPUS}")
        return 2
    start = time.perf_counter()
    report = check_corpus(CORPUS)
    took = time.perf_counter() - start
    start = time.perf_counter()
    for outcome in report.outcomes:  # the floor: read and lex every file once
        path = CORPUS / outcome.expectation.file
        lex(path.read_bytes().decode("utf-8", "replace"), str(path))
    floor = time.perf_counter() - start
    print(report.summary())
    if report.missing:
        print(f"named by DslTests but not in the corpus: {', '.join(report.missing)}")
    for o in report.outcomes:
        if "--verbose" in argv or not o.agrees or (
                o.expectation.must_fail and o.line != o.expectation.line):
            want = f"reject at line {o.expectation.line}" if o.expectation.must_fail else "accept"
            got = "accepted" if o.accepted else f"rejected: {o.error}"
            print(f"  {o.expectation.file}: Structurizr {want}; archkit {got}")
    print(f"time: {took:.2f}s for {len(report.outcomes)} files "
          f"({took / max(floor, 1e-9):.0f}x reading and lexing them)")
    accepted = [o for o in report.outcomes if not o.expectation.must_fail]
    rejected = [o for o in report.outcomes if o.expectation.must_fail]
    ok = (sum(o.accepted for o in accepted) >= TARGET * len(accepted)
          and all(not o.accepted for o in rejected))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
