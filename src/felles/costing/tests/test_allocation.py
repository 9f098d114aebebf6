"""Allocation methods against the worked example in costing.md §2.4, and invariants."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from felles.costing.allocation import (
    AllocationError,
    Network,
    compare,
    direct,
    largest_remainder,
    reciprocal,
    step_down,
    step_down_order,
    unit_price,
)

D = Decimal
# kNOK in the document; here in NOK so every figure has øre.
EXAMPLE = Network(
    support=["ADM", "IKT"],
    lines=["SIK", "KTS", "INF"],
    direct_costs={"ADM": D("20000000"), "IKT": D("30000000")},
    shares={
        "ADM": {"IKT": 0.10, "SIK": 0.40, "KTS": 0.30, "INF": 0.20},
        "IKT": {"ADM": 0.20, "SIK": 0.30, "KTS": 0.20, "INF": 0.30},
    },
)


def kilo(amounts: dict[str, Decimal]) -> dict[str, Decimal]:
    return {k: (v / 1000).quantize(D("0.01")) for k, v in amounts.items()}


def test_reciprocal_matches_the_worked_example() -> None:
    result = reciprocal(EXAMPLE)
    assert kilo(result) == {"SIK": D("20408.16"), "KTS": D("14489.80"), "INF": D("15102.04")}
    assert sum(result.values()) == D("50000000.00")


def test_direct_matches_the_worked_example() -> None:
    assert kilo(direct(EXAMPLE)) == {
        "SIK": D("20138.89"),
        "KTS": D("14166.67"),
        "INF": D("15694.44"),
    }


def test_step_down_closes_ikt_first_and_matches_the_worked_example() -> None:
    assert kilo(step_down(EXAMPLE)) == {
        "SIK": D("20555.56"),
        "KTS": D("14666.67"),
        "INF": D("14777.78"),
    }
    # The order matters; closing ADM first gives another answer.
    assert step_down(EXAMPLE, order=["ADM", "IKT"]) != step_down(EXAMPLE)


def test_every_method_reconciles_to_the_ore() -> None:
    for name, result in compare(EXAMPLE).items():
        assert sum(result.values()) == D("50000000.00"), name


def test_full_cost_price_of_the_example() -> None:
    full_cost_sik = D("100000000") + reciprocal(EXAMPLE)["SIK"]
    # Exact share 20 408 163.265 kr; the largest remainder gives the two missing øre to KTS
    # (.84) and INF (.63), whose fractions are larger than SIK's (.53).
    assert full_cost_sik == D("120408163.26")
    price = unit_price(full_cost_sik, D("150000"))
    assert price == D("802.72")
    assert price * D("37.5") == D("30102.000")


def test_largest_remainder_gives_leftover_ore_to_largest_fractions() -> None:
    import numpy as np

    assert largest_remainder(np.array([33.4, 33.3, 33.3]), 100, ["a", "b", "c"]) == [34, 33, 33]
    assert largest_remainder(np.array([0.5, 0.5]), 1, ["b", "a"]) == [0, 1]  # tie → by key


def test_invalid_networks_are_refused_in_words() -> None:
    with pytest.raises(AllocationError, match="summerer"):
        reciprocal(Network(["A"], ["L"], {"A": D(1)}, {"A": {"L": 0.5}}))
    with pytest.raises(AllocationError, match="seg selv"):
        reciprocal(Network(["A"], ["L"], {"A": D(1)}, {"A": {"A": 0.5, "L": 0.5}}))
    with pytest.raises(AllocationError, match="ingen tjenestelinjer"):
        reciprocal(
            Network(["A", "B"], ["L"], {"A": D(1), "B": D(1)}, {"A": {"B": 1.0}, "B": {"L": 1.0}})
        )
    with pytest.raises(AllocationError, match="ukjent"):
        direct(Network(["A"], ["L"], {"A": D(1)}, {"A": {"X": 1.0}}))


@st.composite
def networks(draw) -> Network:
    n_support = draw(st.integers(1, 6))
    n_lines = draw(st.integers(1, 8))
    support = [f"S{i}" for i in range(n_support)]
    lines = [f"L{k}" for k in range(n_lines)]
    shares = {}
    for j, supplier in enumerate(support):
        others = [s for s in support if s != supplier]
        weights_support = draw(
            st.lists(st.integers(0, 5), min_size=len(others), max_size=len(others))
        )
        weights_lines = draw(st.lists(st.integers(0, 9), min_size=n_lines, max_size=n_lines))
        if sum(weights_lines) == 0:
            weights_lines[j % n_lines] = 1  # every centre serves some line
        total = sum(weights_support) + sum(weights_lines)
        shares[supplier] = {
            **{o: w / total for o, w in zip(others, weights_support, strict=True) if w},
            **{line: w / total for line, w in zip(lines, weights_lines, strict=True) if w},
        }
    costs = {s: D(draw(st.integers(0, 10**9))) / 100 for s in support}
    return Network(support, lines, costs, shares)


@given(networks())
@settings(max_examples=200, deadline=None)
def test_sums_are_preserved_and_shares_never_negative(network: Network) -> None:
    pool = sum(network.direct_costs.values())
    for name, result in compare(network).items():
        assert sum(result.values()) == pool, name
        assert all(v >= 0 for v in result.values()), name


def test_shares_from_driver_quantities_sum_to_exactly_one() -> None:
    from felles.costing.allocation import shares_from_quantities

    shares = shares_from_quantities(
        [
            ("ADM", "IKT", "årsverk", Decimal(1)),
            ("ADM", "SIK", "årsverk", Decimal(1)),
            ("ADM", "KTS", "årsverk", Decimal(1)),
            ("IKT", "ADM", "brukere", Decimal(20)),
            ("IKT", "SIK", "brukere", Decimal(80)),
        ]
    )
    adm = [s for s in shares if s[0] == "ADM"]
    assert sum(s[2] for s in adm) == Decimal(1)
    assert sorted(s[2] for s in adm) == [
        Decimal("0.333333"),
        Decimal("0.333333"),
        Decimal("0.333334"),
    ]
    assert ("IKT", "SIK", Decimal("0.8"), "brukere") in shares
    with pytest.raises(AllocationError, match="flere fordelingsnøkler"):
        shares_from_quantities(
            [("ADM", "IKT", "årsverk", Decimal(1)), ("ADM", "SIK", "m²", Decimal(1))]
        )
    with pytest.raises(AllocationError, match="null"):
        shares_from_quantities([("ADM", "IKT", "årsverk", Decimal(0))])


def test_step_down_order_ties_are_exact_and_go_by_code() -> None:
    """ADM gives 15 000 kr × 0.10 to the other support centres, FAS 10 000 kr × (0.10 +
    0.05): 1 500 kr each. In floating point FAS's shares summed to 0.15000000000000002,
    so FAS closed first by noise; the rule is exact amounts, ties by code."""
    tie = Network(
        support=["ADM", "FAS", "IKT"],
        lines=["SIK", "KTS"],
        direct_costs={"ADM": D("15000"), "FAS": D("10000"), "IKT": D("1000")},
        shares={
            "ADM": {"FAS": 0.10, "SIK": 0.90},
            "FAS": {"ADM": 0.10, "IKT": 0.05, "KTS": 0.85},
            "IKT": {"SIK": 0.5, "KTS": 0.5},
        },
    )
    assert step_down_order(tie) == ["ADM", "FAS", "IKT"]
    assert step_down(tie) == step_down(tie, order=["ADM", "FAS", "IKT"])
    assert step_down(tie) != step_down(tie, order=["FAS", "ADM", "IKT"])
    assert step_down_order(EXAMPLE) == ["IKT", "ADM"]  # 6 000 000 kr against 2 000 000 kr
