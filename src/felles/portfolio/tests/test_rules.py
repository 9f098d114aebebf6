"""Pure portfolio rules: risk scoring, benefits without double counting, MCDA ranking and
sensitivity against cases solved by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from felles.portfolio import rules


def test_risk_score_and_bands() -> None:
    assert rules.risk_score(4, 5) == 20
    assert [rules.risk_level(s) for s in (1, 4, 5, 9, 10, 14, 15, 25)] == [
        "low",
        "low",
        "moderate",
        "moderate",
        "high",
        "high",
        "critical",
        "critical",
    ]
    with pytest.raises(rules.RuleError):
        rules.risk_score(0, 3)
    with pytest.raises(rules.RuleError):
        rules.risk_score(3, 6)


def test_heat_map_places_likelihood_on_rows_from_the_top() -> None:
    grid = rules.heat_map([(5, 1), (5, 1), (1, 5), (3, 3)])
    assert grid[0][0] == 2  # likelihood 5, consequence 1: top left
    assert grid[4][4] == 1  # likelihood 1, consequence 5: bottom right
    assert grid[2][2] == 1
    assert sum(map(sum, grid)) == 4


def test_benefits_reached_through_two_projects_count_once() -> None:
    D = Decimal
    claims = [
        rules.BenefitClaim(("fte", "KUD", "hr"), "HR-prosjektet", D(5), D(2)),
        # The security project contributes to the same freed FTEs in KUD's HR area.
        rules.BenefitClaim(("fte", "KUD", "hr"), "Sikkerhetsprosjektet", D(5), D(2)),
        rules.BenefitClaim(("fte", "FIN", "hr"), "HR-prosjektet", D(3), D(0)),
        rules.BenefitClaim(("floor_space", "KUD", ""), "Servicefunksjoner", D(120), D(40)),
    ]
    totals = rules.aggregate_benefits(claims)
    assert totals["fte"] == {"target": D(8), "realised": D(2)}
    assert totals["floor_space"] == {"target": D(120), "realised": D(40)}


def two_by_two() -> rules.Evaluation:
    return rules.Evaluation(["A", "B"], ["c1", "c2"], [0.6, 0.4], [[1, 0], [0, 1]])


def test_ranking_is_the_weighted_sum_with_normalised_weights() -> None:
    evaluation = rules.Evaluation(
        ["A", "B", "C"], ["kvalitet", "kostnad"], [7, 3], [[3, 1], [1, 3], [2, 2]]
    )
    assert [(n, round(s, 6)) for n, s in rules.ranking(evaluation)] == [
        ("A", 2.4),
        ("C", 2.0),
        ("B", 1.6),
    ]


def test_sensitivity_finds_the_crossing_points_exactly() -> None:
    ranges = {r.criterion: r for r in rules.sensitivity(two_by_two())}
    # S_A(t) = t and S_B(t) = 1 − t cross at t = 0.5 for either weight.
    assert ranges["c1"].weight == pytest.approx(0.6)
    assert (ranges["c1"].low, ranges["c1"].high) == (pytest.approx(0.5), 1.0)
    assert (ranges["c2"].low, ranges["c2"].high) == (0.0, pytest.approx(0.5))


def test_sensitivity_of_a_dominant_alternative_is_the_whole_range() -> None:
    evaluation = rules.Evaluation(["A", "B"], ["c1", "c2"], [1, 1], [[5, 4], [3, 2]])
    assert all((r.low, r.high) == (0.0, 1.0) for r in rules.sensitivity(evaluation))
    assert rules.monte_carlo(evaluation, draws=2000) == {"A": 100.0, "B": 0.0}


def test_monte_carlo_matches_the_beta_probability() -> None:
    # With Dirichlet(12, 8) weights A wins when w1 > 0.5: P = 1 − I_0.5(12, 8) ≈ 0.820.
    shares = rules.monte_carlo(two_by_two(), draws=40_000, concentration=20)
    assert shares["A"] == pytest.approx(82.0, abs=1.0)
    assert shares["A"] + shares["B"] == pytest.approx(100.0)
    assert rules.monte_carlo(two_by_two(), draws=500) == rules.monte_carlo(two_by_two(), draws=500)


@given(
    st.lists(st.lists(st.integers(1, 5), min_size=3, max_size=3), min_size=2, max_size=5),
    st.lists(st.integers(1, 10), min_size=3, max_size=3),
)
def test_ranking_holds_inside_every_sensitivity_range(scores, weights) -> None:
    names = [f"M{i}" for i in range(len(scores))]
    evaluation = rules.Evaluation(names, ["a", "b", "c"], weights, scores)
    base = [n for n, _ in rules.ranking(evaluation)]
    for k, r in enumerate(rules.sensitivity(evaluation)):
        assert r.low <= r.weight + 1e-9 and r.weight <= r.high + 1e-9
        for t in (r.low + (r.weight - r.low) / 2, r.weight + (r.high - r.weight) / 2):
            moved = rules._move(evaluation.normalised, k, t)
            assert [names[i] for i in rules._order(evaluation.matrix @ moved)] == base


def test_evaluation_refuses_incomplete_input() -> None:
    with pytest.raises(rules.RuleError, match="to alternativer"):
        rules.Evaluation(["A"], ["c"], [1], [[1]])
    with pytest.raises(rules.RuleError, match="skår"):
        rules.Evaluation(["A", "B"], ["c", "d"], [1, 1], [[1, 2], [1]])
    with pytest.raises(rules.RuleError, match="positive"):
        rules.Evaluation(["A", "B"], ["c"], [0], [[1], [2]])


def test_a_dependency_is_late_when_the_prerequisite_is_due_too_late() -> None:
    d = dt.date
    start, end = d(2026, 9, 1), d(2027, 12, 31)
    assert rules.is_late(start, end, d(2027, 6, 30))  # finish-to-start
    assert not rules.is_late(start, end, d(2027, 6, 30), finish_to_finish=True)
    assert rules.is_late(start, end, d(2028, 1, 1), finish_to_finish=True)
    assert not rules.is_late(start, end, d(2026, 8, 31))
    assert not rules.is_late(start, end, None)


def test_realised_gain_follows_the_direction_of_the_target() -> None:
    D = Decimal
    assert rules.realised_gain(D(100), D(80), D(90)) == D(10)  # fewer FTE: a gain
    assert rules.realised_gain(D(100), D(80), D(120)) == D(-20)  # more FTE: a loss
    assert rules.realised_gain(D(3), D(4), D("3.5")) == D("0.5")  # satisfaction up
    assert rules.realised_gain(D(5), D(5), D(9)) == D(0)


def test_sensitivity_at_a_weight_of_zero_or_one() -> None:
    # All weight on c2, where A and B tie: any weight on c1 puts B first.
    evaluation = rules.Evaluation(["A", "B"], ["c1", "c2"], [0, 1], [[1, 3], [5, 3]])
    by = {r.criterion: r for r in rules.sensitivity(evaluation)}
    assert by["c1"].high == 0.0  # the order A, B holds only at exactly 0
    moved = rules._move(evaluation.normalised, 0, 0.1)
    assert rules._order(evaluation.matrix @ moved) == (1, 0)


@given(
    st.lists(st.lists(st.integers(1, 5), min_size=3, max_size=3), min_size=2, max_size=4),
    st.lists(st.integers(0, 3), min_size=3, max_size=3).filter(lambda w: sum(w) > 0),
)
def test_ranking_holds_inside_every_range_with_zero_weights_too(scores, weights) -> None:
    names = [f"M{i}" for i in range(len(scores))]
    evaluation = rules.Evaluation(names, ["a", "b", "c"], weights, scores)
    base = rules._order(evaluation.matrix @ evaluation.normalised)
    for k, r in enumerate(rules.sensitivity(evaluation)):
        for t in (r.low + (r.weight - r.low) / 2, r.weight + (r.high - r.weight) / 2):
            moved = rules._move(evaluation.normalised, k, t)
            assert rules._order(evaluation.matrix @ moved) == base
