"""The preparedness rules (pure; no Django): quarters and small-count suppression for the
incident statistics, review dates of analyses, reminder windows for supplier clearances
and the emergency stock, and the self-report's questions.

Reminders that fall on a weekend or holiday are moved to the next working day with
`core.calendar` (the only import, and itself pure)."""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from felles.core import calendar as working

# Counts below this (but above zero) are suppressed in the statistics DFD sees: a ministry
# with one or two incidents in a quarter could point to the people involved.
SMALL_COUNT = 3
# How long before the review date the coordinators are reminded (days).
REVIEW_NOTICE_DAYS = 30
# How long before a supplier's facility clearance expires DSS and the ministry are warned:
# NSM's advice for re-clearance of people (six months) applies equally to suppliers.
CLEARANCE_NOTICE_DAYS = 183
# How long before an item's expiry the stock warns.
EXPIRY_NOTICE_DAYS = 60


def quarter(day: dt.date) -> str:
    """«2026-K3» for any day in July–September 2026."""
    return f"{day.year}-K{(day.month - 1) // 3 + 1}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter
    (31.01 + 1 → 28.02 or 29.02 in a leap year)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


def next_review(signed_on: dt.date, months: int) -> dt.date:
    return add_months(signed_on, months)


def review_reminder_on(next_review_on: dt.date) -> dt.date:
    """The working day on or after 30 days before the review date."""
    day = next_review_on - dt.timedelta(days=REVIEW_NOTICE_DAYS)
    return day if working.is_working_day(day) else working.add_working_days(day, 1)


def clearance_warning(expires_on: dt.date | None, today: dt.date) -> str:
    """'' (fine or none), 'soon' (within the notice period) or 'expired'."""
    if expires_on is None:
        return ""
    if expires_on < today:
        return "expired"
    if (expires_on - today).days <= CLEARANCE_NOTICE_DAYS:
        return "soon"
    return ""


@dataclass(frozen=True)
class StockState:
    reorder: bool
    expiring: bool
    expired: bool
    check_overdue: bool

    @property
    def warnings(self) -> bool:
        return self.reorder or self.expiring or self.expired or self.check_overdue


def stock_state(
    quantity: int,
    reorder_level: int,
    expires_on: dt.date | None,
    next_check_on: dt.date,
    today: dt.date,
) -> StockState:
    expired = expires_on is not None and expires_on < today
    expiring = (
        expires_on is not None and not expired and (expires_on - today).days <= EXPIRY_NOTICE_DAYS
    )
    return StockState(quantity <= reorder_level, expiring, expired, next_check_on < today)


def suppress(count: int) -> int | None:
    """The count as shown to DFD: None (shown as «<3») for 1 or 2."""
    return None if 0 < count < SMALL_COUNT else count


def statistics(
    rows: Iterable[tuple[str, str, int]],
) -> tuple[list[str], list[str], dict[tuple[str, str], int | None], dict[str, int | None]]:
    """(quarters, ministries, cells, totals) from (quarter, ministry, count) rows.

    Cells of 1–2 are suppressed. A quarter's total across ministries is suppressed too when
    exactly one cell in that quarter is (the total minus the shown cells would give it away).
    """
    counts: dict[tuple[str, str], int] = {}
    for q, m, n in rows:
        counts[(q, m)] = counts.get((q, m), 0) + n
    quarters = sorted({q for q, _ in counts}, reverse=True)
    ministries = sorted({m for _, m in counts})
    cells = {key: suppress(n) for key, n in counts.items()}
    totals: dict[str, int | None] = {}
    for q in quarters:
        hidden = sum(1 for (cq, _), v in cells.items() if cq == q and v is None)
        total = sum(n for (cq, _), n in counts.items() if cq == q)
        totals[q] = None if hidden == 1 else total
    return quarters, ministries, cells, totals


# --- the yearly self-report ------------------------------------------------------------------

# The questions' keys; their texts are in `models.work.QUESTIONS` (translated).
SELF_REPORT_QUESTIONS = ("governance", "ros", "exercise", "incidents", "personnel", "training")
ANSWERS = ("yes", "partly", "no")


def self_report_overview(
    reports: Iterable[Mapping[str, str]],
) -> dict[str, dict[str, int | None]]:
    """Per question, how many ministries answered yes / partly / no (small counts
    suppressed as in the incident statistics)."""
    counts = {q: dict.fromkeys(ANSWERS, 0) for q in SELF_REPORT_QUESTIONS}
    for answers in reports:
        for q in SELF_REPORT_QUESTIONS:
            a = answers.get(q)
            if a in ANSWERS:
                counts[q][a] += 1
    return {q: {a: suppress(n) for a, n in row.items()} for q, row in counts.items()}
