"""Index, graph (DOT like ``adr generate graph``, SVG, Mermaid) and lint findings."""

from __future__ import annotations

import shutil

import pytest

from archkit.adr.index import GENERATED_MARK, AdrGraph, AdrIndex, write_index
from archkit.adr.lint import lint
from archkit.adr.model import Link, Option, Record
from archkit.adr.store import AdrStore
from archkit.errors import ArchkitError


def _graph_scenario(folder):
    store = AdrStore(folder, dialect="nygard", today="1992-01-12")
    store.new("Record architecture decisions", status="accepted")  # adr init
    store.new("An idea that seems good at the time", status="accepted")
    store.new("A better idea", status="accepted", supersedes=2)
    store.new("This will work", status="accepted")
    store.new("The end", status="accepted", supersedes=3)
    return AdrStore(folder)


def _expected_graphs(corpora) -> list[str]:
    text = (corpora / "adr" / "adr-tools-generate-graph.expected").read_text()
    return [part.split("\n}\n")[0] + "\n}\n"
            for part in text.split("adr generate graph")[1:]]


def test_dot_is_what_adr_tools_generate_graph_prints(corpora, tmp_path):
    store = _graph_scenario(tmp_path)
    plain, custom = _expected_graphs(corpora)
    assert AdrGraph(store.all()).to_dot() == plain.split("\n", 1)[1]
    assert AdrGraph(store.all(), "http://example.com/", ".xxx").to_dot() == (
        custom.split("\n", 1)[1])


def test_index_lists_number_title_status_date_and_superseded_by(tmp_path):
    store = _graph_scenario(tmp_path)
    files = write_index(tmp_path, store.all(), svg=False)
    assert [p.name for p in files] == ["decisions.dot", "index.md"]
    index = (tmp_path / "index.md").read_text()
    assert index.startswith(GENERATED_MARK + "\n\n# Architecture Decision Records\n")
    assert ("| 2 | [An idea that seems good at the time](0002-an-idea-that-seems-good-at-the-"
            "time.md) | Superseded | 1992-01-12 | [3](0003-a-better-idea.md) |") in index
    assert "| 5 | [The end](0005-the-end.md) | Accepted | 1992-01-12 |  |" in index
    assert '  adr5 -- "Supercedes" --> adr3\n' in index  # the Mermaid graph
    assert "  class adr2,adr3 superseded\n" in index
    assert write_index(tmp_path, store.all(), svg=False) == files  # rerun: same bytes
    assert (tmp_path / "index.md").read_text() == index


def test_index_refuses_to_replace_a_hand_written_index(tmp_path):
    (tmp_path / "index.md").write_text("# Our decisions\n\nHand-written.\n")
    with pytest.raises(ArchkitError, match="not written by archkit"):
        write_index(tmp_path, [], svg=False)
    assert (tmp_path / "index.md").read_text() == "# Our decisions\n\nHand-written.\n"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")
def test_svg_graph_has_a_node_per_record_and_escapes_labels(tmp_path):
    hostile = Record(number=1, title='<script>alert("x")</script> & "quotes"', status="accepted",
                     file="0001-x.md")
    other = Record(number=2, title="Use Kafka", status="accepted", file="0002-use-kafka.md",
                   links=[Link("Amends", 1)])
    graph = AdrGraph([hostile, other])
    svg = graph.to_svg()
    assert svg.count('class="node"') == 2
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert ">Amends</text>" in svg
    mermaid = graph.to_mermaid()
    assert "<script>" not in mermaid and "#lt;script#gt;alert(#quot;x#quot;)" in mermaid
    bundle = graph._repr_mimebundle_()
    assert bundle["image/svg+xml"].startswith("<?xml")
    html = AdrIndex([hostile, other])._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    md_table = AdrIndex([hostile, other])._repr_markdown_()
    assert "<script>" not in md_table


def test_adr_tools_folder_lints_clean(corpora):
    store = AdrStore(corpora / "adr" / "adr-tools")
    assert lint(store.all(), today="2026-11-26") == []


