"""The governance model's rules (pure; no Django imports).

- Levels and the escalation ladder: operative → tactical → strategic. The providers (DSS,
  DIO) decide operative and tactical questions; strategic questions are DFD's (the review,
  chapter 3.2.3). A case escalated past tactical therefore lands with DFD, and DFD is the
  top of the ladder: nothing escalates further.
- Customer-dialogue targets per level and the compliance of held meetings against them.
- The advisory council's rotation: every eligible ministry serves before any serves twice,
  declared unavailability respected.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

OPERATIVE, TACTICAL, STRATEGIC = "operative", "tactical", "strategic"
LADDER = (OPERATIVE, TACTICAL, STRATEGIC)
PROVIDER, DFD = "provider", "dfd"


class RuleError(ValueError):
    """A governance rule refuses the step; the message is for the user (bokmål)."""


def rank(level: str) -> int:
    return LADDER.index(level)


def decider_for(level: str) -> str:
    """Strategic questions are DFD's; operative and tactical ones the provider's."""
    return DFD if level == STRATEGIC else PROVIDER


def routed_level(requested: str | None, lowest: str) -> str:
    """The level a new case starts at: as asked, but never below the lowest level the
    decision-rights table allows for its topic (a pricing case goes straight to DFD)."""
    if requested is None or rank(requested) < rank(lowest):
        return lowest
    return requested


AT_TOP = "Saken ligger allerede hos DFD på strategisk nivå og kan ikke løftes."


def escalated(level: str) -> str:
    """One step up the ladder."""
    if level == STRATEGIC:
        raise RuleError(AT_TOP)
    return LADDER[rank(level) + 1]


# --- Customer dialogue ----------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A meeting frequency: between `minimum` and `maximum` meetings per period."""

    minimum: int
    maximum: int
    months: int  # period length: 1 = a month, 6 = a half-year, 12 = a year

    @property
    def label(self) -> str:
        period = {1: "måned", 6: "halvår", 12: "år"}.get(self.months, f"{self.months}. måned")
        return f"{self.minimum}–{self.maximum} per {period}"


# The review's defaults (chapter 3.2.4): operative 1–2 a month, tactical 2–3 per half-year,
# strategic 1–2 a year.
DEFAULT_TARGETS = {
    OPERATIVE: Target(1, 2, 1),
    TACTICAL: Target(2, 3, 6),
    STRATEGIC: Target(1, 2, 12),
}


def period_start(day: dt.date, months: int) -> dt.date:
    """The first day of the calendar period (month, half-year, year) containing `day`."""
    month0 = (day.month - 1) // months * months
    return dt.date(day.year, month0 + 1, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def periods(start: dt.date, end: dt.date, months: int) -> list[tuple[dt.date, dt.date]]:
    """The calendar periods that overlap [start, end], as (first day, last day)."""
    result = []
    first = period_start(start, months)
    while first <= end:
        following = _add_months(first, months)
        result.append((first, following - dt.timedelta(days=1)))
        first = following
    return result


@dataclass(frozen=True)
class PeriodCompliance:
    first: dt.date
    last: dt.date
    held: int
    target: Target
    complete: bool  # the period has ended, so a shortfall is final
    partial: bool = False  # the dialogue started during the period: shown, not judged

    @property
    def status(self) -> str:
        """One of "met", "over" (more than the target's maximum), "short", "open" (an
        unfinished period still below its minimum) or "partial" (the dialogue began during
        the period and has not reached the minimum: shown, not judged)."""
        if self.partial and self.held < self.target.minimum:
            return "partial"
        if self.held > self.target.maximum:
            return "over"
        if self.held >= self.target.minimum:
            return "met"
        return "short" if self.complete else "open"


def compliance(
    held_on: Iterable[dt.date], target: Target, start: dt.date, today: dt.date
) -> list[PeriodCompliance]:
    """Meetings held per period from `start` to `today` against the target."""
    dates = sorted(d for d in held_on if d >= start)
    rows = []
    for first, last in periods(start, today, target.months):
        partial = first < start  # the series began during this period
        first = max(first, start)
        held = sum(1 for d in dates if first <= d <= last)
        rows.append(
            PeriodCompliance(first, last, held, target, complete=last < today, partial=partial)
        )
    return rows


def compliance_share(rows: Sequence[PeriodCompliance]) -> float | None:
    """Share (percent) of ended, whole periods that reached the minimum."""
    ended = [r for r in rows if r.complete and not r.partial]
    if not ended:
        return None
    return round(100 * sum(1 for r in ended if r.held >= r.target.minimum) / len(ended), 1)


# --- Decision statistics --------------------------------------------------------------------


@dataclass(frozen=True)
class LevelStats:
    level: str
    settled: int
    median_days: float | None
    max_days: int | None


def settlement_stats(settled: Iterable[tuple[str, int]]) -> list[LevelStats]:
    """Cases settled per level and how long they took (working days from raised to decided)."""
    by_level: dict[str, list[int]] = {level: [] for level in LADDER}
    for level, days in settled:
        by_level[level].append(days)
    return [
        LevelStats(
            level,
            len(days),
            float(statistics.median(days)) if days else None,
            max(days) if days else None,
        )
        for level, days in by_level.items()
    ]


# --- Advisory council rotation --------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    starts_on: dt.date
    ends_on: dt.date


def terms(first: dt.date, count: int, months: int) -> list[Term]:
    """`count` consecutive terms of `months` months, the first starting on `first` (the
    first day of a month)."""
    if first.day != 1:
        raise RuleError("En periode i rådet starter den første i en måned.")
    result = []
    start = first
    for _ in range(count):
        following = _add_months(start, months)
        result.append(Term(start, following - dt.timedelta(days=1)))
        start = following
    return result


def _overlaps(term: Term, spans: Iterable[tuple[dt.date, dt.date]]) -> bool:
    return any(a <= term.ends_on and term.starts_on <= b for a, b in spans)


def plan_rotation(
    candidates: Sequence[str],
    plan_terms: Sequence[Term],
    seats: int,
    served: Mapping[str, int] | None = None,
    last_served: Mapping[str, dt.date] | None = None,
    unavailable: Mapping[str, Sequence[tuple[dt.date, dt.date]]] | None = None,
) -> list[list[str]]:
    """The rotating seats for each term.

    Fairness: each term takes the available candidates who have served fewest times, the
    longest-since-last-served (never served first) breaking ties, then the candidates'
    order. So nobody serves a second time while an available candidate has not served at
    all, and a candidate who declared unavailability comes first once available again.
    `served`/`last_served` carry history from earlier terms."""
    if not 2 <= seats <= 3:
        raise RuleError("Rådet har 2–3 roterende plasser.")
    counts = {c: (served or {}).get(c, 0) for c in candidates}
    last = dict(last_served or {})
    blocked = unavailable or {}
    plan = []
    for term in plan_terms:
        available = [c for c in candidates if not _overlaps(term, blocked.get(c, ()))]
        if len(available) < seats:
            raise RuleError(
                f"For få tilgjengelige departementer for perioden som starter "
                f"{term.starts_on:%d.%m.%Y}: {len(available)} av {seats} plasser."
            )
        chosen = sorted(
            available,
            key=lambda c: (counts[c], last.get(c, dt.date.min), candidates.index(c)),
        )[:seats]
        for c in chosen:
            counts[c] += 1
            last[c] = term.starts_on
        plan.append(chosen)
    return plan
