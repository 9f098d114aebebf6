"""API router: cost models and prices with their basis, budgets against the ledger,
appropriation-transfer scenarios, cost recovery and funding recommendations."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from felles.core.actor import Actor
from felles.core.api import ImportOut, import_result, responses
from felles.core.permissions import api_requires, authenticated, get_visible_or_404
from felles.core.schemas import Schema
from felles.core.services import ServiceError
from felles.costing import events, importing, selectors, services
from felles.costing.models import BudgetPost, CostModel
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Role

router = Router(tags=["kostnader"])

Method = Literal["reciprocal", "step_down", "direct"]


def _provider(abbreviation: str) -> Organisation:
    return get_visible_or_404(Organisation.objects.providers(), abbreviation=abbreviation)


def _year(year: int | None) -> int:
    if year is not None and not 2000 <= year <= 2100:
        raise ServiceError("Året må være mellom 2000 og 2100.", {"year": ["2000–2100."]})
    return year or timezone.localdate().year


class ModelOut(Schema):
    id: UUID
    provider: str
    year: int
    name: str


class PriceOut(Schema):
    service: str
    line: str
    full_cost: Decimal
    planned_volume: Decimal
    unit_price: Decimal
    marginal_price: Decimal | None
    basis: str


class LineOut(Schema):
    code: str
    name: str
    direct_cost: Decimal
    allocated: dict[str, Decimal]
    full_cost: Decimal


class ModelDetailOut(ModelOut):
    method: str
    total_cost: Decimal
    lines: list[LineOut]
    prices: list[PriceOut]


@router.get("/costing/models", response=responses(list[ModelOut]))
@api_requires(authenticated)
def list_models(request: HttpRequest) -> object:
    return [
        {"id": m.uuid, "provider": m.provider.abbreviation, "year": m.year, "name": m.name}
        for m in selectors.models_for(request.user)
    ]


@router.get("/costing/models/{model_id}", response=responses(ModelDetailOut))
@api_requires(authenticated)
def get_model(request: HttpRequest, model_id: UUID, method: Method = "reciprocal") -> object:
    model = get_visible_or_404(selectors.models_for(request.user), uuid=model_id)
    result = selectors.compute(model, method)
    return {
        "id": model.uuid,
        "provider": model.provider.abbreviation,
        "year": model.year,
        "name": model.name,
        "method": method,
        "total_cost": result.total_cost,
        "lines": [
            {
                "code": line["centre"].code,
                "name": line["centre"].name,
                "direct_cost": line["centre"].direct_cost,
                "allocated": {
                    m: result.comparison[m][line["centre"].code] for m in result.comparison
                },
                "full_cost": line["full_cost"],
            }
            for line in result.lines
        ],
        "prices": [
            {
                "service": p.service.code,
                "line": p.line,
                "full_cost": p.full_cost,
                "planned_volume": p.planned_volume,
                "unit_price": p.unit_price,
                "marginal_price": p.marginal_price,
                "basis": p.basis,
            }
            for p in result.prices
        ],
    }


class ExpenseOut(Schema):
    chapter: int
    post: str
    name: str
    appropriation: Decimal
    revenue_difference: Decimal
    headroom: Decimal
    spent: Decimal
    remaining: Decimal
    carry_over: Decimal
    transferable: bool


class RevenueOut(Schema):
    chapter: int
    post: str
    name: str
    budgeted: Decimal
    actual: Decimal
    difference: Decimal


class BudgetOut(Schema):
    provider: str
    year: int
    as_of: dt.date | None
    expense: list[ExpenseOut]
    revenue: list[RevenueOut]
    carry_over: Decimal


@router.get("/costing/budget", response=responses(BudgetOut))
@api_requires(authenticated)
def get_budget(request: HttpRequest, provider: str = "DSS", year: int | None = None) -> object:
    view = selectors.budget_view(_provider(provider), _year(year))
    return {
        "provider": provider,
        "year": view.year,
        "as_of": view.as_of,
        "expense": [
            {
                "chapter": p.chapter,
                "post": p.post,
                "name": p.name,
                "appropriation": p.appropriation,
                "revenue_difference": p.revenue_difference,
                "headroom": p.headroom,
                "spent": p.spent,
                "remaining": p.remaining,
                "carry_over": p.carry_over,
                "transferable": p.transferable,
            }
            for p in view.summary.expense
        ],
        "revenue": [
            {
                "chapter": r.chapter,
                "post": r.post,
                "name": r.name,
                "budgeted": r.budgeted,
                "actual": r.actual,
                "difference": r.difference,
            }
            for r in view.summary.revenue
        ],
        "carry_over": view.summary.carry_over,
    }


class BudgetPostIn(Schema):
    provider: str = Field(..., max_length=12)
    year: int = Field(..., ge=2000, le=2100)
    chapter: int = Field(..., ge=1, le=9999)
    post: str = Field(..., pattern=r"^[0-9]{2}$")
    name: str = Field(..., min_length=1, max_length=150)
    kind: Literal["expense", "revenue"]
    amount: Decimal = Field(..., ge=0, max_digits=16, decimal_places=2)
    transferable: bool = False
    funds: str | None = Field(
        None,
        pattern=r"^[0-9]{1,4}\.[0-9]{2}$",
        description="Utgiftsposten en inntektspost finansierer (merinntektsfullmakt), "
        "som kapittel.post, f.eks. 1510.01.",
    )


@router.put("/costing/budget/posts", response=responses(dict[str, Any]))
@api_requires(org_selectors.role_rule(Role.PROVIDER_MANAGER))
def put_budget_post(request: HttpRequest, payload: BudgetPostIn) -> object:
    provider = _provider(payload.provider)
    funds = None
    if payload.funds:
        chapter, post = payload.funds.split(".")
        funds = BudgetPost.objects.filter(
            provider=provider, year=payload.year, kind="expense", chapter=int(chapter), post=post
        ).first()
        if funds is None:
            raise ServiceError("Ukjent utgiftspost.", {"funds": ["Finnes ikke i budsjettet."]})
    row = services.save_budget_post(
        actor=Actor.from_request(request),
        provider=provider,
        year=payload.year,
        chapter=payload.chapter,
        post=payload.post,
        values={
            "name": payload.name,
            "kind": payload.kind,
            "amount": payload.amount,
            "transferable": payload.transferable,
            "funds": funds,
        },
    )
    return {"chapter": row.chapter, "post": row.post, "name": row.name, "amount": str(row.amount)}


@router.post("/costing/budget/ledger", response=responses(ImportOut))
@api_requires(org_selectors.role_rule(Role.PROVIDER_MANAGER))
def import_ledger(
    request: HttpRequest,
    provider: Form[str] = "DSS",
    year: Form[int | None] = None,
    file: File[UploadedFile | None] = None,  # optional, so the service's rule comes first
    dry_run: Form[bool] = True,
) -> object:
    """Actuals to date from the ledger (CSV/XLSX: kapittel; post; beløp; dato). With
    `dry_run` (the default) nothing is written."""
    organisation, year = _provider(provider), _year(year)
    actor = Actor.from_request(request)
    plan = importing.check_ledger(
        actor=actor,
        provider=organisation,
        year=year,
        upload=file,
        filename=(file.name if file else "") or "regnskap.csv",
    )
    applied = False
    if plan.ok and plan.creates and not dry_run:
        importing.apply_ledger(actor=actor, provider=organisation, year=year, plan=plan)
        applied = True
    return import_result(plan, applied)


class TransferRowOut(Schema):
    ministry: str
    fte: Decimal
    amount: Decimal


class ScenarioOut(Schema):
    name: str
    target: str
    areas: list[str]
    total: Decimal | None
    rows: list[TransferRowOut]
    explanation: list[str]
    error: str


@router.get("/costing/transfers", response=responses(list[ScenarioOut]))
@api_requires(authenticated)
def list_transfers(request: HttpRequest, provider: str = "DSS", year: int | None = None) -> object:
    return [
        {
            "name": r.scenario.name,
            "target": r.scenario.target,
            "areas": [a.code for a in r.scenario.areas.all()],
            "total": r.result.total if r.result else None,
            "rows": [
                {"ministry": row.ministry, "fte": row.fte, "amount": row.amount}
                for row in (r.result.rows if r.result else [])
            ],
            "explanation": r.explanation,
            "error": r.error,
        }
        for r in selectors.transfer_results(_provider(provider), _year(year), request.user)
    ]


class RecoveryOut(Schema):
    service: str
    volume: Decimal
    price: Decimal | None
    unit_full_cost: Decimal
    revenue: Decimal
    full_cost: Decimal
    recovery_percent: Decimal | None
    flag: str


@router.get("/costing/recovery", response=responses(list[RecoveryOut]))
@api_requires(authenticated)
def list_recovery(request: HttpRequest, provider: str = "DSS", year: int | None = None) -> object:
    organisation, year = _provider(provider), _year(year)
    model = (
        CostModel.objects.filter(provider=organisation, year__lte=year).order_by("-year").first()
    )
    if model is None:
        return []
    return [
        {
            "service": r.service.code,
            "volume": r.volume,
            "price": r.price,
            "unit_full_cost": r.unit_full_cost,
            "revenue": r.revenue,
            "full_cost": r.full_cost,
            "recovery_percent": r.recovery,
            "flag": r.flag,
        }
        for r in selectors.recovery(model, year)
    ]


class FundingOut(Schema):
    service: str
    kind: str
    current: str
    recommended: str
    reason: str
    coefficient_of_variation: float | None
    months: int
    differs: bool


@router.get("/costing/funding", response=responses(list[FundingOut]))
@api_requires(authenticated)
def list_funding(request: HttpRequest, provider: str = "DSS") -> object:
    return [
        {
            "service": r.service.code,
            "kind": r.service.cost_kind,
            "current": r.current,
            "recommended": r.recommendation.mechanism,
            "reason": r.recommendation.reason,
            "coefficient_of_variation": r.recommendation.cv,
            "months": r.recommendation.months,
            "differs": r.differs,
        }
        for r in selectors.funding_recommendations(_provider(provider), timezone.localdate())
    ]


class PriceItemOut(Schema):
    service: str
    unit_price: Decimal
    basis: str


class PriceListOut(Schema):
    id: UUID
    provider: str
    year: int
    effective_from: dt.date
    status: str
    adjustment_percent: Decimal
    decision_reference: str
    decisions: list[str]
    items: list[PriceItemOut]


def _price_list(price_list: Any) -> dict[str, Any]:
    return {
        "id": price_list.uuid,
        "provider": price_list.provider.abbreviation,
        "year": price_list.year,
        "effective_from": price_list.effective_from,
        "status": price_list.status,
        "adjustment_percent": price_list.adjustment_percent,
        "decision_reference": price_list.decision_reference,
        "decisions": [c.number for c in price_list.decisions.all()],
        "items": [
            {"service": i.service.code, "unit_price": i.unit_price, "basis": i.basis}
            for i in price_list.items.all()
        ],
    }


@router.get("/costing/price-lists", response=responses(list[PriceListOut]))
@api_requires(authenticated)
def list_price_lists(request: HttpRequest) -> object:
    lists = selectors.price_lists_for(request.user).prefetch_related("items__service", "decisions")
    return [_price_list(p) for p in lists]


@router.get("/costing/price-lists/{price_list_id}", response=responses(PriceListOut))
@api_requires(authenticated)
def get_price_list(request: HttpRequest, price_list_id: UUID) -> object:
    lists = selectors.price_lists_for(request.user).prefetch_related("items__service", "decisions")
    return _price_list(get_visible_or_404(lists, uuid=price_list_id))


class ProposeIn(Schema):
    effective_from: dt.date = Field(..., ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))
    method: Method = "reciprocal"


@router.post("/costing/models/{model_id}/price-lists", response=responses(PriceListOut, 201))
@api_requires(authenticated)  # the provider's managers only (the service's rule)
def propose_price_list(request: HttpRequest, model_id: UUID, payload: ProposeIn) -> Status:
    model = get_visible_or_404(selectors.models_for(request.user), uuid=model_id)
    price_list = services.propose_price_list(
        actor=Actor.from_request(request),
        model=model,
        effective_from=payload.effective_from,
        method=payload.method,
    )
    return Status(201, _price_list(price_list))


class ApproveIn(Schema):
    decision_id: UUID | None = Field(None, description="Den avgjorte saken i styringsregisteret.")
    decision_reference: str = Field("", max_length=200)


@router.post("/costing/price-lists/{price_list_id}/approve", response=responses(PriceListOut))
@api_requires(authenticated)  # DFD only (the service's rule)
def approve_price_list(request: HttpRequest, price_list_id: UUID, payload: ApproveIn) -> object:
    price_list = get_visible_or_404(selectors.price_lists_for(request.user), uuid=price_list_id)
    decision = (
        get_visible_or_404(events.decided_cases(), uuid=payload.decision_id)
        if payload.decision_id
        else None
    )
    approved = services.approve_price_list(
        actor=Actor.from_request(request),
        price_list=price_list,
        decision_reference=payload.decision_reference,
        decision=decision,
    )
    return _price_list(approved)
