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


# --- business time on office hours -------------------------------------------------------

from felles.core.calendar import OSLO, BusinessCalendar, OfficeHours, is_half_day  # noqa: E402

CAL = BusinessCalendar()


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=OSLO)


def test_office_hours_winter_summer_and_half_days() -> None:
    hours = OfficeHours()
    assert hours.window(D(2026, 5, 13)) == (dt.time(8), dt.time(15, 45))
    assert hours.window(D(2026, 5, 14)) is None  # Ascension Day
    assert hours.window(D(2026, 5, 15)) == (dt.time(8), dt.time(15))  # summer starts
    assert hours.window(D(2026, 9, 14)) == (dt.time(8), dt.time(15))
    assert hours.window(D(2026, 9, 15)) == (dt.time(8), dt.time(15, 45))
    assert is_half_day(D(2026, 4, 1))  # Wednesday before Maundy Thursday 2026
    assert hours.window(D(2026, 12, 24)) == (dt.time(8), dt.time(12))
    assert hours.window(D(2026, 12, 31)) == (dt.time(8), dt.time(12))
    assert hours.window(D(2026, 12, 25)) is None


def test_deadline_across_easter_2026() -> None:
    # Tuesday 31 March 14:00 + 8 business hours: 105 min on Tuesday, 240 min on the half
    # day Wednesday 1 April, Easter closed 2–6 April, then 135 min on Tuesday 7 April.
    assert CAL.add_minutes(at(2026, 3, 31, 14, 0), 480) == at(2026, 4, 7, 10, 15)
    assert CAL.minutes_between(at(2026, 3, 31, 14, 0), at(2026, 4, 7, 10, 15)) == 480


def test_deadline_across_the_summer_boundary() -> None:
    # Thursday 14 May (Ascension Day: closed) → Friday 15 May is the first summer day.
    assert CAL.add_minutes(at(2026, 5, 13, 15, 0), 60) == at(2026, 5, 15, 8, 15)
    # A full summer day is 7 hours, a full winter day 7 h 45 min.
    assert CAL.minutes_between(at(2026, 6, 1, 8), at(2026, 6, 2, 8)) == 420
    assert CAL.minutes_between(at(2026, 9, 15, 8), at(2026, 9, 16, 8)) == 465


def test_christmas_and_new_year_half_days() -> None:
    assert CAL.minutes_between(at(2026, 12, 23, 8), at(2026, 12, 28, 9)) == 465 + 240 + 60
    assert CAL.add_minutes(at(2026, 12, 31, 11, 0), 120) == at(2027, 1, 4, 9, 0)


def test_dst_changes_do_not_bend_the_working_day() -> None:
    # Summer time starts Sunday 29 March 2026, ends Sunday 25 October 2026.
    assert CAL.minutes_between(at(2026, 3, 27, 15, 0), at(2026, 3, 30, 9, 0)) == 105
    assert CAL.add_minutes(at(2026, 10, 23, 15, 0), 105) == at(2026, 10, 26, 9, 0)
    assert CAL.add_minutes(at(2026, 10, 23, 15, 0), 105).utcoffset() == dt.timedelta(hours=1)


def test_instants_outside_office_hours_clamp() -> None:
    assert CAL.add_minutes(at(2026, 11, 28, 13, 0), 30) == at(2026, 11, 30, 8, 30)  # Saturday
    assert CAL.minutes_between(at(2026, 11, 26, 18), at(2026, 11, 27, 7)) == 0
    assert CAL.add_minutes(at(2026, 11, 26, 8, 0), 465) == at(2026, 11, 26, 15, 45)


def test_provider_specific_hours() -> None:
    late = BusinessCalendar(OfficeHours(start=dt.time(9), end=dt.time(17), summer_end=dt.time(16)))
    assert late.add_minutes(at(2026, 11, 26, 16, 30), 60) == at(2026, 11, 27, 9, 30)


def test_naive_datetimes_are_refused() -> None:
    import pytest

    with pytest.raises(ValueError):
        CAL.position(dt.datetime(2026, 1, 5, 9))  # noqa: DTZ001


instants = st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2030, 12, 31), timezones=st.just(OSLO))  # noqa: DTZ001 - bounds for hypothesis, zone given below


@given(instants, st.floats(0, 20_000))
def test_add_then_measure_round_trips(start: dt.datetime, minutes: float) -> None:
    end = CAL.add_minutes(start, minutes)
    assert abs(CAL.minutes_between(start, end) - minutes) < 1e-6
    assert end >= start or minutes == 0


@given(instants, st.floats(0, 5000), st.floats(0, 5000))
def test_adding_is_monotonic_and_additive(start: dt.datetime, a: float, b: float) -> None:
    first = CAL.add_minutes(start, min(a, b))
    second = CAL.add_minutes(start, max(a, b))
    assert first <= second
    assert abs(CAL.minutes_between(start, CAL.add_minutes(first, abs(a - b))) - max(a, b)) < 1e-6


@given(instants, instants)
def test_between_is_antisymmetric_and_bounded_by_wall_time(a: dt.datetime, b: dt.datetime) -> None:
    assert CAL.minutes_between(a, b) == -CAL.minutes_between(b, a)
    assert abs(CAL.minutes_between(a, b)) <= abs((b - a).total_seconds()) / 60 + 1e-6
