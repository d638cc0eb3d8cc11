"""Reading decisions and the catalogue: good parts kept, bad parts reported with lines."""

import pytest

from archkit.brainstorm.catalogue import load_catalogue
from archkit.brainstorm.decision import Criterion, Decision, Option
from archkit.brainstorm.load import decisions_from_data, load_decisions
from archkit.brainstorm.yamlio import parse_yaml
from archkit.errors import ArchkitError

HOSTILE = '<script>alert("x")</script> & "quotes"'


def test_example_has_its_four_decisions_with_expected_winners(example):
    found = load_decisions(example / "decisions.yaml")
    assert not found.problems
    assert found.ids == ["api-style", "datastore", "architecture-style", "message-broker"]
    winners = {d.id: d.evaluate().winner for d in found}
    assert winners == {
        "api-style": "REST (JSON over HTTP, OpenAPI)",
        "datastore": "PostgreSQL",
        "architecture-style": "Modular monolith",
        "message-broker": "Kafka",
    }
    # api-style by hand: weights 5,4,3,3,2,1 (18); REST 25+20+15+9+4+3 = 76 -> 4.22
    assert found["api-style"].evaluate().total("REST (JSON over HTTP, OpenAPI)") == pytest.approx(
        76 / 18)
    broker = found["message-broker"].evaluate()
    # Kafka 57/16 = 3.5625, SQS 54/16 = 3.375: a close call within 0.25
    assert broker.close_call and broker.margin == pytest.approx(0.1875)
    assert broker.runner_up == "Amazon SQS (FIFO) + SNS"
    for d in found:
        assert len(d.options) >= 2 and all(o.pros and o.cons for o in d.options)


HALF_GOOD = """\
decisions:
  - id: good
    question: Which cache?
    criteria:
      - {name: Latency, weight: 3}
      - {name: Cost, weight: -1}
    options:
      - {name: Redis, scores: {Latency: 5}}
      - {name: Memcached, scores: {Latency: 9}}
      - {name: CDN, scores: {Latency: 4, Colour: 2}}
      - {name: Nothing}
    owner: bob
  - id: no-question
    criteria: []
  - just a string
"""


def test_half_good_file_keeps_good_parts_and_names_the_rest(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(HALF_GOOD)
    found = load_decisions(path)
    assert found.ids == ["good"]
    d = found["good"]
    assert d.criterion_names == ["Latency"]
    assert d.option_names == ["Redis", "CDN"]
    by_code = {f.code: f for f in found.problems}
    assert set(by_code) == {"BR101", "BR102", "BR103", "BR104", "BR105", "BR110", "BR111"}
    assert by_code["BR102"].line == 6 and "0 or more" in by_code["BR102"].message
    assert by_code["BR103"].object == "good/Memcached" and by_code["BR103"].line == 9
    assert by_code["BR104"].object == "good/Nothing" and "Latency" in by_code["BR104"].message
    assert by_code["BR105"].line == 10 and "'Colour'" in by_code["BR105"].message
    assert by_code["BR110"].line == 12 and "'owner'" in by_code["BR110"].message
    assert by_code["BR101"].object == "no-question" and by_code["BR101"].line == 13
    assert all(f.file == str(path) and f.fix for f in found.problems)
    assert found.problems.errors  # the CLI exits 1 on these


def test_single_option_and_zero_weights_are_warnings():
    found = decisions_from_data({
        "question": "Only one?",
        "criteria": [{"name": "A", "weight": 0}],
        "options": [{"name": "X", "scores": {"A": 3}}],
    })
    assert [f.code for f in found.problems] == ["BR107", "BR108"]
    assert not found.problems.errors
    assert found[0].evaluate().winner == "X"  # alone, it wins even with nothing to rank by


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("decisions:\n  - question: x\n    criteria: [\n")
    with pytest.raises(ArchkitError) as info:
        load_decisions(path)
    assert info.value.where.file == str(path) and info.value.where.line == 4


def test_not_a_list_is_refused_with_a_hint():
    with pytest.raises(ArchkitError, match="expected a list of decisions") as info:
        decisions_from_data(parse_yaml("decisions: 3\n"))
    assert "decisions:" in info.value.hint


def test_to_dict_round_trips_through_the_loader(example):
    d = load_decisions(example / "decisions.yaml")["datastore"]
    again = decisions_from_data(d.to_dict())
    assert not again.problems and again[0] == d


def test_catalogue_covers_the_issue_topics_and_is_clean():
    cat = load_catalogue()
    assert cat.ids == [
        "api-style", "api-versioning", "architecture-style", "authentication", "authorisation",
        "cache-pattern", "cache-store", "consistency", "datastore", "messaging", "multi-tenancy",
    ]
    names = {e.id: e.option_names for e in cat}
    assert names["api-style"] == ["REST", "GraphQL", "gRPC"]
    assert names["datastore"] == ["PostgreSQL", "MySQL", "MongoDB", "DynamoDB", "Cassandra"]
    assert names["architecture-style"] == ["Modular monolith", "Microservices",
                                           "Serverless functions"]
    assert names["messaging"] == ["Kafka", "RabbitMQ", "Amazon SQS"]
    assert names["cache-store"] == ["Redis", "Memcached", "CDN"]
    assert names["cache-pattern"] == ["Cache-aside", "Write-through"]
    assert names["authentication"] == ["OAuth2 + OIDC", "Server-side sessions",
                                       "Self-contained JWTs", "API keys"]
    assert names["authorisation"] == ["RBAC", "ABAC"]
    assert len(names["multi-tenancy"]) == 3 and len(names["consistency"]) == 4
    for entry in cat:
        assert entry.source and entry.keywords
        assert len(entry.template.criteria) >= 3
        assert all(o.pros and o.cons for o in entry.template.options)
        entry.template.evaluate()  # every option scored on every criterion


@pytest.mark.parametrize("question, entry", [
    ("Kafka or RabbitMQ for our events?", "messaging"),
    ("REST or GraphQL for the public API?", "api-style"),
    ("How do we version the API?", "api-versioning"),
    ("Which database for orders?", "datastore"),
    ("How to isolate tenants?", "multi-tenancy"),
    ("JWT or sessions for login?", "authentication"),
    ("Cache-aside or write-through?", "cache-pattern"),
    ("Monolith or microservices?", "architecture-style"),
    ("How do we keep orders and payments consistent?", "consistency"),
])
def test_catalogue_matches_free_form_questions(question, entry):
    assert load_catalogue().match(question).id == entry


def test_catalogue_hands_out_independent_copies():
    entry = load_catalogue()["messaging"]
    a = entry.to_decision(context="ours")
    a.criteria[0].weight = 0
    assert entry.to_decision().criteria[0].weight != 0
    assert a.context == "ours" and "catalogue 'messaging'" in a.source
    assert load_catalogue().match("What colour is the sky?") is None


def test_hostile_labels_come_out_inert_in_markdown_and_html():
    d = Decision(
        question=HOSTILE,
        criteria=[Criterion(HOSTILE, 2)],
        options=[Option(HOSTILE, {HOSTILE: 4}, pros=[HOSTILE]), Option("B", {HOSTILE: 2})],
        context=HOSTILE,
    )
    md, page = d.to_markdown(), d._repr_html_()
    assert "<script" not in md and "&lt;script>" in md  # "<" escaped: no tag can open
    assert "<script" not in page and "&lt;script&gt;" in page
    inert = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;"
    assert f'data-option="{inert}"' in d._repr_html_()
