"""The pure booking rules, computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from felles.rooms import rules

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def test_times_are_checked() -> None:
    start = dt.datetime(2026, 11, 19, 9, 0, tzinfo=UTC)
    rules.check_times(start, start + dt.timedelta(hours=12), NOW)  # exactly the maximum
    for end, code in (
        (start, "ends_before_start"),
        (start - dt.timedelta(minutes=1), "ends_before_start"),
        (start + dt.timedelta(hours=12, minutes=1), "too_long"),
    ):
        with pytest.raises(rules.RuleError) as exc:
            rules.check_times(start, end, NOW)
        assert exc.value.code == code
    with pytest.raises(rules.RuleError, match="in_the_past"):
        rules.check_times(NOW - dt.timedelta(hours=1), NOW, NOW)


def test_weekly_series_keeps_oslo_time_across_dst() -> None:
    # 2026: summer time ends Sunday 25 October 03:00 → 02:00 (UTC+2 → UTC+1).
    # Thursdays 10:00 Oslo from 15.10: 15.10 and 22.10 are 08:00 UTC, 29.10 and 5.11 09:00.
    found = rules.occurrences(
        first_day=dt.date(2026, 10, 15),
        start_time=dt.time(10, 0),
        minutes=90,
        freq="weekly",
        count=4,
    )
    assert [o.start for o in found] == [
        dt.datetime(2026, 10, 15, 8, 0, tzinfo=UTC),
        dt.datetime(2026, 10, 22, 8, 0, tzinfo=UTC),
        dt.datetime(2026, 10, 29, 9, 0, tzinfo=UTC),
        dt.datetime(2026, 11, 5, 9, 0, tzinfo=UTC),
    ]
    assert all(o.end - o.start == dt.timedelta(minutes=90) for o in found)


def test_spring_forward_and_exceptions() -> None:
    # 2027: summer time starts Sunday 28 March 02:00 → 03:00. Daily 09:00 from 27.03 until
    # 29.03, 28.03 excepted: 27.03 09:00 CET = 08:00 UTC; 29.03 09:00 CEST = 07:00 UTC.
    found = rules.occurrences(
        first_day=dt.date(2027, 3, 27),
        start_time=dt.time(9, 0),
        minutes=60,
        freq="daily",
        until=dt.date(2027, 3, 29),
        exceptions=[dt.date(2027, 3, 28)],
    )
    assert [(o.day.day, o.start.hour) for o in found] == [(27, 8), (29, 7)]
    # 02:30 on 28.03.2027 does not exist in Oslo: it becomes 03:30 CEST = 01:30 UTC.
    assert rules.local(dt.date(2027, 3, 28), dt.time(2, 30)).astimezone(UTC).hour == 1


def test_count_uses_up_excepted_dates_and_limits() -> None:
    found = rules.occurrences(
        first_day=dt.date(2026, 12, 1),
        start_time=dt.time(10, 0),
        minutes=30,
        freq="daily",
        count=3,
        exceptions=[dt.date(2026, 12, 2)],
    )
    assert [o.day.day for o in found] == [1, 3]
    for kwargs, code in (
        ({"count": 3, "until": dt.date(2026, 12, 9)}, "count_or_until"),
        ({"count": 105}, "too_many"),
        ({"until": dt.date(2026, 11, 1)}, "until_before_start"),
    ):
        with pytest.raises(rules.RuleError) as exc:
            rules.occurrences(
                first_day=dt.date(2026, 12, 1),
                start_time=dt.time(10, 0),
                minutes=30,
                freq="weekly",
                **kwargs,
            )
        assert exc.value.code == code


def test_occupancy_splits_at_oslo_hours() -> None:
    # Monday 30.11.2026 09:30–11:00 Oslo = 08:30–10:00 UTC: half of 9, all of 10.
    start = dt.datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
    assert rules.occupancy([(start, start + dt.timedelta(minutes=90))]) == {
        (0, 9): 0.5,
        (0, 10): 1.0,
    }


def test_series_at_the_end_of_the_calendar_is_refused_not_a_crash() -> None:
    # 9999-12-30 + 7 days does not exist: OverflowError before the fix.
    with pytest.raises(rules.RuleError) as exc:
        rules.occurrences(
            first_day=dt.date(9999, 12, 30),
            start_time=dt.time(10, 0),
            minutes=60,
            freq="weekly",
            count=2,
        )
    assert exc.value.code == "too_far_ahead"


def test_a_meeting_under_way_may_be_extended() -> None:
    # Began 11:00 UTC, now 12:00: the end may move to 12:30 (not to 11:30, passed; not to
    # 23:30, 12½ hours); moving its start, even to later, is a new booking's rule.
    start = NOW - dt.timedelta(hours=1)
    rules.check_change(start, start, NOW + dt.timedelta(minutes=30), NOW)
    for new_start, end, code in (
        (start, NOW - dt.timedelta(minutes=30), "end_in_the_past"),
        (start, start + dt.timedelta(hours=12, minutes=30), "too_long"),
        (start - dt.timedelta(minutes=30), NOW + dt.timedelta(hours=1), "in_the_past"),
    ):
        with pytest.raises(rules.RuleError) as exc:
            rules.check_change(start, new_start, end, NOW)
        assert exc.value.code == code
