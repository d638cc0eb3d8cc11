"""notebooks/02_schema_design.ipynb has its check cell and the calls the stage teaches."""

import nbformat
from schema_notebook_source import build


def test_notebook_is_valid_without_outputs_and_has_its_check_cell():
    nb = build()
    nbformat.validate(nb)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "archkit.check.cart_tables(" in code
    assert "schema_box(" in code and "er_diagram(" in code and "transpile_schema(" in code
    assert 'engine="sqlite"' in code
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert nb.metadata["kernelspec"]["name"] == "python3"
