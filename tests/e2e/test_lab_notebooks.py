"""Every notebook, opened in JupyterLab in a real browser: "Restart Kernel and Run All Cells".

A cell that raises leaves a traceback on screen and stops the run, so the cells
after it never get a number: both turn this test red. The C4 and brainstorming
notebooks get the same check, plus their own, in test_lab_widgets.py (one run each:
the machine is small).
"""

from __future__ import annotations

from fnmatch import fnmatch

import pytest
from lab_harness import DEDICATED, notebooks_source

NOTEBOOKS = sorted(p.name for p in notebooks_source().glob("*.ipynb")
                   if not any(fnmatch(p.name, pattern) for pattern in DEDICATED))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.removesuffix(".ipynb") for n in NOTEBOOKS])
def test_notebook_runs_clean_in_lab(lab, page, notebook):
    lab.open(page, notebook)
    lab.run_all(page)
    assert lab.problems(page) == [], f"{notebook} shows errors in JupyterLab"
    outputs = page.locator(".jp-OutputArea-output")
    assert outputs.count() > 0, f"{notebook} ran but shows no output at all"
