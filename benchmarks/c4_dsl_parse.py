"""Structurizr DSL reading speed: a synthetic workspace at N and 8N elements, against the lexer.

Usage::

    .venv/bin/python benchmarks/c4_dsl_parse.py [ELEMENTS]

The workspace is benchmarks/c4_synthetic.py's layered platform written as DSL by archkit.
Prints the parse time as a ratio to lexing the same text (the floor: reading every
character once), and the growth from N to 8N elements (linear time gives about 8).
Then hostile shapes (a 1 MB string, 100k unclosed ``${``, deep nesting): each must end in
well under a second.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from c4_synthetic import build  # noqa: E402

from archkit.c4.dsl_lexer import lex  # noqa: E402
from archkit.c4.dsl_reader import parse_dsl  # noqa: E402
from archkit.c4.dsl_writer import write_dsl  # noqa: E402
from archkit.errors import ArchkitError  # noqa: E402


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 300
    rows = []
    for size in (n, 8 * n):
        text = write_dsl(build(size))
        parse = _best(lambda t=text: parse_dsl(t))
        floor = _best(lambda t=text: lex(t))
        rows.append((size, len(text), parse, floor))
        print(f"{size:6d} elements, {len(text) / 1024:7.0f} KiB: parse {parse * 1000:7.1f} ms "
              f"({parse / floor:.1f}x the lexer alone)")
    growth = rows[1][2] / rows[0][2]
    print(f"growth from {n} to {8 * n} elements: {growth:.1f}x (linear: about 8)")
    hostile = {
        "1 MB string": 'workspace { model { a = person "' + "x" * 1_000_000 + '" } }',
        "100k unclosed ${": "workspace { model { " + "${" * 100_000 + " } }",
        "100k /*": "workspace { model { " + "/*" * 100_000 + " } }",
        "deep nesting": "workspace {" * 100_000,
    }
    worst = 0.0
    for name, text in hostile.items():
        def run(t=text):
            try:
                parse_dsl(t)
            except ArchkitError:
                pass
        took = _best(run, 1)
        worst = max(worst, took)
        print(f"{name}: {took * 1000:.0f} ms")
    return 0 if growth < 12 and worst < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
