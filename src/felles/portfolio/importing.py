"""Import of the baseline (nullpunktsanalyse) from the mapping form, CSV or XLSX.

Two phases like every import in Felles: `plan_baseline` checks every row and writes
nothing; `apply_baseline` writes the whole plan in one transaction. A row is keyed by
ministry, area, measure, name and date: the same figure again is skipped, another figure
for the same key is an error (a correction is a new date, so history is kept)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog.selectors import area_index
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import allowed
from felles.core.tabular import RowError, checked_rows, map_columns, read_table
from felles.organisations.selectors import find_ministry, ministry_index
from felles.portfolio import selectors
from felles.portfolio.models import BaselineImport, BaselineMeasure

DFD_ONLY = gettext_lazy("Bare DFDs porteføljekontor importerer nullpunktsmålinger.")

COLUMNS = {
    "ministry": ("departement", "ministry"),
    "area": ("område", "omrade", "area"),
    "measure": ("måltall", "maltall", "measure"),
    "name": ("navn", "name"),
    "unit": ("enhet", "unit"),
    "value": ("verdi", "value"),
    "date": ("dato", "date"),
}
REQUIRED = ("ministry", "area", "measure", "value", "date")
MEASURES = {
    "årsverk": BaselineMeasure.Measure.FTE,
    "fte": BaselineMeasure.Measure.FTE,
    "kostnad": BaselineMeasure.Measure.COST,
    "cost": BaselineMeasure.Measure.COST,
    "areal": BaselineMeasure.Measure.FLOOR_SPACE,
    "floor_space": BaselineMeasure.Measure.FLOOR_SPACE,
    "volum": BaselineMeasure.Measure.VOLUME,
    "volume": BaselineMeasure.Measure.VOLUME,
    "kvalitet": BaselineMeasure.Measure.QUALITY,
    "quality": BaselineMeasure.Measure.QUALITY,
}
NAMED = {BaselineMeasure.Measure.VOLUME, BaselineMeasure.Measure.QUALITY}
MAX_VALUE = Decimal("99999999999999.99")


@dataclass
class BaselinePlan:
    filename: str
    sha256: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    existing: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def creates(self) -> int:
        return len(self.rows)


def plan_baseline(content: bytes, filename: str) -> BaselinePlan:
    plan = BaselinePlan(filename, hashlib.sha256(content).hexdigest())
    table = read_table(content, filename)
    rows = map_columns(table, COLUMNS, REQUIRED, plan.errors)
    if plan.errors:
        return plan
    ministries = ministry_index()
    areas = area_index()
    seen: dict[tuple[Any, ...], int] = {}
    for row in checked_rows(rows, COLUMNS, plan.errors):
        row.require(REQUIRED)
        ministry = find_ministry(row, ministries)
        area = row.find("area", areas, _("«{value}» er ikke et tjenesteområde."))
        measure = row.find(
            "measure", MEASURES, _("Bruk årsverk, kostnad, areal, volum eller kvalitet.")
        )
        if measure in NAMED and not row["name"]:
            row.error("name", _("Volum og kvalitet må ha et navn (hva som måles)."))
        value = row.decimal(
            "value", _("«{value}» er ikke et tall."), low=-MAX_VALUE, high=MAX_VALUE
        )
        if value is not None and value < 0:
            row.error("value", _("Verdien kan ikke være negativ."))
        day = row.date("date", _("«{value}» er ikke en dato (dd.mm.åååå)."))
        if row.failed:
            continue
        name = row["name"] if measure in NAMED else ""
        key = (ministry.pk, area.pk, measure, name.lower(), day)  # type: ignore[union-attr]
        if key in seen:
            row.error("measure", _("Samme måltall står også på rad %(row)s.") % {"row": seen[key]})
            continue
        seen[key] = row.number
        plan.rows.append(
            {
                "n": row.number,
                "ministry": ministry,
                "area": area,
                "measure": measure,
                "name": name,
                "unit": row["unit"],
                "value": value.quantize(Decimal("0.01")),  # type: ignore[union-attr]
                "measured_on": day,
            }
        )
    _match_existing(plan)
    return plan


def _match_existing(plan: BaselinePlan) -> None:
    fresh = []
    for row in plan.rows:
        stored = BaselineMeasure.objects.filter(
            ministry=row["ministry"],
            area=row["area"],
            measure=row["measure"],
            name__iexact=row["name"],
            measured_on=row["measured_on"],
        ).first()
        if stored is None:
            fresh.append(row)
        elif stored.value == row["value"]:
            plan.existing += 1
        else:
            plan.errors.append(
                RowError(
                    row["n"],
                    "verdi",
                    _(
                        "Finnes fra før med verdien %(value)s. Bruk en ny dato for en "
                        "korrigert måling."
                    )
                    % {"value": stored.value},
                )
            )
    plan.rows = fresh


@allowed(selectors.may_manage_portfolio, DFD_ONLY)
def check_baseline(*, actor: Actor, content: bytes, filename: str) -> BaselinePlan:
    """The dry run of a baseline import (writes nothing), for those who may import it."""
    return plan_baseline(content, filename)


@allowed(selectors.may_manage_portfolio, DFD_ONLY)
def apply_baseline(*, actor: Actor, plan: BaselinePlan) -> int:
    """Write every row of a plan without errors, in one transaction."""
    if not plan.ok:
        raise ValueError("A plan with errors cannot be applied.")
    with transaction.atomic():
        BaselineMeasure.objects.bulk_create(
            [
                BaselineMeasure(
                    ministry=r["ministry"],
                    area=r["area"],
                    measure=r["measure"],
                    name=r["name"],
                    unit=r["unit"],
                    value=r["value"],
                    measured_on=r["measured_on"],
                )
                for r in plan.rows
            ]
        )
        record = BaselineImport.objects.create(
            filename=plan.filename[:200],
            sha256=plan.sha256,
            rows=plan.creates,
            skipped=plan.existing,
            imported_by_label=actor.label,
        )
        audit.record(
            actor=actor,
            action="portfolio.baseline.import",
            obj=record,
            changes={"rows": [None, plan.creates], "skipped": [None, plan.existing]},
        )
    return plan.creates
