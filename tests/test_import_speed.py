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


def test_the_command_line_check_does_not_load_package_metadata(tmp_path):
    """sqlglot imports importlib.metadata (with email, zipfile...) only to look up dialect
    plugins; the command line defers it, and a check with a built-in dialect never needs
    it. The same process then still reads package metadata as usual."""
    ddl = tmp_path / "schema.sql"
    ddl.write_text("CREATE TABLE author (id int PRIMARY KEY, name text NOT NULL);\n")
    code = (
        "import sys, json, contextlib, io\n"
        "from archkit.cli import main\n"
        "from archkit.lazy import defer_package_metadata\n"
        "defer_package_metadata()\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['schema', 'check', '--dialect', 'postgres', {str(ddl)!r}]) == 0\n"
        "before = sorted(m for m in sys.modules if m.startswith(('email', 'zipfile')))\n"
        "import importlib.metadata as md\n"
        "from importlib.metadata import version, PackageNotFoundError\n"
        "import sqlglot\n"
        "try:\n"
        "    sqlglot.Dialect.get_or_raise('no_such_dialect')  # plugins are looked up\n"
        "    plugin = 'found'\n"
        "except ValueError as err:\n"
        "    plugin = str(err)\n"
        "import importlib.metadata._meta\n"  # a submodule of the package imports too
        "print(json.dumps([before, version('sqlglot'), md.version('sqlglot'),\n"
        "                  type(sys.modules['importlib.metadata']).__name__,\n"
        "                  PackageNotFoundError.__module__, plugin]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    before, found, again, kind, error_home, plugin = json.loads(out.stdout)
    assert before == []  # the check itself loaded none of it
    import sqlglot

    assert found == again == sqlglot.__version__
    assert kind == "module" and error_home == "importlib.metadata"
    assert "no_such_dialect" in plugin
