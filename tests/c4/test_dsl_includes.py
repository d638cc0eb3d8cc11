"""!include and workspace extends: cycles, depth, odd paths — located errors, never a hang."""

from __future__ import annotations

import pytest

from archkit.c4.dsl_reader import MAX_INCLUDE_DEPTH, parse_dsl, read_dsl
from archkit.errors import ArchkitError

MODEL = 'workspace {{\n    model {{\n        {body}\n    }}\n}}\n'


def _write(path, body):
    path.write_text(MODEL.format(body=body))
    return path


def test_a_file_that_includes_itself_is_a_located_error(tmp_path):
    main = _write(tmp_path / "w.dsl", "!include w.dsl")
    with pytest.raises(ArchkitError) as err:
        read_dsl(main)
    assert "cycle" in err.value.message
    assert (err.value.where.file, err.value.where.line) == (str(main), 3)


def test_a_file_that_includes_its_own_folder_is_a_located_error(tmp_path):
    main = _write(tmp_path / "w.dsl", "!include .")
    with pytest.raises(ArchkitError) as err:
        read_dsl(main)
    assert "cycle" in err.value.message and err.value.where.line == 3


def test_a_cycle_through_two_files_names_the_file_that_closes_it(tmp_path):
    (tmp_path / "a.dsl").write_text('a = person "A"\n!include b.dsl\n')
    (tmp_path / "b.dsl").write_text('b = person "B"\n!include a.dsl\n')
    main = _write(tmp_path / "w.dsl", "!include a.dsl")
    with pytest.raises(ArchkitError) as err:
        read_dsl(main)
    assert err.value.where.file == str(tmp_path / "b.dsl") and err.value.where.line == 2


def test_includes_nested_too_deep_stop_at_the_limit(tmp_path):
    n = MAX_INCLUDE_DEPTH + 3
    for i in range(n):
        (tmp_path / f"f{i}.dsl").write_text(f'p{i} = person "P{i}"\n!include f{i + 1}.dsl\n')
    (tmp_path / f"f{n}.dsl").write_text("\n")
    main = _write(tmp_path / "w.dsl", "!include f0.dsl")
    with pytest.raises(ArchkitError) as err:
        read_dsl(main)
    assert "deep" in err.value.message and err.value.where.line == 2


def test_the_same_file_included_twice_is_fine(tmp_path):
    (tmp_path / "rel.dsl").write_text('a -> b "Uses ${N}"\n')
    main = _write(tmp_path / "w.dsl", 'a = person "A"\n        b = softwareSystem "B"\n'
                  '        !var N 1\n        !include rel.dsl\n        !var N 2\n'
                  '        !include rel.dsl')
    ws, _ = read_dsl(main)
    assert [r.description for r in ws.model.relationships] == ["Uses 1", "Uses 2"]


def test_includes_resolve_against_the_including_file(tmp_path):
    (tmp_path / "model" / "parts").mkdir(parents=True)
    (tmp_path / "model" / "people.dsl").write_text("!include parts/one.dsl\n")
    (tmp_path / "model" / "parts" / "one.dsl").write_text('one = person "One"\n')
    (tmp_path / "model" / "parts" / ".hidden").write_text("not DSL at all {{{\n")
    ws, _ = read_dsl(_write(tmp_path / "w.dsl", "!include model/people.dsl"))
    assert ws.model["one"].name == "One"
    ws, _ = read_dsl(_write(tmp_path / "w2.dsl", "!include model/parts"))
    assert ws.model["one"].name == "One"  # folder: recursive, hidden files left out


@pytest.mark.parametrize("target", ["x" * 5000, "a/" * 3000 + "b.dsl", "nul\x00byte.dsl",
                                    "missing.dsl", "../../../../../../../../etc/shadow-nope"])
def test_odd_include_paths_are_located_errors_not_os_errors(tmp_path, target):
    main = tmp_path / "w.dsl"
    main.write_text('workspace {\n    model {\n        !include "' + target + '"\n    }\n}\n')
    with pytest.raises(ArchkitError) as err:
        read_dsl(main)
    assert err.value.where.line == 3 and err.value.where.col
    assert len(str(err.value)) < 1000


def test_workspace_extends_itself_is_a_cycle(tmp_path):
    main = tmp_path / "w.dsl"
    main.write_text("workspace extends w.dsl {\n}\n")
    with pytest.raises(ArchkitError) as err:
        read_dsl(main)
    assert "cycle" in err.value.message and err.value.where.line == 1


def test_urls_in_include_are_findings(tmp_path):
    ws, findings = parse_dsl(MODEL.format(body="!include https://example.com/model.dsl"),
                             file="w.dsl")
    assert [(f.code, f.line) for f in findings] == [("C4301", 3)]


def test_cli_reports_an_include_cycle_with_exit_2(tmp_path, capsys):
    from archkit.cli import main

    path = _write(tmp_path / "w.dsl", "!include w.dsl")
    code = main(["c4", "render", str(path), "--out", str(tmp_path / "out")])
    out = capsys.readouterr()
    assert code == 2 and f"{path}:3:" in out.err and "Traceback" not in out.err
