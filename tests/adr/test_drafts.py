"""record_decision: rewrite an open, unedited draft; otherwise supersede it, linked both ways."""

from __future__ import annotations

import pytest

from archkit.adr import AdrStore, Option, Record, lint
from archkit.adr.drafts import DRAFT_KEY, is_unedited_draft, record_decision
from archkit.errors import ArchkitError


def _draft(chosen: str = "Kafka", why: str = "it keeps a replayable log") -> Record:
    return Record(
        number=None, title="Use a message bus for order events", status="proposed",
        context="Orders must reach billing and shipping.",
        options=[Option("Kafka"), Option("RabbitMQ")], chosen=chosen, justification=why,
        matrix={"decision_id": "message-bus", "winner": chosen},
    )


@pytest.mark.parametrize("dialect", ["madr", "nygard"])
def test_an_open_unedited_draft_is_rewritten_in_place(tmp_path, dialect):
    store = AdrStore(tmp_path, dialect=dialect, today="2026-11-26")
    first = record_decision(store, _draft())
    assert first.action == "written" and first.record.number == 1
    assert is_unedited_draft(AdrStore(tmp_path).get(1))
    again = record_decision(AdrStore(tmp_path), _draft())
    assert again.action == "unchanged"
    changed = record_decision(AdrStore(tmp_path), _draft("RabbitMQ", "the team runs it"))
    assert changed.action == "rewritten" and changed.path == first.path
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.path.name]
    reread = AdrStore(tmp_path).get(1)
    assert reread.chosen == "RabbitMQ" and reread.matrix["winner"] == "RabbitMQ"
    assert reread.date == "2026-11-26" and is_unedited_draft(reread)


def test_an_edited_draft_is_superseded_and_both_records_link(tmp_path):
    store = AdrStore(tmp_path, today="2026-11-26")
    first = record_decision(store, _draft())
    text = first.path.read_text()
    first.path.write_text(text.replace("Orders must reach", "Orders (see the SLA) must reach"))
    done = record_decision(AdrStore(tmp_path), _draft("RabbitMQ", "the team runs it"))
    assert done.action == "superseded" and done.record.number == 2
    assert "Orders (see the SLA) must reach" in first.path.read_text()  # the edit is kept
    again = AdrStore(tmp_path)
    old, new = again.get(1), again.get(2)
    assert old.status_kind == "superseded" and old.superseded_by == [2]
    assert [(lk.relation, lk.target) for lk in new.links] == [("supersedes", 1)]
    assert new.chosen == "RabbitMQ" and new.status == "proposed"
    assert not [f for f in lint(again.all(), today="2026-11-26") if f.code in ("ADR008", "ADR009")]
    # the next change goes to the new record, still an open unedited draft
    third = record_decision(again, _draft("RabbitMQ", "the team runs it well"))
    assert third.action == "rewritten" and third.record.number == 2


def test_an_accepted_record_is_superseded_not_rewritten(tmp_path):
    store = AdrStore(tmp_path, dialect="nygard", today="2026-11-26")
    record_decision(store, _draft())
    store.accept(1)
    done = record_decision(AdrStore(tmp_path), _draft("RabbitMQ", "the team runs it"))
    assert done.action == "superseded" and done.superseded.number == 1
    again = AdrStore(tmp_path)
    assert again.get(1).status == "Superseded" and again.get(1).superseded_by == [2]
    assert again.get(1).chosen == "Kafka"  # what was accepted stays on record


def test_a_record_a_person_wrote_is_never_rewritten(tmp_path):
    store = AdrStore(tmp_path, today="2026-11-26")
    rec = store.new("Use a message bus for order events", record=_draft())  # no fingerprint
    assert DRAFT_KEY not in AdrStore(tmp_path).get(rec.number).metadata
    done = record_decision(AdrStore(tmp_path), _draft("RabbitMQ"))
    assert done.action == "superseded"


def test_a_decision_needs_an_id(tmp_path):
    rec = _draft()
    rec.matrix = None
    with pytest.raises(ArchkitError, match="needs an id"):
        record_decision(AdrStore(tmp_path), rec)
