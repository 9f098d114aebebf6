"""Pure date and sampling rules for archive work (no Django; tested with cases computed by
hand in records/tests/test_rules.py).

Sources (../shared/docs/rules-norway.md §2): transfer (avlevering) when the youngest
material is 25 years old, earlier transfer is deposit (Noark 5 ch. 6.4); discard date =
case closed + retention period, typically 5, 10 or 30 years (Noark 5 ch. 6.1); only a
closed period («Avsluttet periode») may be transferred."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TRANSFER_AGE_YEARS = 25
SAMPLE_MIN = 10
SAMPLE_MAX = 50

# Period statuses, as records.models.ArchivePeriod.Status stores them.
ACTIVE = "active"
OVERLAP = "overlap"
CLOSED = "closed"
DEPOSITED = "deposited"
TRANSFERRED = "transferred"

# What the yearly plan names.
PERIODISATION = "periodisation"
DEPOSIT = "deposit"
TRANSFER = "transfer"


def add_years(day: dt.date, years: int) -> dt.date:
    """`day` moved `years` calendar years; 29 February becomes 28 February in a year
    without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def disposal_date(closed_on: dt.date, retention_years: int) -> dt.date:
    """The discard date of material closed on `closed_on` (Noark 5 M452): closed +
    retention period."""
    if retention_years < 0:
        raise ValueError("retention_years must not be negative")
    return add_years(closed_on, retention_years)


def may_dispose(decision: str, disposal_on: dt.date | None, today: dt.date) -> bool:
    """Noark 5's discard condition: the decision is «Kasseres» and today is after the
    discard date."""
    return decision == "dispose" and disposal_on is not None and today > disposal_on


def transfer_due(ends_on: dt.date) -> dt.date:
    """When a period's youngest material is 25 years old: deposit becomes transfer."""
    return add_years(ends_on, TRANSFER_AGE_YEARS)


def sample_size(population: int) -> int:
    """How many journal entries a spot check draws from an extract of `population` rows:
    the square root rounded up, at least 10 (or all rows when there are fewer), at most
    50 (docs/records.md)."""
    if population <= 0:
        return 0
    return min(population, max(SAMPLE_MIN, min(SAMPLE_MAX, math.ceil(math.sqrt(population)))))


def draw_sample(population: int, size: int, seed: int) -> list[int]:
    """The sampled row positions (0-based, ascending): the same population, size and seed
    always give the same sample (Python's Mersenne Twister, `random.Random(seed)`)."""
    if size > population:
        raise ValueError("size must not exceed population")
    return sorted(random.Random(seed).sample(range(population), size))  # noqa: S311


@dataclass(frozen=True)
class Period:
    key: str
    name: str
    starts_on: dt.date
    ends_on: dt.date | None
    status: str


@dataclass(frozen=True)
class PlanItem:
    kind: str  # PERIODISATION | DEPOSIT | TRANSFER
    period_key: str
    period_name: str
    due_on: dt.date
    overdue: bool


def plan_for_year(year: int, periods: Iterable[Period], today: dt.date) -> list[PlanItem]:
    """What is due in `year` for a ministry's periods (and overdue from earlier years):

    - periodisation: an active or overlapping period whose end date falls in the year or
      before (due on its end date);
    - transfer: a closed or deposited period whose youngest material reaches 25 years in
      the year or before (due on that day); it replaces deposit;
    - deposit: otherwise, a closed period that ended before the year (due 31 December).

    A transferred period needs nothing. Sorted by due date, then period name."""
    last_day = dt.date(year, 12, 31)
    items: list[PlanItem] = []
    for p in periods:
        due: dt.date | None = None
        kind = ""
        if p.status in (ACTIVE, OVERLAP):
            if p.ends_on is not None and p.ends_on <= last_day:
                kind, due = PERIODISATION, p.ends_on
        elif p.status in (CLOSED, DEPOSITED) and p.ends_on is not None:
            transfer_on = transfer_due(p.ends_on)
            if transfer_on <= last_day:
                kind, due = TRANSFER, transfer_on
            elif p.status == CLOSED and p.ends_on.year < year:
                kind, due = DEPOSIT, last_day
        if due is not None:
            items.append(PlanItem(kind, p.key, p.name, due, due < today))
    return sorted(items, key=lambda i: (i.due_on, i.period_name))


def trend(counts: Sequence[tuple[int, int]]) -> list[float]:
    """Deviation rates in per cent (one decimal) from (deviations, checked) pairs; a check
    with nothing checked counts as 0."""
    return [round(100 * d / n, 1) if n else 0.0 for d, n in counts]
