"""Cost-model reads: allocation by each method, full cost and prices with their basis."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import DecimalField, F, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import Funding, Service
from felles.core import formatting, units
from felles.core.types import AnyUser
from felles.costing import allocation, budget, funding, transfer
from felles.costing.models import (
    BudgetPost,
    CostCentre,
    CostModel,
    DriverShare,
    LedgerImport,
    PriceList,
    ResourceMapping,
    ServiceCosting,
    TransferScenario,
)
from felles.invoicing.models import UsageRecord
from felles.organisations.models import Organisation
from felles.organisations.selectors import ministry_data_scope

METHOD_LABELS = {
    "direct": _("Direkte"),
    "step_down": _("Trinnvis"),
    "reciprocal": _("Gjensidig"),
}


def models_for(user: AnyUser) -> QuerySet[CostModel]:
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


def price_lists_for(user: AnyUser) -> QuerySet[PriceList]:
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
    step_down_order: list[str]  # the support centres in the order the step-down closes them
    lines: list[dict[str, Any]]
    prices: list[ServicePrice]
    total_cost: Decimal


def compute(model: CostModel, method: str = "reciprocal") -> ModelResult:
    net = network(model)
    comparison = allocation.compare(net)
    step_down_order = allocation.step_down_order(net)
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
        .prefetch_related("service__prices")
        .order_by("line__code", "service__name_nb")
    ):
        full = (line_full[costing.line.code] * costing.share).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        unit = allocation.unit_price(full, costing.planned_volume)
        centre = centres[costing.line.code]
        kr, code = formatting.kroner, costing.service.unit_code
        line = costing.line.code
        basis = gettext(
            "%(line)s: direkte %(direct)s + fordelte støttekostnader %(allocated)s "
            "(%(method)s metode) + kapitalkostnad %(capital)s = fullkost %(full)s. Tjenestens "
            "andel %(share)s = %(amount)s, delt på planlagt volum %(volume)s = %(price)s "
            "%(per_unit)s."
        ) % {
            "line": line,
            "direct": kr(centre.direct_cost),
            "allocated": kr(chosen[line]),
            "method": str(METHOD_LABELS[method]).lower(),
            "capital": kr(centre.capital_cost),
            "full": kr(line_full[line]),
            "share": formatting.percent(costing.share.quantize(Decimal("0.0001"))),
            "amount": kr(full),
            "volume": units.quantity(costing.planned_volume, code),
            "price": kr(unit),
            "per_unit": units.per_unit(code),
        }
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
    return ModelResult(method, comparison, step_down_order, lines, prices, total)


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


# --- budgets ----------------------------------------------------------------------------------


@dataclass
class BudgetView:
    provider: Any
    year: int
    summary: Any  # budget.Summary
    as_of: Any  # date of the newest ledger import, or None
    posts: list[Any]


def budget_view(provider: Any, year: int) -> BudgetView:
    """The year's budget against the newest ledger import (actuals to date)."""
    posts = list(BudgetPost.objects.filter(provider=provider, year=year))
    ledger = LedgerImport.objects.filter(provider=provider, year=year).first()
    actual = {a.post_id: a.amount for a in ledger.amounts.all()} if ledger is not None else {}
    revenue = {
        p.pk: budget.RevenuePost(p.chapter, p.post, p.name, p.amount, actual.get(p.pk, Decimal(0)))
        for p in posts
        if p.kind == BudgetPost.Kind.REVENUE
    }
    expense = [
        budget.ExpensePost(
            p.chapter,
            p.post,
            p.name,
            p.amount,
            actual.get(p.pk, Decimal(0)),
            p.transferable,
            tuple(revenue[r.pk] for r in posts if r.funds_id == p.pk and r.pk in revenue),
        )
        for p in posts
        if p.kind == BudgetPost.Kind.EXPENSE
    ]
    return BudgetView(
        provider,
        year,
        budget.summarise(expense, revenue.values()),
        ledger.as_of if ledger else None,
        posts,
    )


