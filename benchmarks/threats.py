"""Threat modelling time and noise: archkit against pytm on the same model, in one run.

Usage::

    .venv/bin/python benchmarks/threats.py [--repeat 5]

For the worked example and Big Bank plc: the time of ``analyse`` (read the workspace, the
schema and the decisions, build the data-flow model, run the rules, apply the triage),
the findings by rule and how many raw hits they de-duplicate; then the pytm model archkit
exports is resolved by pytm 1.4 itself (its threat library over the same elements and
flows) and timed inside that process. Printed: both times, their ratio, both finding counts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_TIMED = """
import json, time
_start = time.perf_counter()
tm.resolve()
print(json.dumps({"seconds": time.perf_counter() - _start, "findings": len(tm.findings)}))
"""


def pytm_resolve(model_source: str) -> dict | None:
    try:
        import pytm  # noqa: F401
    except ImportError:
        return None
    body = model_source.split('\n\nif __name__ == "__main__":')[0] + _TIMED
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tm.py"
        path.write_text(body)
        out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                             check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from archkit.examples import corpus_file, example_dir
    from archkit.security import analyse, to_pytm

    sources = [("Shopfront", example_dir("order-platform"))]
    bank = corpus_file("c4/big-bank-plc.dsl")
    if bank:
        sources.append(("Big Bank plc", bank))
    analyse(sources[0][1])  # warm imports (sqlglot, yaml), as a notebook session would be
    for name, source in sources:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            report = analyse(source)
            times.append(time.perf_counter() - start)
        ours = statistics.median(times)
        print(f"{name}: {len(report.threats)} threats from {report.raw_hits} raw hits "
              f"({report.raw_hits - len(report.threats)} de-duplicated), "
              f"{len(report.open_high)} open high; analyse {ours * 1000:.0f} ms (median of "
              f"{args.repeat})")
        print("  by rule: " + ", ".join(f"{k} {v}" for k, v in report.by_rule().items()))
        peer = pytm_resolve(to_pytm(report))
        if peer is None:
            print("  pytm not installed: no peer figure")
            continue
        print(f"  pytm 1.4 resolve() on the exported model: {peer['findings']} findings in "
              f"{peer['seconds'] * 1000:.0f} ms; archkit/pytm time ratio "
              f"{ours / peer['seconds']:.2f}, findings ratio "
              f"{len(report.threats) / max(peer['findings'], 1):.3f}")


if __name__ == "__main__":
    main()
