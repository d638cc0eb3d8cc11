"""The matrix arithmetic against hand-computed cases: totals, ties, zero weights, flips."""

import random

import pytest

from archkit.brainstorm.decision import Criterion, Decision, Option
from archkit.brainstorm.matrix import evaluate, sensitivity
from archkit.errors import ArchkitError


def two_way() -> Decision:
    # REST: (3·5 + 1·3) / 4 = 4.5    gRPC: (3·2 + 1·5) / 4 = 2.75
    return Decision(
        question="Which API style?",
        criteria=[Criterion("Client reach", 3), Criterion("Latency", 1)],
        options=[
            Option("REST", {"Client reach": 5, "Latency": 3}),
            Option("gRPC", {"Client reach": 2, "Latency": 5}),
        ],
    )


def three_way() -> Decision:
    # A=1, B=1: W (5,2)=3.5, P (1,5)=3.0, Q (3,3)=3.0
    return Decision(
        question="Three-way",
        criteria=[Criterion("A", 1), Criterion("B", 1)],
        options=[
            Option("W", {"A": 5, "B": 2}),
            Option("P", {"A": 1, "B": 5}),
            Option("Q", {"A": 3, "B": 3}),
        ],
    )


def test_weighted_totals_and_ranking_by_hand():
    m = evaluate(two_way())
    assert m.ranking == ["REST", "gRPC"]
    assert m.total("REST") == pytest.approx(4.5)
    assert m.total("gRPC") == pytest.approx(2.75)
    assert m.rows[0].contributions == pytest.approx((3.75, 0.75))
    assert m.shares == pytest.approx((0.75, 0.25))
    assert m.winner == "REST" and m.margin == pytest.approx(1.75)
    assert not m.close_call
    assert m.verdict() == "REST wins with 4.50 against gRPC with 2.75 (margin 1.75)."


def test_flip_points_by_hand_and_confirmed_by_reranking():
    d = two_way()
    reach, latency = sensitivity(d)
    # Client reach: A_REST=3, A_gRPC=5 -> x* = (3-5)/(2-5) = 2/3, reached by lowering.
    assert reach.upper is None
    assert reach.lower.weight == pytest.approx(2 / 3) and reach.lower.new_winner == "gRPC"
    # Latency: A_REST=15, A_gRPC=6 -> x* = (15-6)/(5-3) = 4.5, reached by raising.
    assert latency.lower is None
    assert latency.upper.weight == pytest.approx(4.5) and latency.upper.new_winner == "gRPC"
    assert evaluate(d, {"Latency": 4.49}).winner == "REST"
    assert evaluate(d, {"Latency": 4.5}).winner is None  # exactly at the flip: a tie
    assert evaluate(d, {"Latency": 4.51}).winner == "gRPC"
    assert evaluate(d, {"Client reach": 0.67}).winner == "REST"
    assert evaluate(d, {"Client reach": 0.66}).winner == "gRPC"
    assert latency.describe() == "Latency (weight 1): above 4.5 gRPC wins"


def test_first_crossing_decides_among_several_challengers():
    d = three_way()
    a, b = sensitivity(d)
    # B=x: W 5+2x, P 1+5x, Q 3+3x. W meets P at 4/3 and Q at 2: P takes over first.
    assert b.upper.weight == pytest.approx(4 / 3) and b.upper.new_winner == "P"
    assert b.lower is None  # nobody scores lower than W on B
    assert evaluate(d, {"B": 4 / 3 + 0.01}).winner == "P"
    assert evaluate(d, {"B": 4 / 3 - 0.01}).winner == "W"
    # A=x: W 5x+2, P x+5, Q 3x+3. Lowering from 1 meets P at 0.75 before Q at 0.5.
    assert a.lower.weight == pytest.approx(0.75) and a.lower.new_winner == "P"
    assert a.upper is None and not a.stable
    assert evaluate(d, {"A": 0.74}).winner == "P"
    assert evaluate(d, {"A": 0.76}).winner == "W"


def test_ties_share_a_rank_and_have_no_winner():
    d = Decision(
        question="Tie?",
        criteria=[Criterion("A", 1), Criterion("B", 1)],
        options=[
            Option("X", {"A": 5, "B": 1}),  # 3.0
            Option("Y", {"A": 1, "B": 5}),  # 3.0
            Option("Z", {"A": 3, "B": 2}),  # 2.5
        ],
    )
    m = evaluate(d)
    assert [(r.option, r.rank) for r in m.rows] == [("X", 1), ("Y", 1), ("Z", 3)]
    assert m.winner is None and m.tied_top == ["X", "Y"]
    assert m.margin == 0 and m.close_call
    assert m.verdict() == "Tie: X and Y share first place (3.00)."
    assert all(s.note and s.winner is None for s in sensitivity(d))


