"""notebooks/01_brainstorming.ipynb is exactly what tests/brainstorm/notebook_source.py writes."""

import nbformat

from .notebook_source import NOTEBOOK, build, text


def test_committed_notebook_matches_its_source():
    assert NOTEBOOK.read_text(encoding="utf-8") == text(), (
        "run .venv/bin/python tests/brainstorm/notebook_source.py")


def test_notebook_is_valid_and_has_its_check_cells():
    nb = build()
    nbformat.validate(nb)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "archkit.check.orders_storage_per_year(" in code
    assert "archkit.check.caching_decision(" in code
    assert "record_decisions(decisions" in code
    assert nb.metadata["kernelspec"]["name"] == "python3"
