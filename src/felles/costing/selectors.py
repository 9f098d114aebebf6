"""Cost-model reads: allocation by each method, full cost and prices with their basis."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet

from felles.core import formatting
from felles.costing import allocation
from felles.costing.models import (
    CostCentre,
    CostModel,
    DriverShare,
    PriceList,
    ServiceCosting,
)

METHOD_LABELS = {"direct": "Direkte", "step_down": "Trinnvis", "reciprocal": "Gjensidig"}


def models_for(user: Any) -> QuerySet[CostModel]:
    """Cost models are open to every signed-in user: a ministry must be able to see why a
    price is what it is."""
    if not getattr(user, "is_authenticated", False):
        return CostModel.objects.none()
    return CostModel.objects.select_related("provider")


def network(model: CostModel) -> allocation.Network:
    centres = list(model.centres.all())
    shares: dict[str, dict[str, Decimal]] = {}
    for share in DriverShare.objects.filter(supplier__model=model).select_related(
        "supplier", "receiver"
    ):
        shares.setdefault(share.supplier.code, {})[share.receiver.code] = share.share
    return allocation.Network(
        support=[c.code for c in centres if c.kind == CostCentre.Kind.SUPPORT],
        lines=[c.code for c in centres if c.kind == CostCentre.Kind.LINE],
        direct_costs={c.code: c.direct_cost for c in centres if c.kind == CostCentre.Kind.SUPPORT},
        shares=shares,
    )


def price_lists_for(user: Any) -> QuerySet[PriceList]:
    """Price lists are public to every signed-in user, like the models they come from."""
    if not getattr(user, "is_authenticated", False):
        return PriceList.objects.none()
    return PriceList.objects.select_related("provider")


@dataclass
class ServicePrice:
    service: Any
    line: str
    full_cost: Decimal
    planned_volume: Decimal
    unit_price: Decimal
    marginal_price: Decimal | None
    basis: str


@dataclass
class ModelResult:
    method: str
    comparison: dict[str, dict[str, Decimal]]  # method → line → allocated
    lines: list[dict[str, Any]]
    prices: list[ServicePrice]
    total_cost: Decimal


def compute(model: CostModel, method: str = "reciprocal") -> ModelResult:
    net = network(model)
    comparison = allocation.compare(net)
    chosen = comparison[method]
    centres = {c.code: c for c in model.centres.all()}
    lines = []
    line_full: dict[str, Decimal] = {}
    for code in net.lines:
        centre = centres[code]
        full = centre.direct_cost + chosen[code] + centre.capital_cost
        line_full[code] = full
        lines.append({"centre": centre, "allocated": chosen[code], "full_cost": full})
    prices = []
    for costing in (
        ServiceCosting.objects.filter(line__model=model)
        .select_related("line", "service")
        .order_by("line__code", "service__name_nb")
    ):
        full = (line_full[costing.line.code] * costing.share).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        unit = allocation.unit_price(full, costing.planned_volume)
        centre = centres[costing.line.code]
        kr, unit_label = formatting.kroner, costing.service.unit_label
        line = costing.line.code
        basis = (
            f"{line}: direkte {kr(centre.direct_cost)} + fordelte støttekostnader "
            f"{kr(chosen[line])} ({METHOD_LABELS[method].lower()} metode) + kapitalkostnad "
            f"{kr(centre.capital_cost)} = fullkost {kr(line_full[line])}. Tjenestens andel "
            f"{costing.share:.2%} = {kr(full)}, delt på planlagt volum "
            f"{formatting.number(costing.planned_volume)} {unit_label} = {kr(unit)} per "
            f"{unit_label}."
        ).replace(".00%", " %")
        prices.append(
            ServicePrice(
                costing.service,
                costing.line.code,
                full,
                costing.planned_volume,
                unit,
                costing.marginal_cost,
                basis,
            )
        )
    total = sum((c.direct_cost + c.capital_cost for c in centres.values()), Decimal(0))
    return ModelResult(method, comparison, lines, prices, total)


def full_cost_prices(year: int) -> dict[int, Decimal]:
    """Full-cost unit price per service id from each provider's newest cost model up to
    `year` (reciprocal method): the value put on appropriation-funded usage in showback."""
    newest: dict[int, CostModel] = {}
    for model in CostModel.objects.filter(year__lte=year).order_by("year", "created_at"):
        newest[model.provider_id] = model
    prices: dict[int, Decimal] = {}
    for model in newest.values():
        for price in compute(model).prices:
            prices[price.service.pk] = price.unit_price
    return prices
