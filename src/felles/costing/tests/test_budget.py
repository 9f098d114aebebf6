"""Budget rules: merinntektsfullmakt headroom and the 5 % carry-over."""

from __future__ import annotations

from decimal import Decimal

from felles.costing import budget

D = Decimal


def test_extra_revenue_raises_the_headroom_and_missing_revenue_lowers_it() -> None:
    # Prop. 18 S (2025–2026): DSS 1510/01 raised by 75 mill. against 4510/02 +45 and /03 +30.
    post01 = budget.ExpensePost(
        1510,
        "01",
        "Driftsutgifter",
        appropriation=D(800_000_000),
        spent=D(850_000_000),
        revenue=(
            budget.RevenuePost(4510, "02", "Diverse inntekter", D(100_000_000), D(145_000_000)),
            budget.RevenuePost(4510, "03", "Brukerbetaling", D(120_000_000), D(150_000_000)),
        ),
    )
    assert post01.revenue_difference == D(75_000_000)
    assert post01.headroom == D(875_000_000)
    assert post01.remaining == D(25_000_000)
    # Unused 25 mill., but a non-transferable operating post carries at most 5 % = 40 mill.
    assert post01.carry_over == D(25_000_000)
    short = budget.ExpensePost(
        1510,
        "01",
        "Driftsutgifter",
        D(800_000_000),
        D(790_000_000),
        revenue=(budget.RevenuePost(4510, "03", "Brukerbetaling", D(120_000_000), D(100_000_000)),),
    )
    assert short.headroom == D(780_000_000) and short.remaining == D(-10_000_000)
    assert short.carry_over == D(0)


def test_carry_over_is_capped_at_five_percent_unless_the_post_may_be_transferred() -> None:
    post21 = budget.ExpensePost(1510, "21", "Spesielle driftsutgifter", D(10_000_000), D(8_000_000))
    assert post21.carry_over == D(500_000)
    post45 = budget.ExpensePost(
        1510, "45", "Større utstyrsanskaffelser", D(10_000_000), D(8_000_000), transferable=True
    )
    assert post45.carry_over == D(2_000_000)
    assert post45.utilisation == D("80.0")
    summary = budget.summarise([post21, post45], [])
    assert (summary.appropriation, summary.spent, summary.carry_over) == (
        D(20_000_000),
        D(16_000_000),
        D(2_500_000),
    )
