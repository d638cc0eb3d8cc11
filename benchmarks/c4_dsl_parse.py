"""Structurizr DSL reading speed: N and 8N systems with containers, against the lexer.

Usage::

    .venv/bin/python benchmarks/c4_dsl_parse.py [SYSTEMS]

The workspace repeats one unit per software system (a system with three containers, four
relationships and a group every ten systems) and a landscape view, so 8N systems is exactly
8 times the text of N. Prints the parse time as a ratio to lexing the same text (the floor:
reading every character once) and the time per byte at 8N against N (linear gives about 1).
Then hostile shapes (a 1 MB string, 100k unclosed ``${``, deep nesting) must each end well
under a second.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archkit.c4.dsl_lexer import lex  # noqa: E402
from archkit.c4.dsl_reader import parse_dsl  # noqa: E402
from archkit.errors import ArchkitError  # noqa: E402


def workspace(systems: int) -> str:
    lines = ["workspace {", "  model {", '    user = person "User" "Uses the systems"']
    for i in range(systems):
        if i % 10 == 0:
            lines.append(f'    group "Domain {i // 10}" {{')
        lines += [
            f'      s{i} = softwareSystem "System {i}" "Does thing {i}" {{',
            f'        web{i} = container "Web {i}" "Serves pages" "TypeScript"',
            f'        api{i} = container "API {i}" "Serves JSON" "Go"',
            f'        db{i} = container "DB {i}" "Stores data" "PostgreSQL" "Database"',
            f'        web{i} -> api{i} "Calls" "HTTPS"',
            f'        api{i} -> db{i} "Reads and writes" "SQL"',
            "      }",
            f'      user -> web{i} "Visits"',
        ]
        if i:
            lines.append(f'      api{i} -> api{i - 1} "Asks" "gRPC"')
        if i % 10 == 9 or i == systems - 1:
            lines.append("    }")
    lines += ["  }", "  views {", '    systemLandscape "All" {', "      include *",
              "      autoLayout lr", "    }", "  }", "}"]
    return "\n".join(lines) + "\n"


def _best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 200
    rows = []
    for size in (n, 8 * n):
        text = workspace(size)
        parse = _best(lambda t=text: parse_dsl(t))
        floor = _best(lambda t=text: lex(t))
        rows.append((len(text), parse))
        print(f"{size:6d} systems, {len(text) / 1024:7.0f} KiB: parse {parse * 1000:7.1f} ms "
              f"({parse / floor:.1f}x the lexer alone)")
    growth = (rows[1][1] / rows[0][1]) / (rows[1][0] / rows[0][0])
    print(f"time per byte, {8 * n} systems against {n}: {growth:.2f}x (linear: about 1)")
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
    return 0 if growth < 1.5 and worst < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
