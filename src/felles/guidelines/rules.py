"""Pure rules for guidelines: when a ministry's answer is overdue, and what an exception
may ask for. No Django; tested with cases computed by hand."""

from __future__ import annotations

import datetime as dt

# An exception is a temporary departure: it ends, and within five years.
EXCEPTION_MAX_DAYS = 5 * 366
NO_END, END_PASSED, END_TOO_LATE = "no_end", "end_passed", "end_too_late"


def is_overdue(
    respond_by: dt.date,
    today: dt.date,
    answered: bool,
    exception_ends: dt.date | None = None,
) -> bool:
    """A ministry that has not answered by its deadline is overdue (the day itself is
    still in time), and so is one whose exception has ended (`exception_ends` before
    today: it must now follow the guideline or ask for a new exception)."""
    if exception_ends is not None and exception_ends < today:
        return True
    return not answered and today > respond_by


def respond_by_problem(respond_by: dt.date, today: dt.date) -> bool:
    """A version goes on hearing with its answer deadline still ahead (today is fine)."""
    return respond_by < today


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


# Adoption. Common guidelines bind every ministry: they are DFD's, decided at the
# strategic level, and only a decision that adopts the version counts (a case decided in
# the case register without adopting it - DFD said no, or decided something else - does
# not).
ADOPTING_LEVEL = "strategic"
NO_CASE, NOT_DECIDED, NOT_IN_FAVOUR, WRONG_LEVEL, NOT_HEARD = (
    "no_case",
    "not_decided",
    "not_in_favour",
    "wrong_level",
    "not_heard",
)


def adoption_problem(
    *,
    has_case: bool,
    decided: bool,
    in_favour: bool,
    decided_level: str,
    unheard: frozenset[int] = frozenset(),
) -> str | None:
    """Why a version may not be marked adopted (a code), or None when its case heard
    every ministry (`unheard`: the ministries its hearings left out) and was decided in
    its favour at the adopting level."""
    if not has_case:
        return NO_CASE
    if unheard:
        return NOT_HEARD
    if not decided:
        return NOT_DECIDED
    if decided_level != ADOPTING_LEVEL:
        return WRONG_LEVEL
    if not in_favour:
        return NOT_IN_FAVOUR
    return None