def test_zero_weight_does_not_count_but_its_flip_point_is_reported():
    d = Decision(
        question="Zero weight",
        criteria=[Criterion("A", 2), Criterion("C", 0)],
        options=[Option("X", {"A": 4, "C": 1}), Option("Y", {"A": 3, "C": 5})],
    )
    m = evaluate(d)
    assert m.total("X") == pytest.approx(4.0) and m.total("Y") == pytest.approx(3.0)
    assert m.rows[0].contributions == pytest.approx((4.0, 0.0))
    assert "weight 0, so not counted: C" in m.notes
    _, c = sensitivity(d)
    # A_X=8, A_Y=6: x* = (8-6)/(5-1) = 0.5
    assert c.upper.weight == pytest.approx(0.5) and c.upper.new_winner == "Y"
    assert c.fragile  # a 0.5 step flips it
    assert evaluate(d, {"C": 0.6}).winner == "Y"
    assert evaluate(d, {"C": 0.4}).winner == "X"


def test_every_weight_zero_ties_everything():
    d = Decision(
        question="Nothing matters",
        criteria=[Criterion("A", 0), Criterion("B", 0)],
        options=[Option("X", {"A": 5, "B": 5}), Option("Y", {"A": 1, "B": 1})],
    )
    m = evaluate(d)
    assert m.winner is None and {r.rank for r in m.rows} == {1}
    assert any("every weight is 0" in n for n in m.notes)


def test_one_option_wins_without_a_margin():
    d = Decision(question="Only one", criteria=[Criterion("A", 2)], options=[Option("X", {"A": 3})])
    m = evaluate(d)
    assert m.winner == "X" and m.total("X") == pytest.approx(3.0)
    assert m.margin is None and not m.close_call
    assert "only one option" in m.notes[0]
    assert [s.note for s in sensitivity(d)] == ["only one option: the winner cannot change"]


def test_close_call_flag_uses_the_decision_margin():
    d = two_way()
    d.close_call_margin = 2.0
    assert evaluate(d).close_call
    d.close_call_margin = 1.7
    assert not evaluate(d).close_call


def test_a_point_where_challenger_only_ties_at_weight_zero_is_not_a_flip():
    # With B at 0: X 5, Y 5 (tie); any B>0 favours X. Lowering never changes the winner.
    d = Decision(
        question="Edge",
        criteria=[Criterion("A", 1), Criterion("B", 1)],
        options=[Option("X", {"A": 5, "B": 3}), Option("Y", {"A": 5, "B": 1})],
    )
    _, b = sensitivity(d)
    assert b.lower is None and b.upper is None and b.stable


def test_random_matrices_every_flip_point_flips_on_reranking():
    rng = random.Random(7)
    checked = 0
    for _ in range(200):
        crits = [Criterion(f"c{i}", rng.choice([0, 1, 2, 3, 5])) for i in range(rng.randint(1, 5))]
        opts = [
            Option(f"o{j}", {c.name: rng.randint(1, 5) for c in crits})
            for j in range(rng.randint(2, 5))
        ]
        d = Decision(question="random", criteria=crits, options=opts)
        m = evaluate(d)
        if m.winner is None:
            continue
        for s in sensitivity(d, m):
            for point in (s.lower, s.upper):
                if point is None:
                    continue
                step = 1e-6 * max(1.0, point.weight)
                beyond = point.weight + step if point is s.upper else point.weight - step
                before = point.weight - step if point is s.upper else point.weight + step
                leaders = evaluate(d, {s.criterion: beyond}).tied_top
                assert set(leaders) == {point.new_winner, *point.tied_with}
                assert evaluate(d, {s.criterion: before}).winner == m.winner
                checked += 1
            if s.stable:  # stable: the winner holds (at worst ties, at 0) from 0 to a huge weight
                for w in (0.0, 1e6):
                    assert m.winner in evaluate(d, {s.criterion: w}).tied_top
    assert checked > 50


def test_bad_scores_and_weights_are_refused_with_a_fix():
    with pytest.raises(ArchkitError, match="outside 1–5"):
        Option("X", {"A": 6})
    with pytest.raises(ArchkitError, match="whole number"):
        Option("X", {"A": 2.5})
    with pytest.raises(ArchkitError, match="0 or more"):
        Criterion("A", -1)
    with pytest.raises(ArchkitError, match="appears more than once"):
        Decision(question="q", options=[Option("X"), Option("X")])
    d = Decision(question="q", criteria=[Criterion("A")], options=[Option("X", {})])
    with pytest.raises(ArchkitError, match="'X' has no score for 'A'") as info:
        evaluate(d)
    assert "1 to 5" in info.value.hint


def test_matrix_shows_itself_as_markdown():
    text = evaluate(two_way())._repr_markdown_()
    assert "| 1 | REST | 5 | 3 | 4.50 |" in text
    assert "**REST wins with 4.50 against gRPC with 2.75 (margin 1.75).**" in text


def test_negative_close_call_margin_is_refused():
    with pytest.raises(ArchkitError, match="close_call_margin"):
        Decision(question="q", close_call_margin=-1)
