"""Pure rules for guidelines: when a ministry's answer is overdue, and what an exception
may ask for. No Django; tested with cases computed by hand."""

from __future__ import annotations

import datetime as dt

# An exception is a temporary departure: it ends, and within five years.
EXCEPTION_MAX_DAYS = 5 * 366
NO_END, END_PASSED, END_TOO_LATE = "no_end", "end_passed", "end_too_late"


def is_overdue(respond_by: dt.date, today: dt.date, answered: bool) -> bool:
    """A ministry that has not answered by its deadline is overdue (the day itself is
    still in time)."""
    return not answered and today > respond_by


def exception_end_problem(ends_on: dt.date | None, today: dt.date) -> str | None:
    """Why an exception's end date is refused (a code), or None when it is fine."""
    if ends_on is None:
        return NO_END
    if ends_on <= today:
        return END_PASSED
    if (ends_on - today).days > EXCEPTION_MAX_DAYS:
        return END_TOO_LATE
    return None


def next_number(numbers: list[int]) -> int:
    """The next version number after the ones that exist (1 for the first)."""
    return max(numbers, default=0) + 1
