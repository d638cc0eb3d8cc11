"""How long `import archkit` takes, against the floor of starting Python at all.

Usage: python benchmarks/import_time.py
Prints the median over 15 runs of each, and the ratio. The target is < 0.2 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def _median_seconds(code: str, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    floor = _median_seconds("pass")
    archkit = _median_seconds("import archkit")
    print(f"python -c pass        : {floor * 1000:7.1f} ms (floor)")
    print(f"python -c 'import archkit': {archkit * 1000:7.1f} ms")
    cost_ms = (archkit - floor) * 1000
    print(f"import cost over floor: {cost_ms:7.1f} ms; ratio {archkit / floor:.2f}x")
    print("target: total < 200 ms —", "OK" if archkit < 0.2 else "TOO SLOW")


if __name__ == "__main__":
    main()
