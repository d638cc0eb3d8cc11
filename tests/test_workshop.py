"""Workshop mode: student copies lose their solutions and outputs, keep everything else."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from archkit.errors import ArchkitError
from archkit.workshop import (
    BEGIN,
    CODE_STUB,
    END,
    MANIFEST,
    MARKDOWN_STUB,
    blank_solutions,
    reset,
    student_notebook,
    write_student_set,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

CART_SOLUTION = """CREATE TABLE carts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id bigint NOT NULL REFERENCES tenants (id)
);"""

EXERCISE = f'''def my_weights():
    {BEGIN}
    return {{"Latency": 5, "Cost": 1}}
    {END}

ddl = """
{BEGIN}
{CART_SOLUTION}
{END}
"""
print(my_weights())'''


def solution_notebook(folder: Path, name: str = "05_exercise.ipynb") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["widgets"] = {"state": {"answer": 42}}
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# Exercise\n\nWhy?\n\n{BEGIN}\nBecause caching.\n{END}"),
        nbformat.v4.new_code_cell(EXERCISE),
        nbformat.v4.new_code_cell("import archkit.check\narchkit.check.exercises()"),
    ]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="{'Latency': 5, 'Cost': 1}\n")]
    nb.cells[1].execution_count = 3
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_blank_keeps_indentation_and_adds_a_statement_where_python_needs_one():
    text, blocks = blank_solutions(EXERCISE)
    assert blocks == [(2, 3), (7, 6)]
    assert "Latency" not in text and "CREATE TABLE" not in text
    lines = text.split("\n")
    # The function body would be empty with a comment alone, so it gets `...`.
    assert lines[1] == f"    ...  {CODE_STUB}"
    ast.parse(text)


def test_blank_in_a_literal_is_a_comment_only():
    source = f"weights = {{\n    {BEGIN}\n    'Latency': 5,\n    {END}\n}}\ncheck(weights)"
    text, _ = blank_solutions(source)
    assert text == f"weights = {{\n    {CODE_STUB}\n}}\ncheck(weights)"
    ast.parse(text)


def test_markdown_answer_gets_the_markdown_stub():
    text, blocks = blank_solutions(f"Why?\n{BEGIN}\nBecause.\n{END}", cell_type="markdown")
    assert text == f"Why?\n{MARKDOWN_STUB}" and blocks == [(2, 3)]


@pytest.mark.parametrize(
    ("source", "line", "says"),
    [
        (f"x = 1\n{BEGIN}\ny = 2", 2, "never closed"),
        (f"x = 1\n  {END}", 2, "without"),
        (f"{BEGIN}\n{BEGIN}\n{END}", 2, "inside a solution block"),
    ],
)
def test_unbalanced_markers_say_where(source, line, says):
    with pytest.raises(ArchkitError) as err:
        blank_solutions(source, where="nb.ipynb (cell 4)")
    assert err.value.where.file == "nb.ipynb (cell 4)" and err.value.where.line == line
    assert says in err.value.message and err.value.hint


def test_student_notebook_drops_solutions_outputs_and_saved_widget_state(tmp_path):
    student = student_notebook(solution_notebook(tmp_path))
    text = student.text()
    for secret in ("Because caching", "Latency", "CREATE TABLE", BEGIN, END, '"answer"'):
        assert secret not in text
    nb = nbformat.reads(text, as_version=4)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
    assert nb.cells[2].source == "import archkit.check\narchkit.check.exercises()"
    assert all(c.outputs == [] and c.execution_count is None
               for c in nb.cells if c.cell_type == "code")
    assert [(b.cell, b.line, b.lines) for b in student.blanks] == [(1, 5, 3), (2, 2, 3), (2, 7, 6)]
    nbformat.validate(nb)
    assert "3 blanks" in student._repr_markdown_() and "| 2 | 7 | 6 |" in student._repr_markdown_()


def test_student_set_of_the_repo_notebooks(tmp_path):
    result = write_student_set(NOTEBOOKS, tmp_path / "workshop")
    names = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert result.files == names
    for name in names:
        nb = nbformat.read(tmp_path / "workshop" / name, as_version=4)
        source = nbformat.read(NOTEBOOKS / name, as_version=4)
        assert len(nb.cells) == len(source.cells)
        for cell in nb.cells:
            assert BEGIN not in cell.source and END not in cell.source
            if cell.cell_type == "code":
                assert cell.outputs == []
        # Cells without a solution block are copied unchanged, narrative included.
        for mine, theirs in zip(nb.cells, source.cells, strict=True):
            if BEGIN not in theirs.source:
                assert mine.source == theirs.source


def test_second_run_changes_no_byte(tmp_path):
    src = tmp_path / "solutions"
    solution_notebook(src)
    out = tmp_path / "workshop"
    first = write_student_set(src, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    second = write_student_set(src, out)
    assert first.changed == ["05_exercise.ipynb"] and second.changed == []
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["notebooks"]["05_exercise.ipynb"]["source"] == "../solutions/05_exercise.ipynb"


def test_a_students_edits_are_not_overwritten_unless_forced(tmp_path):
    src = tmp_path / "solutions"
    solution_notebook(src)
    out = tmp_path / "workshop"
    write_student_set(src, out)
    mine = out / "05_exercise.ipynb"
    edited = mine.read_text().replace(CODE_STUB, "return {'Latency': 4}")
    mine.write_text(edited)
    with pytest.raises(ArchkitError, match="05_exercise.ipynb"):
        write_student_set(src, out)
    assert mine.read_text() == edited
    write_student_set(src, out, force=True)
    assert CODE_STUB in mine.read_text()


def test_reset_restores_the_notebook_and_keeps_the_students_version(tmp_path):
    src = tmp_path / "solutions"
    solution_notebook(src)
    out = tmp_path / "workshop"
    write_student_set(src, out)
    mine = out / "05_exercise.ipynb"
    pristine = mine.read_bytes()
    mine.write_text(mine.read_text().replace(CODE_STUB, "return {}"))
    edited = mine.read_bytes()
    backup = reset(mine)
    assert mine.read_bytes() == pristine
    assert backup == out / "05_exercise.before-reset-1.ipynb" and backup.read_bytes() == edited
    assert reset(mine) is None  # nothing to keep the second time
    mine.write_text("{}")
    assert reset(mine).name == "05_exercise.before-reset-2.ipynb"
    write_student_set(src, out)  # the reset notebook counts as ours again: no refusal


def test_reset_of_an_unknown_notebook_says_how(tmp_path):
    (tmp_path / "x.ipynb").write_text("{}")
    with pytest.raises(ArchkitError, match="manifest") as err:
        reset(tmp_path / "x.ipynb")
    assert "archkit.workshop" in err.value.hint


def test_command_line(tmp_path):
    src = tmp_path / "solutions"
    solution_notebook(src)
    run = [sys.executable, "-m", "archkit.workshop"]
    done = subprocess.run([*run, str(src), str(tmp_path / "ws")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "wrote 1 student notebooks (3 blanks)" in done.stdout
    again = subprocess.run([*run, "--reset", str(tmp_path / "ws" / "05_exercise.ipynb")],
                           capture_output=True, text=True)
    assert again.returncode == 0 and "reset" in again.stdout
    bad = subprocess.run([*run, str(tmp_path / "nope"), str(tmp_path / "ws")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "no notebook folder" in bad.stderr


def test_student_copy_runs_and_its_check_cell_says_not_yet(tmp_path):
    """The blanks leave a notebook that runs, and whose check cell reports what is missing."""
    from nbclient import NotebookClient

    src = tmp_path / "solutions"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = [nbformat.v4.new_code_cell(
        f'import archkit.check\nmy_carts = """\n{BEGIN}\n{CART_SOLUTION}\n{END}\n"""\n'
        "archkit.check.cart_tables(my_carts)")]
    src.mkdir()
    nbformat.write(nb, src / "ex.ipynb")
    write_student_set(src, tmp_path / "ws")
    student = nbformat.read(tmp_path / "ws" / "ex.ipynb", as_version=4)
    NotebookClient(student, timeout=120, kernel_name="python3").execute()
    shown = json.dumps(student.cells[0].outputs)
    assert "Not yet" in shown and "error" not in {o.output_type for o in student.cells[0].outputs}


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("0[1-9]*.ipynb")))
def test_every_stage_notebook_has_a_checked_exercise_whose_answer_students_do_not_get(name):
    source = nbformat.read(NOTEBOOKS / name, as_version=4)
    exercises = [c for c in source.cells if c.cell_type == "code" and BEGIN in c.source]
    assert exercises, f"{name} has no exercise with a {BEGIN} block"
    assert any("archkit.check." in c.source for c in source.cells), f"{name} has no check cell"
    student = student_notebook(NOTEBOOKS / name)
    hidden = [line for c in exercises for line in c.source.splitlines()[1:]
              if line.strip() and BEGIN not in line and END not in line]
    assert student.blanks, f"{name}: no blank in the student copy"
    student_text = "\n".join(c.source for c in student.notebook.cells)
    solution_lines = [line for line in hidden if line not in student_text]
    assert solution_lines, f"{name}: the student copy still shows the solution"


@pytest.fixture(scope="module")
def student_set(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("students") / "workshop"
    write_student_set(NOTEBOOKS, out)
    return out


def test_student_copies_are_plain_notebooks_and_say_how_to_open_them(student_set, tmp_path):
    for path in student_set.glob("*.ipynb"):
        assert "jupytext" not in nbformat.read(path, as_version=4).metadata, path.name
    # jupytext reads the nearest config: the one in the student folder turns pairing off.
    from jupytext.config import load_jupytext_config

    student = str(student_set / "01_brainstorming.ipynb")
    assert load_jupytext_config(student).default_formats(student) == "ipynb"
    solution = str(NOTEBOOKS / "01_brainstorming.ipynb")
    assert "py:percent" in load_jupytext_config(solution).default_formats(solution)
    done = subprocess.run([sys.executable, "-m", "archkit.workshop", str(NOTEBOOKS),
                           str(tmp_path / "ws")], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and "make lab-workshop" in done.stdout
    makefile = (ROOT / "Makefile").read_text()
    assert "lab-workshop: workshop" in makefile and "jupyter lab $(ROOT_FLAG) workshop" in makefile
    assert "ARCHKIT_NOTEBOOK_OUT=$(CURDIR)/out/workshop" in makefile
    for text in ((ROOT / "README.md").read_text(), (NOTEBOOKS / "00_start_here.py").read_text()):
        assert "make lab-workshop" in text


def _outputs_text(cell) -> str:
    parts = []
    for out in cell.outputs:
        data = out.get("data", {})
        parts.append(out.get("text", "") or data.get("text/markdown", "")
                     or data.get("text/html", "") or data.get("text/plain", ""))
    return "\n".join(parts)


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_every_student_copy_runs_all_without_an_error_output(student_set, name, monkeypatch,
                                                             tmp_path):
    """"Restart Kernel and Run All" on a student copy, offline: no error, and every blank
    exercise's check cell says "Not yet" with what is missing."""
    from nbclient import NotebookClient

    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.setenv("ARCHKIT_NOTEBOOK_OUT", str(tmp_path))
    nb = nbformat.read(student_set / name, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(student_set)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [f"cell {i}: {o.ename}: {o.evalue}" for i, c in enumerate(code, start=1)
              for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert all(c.execution_count for c in code), "a code cell did not run"
    blanked = [c for c in code if CODE_STUB in c.source and "archkit.check." in c.source]
    for cell in blanked:
        shown = _outputs_text(cell)
        assert "Not yet" in shown or "NOT YET" in shown, shown[:300]


def _readme_code() -> str:
    """The README's commands and code (its prose may say where the *tests* read corpora)."""
    import re

    return "\n".join(re.findall(r"```.*?\n(.*?)```", (ROOT / "README.md").read_text(), re.S))


@pytest.mark.parametrize("path", [*sorted(NOTEBOOKS.glob("*.py")),
                                  *sorted(NOTEBOOKS.glob("*.ipynb")), ROOT / "README.md"],
                         ids=lambda p: p.name)
def test_notebooks_and_readme_never_reach_outside_the_repository(path):
    text = _readme_code() if path.name == "README.md" else path.read_text(encoding="utf-8")
    for outside in ("shared/corpora", "../shared", "corpus_file(", "../../"):
        assert outside not in text, f"{path.name} reads {outside!r}: ship a file under examples/"


LINK_TABLE_WITHOUT_KEY = """
CREATE TABLE carts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE);
CREATE INDEX carts_user_id_idx ON carts (user_id);
CREATE TABLE cart_items (
  cart_id bigint NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
  product_id bigint NOT NULL REFERENCES products (id),
  quantity integer NOT NULL CHECK (quantity > 0));
CREATE INDEX cart_items_product_id_idx ON cart_items (product_id);
CREATE INDEX cart_items_cart_id_idx ON cart_items (cart_id);
"""


def test_carts_check_and_lint_give_the_same_advice_for_the_same_table():
    """Notebook 02's check cell asks for (cart_id, product_id) as the key; the linter, on the
    same DDL, must not suggest a surrogate identity id for cart_items instead."""
    import archkit.check
    from archkit.schema.validate import check_schema

    result = archkit.check.cart_tables(LINK_TABLE_WITHOUT_KEY)
    assert not result.passed
    assert any("PRIMARY KEY (cart_id, product_id)" in w for w in result.wrong)
    assert not any("IDENTITY" in w for w in result.wrong)
    users_products = ("CREATE TABLE users (id bigint PRIMARY KEY);\n"
                      "CREATE TABLE products (id bigint PRIMARY KEY);\n")
    lint = [f for f in check_schema(users_products + LINK_TABLE_WITHOUT_KEY, "postgres").findings
            if f.object == "cart_items"]
    (sc201,) = [f for f in lint if f.code == "SC201"]
    assert "PRIMARY KEY (cart_id, product_id)" in sc201.fix and "IDENTITY" not in sc201.fix
    # a table that is not a link table still gets the identity advice
    (plain,) = check_schema("CREATE TABLE notes (body text);", "postgres").findings.by_code(
        "SC201")
    assert "IDENTITY" in plain.fix


def test_check_results_say_pass_and_missing_in_words_and_colour():
    from archkit.check.result import CheckResult

    result = CheckResult("cart_tables")
    result.expect(True, "the DDL is valid", "")
    result.expect(False, "", "create table cart_items ($1 < $2)")
    html = result._repr_html_()
    assert "NOT YET" in html and "Not yet" in html and "color:#b71c1c" in html
    assert "PASS</b> the DDL is valid" in html and "MISSING</b> create table" in html
    assert "$" not in html and "mathjax_ignore" in html
    done = CheckResult("x")
    done.expect(True, "fine", "")
    assert "ALL CORRECT" in done._repr_html_() and "color:#1b5e20" in done._repr_html_()


def test_multi_tenant_check_and_lint_agree_on_a_declared_global_unique(example):
    """v2 keeps payments.provider_ref unique across tenants on purpose (named *_global_*):
    the check cell accepts it, so the lint must not ask to make it per tenant."""
    import archkit.check
    from archkit.schema.validate import check_schema

    v2 = (example / "schema" / "v2.sql").read_text()
    assert archkit.check.multi_tenant_schema(v2).passed
    assert check_schema(v2, "postgres").findings.codes() == []
    plain = v2.replace("payments_provider_ref_global_key", "payments_provider_ref_key")
    result = archkit.check.multi_tenant_schema(plain)
    (sc207,) = check_schema(plain, "postgres").findings.by_code("SC207")
    assert not result.passed and any("payments(provider_ref)" in w for w in result.wrong)
    assert sc207.object == "payments(provider_ref)" and "global_key" in sc207.fix


def test_schema_check_text_lists_errors_first():
    from archkit.schema.validate import check_schema

    text = check_schema("CREATE TABLE t (id serial PRIMARY KEY, at timestamp);\n"
                        "CREATE INDEX t_x ON t (nope);", "postgres").to_text()
    lines = [line for line in text.splitlines() if "SC" in line]
    assert "error" in lines[0] and "warning" in lines[-1]
