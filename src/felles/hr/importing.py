"""Imports of DFØ's aggregated HR statistics and the employee survey's results (CSV or
XLSX, long format), through the shared two-phase flow (core.imports).

`plan_*` checks every row and writes nothing; `apply_*` writes the whole plan in one
transaction. A row is keyed by ministry, period, measure and breakdown (the survey: by
ministry, period, unit and topic): the same value again is left as it is, a new value for
the same key replaces the old one (DFØ's corrections), so importing the same file twice
changes nothing. Felles holds only aggregates: a file has no column for a person."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import allowed
from felles.core.tabular import RowError, checked_rows, map_columns, read_table
from felles.hr import selectors
from felles.hr.models import COUNTS, Figure, HrImport, Measure, SurveyResult
from felles.organisations.selectors import find_ministry, ministry_index

TEAM_ONLY = gettext_lazy("Bare DSS' HR-team importerer HR-statistikk og medarbeiderundersøkelser.")

COLUMNS = {
    "ministry": ("departement", "ministry"),
    "period": ("periode", "period"),
    "measure": ("måltall", "maltall", "measure"),
    "breakdown": ("inndeling", "breakdown"),
    "value": ("verdi", "value"),
}
REQUIRED = ("ministry", "period", "measure", "value")
MEASURES = {
    "antall ansatte": Measure.HEADCOUNT,
    "ansatte": Measure.HEADCOUNT,
    "headcount": Measure.HEADCOUNT,
    "årsverk": Measure.FTE,
    "arsverk": Measure.FTE,
    "fte": Measure.FTE,
    "turnover": Measure.TURNOVER,
    "avganger": Measure.TURNOVER,
    "sykefravær": Measure.SICK_LEAVE,
    "sykefravaer": Measure.SICK_LEAVE,
    "sick_leave": Measure.SICK_LEAVE,
    "sick leave": Measure.SICK_LEAVE,
    "alder": Measure.AGE_BAND,
    "aldersgruppe": Measure.AGE_BAND,
    "age_band": Measure.AGE_BAND,
    "age band": Measure.AGE_BAND,
    "kjønn": Measure.GENDER,
    "kjonn": Measure.GENDER,
    "gender": Measure.GENDER,
    "deltid": Measure.PART_TIME,
    "stillingsandel": Measure.PART_TIME,
    "part_time": Measure.PART_TIME,
    "part-time": Measure.PART_TIME,
}
MEASURE_WORDS = "antall ansatte, årsverk, turnover, sykefravær, alder, kjønn, deltid"
# Measures that are a breakdown by nature: a row without one is an error.
BROKEN_DOWN = frozenset({Measure.AGE_BAND, Measure.GENDER, Measure.PART_TIME})
TOTAL_WORDS = {"", "i alt", "totalt", "total", "alle", "all"}
PERIOD = re.compile(r"^(20\d\d)(?:-(0[1-9]|1[0-2]|[Kk][1-4]|[Qq][1-4]))?$")
MAX_COUNT = Decimal(1_000_000)
MAX_BREAKDOWN = 60


def _period(value: str) -> str | None:
    """ÅÅÅÅ, ÅÅÅÅ-MM or ÅÅÅÅ-Kn (kvartal; Qn accepted), as stored (ÅÅÅÅ-Kn)."""
    match = PERIOD.match(value.strip())
    if match is None:
        return None
    year, part = match.groups()
    if part is None:
        return year
    return f"{year}-K{part[1]}" if part[0] in "KkQq" else f"{year}-{part}"


def _breakdown(value: str) -> str:
    text = " ".join(value.split())
    return "" if text.lower() in TOTAL_WORDS else text


@dataclass
class HrPlan:
    filename: str
    sha256: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> int:
        return self.created + self.updated

    @property
    def count(self) -> int:
        return len(self.rows)


def _within_reach(row: Any, ministry: Any, reach: frozenset[int] | None) -> None:
    if ministry is not None and reach is not None and ministry.pk not in reach:
        row.error(
            "ministry",
            _("DSS' HR-team betjener ikke %(ministry)s for deg.")
            % {"ministry": ministry.abbreviation},
        )


def _rows(
    plan: HrPlan,
    content: bytes,
    columns: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    reach: frozenset[int] | None,
) -> Iterator[tuple[Any, Any, str | None]]:
    """The file's rows with what both imports check first: the columns, the required
    values, the ministry (one the team serves) and the period. Yields each row with its
    ministry and period; errors go on the row or, for the columns, on the plan (then
    nothing is yielded)."""
    table = read_table(content, plan.filename)
    rows = map_columns(table, columns, required, plan.errors)
    if plan.errors:
        return
    ministries = ministry_index()
    for row in checked_rows(rows, columns, plan.errors):
        row.require(required)
        ministry = find_ministry(row, ministries)
        _within_reach(row, ministry, reach)
        period = _period(row["period"]) if row["period"] else None
        if row["period"] and period is None:
            row.error(
                "period",
                _("«%(value)s» er ikke en periode (ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-K1).")
                % {"value": row["period"]},
            )
        yield row, ministry, period


def _first(row: Any, seen: dict[tuple[Any, ...], int], key: tuple[Any, ...], **error: str) -> bool:
    """Whether `key` is new in the file; a repeated one is an error on the row (`error`:
    the column and the message, with %(row)s for the first row's number)."""
    if key in seen:
        ((column, message),) = error.items()
        row.error(column, message % {"row": seen[key]})
        return False
    seen[key] = row.number
    return True


def plan_statistics(content: bytes, filename: str, reach: frozenset[int] | None = None) -> HrPlan:
    plan = HrPlan(filename, hashlib.sha256(content).hexdigest())
    seen: dict[tuple[Any, ...], int] = {}
    for row, ministry, period in _rows(plan, content, COLUMNS, REQUIRED, reach):
        measure = row.find(
            "measure",
            MEASURES,
            _("«{value}» er ikke et kjent måltall. Bruk %(words)s.") % {"words": MEASURE_WORDS},
        )
        breakdown = _breakdown(row["breakdown"])
        if len(breakdown) > MAX_BREAKDOWN:
            row.error(
                "breakdown", _("Inndelingen er lengre enn %(max)s tegn.") % {"max": MAX_BREAKDOWN}
            )
        if measure in BROKEN_DOWN and not breakdown:
            row.error(
                "breakdown", _("Alder, kjønn og deltid må ha en inndeling (f.eks. «kvinner»).")
            )
        value = row.decimal(
            "value", _("«{value}» er ikke et tall."), low=-MAX_COUNT, high=MAX_COUNT
        )
        if value is not None and value < 0:
            row.error(
                "value", _("Verdien kan ikke være negativ (%(value)s).") % {"value": row["value"]}
            )
        elif value is not None and measure in COUNTS and value != value.to_integral():
            row.error("value", _("Et antall personer må være et helt tall."))
        elif value is not None and measure == Measure.SICK_LEAVE and value > 100:
            row.error("value", _("Sykefravær er en prosent (0–100)."))
        if row.failed:
            continue
        key = (ministry.pk, period, measure, breakdown.lower())
        if not _first(row, seen, key, measure=_("Samme tall står også på rad %(row)s.")):
            continue
        plan.rows.append(
            {
                "ministry": ministry,
                "period": period,
                "measure": measure,
                "breakdown": breakdown,
                "value": value.quantize(Decimal("0.01")),  # type: ignore[union-attr]
            }
        )
    if plan.ok:
        _match(plan, Figure, ("ministry", "period", "measure", "breakdown"), "value")
    return plan


SURVEY_COLUMNS = {
    "ministry": ("departement", "ministry"),
    "period": ("periode", "år", "period", "year"),
    "unit": ("enhet", "unit"),
    "topic": ("tema", "indeks", "topic", "index"),
    "respondents": ("svar", "antall svar", "respondenter", "respondents"),
    "score": ("skår", "skar", "score"),
}
SURVEY_REQUIRED = ("ministry", "period", "topic", "respondents", "score")


def plan_survey(content: bytes, filename: str, reach: frozenset[int] | None = None) -> HrPlan:
    plan = HrPlan(filename, hashlib.sha256(content).hexdigest())
    seen: dict[tuple[Any, ...], int] = {}
    for row, ministry, period in _rows(plan, content, SURVEY_COLUMNS, SURVEY_REQUIRED, reach):
        unit = _breakdown(row["unit"])
        topic = " ".join(row["topic"].split())
        for key, text in (("unit", unit), ("topic", topic)):
            if len(text) > 100:
                row.error(key, _("Teksten er lengre enn 100 tegn."))
        respondents = row.decimal(
            "respondents", _("«{value}» er ikke et antall."), low=-MAX_COUNT, high=MAX_COUNT
        )
        if respondents is not None and (
            respondents < 0 or respondents != respondents.to_integral()
        ):
            row.error("respondents", _("Antall svar må være et helt tall, ikke negativt."))
        score = row.decimal(
            "score", _("«{value}» er ikke et tall."), low=Decimal(-1000), high=Decimal(1000)
        )
        if score is not None and not (0 <= score <= 100):
            row.error("score", _("Skåren må ligge mellom 0 og 100."))
        if row.failed:
            continue
        key = (ministry.pk, period, unit.lower(), topic.lower())
        if not _first(row, seen, key, topic=_("Samme tema og enhet står også på rad %(row)s.")):
            continue
        plan.rows.append(
            {
                "ministry": ministry,
                "period": period,
                "unit": unit,
                "topic": topic,
                "respondents": int(respondents),  # type: ignore[arg-type]
                "score": score.quantize(Decimal("0.01")),  # type: ignore[union-attr]
            }
        )
    if plan.ok:
        _match(plan, SurveyResult, ("ministry", "period", "unit", "topic"), "score", "respondents")
    return plan


def _match(plan: HrPlan, model: Any, keys: tuple[str, ...], *values: str) -> None:
    """Mark each row new, changed or unchanged against what is stored (one query)."""
    ministries = {r["ministry"].pk for r in plan.rows}
    stored = {
        tuple(str(getattr(o, f"{k}_id" if k == "ministry" else k)).lower() for k in keys): o
        for o in model.objects.filter(ministry_id__in=ministries)
    }
    for row in plan.rows:
        key = tuple(str(row[k].pk if k == "ministry" else row[k]).lower() for k in keys)
        existing = stored.get(key)
        row["existing"] = existing
        if existing is None:
            plan.created += 1
        elif all(getattr(existing, v) == row[v] for v in values):
            plan.unchanged += 1
        else:
            plan.updated += 1


def _reach(actor: Actor) -> frozenset[int] | None:
    return None if actor.user is None else selectors.hr_team_reach(actor.user)


@allowed(selectors.may_import, TEAM_ONLY)
def check_statistics(*, actor: Actor, content: bytes, filename: str) -> HrPlan:
    """The dry run of a statistics import (writes nothing)."""
    return plan_statistics(content, filename, _reach(actor))


@allowed(selectors.may_import, TEAM_ONLY)
def check_survey(*, actor: Actor, content: bytes, filename: str) -> HrPlan:
    """The dry run of a survey import (writes nothing)."""
    return plan_survey(content, filename, _reach(actor))


@allowed(selectors.may_import, TEAM_ONLY)
def apply_statistics(*, actor: Actor, plan: HrPlan) -> int:
    return _apply(actor, plan, HrImport.Kind.STATISTICS, Figure, ("value",))


@allowed(selectors.may_import, TEAM_ONLY)
def apply_survey(*, actor: Actor, plan: HrPlan) -> int:
    return _apply(actor, plan, HrImport.Kind.SURVEY, SurveyResult, ("respondents", "score"))


def _apply(actor: Actor, plan: HrPlan, kind: str, model: Any, values: tuple[str, ...]) -> int:
    """Write every new and changed row of a plan without errors, in one transaction."""
    if not plan.ok:
        raise ValueError("A plan with errors cannot be applied.")
    with transaction.atomic():
        new, changed = [], []
        for row in plan.rows:
            existing = row["existing"]
            fields = {k: v for k, v in row.items() if k != "existing"}
            if existing is None:
                new.append(model(**fields))
            elif any(getattr(existing, v) != row[v] for v in values):
                for v in values:
                    setattr(existing, v, row[v])
                changed.append(existing)
        model.objects.bulk_create(new)
        if changed:
            model.objects.bulk_update(changed, list(values))
        record = HrImport.objects.create(
            kind=kind,
            filename=plan.filename[:200],
            sha256=plan.sha256,
            created=len(new),
            updated=len(changed),
            unchanged=plan.unchanged,
            imported_by_label=actor.label,
        )
        audit.record(
            actor=actor,
            action=f"hr.{kind}.import",
            obj=record,
            changes={
                "created": [None, len(new)],
                "updated": [None, len(changed)],
                "unchanged": [None, plan.unchanged],
            },
        )
    return len(new) + len(changed)
