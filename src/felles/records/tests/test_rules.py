"""records.rules, with every expected value computed by hand in the comment beside it."""

from __future__ import annotations

import datetime as dt

import pytest

from felles.records import rules
from felles.records.rules import Period

D = dt.date


def test_disposal_date_is_closing_plus_retention() -> None:
    # Closed 15.03.2016, kept 5 years → 15.03.2021.
    assert rules.disposal_date(D(2016, 3, 15), 5) == D(2021, 3, 15)
    # Closed 29.02.2016 (leap day), 10 years → 2026 has no 29 February → 28.02.2026.
    assert rules.disposal_date(D(2016, 2, 29), 10) == D(2026, 2, 28)
    # 29.02.2016 + 4 years → 29.02.2020 (a leap year again).
    assert rules.disposal_date(D(2016, 2, 29), 4) == D(2020, 2, 29)
    with pytest.raises(ValueError):
        rules.disposal_date(D(2016, 1, 1), -1)


def test_may_dispose_only_after_the_date_and_only_kasseres() -> None:
    # Noark: «Kasseres» and today > discard date. On the day itself: not yet.
    assert not rules.may_dispose("dispose", D(2026, 12, 3), D(2026, 12, 3))
    assert rules.may_dispose("dispose", D(2026, 12, 2), D(2026, 12, 3))
    assert not rules.may_dispose("keep", D(2000, 1, 1), D(2026, 12, 3))
    assert not rules.may_dispose("later", D(2000, 1, 1), D(2026, 12, 3))
    assert not rules.may_dispose("dispose", None, D(2026, 12, 3))


def test_transfer_due_when_the_youngest_material_is_25() -> None:
    # Period ending 31.12.2001 → 31.12.2026.
    assert rules.transfer_due(D(2001, 12, 31)) == D(2026, 12, 31)


@pytest.mark.parametrize(
    ("population", "size"),
    [
        (0, 0),  # nothing to draw
        (7, 7),  # fewer than 10 rows: all of them
        (10, 10),  # √10 ≈ 3.2 → 4, raised to the minimum 10
        (30, 10),  # √30 ≈ 5.5 → 6 → 10
        (100, 10),  # √100 = 10
        (101, 11),  # √101 ≈ 10.05 → 11
        (150, 13),  # √150 ≈ 12.25 → 13
        (400, 20),  # √400 = 20
        (2500, 50),  # √2500 = 50, the cap
        (10_000, 50),  # √10 000 = 100 → capped at 50
    ],
)
def test_sample_size(population: int, size: int) -> None:
    assert rules.sample_size(population) == size


def test_draw_sample_is_reproducible_and_within_bounds() -> None:
    first = rules.draw_sample(150, 13, seed=2026)
    assert first == rules.draw_sample(150, 13, seed=2026)
    assert first != rules.draw_sample(150, 13, seed=2027)
    assert len(set(first)) == 13 and first == sorted(first)
    assert all(0 <= i < 150 for i in first)
    assert rules.draw_sample(5, 5, seed=1) == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError):
        rules.draw_sample(3, 4, seed=1)


def test_plan_for_year() -> None:
    periods = [
        # Deposited, ended 31.12.2001: 25 years on 31.12.2026 → transfer in 2026.
        Period("a", "1997–2001", D(1997, 1, 1), D(2001, 12, 31), rules.DEPOSITED),
        # Closed, ended 31.12.2021, before 2026: deposit, due 31.12.2026.
        Period("b", "2017–2021", D(2017, 1, 1), D(2021, 12, 31), rules.CLOSED),
        # Active, ends 31.12.2026: periodisation on that day.
        Period("c", "2022–2026", D(2022, 1, 1), D(2026, 12, 31), rules.ACTIVE),
        # Deposited, ended 2016: transfer only in 2041; deposited already → nothing.
        Period("d", "2012–2016", D(2012, 1, 1), D(2016, 12, 31), rules.DEPOSITED),
        # Closed in 2026 itself: deposit from next year → nothing in 2026.
        Period("e", "2026 personal", D(2020, 1, 1), D(2026, 6, 30), rules.CLOSED),
        # Transferred: done.
        Period("f", "1990–1995", D(1990, 1, 1), D(1995, 12, 31), rules.TRANSFERRED),
        # Overlap period that ended 30.06.2026: periodisation, overdue on 03.12.2026.
        Period("g", "Overlap", D(2021, 1, 1), D(2026, 6, 30), rules.OVERLAP),
        # Active without an end: nothing yet.
        Period("h", "Open", D(2027, 1, 1), None, rules.ACTIVE),
    ]
    plan = rules.plan_for_year(2026, periods, today=D(2026, 12, 3))
    assert [(i.period_key, i.kind, i.due_on, i.overdue) for i in plan] == [
        ("g", rules.PERIODISATION, D(2026, 6, 30), True),
        ("a", rules.TRANSFER, D(2026, 12, 31), False),
        ("b", rules.DEPOSIT, D(2026, 12, 31), False),
        ("c", rules.PERIODISATION, D(2026, 12, 31), False),
    ]
    # In 2041 the 2012–2016 period turns 25 (31.12.2016 + 25 = 31.12.2041) → transfer;
    # «2017–2021» (closed) is still due for deposit, overdue by then it is not (today 2026).
    later = rules.plan_for_year(2041, periods, today=D(2026, 12, 3))
    assert ("d", rules.TRANSFER, D(2041, 12, 31)) in [
        (i.period_key, i.kind, i.due_on) for i in later
    ]


def test_trend() -> None:
    # 2 of 13 → 15.4 %; 0 of 0 → 0; 1 of 3 → 33.3 %.
    assert rules.trend([(2, 13), (0, 0), (1, 3)]) == [15.4, 0.0, 33.3]
