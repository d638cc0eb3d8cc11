"""notebooks/01_brainstorming.ipynb holds its check cells and records the decisions."""

import nbformat

from .notebook_source import build


def test_notebook_is_valid_and_has_its_check_cells():
    nb = build()
    nbformat.validate(nb)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "archkit.check.orders_storage_per_year(" in code
    assert "archkit.check.caching_decision(" in code
    assert "record_decisions(decisions" in code
    assert nb.metadata["kernelspec"]["name"] == "python3"
