"""Appropriation transfer: the worked example of costing.md §1.7, rounding that reconciles,
and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from felles.costing import transfer

D = Decimal
EXAMPLE = transfer.Rates(
    average_salary=D(750_000),
    pension_rate=D("0.12"),
    employer_tax_rate=D("0.141"),
    operating_cost_per_fte=D(150_000),
    rent_per_workplace=D(90_000),
    releases_space=True,
)


def test_worked_example_of_costing_md_1_7() -> None:
    assert EXAMPLE.salary_cost == D("958440.0000")
    assert EXAMPLE.per_fte == D(1_108_440)
    result = transfer.calculate({"FIN": D("2.5"), "KD": D("2.0"), "LMD": D("1.5")}, EXAMPLE)
    assert result.total == D("7190640.00")
    assert result.per_fte_with_rent == D("1198440.00")
    assert {r.ministry: r.amount for r in result.rows} == {
        "FIN": D("2996100.00"),
        "KD": D("2396880.00"),
        "LMD": D("1797660.00"),
    }
    text = " ".join(transfer.explain(result))
    assert "958 440,00" in text.replace("\u202f", " ") and "7 190 640,00" in text.replace(
        "\u202f", " "
    )


def test_rent_only_when_space_is_released_and_the_cut_is_taken() -> None:
    no_space = transfer.Rates(**{**EXAMPLE.__dict__, "releases_space": False})
    assert transfer.calculate({"FIN": D(1)}, no_space).total == D("1108440.00")
    cut = transfer.Rates(**{**EXAMPLE.__dict__, "efficiency_cut": D("0.005")})
    # 0.5 % of 1 198 440 = 5 992.20
    assert transfer.calculate({"FIN": D(1)}, cut).total == D("1192447.80")


@given(
    st.dictionaries(
        st.sampled_from(["AID", "BFD", "FIN", "KUD", "KD", "LMD", "UD"]),
        st.decimals(min_value=0, max_value=50, places=2),
        min_size=1,
    ),
    st.decimals(min_value=400_000, max_value=1_500_000, places=2),
    st.decimals(min_value=0, max_value="0.3", places=4),
)
def test_amounts_always_add_up_to_the_total_to_the_ore(fte, salary, pension) -> None:
    rates = transfer.Rates(
        average_salary=salary, pension_rate=pension, operating_cost_per_fte=D(123_456.78)
    )
    result = transfer.calculate(fte, rates)
    assert sum(r.amount for r in result.rows) == result.total
    for row in result.rows:
        exact = row.salary_and_operations + row.rent - row.cut
        assert abs(row.amount - exact) < D("0.01")


def test_bad_rates_are_refused() -> None:
    with pytest.raises(transfer.TransferError, match="andel"):
        transfer.Rates(average_salary=D(1), pension_rate=D(12))
    with pytest.raises(transfer.TransferError, match="lønnen"):
        transfer.Rates(average_salary=D(0), pension_rate=D("0.1"))
    with pytest.raises(transfer.TransferError, match="Ingen"):
        transfer.calculate({}, EXAMPLE)
