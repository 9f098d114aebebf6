"""The cost model as a workbook: download a provider's model, edit it in Excel, upload it
back (`plan_model` checks every sheet and writes nothing; the view saves the plan).
Split from `importing`, whose two-phase `Plan` it extends."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from felles.catalog.models import Service
from felles.core.tabular import (
    RowError,
    map_columns,
    parse_date,
    parse_decimal,
    read_sheets,
)
from felles.core.validators import DATE_RANGE_MESSAGE, date_in_range
from felles.costing import allocation, models
from felles.costing.importing import Plan
from felles.organisations.models import Organisation

SHEETS = ("Kostnadssteder", "Fordelingsnøkler", "Tjenester")
CENTRE_COLUMNS = {
    "code": ("kode", "code"),
    "name": ("navn", "name"),
    "kind": ("type", "kind"),
    "direct_cost": ("direkte kostnad", "direct_cost"),
    "capital_cost": ("kapitalkostnad", "capital_cost"),
}
DRIVER_COLUMNS = {
    "period": ("periode", "period"),
    "supplier": ("fra", "supplier"),
    "receiver": ("til", "receiver"),
    "driver": ("nøkkel", "driver"),
    "quantity": ("mengde", "quantity"),
}
SERVICE_COLUMNS = {
    "line": ("linje", "line"),
    "service": ("tjeneste", "service"),
    "share": ("andel", "share"),
    "planned_volume": ("planlagt volum", "planned_volume"),
    "marginal_cost": ("marginalkostnad", "marginal_cost"),
}
KINDS = {
    "støtte": "support",
    "støttefunksjon": "support",
    "support": "support",
    "linje": "line",
    "tjenestelinje": "line",
    "line": "line",
}


@dataclass
class ModelPlan(Plan):
    centres: list[dict[str, Any]] = field(default_factory=list)
    shares: list[tuple[str, str, Decimal, str]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    quantities: list[tuple[dt.date, str, str, str, Decimal]] = field(default_factory=list)
    period: dt.date | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # provider, year, name (the page's)

    @property
    def creates(self) -> int:
        return len(self.centres)


MODEL_MAX = Decimal("999999999999.99")


def _amount_ok(value: Decimal | None, maximum: Decimal) -> bool:
    return value is not None and Decimal(0) <= value <= maximum


def _period(text: str) -> dt.date | None:
    """2026, 2026-03 or a date: the first day of the period."""
    for pattern in ("%Y", "%Y-%m", "%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    day = parse_date(text)
    return day.replace(day=1) if day else None


def plan_model(provider: Organisation, content: bytes, filename: str) -> ModelPlan:
    """A whole cost model from a workbook (the sheets of `SHEETS`): cost centres, driver
    quantities per period (the newest period gives the shares) and the services' shares of
    their lines. Everything is checked, the allocation included, before anything is saved."""
    plan = ModelPlan(filename, hashlib.sha256(content).hexdigest())
    sheets = read_sheets(content, filename, SHEETS)

    def error(sheet: str, n: int, column: str, message: str) -> None:
        plan.errors.append(RowError(n, f"{sheet}: {column}", message))

    centres = map_columns(
        sheets["Kostnadssteder"],
        CENTRE_COLUMNS,
        ("code", "name", "kind", "direct_cost"),
        plan.errors,
    )
    drivers = map_columns(
        sheets["Fordelingsnøkler"], DRIVER_COLUMNS, tuple(DRIVER_COLUMNS), plan.errors
    )
    services = map_columns(
        sheets["Tjenester"],
        SERVICE_COLUMNS,
        ("line", "service", "share", "planned_volume"),
        plan.errors,
    )
    if plan.errors:
        return plan
    kinds: dict[str, str] = {}
    for n, row in centres:
        kind = KINDS.get(row["kind"].lower())
        direct = parse_decimal(row["direct_cost"]) if row["direct_cost"] else None
        capital = parse_decimal(row["capital_cost"] or "0")
        if not row["code"] or not row["name"]:
            error("Kostnadssteder", n, "kode", _("Kode og navn må fylles ut."))
        elif row["code"] in kinds:
            error(
                "Kostnadssteder",
                n,
                "kode",
                _("Koden «%(code)s» står to ganger.") % {"code": row["code"]},
            )
        if kind is None:
            error("Kostnadssteder", n, "type", _("Skriv «støtte» eller «linje»."))
        if not _amount_ok(direct, MODEL_MAX) or not _amount_ok(capital, MODEL_MAX):
            error(
                "Kostnadssteder",
                n,
                "direkte kostnad",
                _("Kostnader er tall fra 0 til 999 999 999 999."),
            )
        if kind and row["code"]:
            kinds[row["code"]] = kind
            plan.centres.append(
                {
                    "code": row["code"],
                    "name": row["name"],
                    "kind": kind,
                    "direct_cost": direct or Decimal(0),
                    "capital_cost": capital or Decimal(0),
                }
            )
    seen_drivers: set[tuple[Any, str, str]] = set()
    for n, row in drivers:
        period = _period(row["period"])
        key = (period, row["supplier"], row["receiver"])
        if key in seen_drivers:
            error("Fordelingsnøkler", n, "til", _("Samme periode, fra og til står to ganger."))
        seen_drivers.add(key)
        quantity = parse_decimal(row["quantity"]) if row["quantity"] else None
        if period is None:
            error("Fordelingsnøkler", n, "periode", _("Skriv år (2026) eller måned (2026-03)."))
        elif not date_in_range(period):  # year 9999 would set the shares for ever
            error("Fordelingsnøkler", n, "periode", str(DATE_RANGE_MESSAGE))
        if kinds.get(row["supplier"]) != "support":
            error(
                "Fordelingsnøkler",
                n,
                "fra",
                _("«%(code)s» er ikke en støttefunksjon.") % {"code": row["supplier"]},
            )
        if row["receiver"] not in kinds or row["receiver"] == row["supplier"]:
            error(
                "Fordelingsnøkler",
                n,
                "til",
                _("«%(code)s» er ikke en mottaker.") % {"code": row["receiver"]},
            )
        if not _amount_ok(quantity, MODEL_MAX):
            error("Fordelingsnøkler", n, "mengde", _("Mengden er et tall, ikke negativ."))
        if not row["driver"]:
            error("Fordelingsnøkler", n, "nøkkel", _("Oppgi nøkkelen (årsverk, m², brukere …)."))
        if period and quantity is not None:
            plan.quantities.append(
                (period, row["supplier"], row["receiver"], row["driver"], quantity)
            )
    catalogue = {s.code: s for s in Service.objects.filter(provider=provider)}
    seen_services: set[tuple[str, str]] = set()
    for n, row in services:
        if (row["line"], row["service"]) in seen_services:
            error("Tjenester", n, "tjeneste", _("Samme tjeneste står to ganger på linjen."))
        seen_services.add((row["line"], row["service"]))
        share = parse_decimal(row["share"]) if row["share"] else None
        volume = parse_decimal(row["planned_volume"]) if row["planned_volume"] else None
        marginal = parse_decimal(row["marginal_cost"]) if row["marginal_cost"] else None
        if kinds.get(row["line"]) != "line":
            error(
                "Tjenester",
                n,
                "linje",
                _("«%(code)s» er ikke en tjenestelinje.") % {"code": row["line"]},
            )
        if row["service"] not in catalogue:
            error(
                "Tjenester",
                n,
                "tjeneste",
                _("«%(code)s» er ikke en tjeneste fra %(provider)s.")
                % {"code": row["service"], "provider": provider.abbreviation},
            )
        if share is None or not Decimal(0) < share <= 1:
            error("Tjenester", n, "andel", _("Andelen er mellom 0 og 1."))
        if not _amount_ok(volume, MODEL_MAX) or not volume:
            error("Tjenester", n, "planlagt volum", _("Planlagt volum må være større enn null."))
        if row["marginal_cost"] and not _amount_ok(marginal, Decimal("9999999999.99")):
            error("Tjenester", n, "marginalkostnad", _("Marginalkostnaden er et tall."))
        plan.services.append(
            {
                "line": row["line"],
                "service": row["service"],
                "share": share,
                "planned_volume": volume,
                "marginal_cost": marginal,
            }
        )
    if plan.errors:
        return plan
    plan.period = max(q[0] for q in plan.quantities) if plan.quantities else None
    try:
        plan.shares = allocation.shares_from_quantities(
            [(s, r, d, q) for p, s, r, d, q in plan.quantities if p == plan.period]
        )
        allocation.reciprocal(
            allocation.Network(
                support=[c["code"] for c in plan.centres if c["kind"] == "support"],
                lines=[c["code"] for c in plan.centres if c["kind"] == "line"],
                direct_costs={c["code"]: c["direct_cost"] for c in plan.centres},
                shares={
                    s: {r: share for s2, r, share, _ in plan.shares if s2 == s}
                    for s, _, _, _ in plan.shares
                },
            )
        )
    except allocation.AllocationError as exc:
        plan.errors.append(
            RowError(1, "Fordelingsnøkler", _("Modellen går ikke opp: %(why)s") % {"why": exc})
        )
    return plan


def model_workbook_sheets(model: Any) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """A cost model as the workbook `plan_model` reads: download, edit, upload."""
    centres = list(model.centres.all())
    quantities = list(
        models.DriverQuantity.objects.filter(model=model).select_related("supplier", "receiver")
    )
    if quantities:
        driver_rows = [
            [f"{q.period:%Y-%m}", q.supplier.code, q.receiver.code, q.driver, q.quantity]
            for q in quantities
        ]
    else:  # a model saved with shares only: the shares as quantities of the model's year
        driver_rows = [
            [str(model.year), s.supplier.code, s.receiver.code, s.driver or "andel", s.share]
            for s in models.DriverShare.objects.filter(supplier__model=model).select_related(
                "supplier", "receiver"
            )
        ]
    return {
        "Kostnadssteder": (
            ["kode", "navn", "type", "direkte kostnad", "kapitalkostnad"],
            [
                [
                    c.code,
                    c.name,
                    "støtte" if c.kind == "support" else "linje",
                    c.direct_cost,
                    c.capital_cost,
                ]
                for c in centres
            ],
        ),
        "Fordelingsnøkler": (["periode", "fra", "til", "nøkkel", "mengde"], driver_rows),
        "Tjenester": (
            ["linje", "tjeneste", "andel", "planlagt volum", "marginalkostnad"],
            [
                [sc.line.code, sc.service.code, sc.share, sc.planned_volume, sc.marginal_cost]
                for sc in models.ServiceCosting.objects.filter(line__model=model).select_related(
                    "line", "service"
                )
            ],
        ),
    }
