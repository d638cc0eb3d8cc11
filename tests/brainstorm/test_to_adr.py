"""Decision → ADR: the record's sections, a round trip through the ADR reader, safe writes."""

import pytest

from archkit.adr.dialects import loads
from archkit.brainstorm.decision import Criterion, Decision, Option
from archkit.brainstorm.load import load_decisions
from archkit.brainstorm.to_adr import decision_to_record, record_decisions

HOSTILE = '<script>alert("x")</script> & "quotes"'


@pytest.fixture()
def decisions(example):
    return load_decisions(example / "decisions.yaml")


def test_record_maps_drivers_options_outcome_and_matrix(decisions):
    rec = decision_to_record(decisions["message-broker"], number=4, date="2026-11-26")
    assert rec.title == "Message broker for the order pipeline: Kafka"
    assert rec.drivers[0] == ("Per-order ordering — weight 4 (25%): Events of one order are "
                              "consumed in the order they were published")
    assert [o.title for o in rec.options] == ["Kafka", "RabbitMQ", "Amazon SQS (FIFO) + SNS"]
    kafka = rec.options[0]
    assert kafka.good == ["Ordering per partition key (the order id)",
                          "Retained log allows replay and new consumers from the start"]
    assert kafka.bad == ["Brokers, partitions and consumer groups to run and tune, even when "
                         "managed"]
    assert "Weighted total 3.56 (rank 1 of 3)" in kafka.description
    assert rec.chosen == "Kafka"
    assert rec.justification.startswith("it ranks first in the weighted decision matrix: "
                                        "Kafka wins with 3.56 against Amazon SQS")
    assert "close call" in rec.justification
    assert "Operational load (weight 5): above 6 Amazon SQS (FIFO) + SNS wins" in rec.justification
    assert "| 1 | Kafka | 5 | 2 | 5 | 2 | 4 | 5 | 3.56 |" in rec.more_information
    assert "| Operational load | 5 | — | \\> 6 → Amazon SQS (FIFO) + SNS | fragile" \
        in rec.more_information
    assert rec.matrix["decision_id"] == "message-broker"
    assert rec.matrix["winner"] == "Kafka" and rec.matrix["close_call"] is True
    assert [o["name"] for o in rec.matrix["options"]] == [
        "Kafka", "Amazon SQS (FIFO) + SNS", "RabbitMQ"]


def test_neutral_points_become_neutral_arguments(decisions):
    rec = decision_to_record(decisions["api-style"])
    graphql = next(o for o in rec.options if o.title == "GraphQL")
    assert graphql.neutral == ["Strong tooling (codegen, schema registry), new to most of the team"]


def test_written_madr_reads_back_with_its_matrix(decisions, tmp_path):
    result = record_decisions(decisions, tmp_path, date="2026-11-26")
    assert [p.name for p in result.paths] == [
        "0001-api-style-for-the-storefront-and-merchant-apis-rest-json-over-http-openapi.md",
        "0002-primary-datastore-for-tenants-catalogue-and-orders-postgresql.md",
        "0003-modular-monolith-or-microservices-modular-monolith.md",
        "0004-message-broker-for-the-order-pipeline-kafka.md",
    ]
    text = result.paths[1].read_text()
    assert "## Decision Drivers" in text and "## Considered Options" in text
    assert 'Chosen option: "PostgreSQL", because it ranks first' in text
    assert "## More Information" in text and "## Decision Matrix" in text
    rec, findings = loads(text, file=result.paths[1].name)
    assert rec.status == "proposed" and rec.date == "2026-11-26"
    assert rec.chosen == "PostgreSQL"
    assert rec.matrix == decision_to_record(decisions["datastore"]).matrix
    assert rec.chosen_option().good[0] == ("Multi-row ACID transactions across orders, stock "
                                           "and payments")
    assert not [f for f in findings if f.severity == "error"]


