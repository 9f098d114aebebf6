"""Working days on the Norwegian calendar."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from felles.core.calendar import add_working_days, is_working_day, working_days_between

D = dt.date


def test_easter_and_constitution_day_are_not_working_days() -> None:
    assert not is_working_day(D(2026, 4, 2))  # Maundy Thursday
    assert not is_working_day(D(2026, 4, 6))  # Easter Monday
    assert not is_working_day(D(2026, 5, 14))  # Ascension Day
    assert not is_working_day(D(2026, 5, 17))
    assert is_working_day(D(2026, 4, 1))
    assert not is_working_day(D(2026, 11, 28))  # Saturday


def test_add_working_days_skips_the_easter_block() -> None:
    assert add_working_days(D(2026, 3, 31), 3) == D(2026, 4, 8)
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)  # Friday → Monday
    assert add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 24)  # Christmas Eve works
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 28)


@given(st.dates(D(2024, 1, 1), D(2030, 12, 31)), st.integers(0, 40))
def test_add_and_count_round_trip(start: dt.date, n: int) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert end >= start
    assert n == 0 or is_working_day(end)
