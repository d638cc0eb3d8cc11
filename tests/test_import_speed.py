"""`import archkit` must stay light: the heavy libraries load where they are used.

The speed itself (< 0.2 s) is measured by benchmarks/import_time.py.
"""

import json
import subprocess
import sys

HEAVY = ["sqlglot", "diagrams", "anthropic", "ipywidgets", "graphviz", "yaml", "httpx", "httpx2"]


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def test_import_archkit_loads_no_heavy_library():
    loaded = _loaded_after("import archkit")
    assert not loaded & set(HEAVY), f"imported eagerly: {sorted(loaded & set(HEAVY))}"


def test_cli_help_loads_no_heavy_library():
    loaded = _loaded_after("import archkit.cli")
    assert not loaded & set(HEAVY), f"imported eagerly: {sorted(loaded & set(HEAVY))}"
