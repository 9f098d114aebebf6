"""API router: invoices and credit notes (with their EHF), disputes, and the providers'
invoice runs. The same rules as the pages: a ministry's billing roles see its issued
documents, a provider's managers run its invoicing."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from felles.core.actor import Actor
from felles.core.api import Pagination, responses
from felles.core.permissions import api_requires, get_visible_or_404
from felles.core.schemas import Schema
from felles.invoicing import selectors, services
from felles.invoicing.models import Invoice, InvoiceRun
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation

router = Router(tags=["fakturering"])


class LineOut(Schema):
    position: int
    service: str | None
    description: str
    unit_code: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    pass_through: bool
    buyer_reference: str
    usage_count: int = Field(description="Hvor mange forbruksrader (saker) linjen samler.")
    screened: bool = Field(
        description="En skjermet tjeneste: linjen sier hvor mange saker, aldri hvilke."
    )
    disputes: list[dict[str, Any]]


class InvoiceOut(Schema):
    id: UUID
    number: str | None
    kind: str
    status: str
    provider: str
    ministry: str
    issue_date: dt.date | None
    due_date: dt.date | None
    period_start: dt.date
    period_end: dt.date
    buyer_reference: str
    total: Decimal


class InvoiceDetailOut(InvoiceOut):
    lines: list[LineOut]
    credit_notes: list[str]
    validation: list[dict[str, Any]]


def _invoice(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": invoice.uuid,
        "number": invoice.number,
        "kind": invoice.kind,
        "status": invoice.status,
        "provider": invoice.provider.abbreviation,
        "ministry": invoice.ministry.abbreviation,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "period_start": invoice.period_start,
        "period_end": invoice.period_end,
        "buyer_reference": invoice.buyer_reference,
        "total": invoice.total,
    }


@router.get("/invoices", response=responses(list[InvoiceOut]))
@api_requires(selectors.may_see_invoices)
@paginate(Pagination)
def list_invoices(request: HttpRequest, ministry: str = "", provider: str = "") -> object:
    invoices = selectors.invoices_for(request.user).order_by("-issue_date", "-created_at")
    if ministry:
        invoices = invoices.filter(ministry__abbreviation=ministry)
    if provider:
        invoices = invoices.filter(provider__abbreviation=provider)
    return [_invoice(i) for i in invoices]


@router.get("/invoices/{invoice_id}", response=responses(InvoiceDetailOut))
@api_requires(selectors.may_see_invoices)
def get_invoice(request: HttpRequest, invoice_id: UUID) -> object:
    invoice = get_visible_or_404(selectors.invoices_for(request.user), uuid=invoice_id)
    return {
        **_invoice(invoice),
        "lines": [
            {
                "position": line.position,
                "service": line.service.code if line.service else None,
                "description": line.description,
                "unit_code": line.unit_code,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": line.amount,
                "pass_through": line.pass_through,
                "buyer_reference": "" if line.screened else line.buyer_reference,
                "usage_count": line.usage_count,
                "screened": line.screened,
                "disputes": [
                    {
                        "id": str(d.uuid),
                        "status": d.status,
                        "reason": d.reason,
                        "resolution": d.resolution,
                    }
                    for d in line.disputes.all()
                ],
            }
            for line in selectors.lines_with_disputes(invoice)
        ],
        "credit_notes": [c.number for c in invoice.credit_notes.all() if c.number],
        "validation": invoice.validation,
    }


@router.get(
    "/invoices/{invoice_id}/ehf",
    response=responses(str),
    summary="Fakturaen som EHF (UBL 2.1 XML, application/xml)",
)
@api_requires(selectors.may_see_invoices)
def get_ehf(request: HttpRequest, invoice_id: UUID) -> HttpResponse:
    invoice = get_visible_or_404(selectors.invoices_for(request.user), uuid=invoice_id)
    if not invoice.xml:
        raise Http404
    response = HttpResponse(invoice.xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.xml"'
    return response


class DisputeIn(Schema):
    position: int = Field(..., ge=1, le=100_000)
    reason: str = Field(..., max_length=2000)


@router.post("/invoices/{invoice_id}/disputes", response=responses(dict[str, Any], 201))
@api_requires(selectors.may_dispute)
def dispute(request: HttpRequest, invoice_id: UUID, payload: DisputeIn) -> Status:
    invoice = get_visible_or_404(selectors.invoices_to_dispute(request.user), uuid=invoice_id)
    line = invoice.lines.filter(position=payload.position).first()
    if line is None:
        raise Http404
    created = services.raise_dispute(
        actor=Actor.from_request(request),
        line=line,
        person=org_selectors.person_for(request.user),
        reason=payload.reason,
    )
    return Status(201, {"id": str(created.uuid), "status": created.status})


class ResolveIn(Schema):
    accept: bool
    resolution: str = Field("", max_length=2000)


@router.post("/disputes/{dispute_id}/resolve", response=responses(dict[str, Any]))
@api_requires(selectors.may_bill)
def resolve(request: HttpRequest, dispute_id: UUID, payload: ResolveIn) -> object:
    item = get_visible_or_404(selectors.disputes_to_answer(request.user), uuid=dispute_id)
    done = services.resolve_dispute(
        actor=Actor.from_request(request),
        dispute=item,
        person=org_selectors.person_for(request.user),
        accept=payload.accept,
        resolution=payload.resolution,
    )
    return {"id": str(done.uuid), "status": done.status}


class RunOut(Schema):
    id: UUID
    provider: str
    period_start: dt.date
    period_end: dt.date
    status: str
    invoiced_total: Decimal
    charged_total: Decimal


def _run(run: InvoiceRun) -> dict[str, Any]:
    return {
        "id": run.uuid,
        "provider": run.provider.abbreviation,
        "period_start": run.period_start,
        "period_end": run.period_end,
        "status": run.status,
        "invoiced_total": run.invoiced_total,
        "charged_total": run.charged_total,
    }


@router.get("/invoice-runs", response=responses(list[RunOut]))
@api_requires(selectors.may_see_runs)
def list_runs(request: HttpRequest) -> object:
    return [_run(r) for r in selectors.runs_for(request.user)]


class RunIn(Schema):
    provider: str = Field(..., max_length=12)
    period_start: dt.date = Field(..., ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))
    period_end: dt.date = Field(..., ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))


@router.post("/invoice-runs", response=responses(RunOut, 201))
@api_requires(selectors.may_bill)
def create_run(request: HttpRequest, payload: RunIn) -> Status:
    provider = get_visible_or_404(
        Organisation.objects.filter(pk__in=selectors.billing_providers(request.user)),
        abbreviation=payload.provider,
    )
    run = services.create_run(
        actor=Actor.from_request(request),
        provider=provider,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, _run(run))


class RunActionIn(Schema):
    action: Literal["recompute", "review", "approve", "issue", "discard"]


@router.post("/invoice-runs/{run_id}/actions", response=responses(dict[str, Any]))
@api_requires(selectors.may_bill)
def run_action(request: HttpRequest, run_id: UUID, payload: RunActionIn) -> object:
    """Move a run on: review (checks every document against the EHF rules), approve (by
    another person than the reviewer), issue (numbers and EHF), or recompute/discard a
    draft."""
    run = get_visible_or_404(selectors.runs_for(request.user), uuid=run_id)
    actor = Actor.from_request(request)
    me = org_selectors.person_for(request.user)
    if payload.action == "discard":
        services.discard_run(actor=actor, run=run)
        return {"id": str(run_id), "status": "discarded"}
    if payload.action == "recompute":
        run = services.recompute_run(actor=actor, run=run)
    else:
        step = {
            "review": services.review_run,
            "approve": services.approve_run,
            "issue": services.issue_run,
        }[payload.action]
        run = step(actor=actor, run=run, person=me)
    return {**_run(run), "id": str(run.uuid)}
