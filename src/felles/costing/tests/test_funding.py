"""Table 3: which funding mechanism, from the kind of service and its volume's variation."""

from __future__ import annotations

import pytest

from felles.costing import funding


def test_coefficient_of_variation() -> None:
    assert funding.coefficient_of_variation([10] * 12) == 0
    # mean 10, population standard deviation 5
    assert funding.coefficient_of_variation([5, 15] * 6) == pytest.approx(0.5)
    assert funding.coefficient_of_variation([0] * 12) is None
    assert funding.coefficient_of_variation([]) is None


@pytest.mark.parametrize(
    ("kind", "mandatory", "monthly", "mechanism", "says"),
    [
        ("basic", True, [5, 15] * 12, "appropriation", "hovedregel"),
        ("fixed_addon", False, [10] * 12, "appropriation", "avtalt volum"),
        (
            "variable_addon",
            False,
            [5, 15] * 12,
            "invoicing",
            "varierer (variasjonskoeffisient 0,50",
        ),
        ("volume", False, [100, 104, 98, 101] * 3, "appropriation", "stabilt"),
        ("volume", False, [10] * 6, "invoicing", "6 måneder"),
        ("development", True, [], "appropriation", "alle må ta i bruk"),
        ("development", False, [], "invoicing", "frivillig"),
    ],
)
def test_table_3(kind, mandatory, monthly, mechanism, says) -> None:
    result = funding.recommend(kind, mandatory, monthly)
    assert result.mechanism == mechanism
    assert says in result.reason


def test_threshold_is_a_parameter() -> None:
    monthly = [90, 110] * 6  # CV 0.10
    assert funding.recommend("volume", False, monthly).mechanism == "appropriation"
    assert funding.recommend("volume", False, monthly, threshold=0.05).mechanism == "invoicing"
