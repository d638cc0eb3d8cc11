"""Notebooks are authored as text: each ``notebooks/NN_name.py`` (jupytext py:percent) is the
source, paired with ``NN_name.ipynb``. The two must agree, cell by cell.

After editing either one outside JupyterLab, sync the pair with
``.venv/bin/jupytext --sync notebooks/NN_name.py`` (JupyterLab with jupytext does it on save).
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
PAIRS = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def _cells(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def test_every_notebook_is_a_pair():
    texts = sorted(p.stem for p in NOTEBOOKS.glob("*.py"))
    assert PAIRS and texts == PAIRS, "each notebooks/NN_name.ipynb needs its NN_name.py, and back"


@pytest.mark.parametrize("stem", PAIRS)
def test_pair_agrees_cell_by_cell(stem):
    text = jupytext.read(NOTEBOOKS / f"{stem}.py")
    notebook = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    nbformat.validate(notebook)
    assert _cells(text) == _cells(notebook), (
        f"notebooks/{stem}.py and .ipynb differ: run .venv/bin/jupytext --sync notebooks/{stem}.py")
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert notebook.metadata["jupytext"]["formats"] == "ipynb,py:percent"


@pytest.mark.parametrize("stem", PAIRS)
def test_outputs_are_stripped(stem):
    notebook = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    assert not [c for c in notebook.cells if c.cell_type == "code" and
                (c.get("outputs") or c.get("execution_count"))], f"{stem}.ipynb: strip outputs"


def test_stage_notebooks_call_what_they_teach():
    """The calls each stage is about are in its source (a rename that drops one fails here)."""
    code = {stem: (NOTEBOOKS / f"{stem}.py").read_text(encoding="utf-8") for stem in PAIRS}
    assert "archkit.check.orders_storage_per_year(" in code["01_brainstorming"]
    assert "archkit.check.caching_decision(" in code["01_brainstorming"]
    assert "record_decisions(decisions" in code["01_brainstorming"]
    for call in ("archkit.check.cart_tables(", "schema_box(", "er_diagram(", "transpile_schema(",
                 'engine="sqlite"'):
        assert call in code["02_schema_design"]
