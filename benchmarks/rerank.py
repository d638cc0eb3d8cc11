"""One weight-slider change on a 10 × 10 decision matrix: re-rank and refresh the widget's view.

Usage: python benchmarks/rerank.py
Moves a real ipywidgets FloatSlider (its observer re-ranks the matrix, recomputes the
sensitivity table and re-renders the HTML view) and reports the median and p95 time
per change, against the floor measured in the same run: the bare arithmetic of
:func:`archkit.brainstorm.matrix.evaluate` on the same matrix. Target: < 50 ms.
"""

from __future__ import annotations

import random
import statistics
import time

from archkit.brainstorm.decision import Criterion, Decision, Option
from archkit.brainstorm.matrix import evaluate
from archkit.widgets.decision_matrix import decision_widget

SIZE = 10
CHANGES = 300
BUDGET_MS = 50.0


def ten_by_ten(seed: int = 1) -> Decision:
    rng = random.Random(seed)
    criteria = [Criterion(f"criterion {i}", rng.randint(1, 5)) for i in range(SIZE)]
    options = [
        Option(f"option {j}", {c.name: rng.randint(1, 5) for c in criteria}) for j in range(SIZE)
    ]
    return Decision(question="Which of ten?", criteria=criteria, options=options)


def _timed(step, n: int) -> list[float]:
    times = []
    for i in range(n):
        start = time.perf_counter()
        step(i)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    floor_decision = ten_by_ten()
    floor = _timed(lambda i: evaluate(floor_decision, {"criterion 3": 1 + (i % 17) * 0.25}),
                   CHANGES)

    widget = decision_widget(ten_by_ten())
    slider = widget.weight_sliders["criterion 3"]
    before = widget.view.value

    def move(i: int) -> None:
        slider.value = 1 + (i % 17) * 0.25  # consecutive values always differ

    full = _timed(move, CHANGES)
    controller = decision_widget(ten_by_ten()).controller

    def drive(i: int) -> None:
        controller.set_weight("criterion 3", 1 + (i % 17) * 0.25)
        controller.view_html()

    logic = _timed(drive, CHANGES)
    assert widget.view.value != before and '<ol class="archkit-ranking">' in widget.view.value

    f_med, w_med, c_med = (statistics.median(x) for x in (floor, full, logic))
    w_p95 = statistics.quantiles(full, n=20)[18]
    print(f"matrix: {SIZE} options x {SIZE} criteria, {CHANGES} slider changes")
    print(f"floor  (evaluate only)                  : median {f_med:7.3f} ms")
    print(f"controller: re-rank + sensitivity + HTML: median {c_med:7.3f} ms")
    print(f"slider -> re-rank + sensitivity + view  : median {w_med:7.3f} ms, p95 {w_p95:7.3f} ms")
    print(f"ratio to floor: {w_med / f_med:.1f}x;  budget {BUDGET_MS:.0f} ms —",
          "OK" if w_p95 < BUDGET_MS else "TOO SLOW")


if __name__ == "__main__":
    main()
