"""Exact FOI statistics per ministry and period (requests received in the period): requests,
items, working days to answer (median; 90th percentile by nearest rank), the share answered
within 1, 3 and 5 working days, outcomes by type and legal basis, appeals and their
outcomes.

The share within N working days is the Parliamentary Ombudsman's: of every request whose
N-working-day window is over by `today` (answered or not), the share answered within N
working days; a request still unanswered after its window counts as not within, and a
request whose window is still running is left out until it is over (rules.share).

Aggregated in the database from the working days stored with each answer, so a year of
100,000 requests is a handful of grouped queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from felles.foi import rules
from felles.foi.models import Appeal, Decision, Outcome, Request
from felles.organisations.models import Organisation

WITHIN = (1, 3, 5)


@dataclass
class Figures:
    requests: int = 0
    items: int = 0
    answered: int = 0
    histogram: dict[int, int] = field(default_factory=dict)
    # Per N in WITHIN: requests whose N-day window is over, and those answered within N.
    due: dict[int, int] = field(default_factory=lambda: dict.fromkeys(WITHIN, 0))
    on_time: dict[int, int] = field(default_factory=lambda: dict.fromkeys(WITHIN, 0))

    @property
    def open(self) -> int:
        return self.requests - self.answered

    @property
    def median(self) -> Fraction | None:
        return rules.median(self.histogram)

    @property
    def p90(self) -> int | None:
        return rules.nearest_rank(self.histogram, 90)

    def within(self) -> list[Within]:
        return [
            Within(
                days,
                self.on_time[days],
                self.due[days],
                rules.share(self.on_time[days], self.due[days]),
            )
            for days in WITHIN
        ]


@dataclass(frozen=True)
class Within:
    days: int
    answered: int  # answered within `days` working days
    due: int  # requests whose window of `days` working days is over
    share: Fraction | None


@dataclass
class Statistics:
    start: dt.date
    end: dt.date
    today: dt.date
    total: Figures
    ministries: list[tuple[Organisation, Figures]]
    outcomes: list[tuple[str, int]]
    bases: list[tuple[str, str, int]]  # outcome, legal basis, count
    appeals: list[tuple[str, str, int]]  # body, result, count


def _requests(scope: frozenset[int] | None, start: dt.date, end: dt.date) -> QuerySet[Request]:
    requests = Request.objects.filter(received_on__gte=start, received_on__lte=end)
    return requests if scope is None else requests.filter(ministry_id__in=scope)


def _basis(row: dict[str, Any]) -> str:
    decision = Decision(
        section=row["section"], subsection=row["subsection"], letter=row["letter"] or ""
    )
    return decision.legal_basis()


def _windows(requests: QuerySet[Request], per: dict[int, Figures], today: dt.date) -> None:
    """One grouped query: per ministry and N, the requests whose N-day window is over and
    those of them answered within N working days."""
    last = {days: rules.window_over_for(today, days) for days in WITHIN}
    counts: dict[str, Any] = {}
    for days in WITHIN:
        over = Q(received_on__lte=last[days])
        counts[f"due{days}"] = Count("id", filter=over)
        counts[f"on{days}"] = Count("id", filter=over & Q(working_days__lte=days))
    for row in requests.values("ministry_id").annotate(**counts).order_by():
        figures = per[row["ministry_id"]]
        for days in WITHIN:
            figures.due[days] = row[f"due{days}"]
            figures.on_time[days] = row[f"on{days}"]


def compute(
    scope: frozenset[int] | None, start: dt.date, end: dt.date, today: dt.date | None = None
) -> Statistics:
    today = today or timezone.localdate()
    requests = _requests(scope, start, end)
    per: dict[int, Figures] = defaultdict(Figures)
    for row in (
        requests.values("ministry_id", "working_days")
        .annotate(n=Count("id"), items=Sum("items_count"))
        .order_by()
    ):
        figures = per[row["ministry_id"]]
        figures.requests += row["n"]
        figures.items += row["items"] or 0
        if row["working_days"] is not None:
            figures.histogram[row["working_days"]] = row["n"]
            figures.answered += row["n"]
    _windows(requests, per, today)
    total = Figures()
    for figures in per.values():
        for days in WITHIN:
            total.due[days] += figures.due[days]
            total.on_time[days] += figures.on_time[days]
        total.requests += figures.requests
        total.items += figures.items
        total.answered += figures.answered
        for days, n in figures.histogram.items():
            total.histogram[days] = total.histogram.get(days, 0) + n
    names = Organisation.objects.in_bulk(list(per))
    ministries = sorted(
        ((names[pk], figures) for pk, figures in per.items()), key=lambda r: r[0].abbreviation
    )
    finals = Decision.objects.filter(
        stage=Decision.Stage.FINAL, received_on__gte=start, received_on__lte=end
    )
    if scope is not None:
        finals = finals.filter(ministry_id__in=scope)
    outcomes = dict.fromkeys(Outcome.values, 0)
    bases = []
    for row in (
        finals.values("outcome", "section", "subsection", "letter")
        .annotate(n=Count("id"))
        .order_by("outcome", "section", "subsection", "letter")
    ):
        outcomes[row["outcome"]] += row["n"]
        if row["section"] is not None:
            bases.append((row["outcome"], _basis(row), row["n"]))
    appeals = [
        (row["body"], row["result"], row["n"])
        for row in Appeal.objects.filter(
            request__received_on__gte=start,
            request__received_on__lte=end,
            **({} if scope is None else {"request__ministry_id__in": scope}),
        )
        .values("body", "result")
        .annotate(n=Count("id"))
        .order_by("body", "result")
    ]
    return Statistics(
        start=start,
        end=end,
        today=today,
        total=total,
        ministries=ministries,
        outcomes=list(outcomes.items()),
        bases=bases,
        appeals=appeals,
    )
