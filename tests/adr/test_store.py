"""The directory store: adr-tools' own scenarios, numbering, safety, atomic links."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from archkit.adr.convert import convert, export
from archkit.adr.store import AdrStore, find_adr_dir
from archkit.errors import ArchkitError


def _scenario(expected: Path) -> tuple[list[str], dict[str, list[str]]]:
    """adr-tools' .expected transcript -> (commands, {file: the lines ``head -N`` shows})."""
    commands: list[str] = []
    heads: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    current: list[str] | None = None
    for line in expected.read_text().split("\n"):
        head = re.match(r"^head -(\d+) doc/adr/(\S+)$", line)
        if head:
            current = []
            heads[head.group(2)] = current
            sizes[head.group(2)] = int(head.group(1))
        elif line.startswith("adr "):
            commands.append(line)
            current = None
        elif current is not None:
            current.append(line)
    return commands, {k: v[: sizes[k]] for k, v in heads.items()}


def _replay(commands: list[str], folder: Path) -> None:
    """Run adr-tools commands against the store (ADR_DATE=1992-01-12 as in its tests)."""
    import shlex

    for command in commands:
        args = shlex.split(command)[1:]
        store = AdrStore(folder, dialect="nygard", today="1992-01-12")  # re-read, like a shell
        if args[0] == "new":
            supersedes = [int(args[i + 1]) for i, a in enumerate(args) if a == "-s"]
            words = [a for i, a in enumerate(args[1:], 1)
                     if a != "-s" and args[i - 1] != "-s"]
            store.new(" ".join(words), status="accepted", supersedes=supersedes)
        elif args[0] == "link":
            store.link(int(args[1]), args[2], int(args[3]), args[4])


@pytest.mark.parametrize("name", ["supercede-existing-adr", "linking"])
def test_replaying_adr_tools_scenarios_gives_the_expected_text(corpora, tmp_path, name):
    commands, heads = _scenario(corpora / "adr" / f"adr-tools-{name}.expected")
    folder = tmp_path / "doc" / "adr"
    _replay(commands, folder)
    assert heads, "the transcript names files to compare"
    for file, lines in heads.items():
        assert len(lines) >= 10
        written = (folder / file).read_text().split("\n")[: len(lines)]
        assert written == lines, file


def test_numbers_continue_from_the_highest_and_adr_dir_is_honoured(tmp_path):
    (tmp_path / ".adr-dir").write_text("architecture/decisions\n")
    folder = tmp_path / "architecture" / "decisions"
    folder.mkdir(parents=True)
    (folder / "0007-older.md").write_text("# 7. Older\n\nDate: 2020-01-01\n\n## Status\n\n"
                                          "Accepted\n\n## Context\n\nx\n")
    store = AdrStore.open(tmp_path, today="2026-11-26")
    assert store.folder == folder and store.dialect == "nygard"
    rec = store.new("Use Kafka for the order pipeline")
    assert rec.number == 8
    assert (folder / "0008-use-kafka-for-the-order-pipeline.md").read_text().startswith(
        "# 8. Use Kafka for the order pipeline\n\nDate: 2026-11-26\n\n## Status\n\nProposed\n")


def test_madr_is_the_default_and_lives_in_docs_decisions(tmp_path):
    assert find_adr_dir(tmp_path) == tmp_path / "docs" / "decisions"
    store = AdrStore.open(tmp_path, today="2026-11-26")
    first = store.new("Use PostgreSQL")
    second = store.new("Use CockroachDB", supersedes=first.number)
    folder = tmp_path / "docs" / "decisions"
    old = (folder / "0001-use-postgresql.md").read_text()
    assert old.startswith("---\nstatus: superseded by ADR-0002\ndate: 2026-11-26\n---\n")
    assert "* Superseded by [2. Use CockroachDB](0002-use-cockroachdb.md)" in old
    new = (folder / "0002-use-cockroachdb.md").read_text()
    assert "* Supersedes [1. Use PostgreSQL](0001-use-postgresql.md)" in new
    assert second.status == "proposed"


def test_lifecycle_changes_only_the_status(tmp_path):
    store = AdrStore(tmp_path, dialect="madr", today="2026-11-26")
    store.new("Cache product pages")
    path = tmp_path / "0001-cache-product-pages.md"
    before = path.read_text()
    for verb, word in [("accept", "accepted"), ("deprecate", "deprecated"),
                       ("reject", "rejected"), ("propose", "proposed")]:
        getattr(store, verb)(1)
        after = path.read_text()
        assert f"status: {word}\n" in after
        assert after.split("---\n", 2)[2] == before.split("---\n", 2)[2]
    assert AdrStore(tmp_path).get(1).status == "proposed"


def test_hostile_title_gives_a_safe_file_and_inert_markdown(tmp_path):
    store = AdrStore(tmp_path / "adr", dialect="madr", today="2026-11-26")
    rec = store.new('../../etc/passwd <b>x</b> <script>alert("x")</script> & "quotes"')
    files = [p.name for p in (tmp_path / "adr").iterdir()]
    assert files == ["0001-etc-passwd-b-x-b-script-alert-x-script-quotes.md"]
    assert not list(tmp_path.glob("etc*")) and not (tmp_path.parent / "etc").exists()
    text = (tmp_path / "adr" / files[0]).read_text()
    assert "<b>" not in text and "<script>" not in text
    assert "# ../../etc/passwd &lt;b&gt;x&lt;/b&gt; &lt;script&gt;alert(\"x\")" in text
    assert AdrStore(tmp_path / "adr").get(1).title == rec.title