def test_reruns_are_byte_identical_and_edits_are_kept(decisions, tmp_path):
    first = record_decisions(decisions, tmp_path, date="2026-11-26")
    before = {p: p.read_bytes() for p in first.paths}
    again = record_decisions(decisions, tmp_path, date="2027-01-01")  # the date is kept
    assert [a for _, _, a in again.actions] == ["unchanged"] * 4
    assert {p: p.read_bytes() for p in again.paths} == before
    edited = first.paths[0]
    edited.write_text(edited.read_text() + "\nA note by a person.\n")
    kept = record_decisions(decisions, tmp_path)
    assert kept.action("api-style").startswith("kept")
    assert edited.read_text().endswith("A note by a person.\n")
    forced = record_decisions([decisions["api-style"]], tmp_path, overwrite=True)
    assert forced.action("api-style") == "updated"
    assert edited.read_bytes() == before[edited]


def test_a_changed_decision_keeps_its_number(decisions, tmp_path):
    record_decisions(decisions, tmp_path, date="2026-11-26")
    broker = decisions["message-broker"]
    broker.criterion("Operational load").weight = 8  # SQS now wins
    result = record_decisions([broker], tmp_path, overwrite=True)
    assert result.paths[0].name.startswith("0004-") and result.action("message-broker") == "updated"
    assert 'Chosen option: "Amazon SQS (FIFO) + SNS"' in result.paths[0].read_text()


def test_tie_is_recorded_without_a_chosen_option(tmp_path):
    d = Decision(question="Tie?", criteria=[Criterion("A"), Criterion("B")],
                 options=[Option("X", {"A": 5, "B": 1}), Option("Y", {"A": 1, "B": 5})])
    rec = decision_to_record(d)
    assert rec.chosen is None and rec.title == "Tie: undecided between X and Y"
    assert rec.decision.startswith("No option is chosen yet: Tie: X and Y share first place")


def test_hostile_labels_are_inert_in_the_adr(tmp_path):
    d = Decision(question=HOSTILE, title=HOSTILE, context=HOSTILE,
                 criteria=[Criterion(HOSTILE, 2, HOSTILE)],
                 options=[Option(HOSTILE, {HOSTILE: 4}, HOSTILE, [HOSTILE], [HOSTILE]),
                          Option("B", {HOSTILE: 2})])
    path = record_decisions([d], tmp_path, date="2026-11-26").paths[0]
    text = path.read_text()
    outside_json = text.split("```json")[0] + text.split("```")[-1]
    assert "<script>" not in outside_json
    assert "&lt;script&gt;" in outside_json
    assert path.name == "0001-script-alert-x-script-quotes-script-alert-x-script-quotes.md"


def test_single_option_is_chosen_and_says_there_was_nothing_to_compare():
    d = Decision(question="Which CI?", criteria=[Criterion("Cost", 2)],
                 options=[Option("GitHub Actions", {"Cost": 4}, pros=["already used"])])
    rec = decision_to_record(d)
    assert rec.chosen == "GitHub Actions"
    assert "the only option" in rec.justification
    assert "Only one option: add an alternative" in rec.more_information
    assert "Sensitivity" not in rec.more_information


def test_a_recorded_decision_can_be_rebuilt_from_its_adr_file(decisions, tmp_path):
    from archkit.brainstorm.to_adr import decision_from_record

    path = record_decisions(decisions, tmp_path, date="2026-11-26").paths[3]
    rec, _ = loads(path.read_text(encoding="utf-8"), file=path.name)
    again = decision_from_record(rec)
    original = decisions["message-broker"]
    assert again.id == original.id and again.title == original.title
    assert again.option_names == original.option_names
    assert [(c.name, c.weight) for c in again.criteria] == [
        (c.name, c.weight) for c in original.criteria]
    assert {o.name: o.scores for o in again.options} == {
        o.name: o.scores for o in original.options}
    assert again.option("Kafka").pros == original.option("Kafka").pros
    assert again.evaluate().ranking == original.evaluate().ranking
    assert [s.to_dict() for s in again.sensitivity()] == [
        s.to_dict() for s in original.sensitivity()]


def test_a_record_without_a_matrix_cannot_be_revisited():
    from archkit.adr.model import Record
    from archkit.brainstorm.to_adr import decision_from_record
    from archkit.errors import ArchkitError

    with pytest.raises(ArchkitError, match="no decision matrix"):
        decision_from_record(Record(number=1, title="Use Postgres", file="0001-x.md"))
