"""Every notebook is generated from a Python source; the committed file must match it.

Regenerate with ``.venv/bin/python <source>``. Sources keep notebooks reviewable as code and
their cell ids stable, so a rebuild is byte-identical.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from archkit.workshop import notebook_text

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {
    "00_start_here.ipynb": "tests/notebooks/start_here_source.py",
    "01_brainstorming.ipynb": "tests/brainstorm/notebook_source.py",
    "02_schema_design.ipynb": "tests/schema/schema_notebook_source.py",
    "02b_migrations.ipynb": "tests/migrations/notebook_source.py",
    "03_c4_diagrams.ipynb": "tests/c4/notebook_source.py",
    "04_adr_export.ipynb": "tests/adr/build_notebook.py",
}


def _load(relative: str):
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(f"_nb_source_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_notebook_has_a_source():
    assert set(SOURCES) == {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}


@pytest.mark.parametrize("notebook", sorted(SOURCES))
def test_committed_notebook_matches_its_source(notebook):
    source = _load(SOURCES[notebook])
    assert source.NOTEBOOK.name == notebook
    assert source.NOTEBOOK.read_text(encoding="utf-8") == notebook_text(source.build()), (
        f"notebooks/{notebook} differs from its source: run .venv/bin/python {SOURCES[notebook]}")
