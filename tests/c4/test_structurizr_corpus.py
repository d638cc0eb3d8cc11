"""Structurizr's own DSL parser tests (corpora/c4/structurizr-dsl): archkit agrees with them.

Each file DslTests.java.txt parses is listed with what Structurizr does with it: files it
accepts must parse; files it rejects must raise ArchkitError at Structurizr's line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archkit.c4.conformance import check_corpus, structurizr_expectations
from archkit.c4.dsl_reader import read_dsl
from archkit.errors import ArchkitError
from archkit.examples import corpus_file

TESTS_JAVA = corpus_file("c4/structurizr-dsl/DslTests.java.txt")
EXPECTATIONS = structurizr_expectations(TESTS_JAVA) if TESTS_JAVA else []
# Accepted by Structurizr but not by archkit, and why (each one is a real miss).
KNOWN_MISSES = {
    "find-element.dsl": "extends amazon-web-services.dsl, which is not in the corpus",
}


@pytest.fixture(scope="module")
def folder(corpora: Path) -> Path:
    return corpora / "c4" / "structurizr-dsl"


def test_the_test_class_names_enough_files(folder):
    assert TESTS_JAVA is not None
    must_fail = [e.file for e in EXPECTATIONS if e.must_fail]
    assert len(EXPECTATIONS) >= 80 and len(must_fail) >= 12
    assert "enterprise.dsl" in must_fail and "big-bank-plc.dsl" not in must_fail


@pytest.mark.parametrize("exp", [e for e in EXPECTATIONS if not e.must_fail],
                         ids=lambda e: e.file)
def test_structurizr_accepts_so_archkit_parses(folder, exp):
    path = folder / exp.file
    if not path.is_file():
        pytest.skip("named by DslTests but not shipped in the corpus")
    if exp.file in KNOWN_MISSES:
        with pytest.raises(ArchkitError) as err:
            read_dsl(path)
        assert err.value.where and err.value.where.line  # a located error, not a crash
        pytest.xfail(KNOWN_MISSES[exp.file])
    ws, findings = read_dsl(path)
    for finding in findings:  # everything skipped is said, with its place
        assert finding.file and finding.line, finding


@pytest.mark.parametrize("exp", [e for e in EXPECTATIONS if e.must_fail], ids=lambda e: e.file)
def test_structurizr_rejects_so_archkit_rejects_at_the_same_line(folder, exp):
    path = folder / exp.file
    with pytest.raises(ArchkitError) as err:
        read_dsl(path)
    where = err.value.where
    assert where is not None and Path(where.file).name == path.name
    assert where.line == exp.line and where.col
    assert err.value.hint


@pytest.mark.parametrize("exp", [e for e in EXPECTATIONS if e.must_fail],
                         ids=lambda e: e.file)
def test_cli_exits_2_with_a_located_line_for_rejected_files(folder, exp, capsys):
    from archkit.cli import main

    code = main(["c4", "render", str(folder / exp.file), "--out", "/nonexistent/never"])
    out = capsys.readouterr()
    assert code == 2
    assert f"{exp.file}:{exp.line}:" in out.err + out.out
    assert "Traceback" not in out.err + out.out


def test_conformance_report_matches_the_targets(folder):
    report = check_corpus(folder)
    accepted = [o for o in report.outcomes if not o.expectation.must_fail]
    rejected = [o for o in report.outcomes if o.expectation.must_fail]
    assert sum(o.accepted for o in accepted) / len(accepted) >= 0.95
    assert all(not o.accepted and o.line == o.expectation.line for o in rejected)
    assert "parsed by archkit" in report.summary()


def test_what_structurizr_asserts_about_the_parsed_files(folder):
    ws, _ = read_dsl(folder / "groups-nested.dsl")
    groups = {e.name: e.group for e in ws.model.walk()}
    assert groups["A"] == "Organisation/Department A"
    assert groups["A API"] == "Capability 1/Service A"
    assert groups["API Endpoint"] == "a-api.jar/API Layer"
    assert groups["Repository"] == "a-api.jar/Data Layer"
    assert groups["C"] == "Organisation"
    ws, _ = read_dsl(folder / "multi-line.dsl")
    assert [e.name for e in ws.model.walk()] == ["Software System"]
    ws, findings = read_dsl(folder / "iso-8859.dsl")
    assert [e.name for e in ws.model.walk()] == ["Namé"]
    assert [f.code for f in findings] == ["C4306"]
    ws, _ = read_dsl(folder / "iso-8859.dsl", encoding="iso-8859-1")
    assert [e.name for e in ws.model.walk()] == ["Namé"]
    ws, _ = read_dsl(folder / "include-directory.dsl")
    assert sorted(e.name for e in ws.model.elements) == [
        "Software System 1", "Software System 2", "Software System 3"]
    ws, _ = read_dsl(folder / "extend" / "4.dsl")
    assert len(ws.model.of_kind("person")) == 3 and len(ws.views) == 1
    ws, _ = read_dsl(folder / "archetypes.dsl")
    api = next(e for e in ws.model.walk() if e.name == "Customer API")
    assert api.technology == "Spring Boot" and api.group == "Customer Service"
    assert [r.technology for r in ws.model.relationships if r.source == "a"] == ["HTTPS"]
    ws, _ = read_dsl(folder / "find-element-hierarchical.dsl")
    assert ws.model["a.b.c"].properties == {"Name1": "Value1", "Name2": "Value2",
                                            "Name3": "Value3"}
    ws, _ = read_dsl(folder / "constants-and-variables-from-workspace-extension-child.dsl")
    assert [(e.name, e.description) for e in ws.model.walk()] == [("Name", "Description")]
    ws, _ = read_dsl(folder / "dynamic-view-with-explicit-ordering.dsl")
    assert ws.views[0].steps


@pytest.mark.parametrize("second", ["!const name value2", "!var name value2"])
def test_constants_cannot_be_redefined(second):
    from archkit.c4.dsl_reader import parse_dsl

    source = f"workspace {{\n    !const name value1\n    {second}\n}}"
    with pytest.raises(ArchkitError) as err:
        parse_dsl(source, file="w.dsl")
    assert err.value.where.line == 3


def test_unbalanced_braces_are_located():
    from archkit.c4.dsl_reader import parse_dsl

    with pytest.raises(ArchkitError) as err:
        parse_dsl('workspace {\n    model {\n        person "User"\n    }\n', file="w.dsl")
    assert (err.value.where.line, err.value.where.col) == (1, 11)


@pytest.mark.parametrize("name", ["big-bank-plc.dsl", "structurizr-dsl/big-bank-plc.dsl",
                                  "structurizr-dsl/big-bank-plc/internet-banking-system.dsl"])
def test_big_bank_renders_every_view(corpora, tmp_path, name):
    from archkit.cli import main

    path = corpora / "c4" / name
    ws, _ = read_dsl(path)
    code = main(["c4", "render", str(path), "--out", str(tmp_path), "--format", "svg"])
    assert code in (0, 1)
    written = sorted(p.stem for p in tmp_path.glob("*.svg"))
    assert written == sorted(v.key for v in ws.views) and len(written) >= 6
    for svg in tmp_path.glob("*.svg"):
        assert "<svg" in svg.read_text()


@pytest.mark.parametrize("name, orders", [("parallel1.dsl", [1, 2, 3, 3]),
                                          ("parallel2.dsl", [1, 2, 2, 3]),
                                          ("parallel3.dsl", [1, 2, 2, 3])])
def test_parallel_sequences_are_numbered_as_structurizr_numbers_them(folder, name, orders):
    from archkit.c4.dsl_reader import parse_dsl
    from archkit.c4.dsl_writer import write_dsl
    from archkit.c4.mermaid import to_mermaid

    ws, findings = read_dsl(folder / name)
    view = next(v for v in ws.views if v.kind == "dynamic")
    assert [s.order for s in view.steps] == orders
    assert not [f for f in findings if f.code == "C4305"]
    labels = [r.description for r in view.contents().relationships]
    assert [label.split(".")[0] for label in labels] == [str(o) for o in orders]
    again, _ = parse_dsl(write_dsl(ws))
    assert [s.order for s in again.views[0].steps] == orders
    text = next(iter(to_mermaid(ws).files.values()))
    assert [line.split("(")[1].split(",")[0] for line in text.splitlines()
            if "RelIndex(" in line] == [str(o) for o in orders]
