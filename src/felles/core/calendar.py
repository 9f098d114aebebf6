"""The Norwegian business calendar (pure; no Django imports).

Working days are Monday–Friday except Norwegian public holidays (the `holidays` package,
moving holidays such as Easter and Ascension included). Legal deadlines count whole
working days (`add_working_days`). SLA clocks count business time inside office hours
(`BusinessCalendar`): by default the state's 08:00–15:45, 08:00–15:00 in summer
(15 May–14 September), and half days ending 12:00 on Christmas Eve, New Year's Eve and the
Wednesday before Maundy Thursday; all in Europe/Oslo, so DST changes (which happen at
night) never bend a working day.

Business time is mapped onto one number line: the business seconds from the calendar's
epoch. A prefix sum per day makes both "add N minutes" and "minutes between" a bisection
plus a little arithmetic, so deadlines cost microseconds, not a loop over days.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.easter import easter  # type: ignore[import-untyped]

OSLO = ZoneInfo("Europe/Oslo")


@lru_cache(maxsize=256)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NO", years=year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The date `n` working days after `day` (before, for negative `n`); `day` itself does
    not count. add_working_days(Friday, 1) is the next Monday unless that is a holiday."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    current = day
    while remaining:
        current += dt.timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


@dataclass(frozen=True)
class OfficeHours:
    """Office hours of one provider (configurable; the defaults are the state's usual)."""

    start: dt.time = dt.time(8, 0)
    end: dt.time = dt.time(15, 45)
    summer_end: dt.time = dt.time(15, 0)
    summer_from: tuple[int, int] = (5, 15)  # (month, day), inclusive
    summer_to: tuple[int, int] = (9, 14)
    half_day_end: dt.time = dt.time(12, 0)

    def window(self, day: dt.date) -> tuple[dt.time, dt.time] | None:
        """Opening and closing time on `day`, or None when closed."""
        if not is_working_day(day):
            return None
        if is_half_day(day):
            return self.start, self.half_day_end
        if self.summer_from <= (day.month, day.day) <= self.summer_to:
            return self.start, self.summer_end
        return self.start, self.end


def is_half_day(day: dt.date) -> bool:
    """Christmas Eve, New Year's Eve and the Wednesday before Maundy Thursday end at 12:00
    in central administration (SPH 3.1.2)."""
    if (day.month, day.day) in {(12, 24), (12, 31)}:
        return True
    easter_sunday: dt.date = easter(day.year)
    return day == easter_sunday - dt.timedelta(days=4)


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


class BusinessCalendar:
    """Business-time arithmetic on one provider's office hours, in Europe/Oslo."""

    def __init__(
        self, hours: OfficeHours | None = None, first_year: int = 2015, last_year: int = 2045
    ) -> None:
        self.hours = hours or OfficeHours()
        self._build(first_year, last_year)

    def _build(self, first_year: int, last_year: int) -> None:
        self._first = dt.date(first_year, 1, 1)
        self._last = dt.date(last_year, 12, 31)
        self._epoch = self._first.toordinal()
        opens: list[int] = []  # seconds after midnight
        lengths: list[int] = []
        starts: list[int] = []  # business seconds before the day
        ends: list[int] = []  # business seconds at the day's close
        total = 0
        day = self._first
        while day <= self._last:
            window = self.hours.window(day)
            if window is None:
                opens.append(0)
                lengths.append(0)
            else:
                opens.append(_seconds(window[0]))
                lengths.append(_seconds(window[1]) - _seconds(window[0]))
            starts.append(total)
            total += lengths[-1]
            ends.append(total)
            day += dt.timedelta(days=1)
        self._opens, self._lengths, self._starts, self._ends = opens, lengths, starts, ends

    def _ensure(self, day: dt.date) -> None:
        if not self._first <= day <= self._last:
            self._build(min(self._first.year, day.year - 5), max(self._last.year, day.year + 5))

    def position(self, instant: dt.datetime) -> float:
        """Business seconds from the calendar's epoch to `instant` (aware)."""
        if instant.tzinfo is None:
            raise ValueError("business time needs an aware datetime")
        local = instant.astimezone(OSLO)
        day = local.date()
        self._ensure(day)
        i = day.toordinal() - self._epoch
        into = (
            local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
        ) - self._opens[i]
        return self._starts[i] + min(max(into, 0.0), self._lengths[i])

    def at(self, position: float) -> dt.datetime:
        """The instant where business time reaches `position`: inside office hours, and at
        a day's close rather than the next day's opening when it lands on a boundary."""
        i = bisect.bisect_left(self._ends, position)
        while i >= len(self._ends):
            self._build(self._first.year, self._last.year + 10)
            i = bisect.bisect_left(self._ends, position)
        i = max(i, 0)
        day = dt.date.fromordinal(self._epoch + i)
        offset = position - self._starts[i]
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=OSLO)
        local = midnight.replace(tzinfo=None) + dt.timedelta(seconds=self._opens[i] + offset)
        return local.replace(tzinfo=OSLO)

    def add_minutes(self, instant: dt.datetime, minutes: float) -> dt.datetime:
        """The instant `minutes` business minutes after `instant` (never before it: from a
        closed hour, zero minutes later is the instant itself, not the previous close)."""
        result = self.at(self.position(instant) + minutes * 60)
        return max(result, instant) if minutes >= 0 else result

    def minutes_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Business minutes from `start` to `end` (negative if end is earlier)."""
        return (self.position(end) - self.position(start)) / 60

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        hours = self.hours.window(day)
        if hours is None:
            return None
        return (
            dt.datetime.combine(day, hours[0], tzinfo=OSLO),
            dt.datetime.combine(day, hours[1], tzinfo=OSLO),
        )


DEFAULT_CALENDAR_CACHE: dict[OfficeHours, BusinessCalendar] = {}


def calendar_for(hours: OfficeHours | None = None) -> BusinessCalendar:
    """A shared calendar per set of office hours (building one takes a few milliseconds)."""
    hours = hours or OfficeHours()
    if hours not in DEFAULT_CALENDAR_CACHE:
        DEFAULT_CALENDAR_CACHE[hours] = BusinessCalendar(hours)
    return DEFAULT_CALENDAR_CACHE[hours]
