"""Pure booking rules: the limits of one booking, the occurrences of a recurring series in
Oslo local time (right across the daylight-saving changes), and occupancy by weekday and
hour. No Django: tested with cases computed by hand (rooms/tests/test_rules.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
MAX_BOOKING = dt.timedelta(hours=12)
"""The longest single booking (a whole conference day); longer events recur daily."""
MAX_OCCURRENCES = 104
"""A series has at most two years of weekly occurrences."""
MAX_AHEAD = dt.timedelta(days=730)
"""Nothing is booked more than two years ahead."""


class RuleError(ValueError):
    """A booking breaks a rule; `field` names the form field, `code` the message."""

    def __init__(self, code: str, field: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.field = field


def check_times(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> None:
    """Refuse a booking that ends before it starts, lasts too long, has begun already or
    lies too far ahead. Times are aware."""
    if end <= start:
        raise RuleError("ends_before_start", "end")
    if end - start > MAX_BOOKING:
        raise RuleError("too_long", "end")
    if start < now:
        raise RuleError("in_the_past", "start")
    if start - now > MAX_AHEAD:
        raise RuleError("too_far_ahead", "start")


def check_change(
    old_start: dt.datetime, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> None:
    """The rules for moving a booking. A meeting under way (its start unchanged and
    passed) may still be extended or shortened: only the new end is checked (after the
    start, within the longest booking, not passed). Otherwise as booking it."""
    if start == old_start and start < now:
        if end <= start:
            raise RuleError("ends_before_start", "end")
        if end - start > MAX_BOOKING:
            raise RuleError("too_long", "end")
        if end < now:
            raise RuleError("end_in_the_past", "end")
        return
    check_times(start, end, now)


def local(day: dt.date, time: dt.time) -> dt.datetime:
    """The aware instant of a wall-clock time in Oslo. A time that does not exist (the
    spring-forward hour) moves forward an hour, as clocks do; an ambiguous one (the autumn
    hour that happens twice) is its first occurrence."""
    # fold=0 takes the offset in force before a change: for the spring gap that puts 02:30
    # at 03:30 summer time, for the autumn's repeated hour the first (summer) 02:30.
    return dt.datetime.combine(day, time).replace(tzinfo=OSLO, fold=0)


@dataclass(frozen=True)
class Occurrence:
    day: dt.date
    start: dt.datetime  # aware, UTC
    end: dt.datetime


def occurrences(
    *,
    first_day: dt.date,
    start_time: dt.time,
    minutes: int,
    freq: str,
    interval: int = 1,
    count: int | None = None,
    until: dt.date | None = None,
    exceptions: Iterable[dt.date] = (),
) -> list[Occurrence]:
    """The occurrences of a daily or weekly series, each at the same Oslo wall-clock time
    (so 10:00 stays 10:00 after the clocks change). `count` counts the dates of the rule
    (an exception still uses up its place, as in RFC 5545's EXDATE); `until` is inclusive.
    Exactly one of `count` and `until` is required."""
    if (count is None) == (until is None):
        raise RuleError("count_or_until", "count")
    if interval < 1 or interval > 52:
        raise RuleError("bad_interval", "interval")
    if minutes <= 0:
        raise RuleError("ends_before_start", "end")
    if dt.timedelta(minutes=minutes) > MAX_BOOKING:
        raise RuleError("too_long", "end")
    step = dt.timedelta(days=interval * (7 if freq == "weekly" else 1))
    if freq not in ("daily", "weekly"):
        raise RuleError("bad_freq", "freq")
    if until is not None and until < first_day:
        raise RuleError("until_before_start", "until")
    skipped = set(exceptions)
    days: list[dt.date] = []
    day = first_day
    result = []
    try:  # a date at the ends of the calendar overflows: too far ahead, never a crash
        while (count is not None and len(days) < count) or (until is not None and day <= until):
            days.append(day)
            if len(days) > MAX_OCCURRENCES:
                raise RuleError("too_many", "count")
            day += step
        for day in days:
            if day in skipped:
                continue
            # Elapsed time in UTC (aware arithmetic in one zone would be wall-clock time).
            start = local(day, start_time).astimezone(dt.UTC)
            result.append(Occurrence(day, start, start + dt.timedelta(minutes=minutes)))
    except OverflowError as exc:
        raise RuleError("too_far_ahead", "first_day") from exc
    return result


def occupancy(
    intervals: Iterable[tuple[dt.datetime, dt.datetime]],
    *,
    first_hour: int = 7,
    last_hour: int = 18,
) -> dict[tuple[int, int], float]:
    """Booked hours per (weekday 0=Monday, Oslo hour) summed over `intervals`, each split
    at the hour boundaries in Oslo local time; hours outside first_hour..last_hour are
    left out. A booking 09:30–11:00 on a Monday gives {(0, 9): 0.5, (0, 10): 1.0}."""
    result: dict[tuple[int, int], float] = {}
    for start, end in intervals:
        cursor = start.astimezone(OSLO)
        stop = end.astimezone(OSLO)
        while cursor < stop:
            next_hour = cursor.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
            piece_end = min(next_hour, stop)
            if first_hour <= cursor.hour < last_hour:
                key = (cursor.weekday(), cursor.hour)
                result[key] = result.get(key, 0.0) + (piece_end - cursor).total_seconds() / 3600
            cursor = piece_end
    return result
