"""The decision widget: the controller without a browser, and the ipywidgets wiring."""

import re

import pytest

from archkit.brainstorm.load import load_decisions
from archkit.errors import ArchkitError
from archkit.widgets.decision_matrix import DecisionMatrixController, decision_widget

SQS = "Amazon SQS (FIFO) + SNS"


@pytest.fixture()
def broker(example):
    return load_decisions(example / "decisions.yaml")["message-broker"]


def listed(html: str) -> list[str]:
    ol = re.search(r'<ol class="archkit-ranking">(.*?)</ol>', html).group(1)
    return re.findall(r'<li data-option="([^"]*)"', ol)


def test_setting_a_weight_past_its_flip_point_reranks_and_rerenders(broker):
    c = DecisionMatrixController(broker)
    assert c.ranking == ["Kafka", SQS, "RabbitMQ"]
    assert listed(c.view_html()) == c.ranking
    flip = next(s for s in c.sensitivity if s.criterion == "Operational load").upper
    assert flip.weight == pytest.approx(6) and flip.new_winner == SQS
    seen = []
    c.on_change(seen.append)
    c.set_weight("Operational load", 6.25)
    assert c.winner == SQS and c.ranking[0] == SQS
    assert listed(c.view_html())[0] == SQS
    assert seen == ["values"]
    c.set_weight("Operational load", 6.25)  # no change, no event
    assert seen == ["values"]


def test_scores_options_and_criteria_can_be_edited(broker):
    c = DecisionMatrixController(broker)
    c.set_score("RabbitMQ", "Replay", 5)  # RabbitMQ: 53/16 -> 62/16 = 3.875
    assert c.winner == "RabbitMQ"
    c.add_option("Redpanda", {"Operational load": 4})
    assert broker.option("Redpanda").scores == {
        "Per-order ordering": 3, "Operational load": 4, "Replay": 3, "Routing": 3,
        "Portability": 3, "Throughput headroom": 3}
    assert "Redpanda" in listed(c.view_html())
    c.add_criterion("Exactly-once", weight=2, score=1)
    assert all(o.scores["Exactly-once"] == 1 for o in broker.options)
    c.remove_criterion("Replay")
    assert "Replay" not in broker.criterion_names
    assert all("Replay" not in o.scores for o in broker.options)
    c.remove_option("Redpanda")
    assert "Redpanda" not in c.ranking
    with pytest.raises(ArchkitError, match="outside 1–5"):
        c.set_score("Kafka", "Routing", 7)
    with pytest.raises(ArchkitError, match="0 or more"):
        c.set_weight("Routing", -1)
    with pytest.raises(ArchkitError, match="already an option"):
        c.add_option("Kafka")
    with pytest.raises(ArchkitError, match="no criterion 'Nope'"):
        c.set_weight("Nope", 1)


def test_widget_sliders_drive_the_ranking(broker):
    w = decision_widget(broker)
    sliders = w.weight_sliders
    assert [s.description for s in sliders.values()] == broker.criterion_names
    assert type(sliders["Replay"]).__name__ == "FloatSlider"
    assert listed(w.view.value) == ["Kafka", SQS, "RabbitMQ"]
    sliders["Operational load"].value = 6.5
    assert listed(w.view.value)[0] == SQS
    w.score_sliders[("Kafka", "Operational load")].value = 5
    assert listed(w.view.value)[0] == "Kafka"
    w.controller.set_weight("Replay", 0)  # driven from code: the slider follows
    assert sliders["Replay"].value == 0


def test_widget_add_remove_and_bad_input_message(broker):
    w = decision_widget(broker)
    w.new_option.value = "Redpanda"
    w._add_option()
    assert ("Redpanda", "Replay") in w.score_sliders and "Redpanda" in listed(w.view.value)
    w.new_criterion.value = "Cost"
    w._add_criterion()
    assert "Cost" in w.weight_sliders
    w.remove_choice.value = "criterion: Cost"
    w._remove()
    assert "Cost" not in w.weight_sliders
    w.new_option.value = "Kafka"
    w._guard(w._add_option)
    assert "already an option" in w.status.value


