"""Every notebook, opened in JupyterLab in a real browser: "Restart Kernel and Run All Cells".

A cell that raises leaves a traceback on screen and stops the run, so the cells
after it never get a number: both turn this test red. The C4 and brainstorming
notebooks get the same check, plus their own, in test_lab_widgets.py (one run each:
the machine is small). The student copies (``workshop/``, as ``make workshop``
writes them) all get the plain run: with their answers blanked they must still run
to the end.

Each run's wall time is printed and appended to test-artifacts/e2e/run-all.tsv
(a record for the report, never asserted).
"""

from __future__ import annotations

import shutil
import time
from fnmatch import fnmatch

import pytest
from lab_harness import DEDICATED, WORKSHOP_DIR, notebooks_source, record_run

ALL = sorted(p.name for p in notebooks_source().glob("*.ipynb"))
NOTEBOOKS = [n for n in ALL if not any(fnmatch(n, pattern) for pattern in DEDICATED)]
STUDENT_COPIES = [f"{WORKSHOP_DIR}/{n}" for n in ALL]


@pytest.mark.parametrize("notebook", NOTEBOOKS + STUDENT_COPIES,
                         ids=[n.removesuffix(".ipynb") for n in NOTEBOOKS + STUDENT_COPIES])
def test_notebook_runs_clean_in_lab(lab, page, notebook):
    if notebook.startswith(f"{WORKSHOP_DIR}/") and lab.out is not None:
        # a student starts from nothing: no ADRs or files the solutions wrote before
        shutil.rmtree(lab.out, ignore_errors=True)
    lab.open(page, notebook)
    started = time.monotonic()
    lab.run_all(page)
    problems = lab.problems(page)
    record_run(notebook, time.monotonic() - started, problems)
    assert problems == [], f"{notebook} shows errors in JupyterLab"
    outputs = page.locator(".jp-OutputArea-output")
    assert outputs.count() > 0, f"{notebook} ran but shows no output at all"
    # No output is typeset as maths (PL/pgSQL $$ bodies, $1 parameters), and SQL blocks are
    # monospace and scroll sideways instead of running off the edge.
    assert page.locator(".jp-OutputArea-output mjx-container").count() == 0
    for block in page.locator(".jp-OutputArea-output pre.archkit-sql").all()[:5]:
        style = block.evaluate("e => [getComputedStyle(e).overflowX, getComputedStyle(e)"
                               ".fontFamily]")
        assert style[0] == "auto" and "mono" in style[1].lower(), style
    if "migrations" in notebook:
        assert page.locator(".jp-OutputArea-output pre.archkit-sql:has-text('$$')").count() > 0
    if notebook.startswith(f"{WORKSHOP_DIR}/"):
        # A blank exercise is not an error: its check cell says what is still missing.
        assert page.locator(".jp-OutputArea-output:has-text('Not yet')").count() > 0 or \
            "00_" in notebook, f"{notebook}: no check cell says 'Not yet' for a blank exercise"
        # Saving a student copy writes the notebook only: no paired .py in workshop/.
        page.keyboard.press("Control+s")
        page.wait_for_selector("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current.jp-mod-dirty",
                               state="detached", timeout=30_000)
        saved = lab.root / notebook
        assert saved.stat().st_size > 0 and "outputs" in saved.read_text()
        assert not list(saved.parent.glob("*.py")), "JupyterLab wrote .py files into workshop/"
