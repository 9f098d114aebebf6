"""The law's deadlines for an FOI request (offentleglova) and the exact statistics (pure; no
Django).

The deadlines come from the law, not from the review (docs/foi.md):

- the answer: "utan ugrunna opphald" (offl. § 29 første ledd), in practice the same day or
  within 1–3 working days (JD's rettleiar); the target is configurable, default 3;
- no answer within 5 working days counts as a refusal that may be appealed (offl. § 32
  første ledd);
- fuller reasons asked for after a refusal are owed within 10 working days (offl. § 31
  andre ledd);
- the appeal deadline is 3 weeks from when the decision reached the requester (offl. § 32
  tredje ledd, jf. fvl. § 29); a deadline ending on a day that is not a working day moves
  to the next working day (domstolloven § 149 as fvl. § 30 reads it in practice; stated
  as an assumption in docs/foi.md).

Working days are core.calendar's: Monday–Friday except Norwegian public holidays;
Christmas Eve and New Year's Eve are working days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from felles.core.calendar import add_working_days, is_working_day, working_days_between

DEFAULT_TARGET_DAYS = 3
DEEMED_REFUSAL_DAYS = 5
FULLER_REASONS_DAYS = 10
APPEAL_WEEKS = 3
# Warn this many working days before a deadline (the day itself and after: overdue).
WARN_DAYS = 1

OK, WARNING, DUE, OVERDUE = "ok", "warning", "due", "overdue"


@dataclass(frozen=True)
class Deadlines:
    received: dt.date
    target: dt.date  # the answer's target (configurable, 1–3 working days)
    deemed_refusal: dt.date  # § 32: no answer by the end of this day counts as a refusal


def deadlines(received: dt.date, target_days: int = DEFAULT_TARGET_DAYS) -> Deadlines:
    """The answer's deadlines counted in working days after the day the request arrived
    (that day itself does not count)."""
    if not 0 <= target_days <= DEEMED_REFUSAL_DAYS:
        raise ValueError("target_days must be between 0 and 5")
    return Deadlines(
        received=received,
        target=add_working_days(received, target_days),
        deemed_refusal=add_working_days(received, DEEMED_REFUSAL_DAYS),
    )


# The exemption grounds open to a ministry (offentleglova kapittel 3): § 16 is for
# municipalities and counties; § 28 andre ledd (not a specific case) only with its ledd.
MINISTRY_GROUNDS = frozenset({13, 14, 15, *range(17, 27)})


def ministry_ground(section: int, subsection: int | None = None) -> bool:
    """Whether offl. § `section` (ledd `subsection`) may ground a ministry's refusal."""
    return section in MINISTRY_GROUNDS or (section == 28 and subsection == 2)


def fuller_reasons_due(asked: dt.date) -> dt.date:
    """Fuller reasons after a refusal: within 10 working days of the request for them."""
    return add_working_days(asked, FULLER_REASONS_DAYS)


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def appeal_deadline(notified: dt.date) -> dt.date:
    """The last day to appeal: three weeks after the decision reached the requester, moved
    to the next working day when that is a weekend or a public holiday."""
    return next_working_day(notified + dt.timedelta(weeks=APPEAL_WEEKS))


def deadline_state(today: dt.date, due: dt.date, warn_days: int = WARN_DAYS) -> str:
    """OK; WARNING from `warn_days` working days before; DUE on the day; OVERDUE after."""
    if today > due:
        return OVERDUE
    if today == due:
        return DUE
    if add_working_days(today, warn_days) >= due:
        return WARNING
    return OK


def working_days_to_answer(received: dt.date, answered: dt.date) -> int:
    """Working days after the day of receipt up to and including the day of the answer: an
    answer the same day is 0, the next working day 1."""
    return working_days_between(received, answered)


# --- statistics --------------------------------------------------------------------------


def _ordered(histogram: Mapping[int, int]) -> list[tuple[int, int]]:
    return sorted((value, count) for value, count in histogram.items() if count > 0)


def nearest_rank(histogram: Mapping[int, int], percent: int) -> int | None:
    """The nearest-rank percentile of the values counted in `histogram` ({value: count}):
    the smallest value such that at least `percent` % of all values are at or below it
    (rank ⌈p/100 × n⌉, 1-based). Exact in integers; None without values."""
    if not 0 < percent <= 100:
        raise ValueError("percent must be in 1..100")
    ordered = _ordered(histogram)
    total = sum(count for _, count in ordered)
    if total == 0:
        return None
    rank = -(-percent * total // 100)  # ceil(percent × total / 100)
    seen = 0
    for value, count in ordered:
        seen += count
        if seen >= rank:
            return value
    raise AssertionError("unreachable")  # pragma: no cover


def median(histogram: Mapping[int, int]) -> Fraction | None:
    """The median: the middle value, or the mean of the two middle values for an even
    count (so 1, 2, 3, 4 → 2½). Exact as a fraction; None without values."""
    ordered = _ordered(histogram)
    total = sum(count for _, count in ordered)
    if total == 0:
        return None

    def at(rank: int) -> int:  # 1-based
        seen = 0
        for value, count in ordered:
            seen += count
            if seen >= rank:
                return value
        raise AssertionError("unreachable")  # pragma: no cover

    if total % 2:
        return Fraction(at(total // 2 + 1))
    return Fraction(at(total // 2) + at(total // 2 + 1), 2)


def window_over_for(today: dt.date, days: int) -> dt.date:
    """The last day of receipt whose window of `days` working days is over by `today`: a
    request received on day R has its window end on add_working_days(R, days); the window
    is over when that day is before `today`. Every request received on or before the
    returned day has had its full window (the relation is monotonic in R)."""
    if days < 0:
        raise ValueError("days must not be negative")
    received = today - dt.timedelta(days=1)
    while add_working_days(received, days) >= today:
        received -= dt.timedelta(days=1)
    return received


def share(within: int, due: int) -> Fraction | None:
    """The share answered within N working days, the Ombudsman's way: `due` counts every
    request whose N-working-day window is over (answered or not), `within` those of them
    answered within N working days; an unanswered request past its window counts as not
    within. None when no window is over."""
    if not 0 <= within <= due:
        raise ValueError("within must be between 0 and due")
    return Fraction(within, due) if due else None


# --- retention ---------------------------------------------------------------------------


def requester_kept_until(
    answered: dt.date | None, appeal_deadline_: dt.date | None, margin_days: int
) -> dt.date | None:
    """The last day the requester's address and name are kept (erased the day after), when
    no appeal is pending and no fuller reasons are owed: the appeal deadline of the answer
    plus `margin_days` calendar days for an appeal posted on the last day. A request not
    answered is not closed: its requester is kept (None), however old it is; the case is
    deleted only after it is closed and the appeal period is over."""
    if answered is None or appeal_deadline_ is None:
        return None
    return appeal_deadline_ + dt.timedelta(days=margin_days)