def budget_chart(view: BudgetView) -> dict[str, Any]:
    """Appropriation (with revenue headroom) against spending to date, per expense post."""
    labels = [f"{p.chapter}.{p.post} {p.name}" for p in view.summary.expense]
    return {
        "data": [
            {
                "type": "bar",
                "name": gettext("Disponibelt (bevilgning ± merinntekt)"),
                "x": labels,
                "y": [float(p.headroom) for p in view.summary.expense],
            },
            {
                "type": "bar",
                "name": gettext("Regnskap hittil"),
                "x": labels,
                "y": [float(p.spent) for p in view.summary.expense],
            },
        ],
        "layout": {"barmode": "group", "yaxis": {"title": {"text": gettext("kr")}}},
    }


def cost_composition_chart(result: ModelResult) -> dict[str, Any]:
    """Each service line's full cost split into direct, allocated support and capital."""
    labels = [f"{line['centre'].code} {line['centre'].name}" for line in result.lines]
    return {
        "data": [
            {
                "type": "bar",
                "name": name,
                "x": labels,
                "y": [float(pick(line)) for line in result.lines],
            }
            for name, pick in (
                (gettext("Direkte"), lambda line: line["centre"].direct_cost),
                (gettext("Fordelte støttekostnader"), lambda line: line["allocated"]),
                (gettext("Kapitalkostnad"), lambda line: line["centre"].capital_cost),
            )
        ],
        "layout": {"barmode": "stack", "yaxis": {"title": {"text": gettext("kr")}}},
    }


# --- appropriation transfer -------------------------------------------------------------------


@dataclass
class ScenarioResult:
    scenario: Any
    result: Any  # transfer.TransferResult | None
    explanation: list[str]
    error: str


def transfer_results(provider: Any, year: int, user: AnyUser) -> list[ScenarioResult]:
    """Every scenario of the year calculated on the resource mapping for its areas. The
    totals are the community's; the rows per ministry are a ministry's own resource data,
    so a ministry's people see only their own row."""
    scope = ministry_data_scope(user)
    visible = (
        None
        if scope is None
        else set(Organisation.objects.filter(pk__in=scope).values_list("abbreviation", flat=True))
    )

    results = []
    for scenario in TransferScenario.objects.filter(provider=provider, year=year).prefetch_related(
        "areas"
    ):
        fte = {
            row["ministry__abbreviation"]: row["total"]
            for row in ResourceMapping.objects.filter(year=year, area__in=scenario.areas.all())
            .values("ministry__abbreviation")
            .annotate(total=Sum("fte"))
            if row["total"] > 0
        }
        try:
            rates = transfer.Rates(
                average_salary=scenario.average_salary,
                pension_rate=scenario.pension_rate,
                employer_tax_rate=scenario.employer_tax_rate,
                operating_cost_per_fte=scenario.operating_cost_per_fte,
                rent_per_workplace=scenario.rent_per_workplace,
                releases_space=scenario.releases_space,
                efficiency_cut=scenario.efficiency_cut,
            )
            result = transfer.calculate(fte, rates)
        except transfer.TransferError as exc:
            results.append(ScenarioResult(scenario, None, [], gettext(str(exc))))
            continue
        if visible is not None:
            result = dataclasses.replace(
                result, rows=[row for row in result.rows if row.ministry in visible]
            )
        results.append(ScenarioResult(scenario, result, transfer.explain(result, gettext), ""))
    return results


def mapping_for(user: AnyUser, year: int) -> QuerySet[Any]:

    scope = ministry_data_scope(user)
    rows = ResourceMapping.objects.filter(year=year).select_related("ministry", "area")
    return rows if scope is None else rows.filter(ministry_id__in=scope)


# --- recovery and funding ---------------------------------------------------------------------


@dataclass
class RecoveryRow:
    service: Any
    volume: Decimal
    revenue: Decimal
    full_cost: Decimal
    unit_full_cost: Decimal
    price: Decimal | None
    recovery: Decimal | None  # percent
    flag: str  # "below" (subsidised), "above" (not allowed), "ok", "appropriation"

    @property
    def showback(self) -> Decimal:
        """Appropriation-funded use valued at the full-cost price (shown, not invoiced)."""
        if self.flag != "appropriation":
            return Decimal(0)
        return (self.volume * self.unit_full_cost).quantize(Decimal("0.01"))


