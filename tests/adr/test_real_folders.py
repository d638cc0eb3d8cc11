"""ADR folders as people keep them: three naming schemes, the quirks real files have.

Each test writes a small folder the way its tool writes one (adr-NNN- names with
space-filled blank lines, ADR-NNN- names with MADR front matter and CRLF ends,
log4brains' YYYYMMDD- names with its index/template/README), then imports it the
way a user does: ``AdrStore`` and ``archkit adr import --json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archkit.adr.dialects import dumps, loads
from archkit.adr.store import AdrStore, find_adr_dir
from archkit.cli import main

# -- adr-NNN-title.md, Nygard text; the blank lines hold a single space (as some editors save)
ADR_LOWER = {
    "adr-001-use-adrs.md": (
        "# ADR 1: Use architecture decision records\n \nDate: 2021-03-01\n \n## Status\n \n"
        "Accepted\n \n## Context\n \nWe need a record of why.\n \n## Decision\n \n"
        "We will use ADRs.\n \n## Consequences\n \nMore writing.\n"),
    "adr-002-use-rest.md": (
        "# ADR-002: Use REST between services\n\nDate: 2021-04-02\n\n## Status\n \n"
        "Superseded by [ADR-003](adr-003-use-grpc.md)\n \n## Context\n\nServices talk.\n\n"
        "## Decision\n\nREST.\n\n## Consequences\n\nJSON everywhere.\n"),
    "adr-003-use-grpc.md": (
        "# ADR-003: Use gRPC between services\n\nDate: 2021-06-10\n\n## Status\n\nAccepted\n\n"
        "Supersedes [ADR-002](adr-002-use-rest.md)\n\n## Context\n\nLatency.\n\n"
        "## Decision\n\ngRPC.\n\n## Consequences\n\nProtobuf schemas.\n"),
    "README.md": "# Decisions\n\nOne file per decision.\n",
    "template.md": "# ADR N: Title\n\n## Status\n\nProposed\n",
}

# -- ADR-NNN-title.md, MADR 4 front matter, "Architecture Decision Record:" titles, CRLF ends
ADR_UPPER = {
    "ADR-001-postgres.md": (
        "---\nstatus: accepted\ndate: 2023-01-05\ndecision-makers: Ana, Ben\n"
        "consulted: DBA team\ninformed: everyone\n---\n\n"
        "# Architecture Decision Record: Use PostgreSQL\n\n## Context and Problem Statement\n\n"
        "We need a database.\n\n## Considered Options\n\n* PostgreSQL\n* MySQL\n\n"
        "## Decision Outcome\n\nChosen option: \"PostgreSQL\", because the team knows it.\n"
    ).replace("\n", "\r\n"),
    "ADR-002-kafka.md": (
        "---\nstatus: proposed\ndate: 2023-02-07\ndecision-makers: [Ana]\ntopic: messaging\n"
        "---\n\n# Architecture Decision Record: Use Kafka\n\n"
        "## Context and Problem Statement\n\nEvents.\n\n## Considered Options\n\n* Kafka\n"
        "* RabbitMQ\n\n## Decision Outcome\n\nChosen option: \"Kafka\", because replay.\n\n"
        "## Rollout notes\n\nStart with orders.\n"),
    "index.md": "# Index\n\n* [ADR-001](ADR-001-postgres.md)\n",
}

# -- log4brains: YYYYMMDD-title.md, "- Status:" bullets, superseded by a link to the file
_L4B_OLD = "20200925-use-markdown-architectural-decision-records.md"
_L4B_NEW = "20201016-use-log4brains-to-manage-the-adrs.md"
LOG4BRAINS = {
    _L4B_OLD: (
        "# Use Markdown Architectural Decision Records\n\n"
        f"- Status: superseded by [20201016-use-log4brains-to-manage-the-adrs]({_L4B_NEW})\n"
        "- Date: 2020-09-25\n- Tags: doc\n\n## Context and Problem Statement\n\n"
        "We want to record architectural decisions made in this project.\n\n"
        "## Considered Options\n\n- MADR 2.1.2 with Log4brains patch\n- Michael Nygard's template\n"
        "\n## Decision Outcome\n\nChosen option: \"MADR 2.1.2 with Log4brains patch\", because\n\n"
        "- Implicit assumptions should be made explicit.\n"),
    _L4B_NEW: (
        "# Use Log4brains to manage the ADRs\n\n- Status: accepted\n- Date: 2020-10-16\n"
        "- Tags: dev-tools, doc\n\n## Context and Problem Statement\n\n"
        "We want to record architectural decisions made in this project.\n\n"
        "## Decision Outcome\n\nChosen option: \"Log4brains\", because it is a static site.\n"),
    "20201102-use-react.md": (
        "# Use React for the front end\n\n- Status: draft\n- Date: 2020-11-02\n\n"
        "## Context and Problem Statement\n\nA UI.\n"),
    "index.md": "<!-- This file is the home page of the knowledge base -->\n# Hello\n",
    "template.md": "# [short title of solved problem and solution]\n\n- Status: [draft]\n",
    "README.md": "# Architecture Decision Records\n\nManaged by log4brains.\n",
}


def _folder(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    for name, text in files.items():
        (root / name).write_bytes(text.encode("utf-8"))
    return root


def _imported(folder: Path, capsys) -> list[dict]:
    code = main(["adr", "import", str(folder), "--json"])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return json.loads(out)


def test_adr_dash_names_with_space_filled_blank_lines(tmp_path, capsys):
    folder = _folder(tmp_path / "doc" / "architecture" / "decisions", ADR_LOWER)
    assert find_adr_dir(folder) == folder  # "adr-001-…" names make it an ADR folder
    data = _imported(folder, capsys)
    assert [(d["number"], d["title"], d["status"]) for d in data] == [
        (1, "Use architecture decision records", "Accepted"),
        (2, "Use REST between services", "Superseded"),
        (3, "Use gRPC between services", "Accepted"),
    ]
    assert data[1]["links"] == [{"kind": "superseded-by", "target": 3}]
    assert data[2]["links"] == [{"kind": "supersedes", "target": 2}]
    assert [d["file"] for d in data] == ["adr-001-use-adrs.md", "adr-002-use-rest.md",
                                         "adr-003-use-grpc.md"]
    store = AdrStore(folder)
    assert store.get(1).date == "2021-03-01" and store.get(1).decision == "We will use ADRs."
    assert not [f for f in store.findings if f.code in ("ADR001", "ADR014")]


def test_upper_case_names_madr_front_matter_and_crlf(tmp_path, capsys):
    folder = _folder(tmp_path / "adr", ADR_UPPER)
    data = _imported(folder, capsys)
    assert [(d["number"], d["title"], d["status"], d["date"]) for d in data] == [
        (1, "Use PostgreSQL", "accepted", "2023-01-05"),
        (2, "Use Kafka", "proposed", "2023-02-07"),
    ]
    store = AdrStore(folder)
    pg, kafka = store.get(1), store.get(2)
    assert pg.deciders == ["Ana", "Ben"] and pg.consulted == ["DBA team"]
    assert pg.informed == ["everyone"] and pg.chosen == "PostgreSQL"
    assert pg.justification == "the team knows it."
    assert kafka.deciders == ["Ana"] and kafka.metadata == {"topic": "messaging"}
    # unknown things are kept: the extra section and the front-matter key survive a rewrite
    assert [s.heading for s in kafka.extra_sections] == ["Rollout notes"]
    text = dumps(kafka)
    assert "topic: messaging" in text and "## Rollout notes\n\nStart with orders.\n" in text
    assert text.startswith("---\nstatus: proposed\n")
    assert "# Architecture Decision Record: Use Kafka\n" in text


def test_log4brains_dates_number_records_and_superseded_by_is_a_link(tmp_path, capsys):
    folder = _folder(tmp_path / "docs" / "adr", LOG4BRAINS)
    data = _imported(folder, capsys)
    assert [(d["number"], d["title"], d["status"]) for d in data] == [
        (1, "Use Markdown Architectural Decision Records", "Superseded"),
        (2, "Use Log4brains to manage the ADRs", "accepted"),
        (3, "Use React for the front end", "draft"),
    ]
    assert data[0]["links"] == [{"kind": "superseded-by", "target": 2}]
    assert [d["file"] for d in data] == [_L4B_OLD, _L4B_NEW, "20201102-use-react.md"]
    store = AdrStore(folder)
    old = store.get(1)
    assert old.superseded_by == [2] and old.tags == ["doc"]
    assert old.links[0].target_file == _L4B_NEW
    assert not [f for f in store.findings if f.code in ("ADR001", "ADR014")]


@pytest.mark.parametrize("files", [ADR_LOWER, ADR_UPPER, LOG4BRAINS],
                         ids=["adr-nnn", "ADR-NNN", "log4brains"])
def test_unchanged_records_are_written_back_as_they_were(files):
    for name, text in files.items():
        if name.lower() in ("readme.md", "index.md", "template.md"):
            continue
        clean = "\n".join("" if not ln.strip() else ln
                          for ln in text.replace("\r\n", "\n").split("\n"))
        assert dumps(loads(text, file=name)[0]) == clean, name


def test_changes_in_a_log4brains_folder_follow_its_scheme(tmp_path):
    folder = _folder(tmp_path / "adr", LOG4BRAINS)
    store = AdrStore(folder, today="2021-01-04")
    store.accept(3)
    react = (folder / "20201102-use-react.md").read_text()
    assert react.startswith(
        "# Use React for the front end\n\n- Status: accepted\n- Date: 2020-11-02\n")
    rec = store.new("Use Vue instead", supersedes=3)
    assert rec.file == "20210104-use-vue-instead.md" and rec.number == 4
    again = AdrStore(folder)
    assert again.get(4).title == "Use Vue instead"
    assert again.get(3).superseded_by == [4]
    assert again.get(1).superseded_by == [2]  # untouched


def test_unknown_markdown_files_are_reported_not_dropped(tmp_path, capsys):
    folder = _folder(tmp_path / "adr", {**ADR_LOWER, "notes-on-caching.md": "# Caching\n"})
    store = AdrStore(folder)
    assert len(store) == 3
    (finding,) = [f for f in store.findings if f.code == "ADR014"]
    assert finding.file == "notes-on-caching.md" and "not read" in finding.message


def test_a_non_utf8_record_is_a_located_finding_and_the_rest_imports(tmp_path, capsys):
    folder = _folder(tmp_path / "adr", ADR_LOWER)
    (folder / "adr-004-latin1.md").write_bytes(
        "# ADR 4: Café\n\n## Status\n\nAccepted\n".encode("latin-1"))
    store = AdrStore(folder)
    assert sorted(store.records) == [1, 2, 3]
    (bad,) = [f for f in store.findings if f.code == "ADR001"]
    assert (bad.file, bad.line, bad.col) == ("adr-004-latin1.md", 1, 13)
    assert "UTF-8" in bad.message
    code = main(["adr", "lint", str(folder)])
    out = capsys.readouterr().out
    assert code == 1 and "adr-004-latin1.md:1:13" in out and "Traceback" not in out


def test_new_records_follow_the_folders_naming_scheme(tmp_path, capsys):
    lower = _folder(tmp_path / "lower", ADR_LOWER)
    assert main(["adr", "new", "Use GraphQL for the BFF", "--dir", str(lower),
                 "--supersedes", "3", "--date", "2021-09-01"]) == 0
    assert capsys.readouterr().out.strip().endswith("adr-004-use-graphql-for-the-bff.md")
    store = AdrStore(lower)
    assert store.get(4).title == "Use GraphQL for the BFF" and store.get(3).superseded_by == [4]
    upper = _folder(tmp_path / "upper", ADR_UPPER)
    assert AdrStore(upper).new("Use Redis").file == "ADR-003-use-redis.md"


def test_a_status_left_above_a_superseded_by_link_reads_as_superseded(tmp_path):
    text = ("# 2. Use REST\n\nDate: 2021-04-02\n\n## Status\n\nAccepted\n\n"
            "Superseded by [3. Use gRPC](0003-use-grpc.md)\n\n## Context\n\nx\n")
    rec = loads(text, file="0002-use-rest.md")[0]
    assert (rec.status, rec.superseded_by) == ("Superseded", [3])
    assert dumps(rec) == text  # the file is written back as it was
    folder = _folder(tmp_path / "adr", {"0002-use-rest.md": text})
    AdrStore(folder).set_status(2, "deprecated")
    assert "## Status\n\nDeprecated\n\nSuperseded by [3. Use gRPC](0003-use-grpc.md)\n" in (
        folder / "0002-use-rest.md").read_text()


@pytest.mark.parametrize(("heading", "number", "title"), [
    ("1. Record architecture decisions", 1, "Record architecture decisions"),
    ("ADR 1: Use Kafka", 1, "Use Kafka"),
    ("ADR-001: Use Kafka", 1, "Use Kafka"),
    ("ADR-0012 - Use Kafka", 12, "Use Kafka"),
    ("Architecture Decision Record: Use Kafka", None, "Use Kafka"),
    ("3.5 release plan", None, "3.5 release plan"),
    ("ADRs for everyone", None, "ADRs for everyone"),
    ("ADR-tools is fine", None, "ADR-tools is fine"),
])
def test_title_forms(heading, number, title):
    from archkit.adr._naming import parse_title

    form = parse_title(heading)
    assert (form.number, form.text) == (number, title)
    assert form.prefix + form.text == heading  # the prefix is kept to write it back


@pytest.mark.parametrize(("name", "scheme", "number"), [
    ("0007-use-kafka.md", "number", 7), ("adr-007-use-kafka.md", "number", 7),
    ("ADR-12-use-kafka.md", "number", 12), ("adr_3_x.md", "number", 3),
    ("20201016-use-kafka.md", "date", 20201016), ("2020-10-16-use-kafka.md", "date", 20201016),
    ("20201399-not-a-date.md", "number", 20201399),
    ("README.md", None, None), ("index.md", None, None), ("template.md", None, None),
    ("use-kafka.md", None, None), ("0007-use-kafka.txt", None, None),
])
def test_file_name_schemes(name, scheme, number):
    from archkit.adr._naming import parse_file_name

    got = parse_file_name(name)
    assert (got.scheme, got.number) == (scheme, number) if scheme else got is None


def test_plain_text_statuses_people_write(tmp_path, capsys):
    base = "## Context\n\nx\n\n## Decision\n\ny\n\n## Consequences\n\nz\n"
    folder = _folder(tmp_path / "adr", {
        "ADR-001-a.md": f"# ADR-001: A\n\nDate: 2020-01-01\n\n## Status\n\n**Accepted**\n\n{base}",
        "ADR-002-b.md": f"# ADR-002: B\n\nDate: 2020-01-02\n\n## Status\n\nAccepted.\n\n{base}",
        "ADR-003-c.md": (f"# ADR-003: C\n\nDate: 2020-01-03\n\n## Status\n\n"
                         f"Superseded by ADR-005\n\n{base}"),
    })
    data = _imported(folder, capsys)
    store = AdrStore(folder)
    assert [store.get(n).status_kind for n in (1, 2, 3)] == ["accepted", "accepted", "superseded"]
    assert data[2]["links"] == [{"kind": "superseded-by", "target": 5}]  # said in the status
    assert not [f for f in store.findings if f.code == "ADR002"]


def test_convert_refuses_a_folder_with_an_unreadable_record(tmp_path, capsys):
    folder = _folder(tmp_path / "adr", ADR_LOWER)
    (folder / "adr-004-latin1.md").write_bytes("# ADR 4: Café\n".encode("latin-1"))
    code = main(["adr", "convert", str(folder), "--to", "madr", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "adr-004-latin1.md:1:13" in err and "UTF-8" in err
    assert not (tmp_path / "out").exists()  # nothing half-converted


def test_index_names_the_records_it_could_not_read(tmp_path, capsys):
    folder = _folder(tmp_path / "adr", ADR_LOWER)
    (folder / "adr-004-latin1.md").write_bytes("# ADR 4: Café\n".encode("latin-1"))
    code = main(["adr", "index", str(folder), "--no-svg", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and data["records"] == 3
    assert [(f["code"], f["file"]) for f in data["findings"]] == [("ADR001", "adr-004-latin1.md")]
    assert "adr-003-use-grpc.md" in (folder / "index.md").read_text()
