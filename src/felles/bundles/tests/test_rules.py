"""The bundle rules, with deadlines counted by hand on the 2027 calendar (Easter: Maundy
Thursday 25 March, Good Friday 26 March, Easter Monday 29 March)."""

from __future__ import annotations

import datetime as dt

import pytest

from felles.bundles import rules

D = dt.date


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (0, D(2027, 3, 30)),  # the first day itself: Tuesday after Easter Monday
        (-1, D(2027, 3, 24)),  # Mon 29, Fri 26, Thu 25 are holidays: Wednesday 24
        (-3, D(2027, 3, 22)),  # 24, 23, 22
        (-5, D(2027, 3, 18)),  # 24, 23, 22, 19, 18
        (-15, D(2027, 3, 4)),  # … 12, 11, 10, 9, 8, 5, 4
        (10, D(2027, 4, 13)),  # 31, 1, 2, 5, 6, 7, 8, 9, 12, 13
    ],
)
def test_deadlines_across_easter_2027(offset: int, expected: dt.date) -> None:
    assert rules.due_date(D(2027, 3, 30), offset) == expected


def test_conditions() -> None:
    answers = {"behov": ["PC", "Adgangskort"], "klarering": "Ingen", "navn": "Nora"}
    assert rules.applies("", "", "", answers)
    assert rules.applies("contains", "behov", "PC", answers)
    assert not rules.applies("contains", "behov", "Mobiltelefon", answers)
    assert not rules.applies("contains", "navn", "Nora", answers)  # a text is not a list
    assert rules.applies("equals", "klarering", "Ingen", answers)
    assert not rules.applies("not_equals", "klarering", "Ingen", answers)
    assert rules.applies("not_equals", "mangler", "Ingen", answers)
    with pytest.raises(ValueError, match="unknown"):
        rules.applies("regex", "navn", ".*", answers)


def test_loops() -> None:
    assert rules.find_loop(1, {1: {2, 3}, 2: {4}, 3: {4}}) is None
    assert rules.find_loop(1, {1: {1}}) == [1, 1]
    assert rules.find_loop(1, {1: {2}, 2: {3}, 3: {1}}) == [1, 2, 3, 1]
    # a loop elsewhere that does not come back to the start is not this bundle's
    assert rules.find_loop(1, {1: {2}, 2: {3}, 3: {2}}) is None