def test_never_overwrites_a_file_changed_since_it_was_read(tmp_path):
    store = AdrStore(tmp_path, dialect="nygard", today="2026-11-26")
    store.new("First")
    store.new("Second")
    stale = AdrStore(tmp_path)
    path = tmp_path / "0001-first.md"
    edited = path.read_text().replace("## Context\n", "## Context\n\nA person's edit.\n")
    path.write_text(edited)
    with pytest.raises(ArchkitError, match="changed since it was read"):
        stale.link(2, "Amends", 1)
    assert path.read_text() == edited
    assert "Amends" not in (tmp_path / "0002-second.md").read_text()


def test_a_failure_midway_through_a_link_leaves_both_files_intact(tmp_path, monkeypatch):
    store = AdrStore(tmp_path, dialect="nygard", today="2026-11-26")
    store.new("First")
    store.new("Second")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(ArchkitError, match="nothing changed"):
        store.link(2, "Amends", 1)
    monkeypatch.setattr(os, "replace", real)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no temp left


def test_a_failure_midway_through_an_export_leaves_every_file_intact(
        corpora, tmp_path, monkeypatch):
    out = tmp_path / "out"
    convert(corpora / "adr" / "adr-tools", "nygard", out)
    store = AdrStore(corpora / "adr" / "adr-tools")
    for rec in store.records.values():
        rec.status = "Deprecated"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 5:
            raise OSError("killed")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(ArchkitError, match="nothing changed"):
        export(store.all(), "nygard", out, force=True)
    monkeypatch.setattr(os, "replace", real)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert len(calls) > 5  # it failed midway, then restored the four already replaced


def test_convert_writes_each_record_and_is_byte_identical_on_rerun(corpora, tmp_path):
    written = convert(corpora / "adr" / "adr-tools", "madr", tmp_path / "madr")
    assert len(written) == 9
    again = convert(corpora / "adr" / "adr-tools", "madr", tmp_path / "madr")
    assert again == []  # nothing changed
    back = convert(tmp_path / "madr", "nygard", tmp_path / "nygard")
    def norm(text: str) -> str:  # spacing is the one thing a dialect change may not keep
        return re.sub(r"\n{3,}", "\n\n", "\n".join(ln.rstrip() for ln in text.split("\n")))

    assert len(back) == 9
    for path in back:
        original = corpora / "adr" / "adr-tools" / path.name
        assert norm(path.read_text()).strip() == norm(original.read_text()).strip(), path.name
    target = tmp_path / "madr" / "0001-record-architecture-decisions.md"
    target.write_text(target.read_text() + "\nA person's note.\n")
    with pytest.raises(ArchkitError, match="refusing to overwrite"):
        convert(corpora / "adr" / "adr-tools", "madr", tmp_path / "madr")


def test_a_broken_file_is_reported_and_the_rest_still_load(tmp_path):
    (tmp_path / "0001-good.md").write_text("# 1. Good\n\nDate: 2026-01-01\n\n## Status\n\n"
                                           "Accepted\n")
    (tmp_path / "0002-broken.md").write_text("no title at all\n")
    store = AdrStore(tmp_path)
    assert sorted(store.records) == [1]
    assert [(f.code, f.file) for f in store.findings] == [("ADR001", "0002-broken.md")]


def test_numbering_notices_a_record_added_since_the_folder_was_read(tmp_path):
    store = AdrStore(tmp_path, dialect="nygard", today="2026-11-26")
    store.new("First")
    (tmp_path / "0002-added-by-a-colleague.md").write_text(
        "# 2. Added by a colleague\n\nDate: 2026-11-26\n\n## Status\n\nProposed\n")
    assert store.new("Mine").number == 3
    assert (tmp_path / "0002-added-by-a-colleague.md").read_text().startswith("# 2. Added")


def test_madr_status_text_names_the_superseding_record(tmp_path):
    from archkit.adr.dialects import loads

    rec, findings = loads("---\nstatus: superseded by ADR-0012\n---\n# Use SOAP\n", "0003-x.md")
    assert rec.superseded_by == [12] and rec.status_kind == "superseded" and not findings


def test_a_dir_named_like_an_adr_folder_is_that_folder_even_before_it_exists(tmp_path):
    from archkit.cli import main

    assert find_adr_dir(tmp_path / "docs" / "decisions") == tmp_path / "docs" / "decisions"
    assert find_adr_dir(tmp_path / "doc" / "adr") == tmp_path / "doc" / "adr"
    assert find_adr_dir(tmp_path) == tmp_path / "docs" / "decisions"  # a project root
    assert main(["adr", "new", "Use Kafka", "--dir", str(tmp_path / "docs" / "decisions")]) == 0
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md"))
    assert written == ["docs/decisions/0001-use-kafka.md"]
