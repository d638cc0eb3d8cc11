"""The record model and the package's public surface."""

from __future__ import annotations

import pytest

import archkit.adr
from archkit.adr.model import (
    Link,
    Record,
    md,
    normalize_status,
    relation_of,
    reverse_label,
    slugify,
)
from archkit.errors import ArchkitError


def test_public_api_is_exactly_the_intended_names():
    assert archkit.adr.__all__ == [
        "AdrGraph", "AdrIndex", "AdrStore", "Argument", "Link", "Option", "Record", "Section",
        "convert", "dumps", "export", "find_adr_dir", "lint", "loads", "md", "write_index",
        "write_record",
    ]
    for name in archkit.adr.__all__:
        assert getattr(archkit.adr, name).__doc__, f"{name} has no docstring"


def test_status_vocabulary_and_verbatim_statuses():
    assert normalize_status("Accepted") == "accepted"
    assert normalize_status('"superseded by ADR-0123"') == "superseded"
    assert normalize_status("Superceded") == "superseded"
    assert normalize_status("On hold") == "on hold"  # unknown: kept, lowercased to compare
    assert Record(1, "x", status="On hold").status == "On hold"


def test_link_labels_and_reverse_labels():
    assert reverse_label("Amends") == "Amended by"
    assert reverse_label("Supercedes") == "Superceded by"  # adr-tools' spelling kept
    assert Link("Clarifies", 2).reverse_kind == "Clarified by"
    assert Link("Blocks", 2, reverse="Blocked by").reverse_kind == "Blocked by"
    assert relation_of("Superceded by") == relation_of("Superseded by") == "superseded-by"


def test_typed_text_becomes_inert_markdown_and_safe_file_names():
    assert md('<script>alert("x")</script> & [a](b)') == (
        '&lt;script&gt;alert("x")&lt;/script&gt; &amp; \\[a\\](b)')
    assert slugify("../../etc/passwd <b>x</b>") == "etc-passwd-b-x-b"
    assert slugify("Über café") == "uber-cafe"
    assert slugify("???") == "decision"


def test_write_record_writes_madr_into_the_folder_and_refuses_to_clobber(tmp_path):
    rec = Record(3, "Use Kafka", date="2026-11-26", status="accepted", context="Events.",
                 chosen="Kafka")
    path = archkit.adr.write_record(rec, tmp_path)
    assert path == tmp_path / "0003-use-kafka.md"
    assert path.read_text().startswith("---\nstatus: accepted\ndate: 2026-11-26\n---\n"
                                       "# Use Kafka\n")
    assert archkit.adr.write_record(rec, tmp_path) == path  # identical: fine
    rec.context = "Changed."
    with pytest.raises(ArchkitError, match="refusing to overwrite"):
        archkit.adr.write_record(rec, tmp_path)
    assert "Events." in path.read_text()


def test_record_shows_itself_as_markdown():
    text = Record(1, "Use Kafka", status="accepted", date="2026-11-26")._repr_markdown_()
    assert text.startswith("```yaml\nstatus: accepted\n")
    assert "# Use Kafka" in text