@dataclass
class RecoverySummary:
    """Where the services' full cost went: invoiced, shown back to the ministries as
    appropriation-funded use, or not used (volume below plan). Each krone once."""

    full_cost: Decimal
    invoiced: Decimal
    shown_back: Decimal

    @property
    def unaccounted(self) -> Decimal:
        return self.full_cost - self.invoiced - self.shown_back


def recovery_summary(rows: list[RecoveryRow]) -> RecoverySummary:
    return RecoverySummary(
        sum((r.full_cost for r in rows), Decimal(0)),
        sum((r.revenue for r in rows), Decimal(0)),
        sum((r.showback for r in rows), Decimal(0)),
    )


def recovery(model: CostModel, year: int) -> list[RecoveryRow]:
    """Price × volume against full cost per service in the model: below full cost is
    subsidised by the appropriation, above it is not allowed (R-112's cost ceiling)."""

    usage = {
        row["service_id"]: row
        for row in UsageRecord.objects.filter(
            provider=model.provider, usage_date__year=year, pass_through=False
        )
        .values("service_id")
        .annotate(
            volume=Sum("quantity"),
            revenue=Sum(
                F("quantity") * F("unit_price"),
                output_field=DecimalField(max_digits=18, decimal_places=4),
            ),
        )
    }
    rows = []
    for price in compute(model).prices:
        service = price.service
        used = usage.get(service.pk, {})
        volume = used.get("volume") or Decimal(0)
        revenue = (used.get("revenue") or Decimal(0)).quantize(Decimal("0.01"))
        current = service.price_on(dt.date(year, 12, 31))
        unit = current.unit_price if current is not None else None
        if service.funding == Funding.APPROPRIATION:
            flag, rate = "appropriation", None
        else:
            rate = (
                (100 * revenue / price.full_cost).quantize(Decimal("0.1"))
                if price.full_cost
                else None
            )
            if unit is not None and unit > price.unit_price:
                flag = "above"
            elif unit is not None and unit < price.unit_price:
                flag = "below"
            else:
                flag = "ok"
        rows.append(
            RecoveryRow(
                service, volume, revenue, price.full_cost, price.unit_price, unit, rate, flag
            )
        )
    return rows


@dataclass
class FundingRow:
    service: Any
    current: str
    recommendation: Any  # funding.Recommendation
    differs: bool


def funding_recommendations(provider: Any, today: dt.date, months: int = 24) -> list[FundingRow]:
    """Table 3 for each of the provider's services, from the variation of its total monthly
    volume over the last `months` whole months (months without use count as 0)."""

    end = today.replace(day=1)
    index = end.year * 12 + end.month - 1 - months
    start = dt.date(index // 12, index % 12 + 1, 1)
    month_keys = [dt.date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(months)]
    volumes: dict[int, dict[dt.date, float]] = {}
    first_use: dict[int, dt.date] = {}
    for row in (
        UsageRecord.objects.filter(provider=provider, usage_date__gte=start, usage_date__lt=end)
        .annotate(month=TruncMonth("usage_date"))
        .values("service_id", "month")
        .annotate(total=Sum("quantity"))
    ):
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        volumes.setdefault(row["service_id"], {})[month] = float(row["total"])
        first_use[row["service_id"]] = min(first_use.get(row["service_id"], month), month)
    rows = []
    for service in Service.objects.filter(provider=provider, active=True).order_by("name_nb"):
        series = volumes.get(service.pk, {})
        since = first_use.get(service.pk)
        observed = [series.get(m, 0.0) for m in month_keys if since is not None and m >= since]
        advice = funding.recommend(
            service.cost_kind, service.mandatory, observed, gettext=gettext, ngettext=ngettext
        )
        rows.append(
            FundingRow(service, service.funding, advice, advice.mechanism != service.funding)
        )
    return rows
