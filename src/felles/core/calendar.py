"""The Norwegian business calendar (pure; no Django imports).

Working days are Monday–Friday except Norwegian public holidays (the `holidays` package,
moving holidays such as Easter and Ascension included). Legal and workflow deadlines that
count whole working days use these functions; office hours and SLA clocks build on them.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
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
