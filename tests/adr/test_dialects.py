"""Reading and writing records: the corpora round-trip, conversion is lossless."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from archkit.adr.dialects import dumps, loads
from archkit.adr.model import Argument, Link, Option, Record
from archkit.errors import ArchkitError


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.md"))


def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.rstrip("\n").split("\n"))


def test_adr_tools_folder_reads_numbers_titles_statuses_links(corpora):
    records = [loads(p.read_text(), p.name)[0] for p in _files(corpora / "adr" / "adr-tools")]
    assert [r.number for r in records] == list(range(1, 10))
    assert records[0].title == "Record architecture decisions"
    assert records[7].title == "Use ISO 8601 Format for Dates"
    assert {r.status for r in records} == {"Accepted"}
    assert records[4].date == "2016-02-13"
    assert [(lk.kind, lk.target, lk.relation) for lk in records[4].links] == [
        ("Amended by", 9, "amended-by")]
    assert [(lk.kind, lk.target, lk.target_file) for lk in records[8].links] == [
        ("Amends", 5, "0005-help-comments.md")]
    assert "plain text format" in records[3].context
    assert records[8].decision.startswith("Where necessary, help text can be generated")
    assert "Help scripts can include helper scripts" in records[8].consequences_text


def test_madr_folder_reads_structure(corpora):
    records = {r.number: r for r in (loads(p.read_text(), p.name)[0]
                                     for p in _files(corpora / "adr" / "madr"))}
    assert sorted(records) == list(range(0, 19))
    assert records[0].title == "Use Markdown Architectural Decision Records"
    assert records[3].status == "on hold" and records[3].status_kind == "on hold"
    assert records[0].metadata == {"parent": "Decisions", "nav_order": "0"}
    r13 = records[13]
    assert r13.drivers == ["Easy to read", "Easy to write"]
    assert [o.title for o in r13.options] == ["Use YAML front matter",
                                               "Use plain Markdown everywhere"]
    assert r13.chosen == "Use YAML front matter"
    assert r13.justification == "comes out best (see below)."
    yaml_opt = r13.chosen_option()
    assert yaml_opt is r13.options[0]
    assert yaml_opt.good[0] == "it shortens the body (essence of the ADR)"
    assert len(yaml_opt.bad) == 3
    # a heading inside the option's code block is text, not a section
    assert "### Context and problem statement" in yaml_opt.description
    assert records[18].confirmation.startswith("* Before next release")
    assert "Michael Nygard" in records[0].options[1].title


@pytest.mark.parametrize("folder", ["adr-tools", "madr"])
def test_export_back_to_own_dialect_reproduces_the_files(corpora, folder):
    for path in _files(corpora / "adr" / folder):
        text = path.read_text()
        record, _ = loads(text, path.name)
        assert _norm(dumps(record)) == _norm(text), path.name


@pytest.mark.parametrize(("folder", "other"), [("adr-tools", "madr"), ("madr", "nygard")])
def test_conversion_round_trip_is_lossless(corpora, folder, other):
    back = "nygard" if other == "madr" else "madr"
    for path in _files(corpora / "adr" / folder):
        first, _ = loads(path.read_text(), path.name)
        converted = dumps(first, other)
        middle, _ = loads(converted, path.name)
        again, _ = loads(dumps(middle, back), path.name)
        assert asdict(middle) | {"layout": None} == asdict(first) | {"layout": None}, path.name
        assert asdict(again) | {"layout": None} == asdict(first) | {"layout": None}, path.name


def test_adr_tools_record_as_madr_has_front_matter_and_links(corpora):
    path = corpora / "adr" / "adr-tools" / "0009-help-scripts.md"
    text = dumps(loads(path.read_text(), path.name)[0], "madr")
    assert text.startswith("---\nstatus: Accepted\ndate: 2018-06-26\n---\n# Help scripts\n")
    assert "## Links\n\n* Amends [5. Help comments](0005-help-comments.md)\n" in text


def test_older_madr_bullet_metadata_and_log4brains_are_read():
    old = (
        "# Use Plain JUnit5 for advanced test assertions\n\n"
        "* Status: accepted\n* Deciders: Oliver Kopp, Simon Harrer\n* Date: 2017-12-18\n\n"
        "## Context and Problem Statement\n\nHow to write readable test assertions?\n\n"
        "## Considered Options\n\n* Plain JUnit5\n* Hamcrest\n\n"
        "## Decision Outcome\n\nChosen option: \"Plain JUnit5\", because it is a standard.\n\n"
        "### Positive Consequences\n\n* Code more readable\n\n"
        "## Links\n\n* Refines [ADR-0002](0002-use-junit.md)\n"
    )
    rec, findings = loads(old, "0005-use-plain-junit5.md")
    assert (rec.status, rec.date, rec.deciders) == ("accepted", "2017-12-18",
                                                    ["Oliver Kopp", "Simon Harrer"])
    assert rec.chosen == "Plain JUnit5" and rec.chosen_option().title == "Plain JUnit5"
    assert [(lk.kind, lk.target) for lk in rec.links] == [("Refines", 2)]
    assert rec.extra_sections[0].heading == "Positive Consequences"  # kept, not dropped
    assert dumps(rec) == old
    log4brains = (
        "# Use Log4brains to manage the ADRs\n\n"
        "- Status: draft\n- Date: 2020-09-23\n- Tags: doc, adr\n\n"
        "## Context and Problem Statement\n\nWe want to record decisions.\n"
    )
    rec, _ = loads(log4brains, "20200923-use-log4brains.md")
    assert (rec.status, rec.date, rec.tags) == ("draft", "2020-09-23", ["doc", "adr"])
    assert dumps(rec) == log4brains


def test_unknown_sections_and_odd_text_are_kept_with_findings():
    text = (
        "# 4. Cache product pages\n\nDate: 2026-01-05\n\n## Status\n\nOn ice\n\n"
        "## Context\n\nSlow pages.\n\n## Risks\n\nStale prices.\n\n"
        "## Decision Drivers\n\nNot a list at all.\n"
    )
    rec, findings = loads(text, "0004-cache-product-pages.md")
    assert rec.status == "On ice"
    assert [(s.heading, s.body) for s in rec.extra_sections] == [
        ("Risks", "Stale prices."), ("Decision Drivers", "Not a list at all.")]
    assert sorted(findings.codes()) == ["ADR002", "ADR010"]  # odd status, odd section
    assert next(findings.by_code("ADR010")).line == 17
    assert "On ice" in next(findings.by_code("ADR002")).message
    assert dumps(rec) == text


def test_a_file_without_a_title_names_the_place():
    with pytest.raises(ArchkitError) as err:
        loads("---\nstatus: accepted\n---\nno heading here\n", "0001-x.md")
    assert err.value.where.file == "0001-x.md" and "heading" in err.value.hint


def test_record_built_in_code_writes_the_madr_template_shape():
    rec = Record(
        number=2, title="Use PostgreSQL for orders", date="2026-11-26", status="accepted",
        deciders=["Ana", "Ben"], context="Orders need transactions.",
        drivers=["consistency", "team skills"],
        options=[Option("PostgreSQL", arguments=[Argument("Good", "row-level security"),
                                                  Argument("Neutral", "needs a DBA")]),
                 Option("MongoDB", arguments=[Argument("Bad", "weaker transactions")])],
        chosen="PostgreSQL", justification="it keeps orders consistent.",
        consequences=[Argument("Good", "one database to run"),
                      Argument("Bad", "schema migrations needed")],
        confirmation="Review of the migration scripts.",
        links=[Link("Supersedes", 1, target_title="Use MySQL", target_file="0001-use-mysql.md")],
        matrix={"criteria": {"consistency": 0.6, "cost": 0.4},
                "scores": {"PostgreSQL": 4.2, "MongoDB": 3.1}},
    )
    text = dumps(rec, "madr")
    assert text.startswith("---\nstatus: accepted\ndate: 2026-11-26\n"
                           "decision-makers: Ana, Ben\n---\n# Use PostgreSQL for orders\n")
    assert 'Chosen option: "PostgreSQL", because it keeps orders consistent.\n' in text
    assert "### Consequences\n\n* Good, because one database to run\n" in text
    assert "### PostgreSQL\n\n* Good, because row-level security\n* Neutral, because" in text
    assert "## Links\n\n* Supersedes [1. Use MySQL](0001-use-mysql.md)\n" in text
    back, findings = loads(text, "0002-use-postgresql-for-orders.md")
    assert not findings
    assert back.matrix == rec.matrix  # the decision matrix stays machine-readable
    assert asdict(back) | {"layout": None, "file": None} == asdict(rec) | {"layout": None}
    nygard = dumps(rec, "nygard")
    assert nygard.startswith("# 2. Use PostgreSQL for orders\n\nDate: 2026-11-26\n"
                             "Deciders: Ana, Ben\n\n## Status\n\naccepted\n\n"
                             "Supersedes [1. Use MySQL](0001-use-mysql.md)\n")
    again, _ = loads(nygard, "0002-use-postgresql-for-orders.md")
    assert asdict(again) | {"layout": None, "file": None} == asdict(rec) | {"layout": None}


def test_html_in_fields_comes_out_inert():
    rec = Record(number=1, title='<script>alert("x")</script> & "quotes"',
                 context="see <b>bold</b> and `<b>code</b>`")
    text = dumps(rec, "madr")
    assert "<script" not in text and "<b>bold" not in text
    assert "&lt;script>" in text and "`<b>code</b>`" in text  # code spans stay as written


def test_text_under_the_title_is_kept_and_the_date_still_read():
    text = ("# 2. Use Kafka\n\nDate: 2026-01-05\n\nDiscussed in the March workshop.\n\n"
            "## Status\n\nAccepted\n\n## Context\n\nEvents.\n")
    rec, findings = loads(text, "0002-use-kafka.md")
    assert rec.date == "2026-01-05" and rec.layout["preamble"] == (
        "Discussed in the March workshop.")
    assert [(f.code, f.line) for f in findings] == [("ADR010", 5)]
    assert dumps(rec) == text
    as_madr = dumps(rec, "madr")
    assert "date: 2026-01-05" in as_madr and "Discussed in the March workshop." in as_madr
    back, _ = loads(as_madr, "0002-use-kafka.md")
    assert dumps(back, "nygard").startswith(text)  # plus the template's empty sections