def test_record_writes_the_adr_draft(broker, tmp_path):
    w = decision_widget(broker, adr_folder=tmp_path)
    w.weight_sliders["Operational load"].value = 7
    w._record()
    files = sorted(tmp_path.glob("*.md"))
    assert [f.name for f in files] == ["0001-message-broker-for-the-order-pipeline-amazon-sqs-fifo"
                                       "-sns.md"]
    assert 'Chosen option: "Amazon SQS (FIFO) + SNS"' in files[0].read_text()
    assert "written" in w.status.value
    w._record()
    assert "unchanged" in w.status.value


def test_only_the_live_widget_carries_the_archkit_ranking_list(broker):
    # Browser tests find the first ol.archkit-ranking on the page: static outputs of a
    # Decision shown earlier in a notebook must not be mistaken for the live widget.
    static = broker._repr_html_()
    assert 'class="archkit-ranking"' not in static
    assert listed(static.replace("archkit-ranking-static", "archkit-ranking")) == [
        "Kafka", SQS, "RabbitMQ"]
    assert listed(decision_widget(broker).view.value) == ["Kafka", SQS, "RabbitMQ"]


KAFKA_ADR = "0004-message-broker-for-the-order-pipeline-kafka.md"
SQS_ADR = "0004-message-broker-for-the-order-pipeline-amazon-sqs-fifo-sns.md"


@pytest.fixture()
def recorded(example, tmp_path):
    """The worked example's four ADRs, as notebook 01 writes them, and a widget over ADR 4."""
    from archkit.brainstorm.to_adr import record_decisions

    decisions = load_decisions(example / "decisions.yaml")
    record_decisions(decisions, tmp_path, date="2024-05-01")
    return decision_widget(decisions["message-broker"], adr_folder=tmp_path), tmp_path


def test_record_rewrites_a_proposed_unedited_adr_when_the_winner_flips(recorded):
    from archkit.adr import AdrStore, lint

    w, folder = recorded
    w.weight_sliders["Operational load"].value = 7   # SQS wins now
    w._record()                                      # the button: no argument
    assert not (folder / KAFKA_ADR).exists()
    text = (folder / SQS_ADR).read_text()
    assert 'Chosen option: "Amazon SQS (FIFO) + SNS"' in text and "date: 2024-05-01" in text
    assert "rewritten" in w.status.value and "kept" not in w.status.value
    assert [r.number for r in AdrStore(folder).all()] == [1, 2, 3, 4]
    assert not lint(AdrStore(folder).all()).errors
    w._record()
    assert "unchanged" in w.status.value


@pytest.mark.parametrize("settled", ["accepted", "edited"])
def test_record_supersedes_an_accepted_or_edited_adr_linked_both_ways(recorded, settled):
    from archkit.adr import AdrStore, lint

    w, folder = recorded
    store = AdrStore(folder)
    if settled == "accepted":
        store.accept(4)
    else:
        path = folder / KAFKA_ADR
        path.write_text(path.read_text() + "\nThe team reviewed this on 2024-05-03.\n")
    before = (folder / KAFKA_ADR).read_text()
    w.weight_sliders["Operational load"].value = 7
    w._record()
    store = AdrStore(folder)
    old, new = store.get(4), store.get(5)
    assert old.status_kind == "superseded" and old.superseded_by == [5]
    assert [(link.kind.lower(), link.target) for link in new.links] == [("supersedes", 4)]
    assert new.status_kind == "proposed" and new.chosen == "Amazon SQS (FIFO) + SNS"
    assert old.chosen == "Kafka"            # what was decided stays on record
    if settled == "edited":
        assert "The team reviewed this on 2024-05-03." in (folder / KAFKA_ADR).read_text()
    assert (folder / KAFKA_ADR).read_text() != before  # only the status and the link moved
    message = w.status.value
    assert "supersedes 0004-" in message and ("accepted" if settled == "accepted"
                                              else "edited by a person") in message
    assert not lint(store.all()).errors
    # the new draft is the decision's latest record: moving a weight again rewrites it
    w._record()
    assert "unchanged" in w.status.value
    w.weight_sliders["Operational load"].value = 8
    w._record()
    assert "0005-" in w.status.value and "rewritten" in w.status.value
    assert [r.number for r in AdrStore(folder).all()] == [1, 2, 3, 4, 5]
