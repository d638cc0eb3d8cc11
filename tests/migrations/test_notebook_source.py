"""notebooks/02b_migrations.ipynb is exactly what tests/migrations/notebook_source.py writes."""

from __future__ import annotations

import nbformat

from . import notebook_source


def test_committed_notebook_matches_its_source():
    committed = nbformat.read(notebook_source.NOTEBOOK, as_version=4)
    built = notebook_source.build()
    assert [(c.cell_type, c.source) for c in committed.cells] == [
        (c.cell_type, c.source) for c in built.cells]
    assert committed.metadata["kernelspec"]["name"] == "python3"
    assert all(not c.get("outputs") for c in committed.cells if c.cell_type == "code")