def test_madr_folder_lint_reports_real_drift_as_warnings(corpora):
    store = AdrStore(corpora / "adr" / "madr")
    findings = lint(store.all(), today="2026-11-26", findings=store.findings)
    assert findings.errors == []
    renamed = {f.file for f in findings.by_code("ADR006")}
    assert "0001-use-CC0-or-MIT-as-license.md" in renamed  # titled "Dual License the Work"
    odd = list(findings.by_code("ADR002"))
    assert [(f.file, f.severity.value) for f in odd] == [
        ("0003-provide-own-madr-tools.md", "warning")]  # "on hold", kept verbatim


def _rec(number, **kw) -> Record:
    from archkit.adr.model import file_name

    rec = Record(number=number, title=kw.pop("title", f"Decision {number}"), **kw)
    rec.file = kw.get("file") or file_name(number, rec.title)
    rec.layout["dialect"] = "nygard"
    rec.layout["order"] = [[k, k] for k in ("status", "context", "outcome", "consequences")]
    return rec


def test_each_lint_rule_fires_with_code_object_line_and_fix():
    records = [
        _rec(1, status="Accepted", date="2026-13-01"),
        _rec(2, status="Proposed", date="2026-01-01"),
        _rec(3, status="Waiting", date="2026-11-01", links=[Link("Amends", 1),
                                                         Link("Relates to", 9)]),
        _rec(3, title="Another three", status="Accepted", date="2026-11-01"),
        _rec(4, status="Superseded", date="2026-11-01", file="0004-wrong-name.md"),
        _rec(5, status="", date="2026-11-01",
             chosen="Redis", options=[Option("Kafka")]),
    ]
    records[0].layout["title_number"] = 7
    records[4].layout["order"] = records[4].layout["order"][:2]
    found = lint(records, today="2026-11-26", max_open_days=30)
    got = {(f.code, f.object) for f in found}
    assert ("ADR003", "ADR-0001") in got  # month 13
    assert ("ADR005", "ADR-0001") in got  # title says 7
    assert ("ADR011", "ADR-0002") in got  # proposed 329 days ago
    assert ("ADR002", "ADR-0003") in got  # "Waiting"
    assert ("ADR009", "ADR-0003") in got  # Amends 1, but 1 has no "Amended by"
    assert ("ADR008", "ADR-0003") in got  # Relates to 9: no such record
    assert ("ADR007", "ADR-0003") in got  # two records numbered 3
    assert ("ADR006", "ADR-0004") in got  # file name does not match the title
    assert ("ADR013", "ADR-0004") in got  # superseded by nothing
    assert ("ADR004", "ADR-0004") in got  # no Decision / Consequences sections
    assert ("ADR004", "ADR-0005") in got  # no status
    assert ("ADR012", "ADR-0005") in got  # chosen option never considered
    assert all(f.fix for f in found)
    assert {f.code for f in found.errors} == {"ADR003", "ADR005", "ADR007", "ADR008", "ADR004"}
    stale = next(f for f in found if f.code == "ADR011")
    assert "329 days" in stale.message
    assert not [f for f in lint(records, today="2026-11-26", max_open_days=400)
                if f.code == "ADR011"]


def test_records_built_in_code_lint_like_their_written_form():
    rec = Record(number=3, title="Use Kafka", date="2026-11-26", status="accepted",
                 context="Ordered events.", chosen="Kafka", options=[Option("Kafka")],
                 file="0003-use-kafka.md")
    assert lint([rec], today="2026-11-26") == []


def test_toc_is_what_adr_tools_generate_toc_prints(corpora, tmp_path):
    store = AdrStore(tmp_path, dialect="nygard", today="1992-01-12")
    for title in ("First Decision", "Second Decision", "Third Decision"):
        store.new(title, status="accepted")
    text = (corpora / "adr" / "adr-tools-generate-contents.expected").read_text()
    expected = text.split("adr generate toc\n", 1)[1]
    assert AdrIndex(AdrStore(tmp_path).all()).to_toc().rstrip("\n") == expected.rstrip("\n")
