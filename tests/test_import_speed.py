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


def test_schema_check_loads_only_the_parts_of_sqlglot_it_uses(tmp_path):
    """A check reads with sqlglot's core and the one dialect asked for; the optimizer
    (qualify) loads only for a view the direct resolver cannot check, never for plain joins."""
    ddl = tmp_path / "schema.sql"
    ddl.write_text(
        "CREATE TABLE author (id int PRIMARY KEY, name text NOT NULL);\n"
        "CREATE TABLE book (id int PRIMARY KEY, author_id int REFERENCES author (id));\n"
        "CREATE INDEX book_author_id ON book (author_id);\n"
        "CREATE VIEW shelf AS SELECT a.name, b.id\n"
        "  FROM author a JOIN book b ON b.author_id = a.id;\n"
    )
    loaded = _loaded_after(
        "import contextlib, io; from archkit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['schema', 'check', '--dialect', 'postgres', {str(ddl)!r}]) == 0\n"
        "del main"  # back at the top level, where the module list is printed
    )
    assert "sqlglot.dialects.postgres" in loaded  # the check did read the file
    unused = {"sqlglot.optimizer.qualify", "sqlglot.dialects.mysql", "sqlglot.dialects.sqlite"}
    assert not loaded & unused, f"loaded but not needed: {sorted(loaded & unused)}"
