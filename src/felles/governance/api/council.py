"""API: the advisory council — composition, planning, nominations, unavailability, budget
proposals and the council's statements."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.responses import Status
from pydantic import Field

from felles.core.actor import Actor
from felles.core.api import responses
from felles.core.permissions import api_requires, authenticated, get_visible_or_404
from felles.core.schemas import Schema
from felles.core.services import ServiceError
from felles.governance import selectors, services
from felles.organisations.models import Organisation, Person

router = Router(tags=["styring"])


class TermOut(Schema):
    id: UUID
    ministry: str
    starts_on: dt.date
    ends_on: dt.date
    nominee: str | None
    competence: str
    capacity_hours: int | None


class ProposalOut(Schema):
    id: UUID
    provider: str
    year: int
    title: str
    amount: Decimal
    description: str
    statement: str
    statement_on: dt.date | None


class CouncilOut(Schema):
    permanent: list[str]
    seated: list[TermOut]
    terms: list[TermOut]
    proposals: list[ProposalOut]


def _term(t: Any) -> dict[str, Any]:
    return {
        "id": t.uuid,
        "ministry": t.ministry.abbreviation,
        "starts_on": t.starts_on,
        "ends_on": t.ends_on,
        "nominee": t.nominee.full_name if t.nominee else None,
        "competence": t.competence,
        "capacity_hours": t.capacity_hours,
    }


def _proposal(p: Any) -> dict[str, Any]:
    return {
        "id": p.uuid,
        "provider": p.provider.abbreviation,
        "year": p.year,
        "title": p.title,
        "amount": p.amount,
        "description": p.description,
        "statement": p.statement,
        "statement_on": p.statement_on,
    }


@router.get("/governance/council", response=responses(CouncilOut))
@api_requires(authenticated)
def get_council(request: HttpRequest) -> object:
    permanent, seated = selectors.council_on(timezone.localdate())
    return {
        "permanent": [o.abbreviation for o in permanent],
        "seated": [_term(t) for t in seated],
        "terms": [_term(t) for t in selectors.terms()],
        "proposals": [_proposal(p) for p in selectors.proposals()],
    }


class PlanIn(Schema):
    first: dt.date
    count: int = Field(..., ge=1, le=40)
    months: Literal[6, 12, 24] = 12
    seats: Literal[2, 3] = 3


@router.post("/governance/council/plan", response=responses(list[TermOut], 201))
@api_requires(selectors.is_governance)
def plan_council(request: HttpRequest, payload: PlanIn) -> Status:
    created = services.plan_council(actor=Actor.from_request(request), **payload.model_dump())
    return Status(201, [_term(t) for t in created])


class NominateIn(Schema):
    nominee_id: UUID
    competence: str = Field(..., max_length=5000)
    capacity_hours: int = Field(..., ge=1, le=80)


@router.put("/governance/council/terms/{term_id}", response=responses(TermOut))
@api_requires(authenticated)
def nominate(request: HttpRequest, term_id: UUID, payload: NominateIn) -> object:
    term = get_visible_or_404(selectors.terms(), uuid=term_id)
    nominee = get_visible_or_404(Person.objects.visible_to(request.user), uuid=payload.nominee_id)
    return _term(
        services.nominate(
            actor=Actor.from_request(request),
            term=term,
            nominee=nominee,
            competence=payload.competence,
            capacity_hours=payload.capacity_hours,
        )
    )


class ProposalIn(Schema):
    provider: str = Field(..., max_length=12)
    year: int = Field(..., ge=2020, le=2100)
    title: str = Field(..., max_length=200)
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    description: str = Field(..., max_length=10000)


@router.post("/governance/council/proposals", response=responses(ProposalOut, 201))
@api_requires(selectors.may_propose_budget)
def create_proposal(request: HttpRequest, payload: ProposalIn) -> Status:
    provider = get_visible_or_404(Organisation.objects.providers(), abbreviation=payload.provider)
    proposal = services.submit_budget_proposal(
        actor=Actor.from_request(request),
        provider=provider,
        year=payload.year,
        title=payload.title,
        amount=payload.amount,
        description=payload.description,
    )
    return Status(201, _proposal(proposal))


class StatementIn(Schema):
    statement: str = Field(..., max_length=10000)


@router.post(
    "/governance/council/proposals/{proposal_id}/statement", response=responses(ProposalOut)
)
@api_requires(authenticated)  # the council only: the service refuses others with 403
def give_statement(request: HttpRequest, proposal_id: UUID, payload: StatementIn) -> object:
    proposal = get_visible_or_404(selectors.proposals(), uuid=proposal_id)
    return _proposal(
        services.record_statement(
            actor=Actor.from_request(request), proposal=proposal, text=payload.statement
        )
    )


class UnavailableIn(Schema):
    ministry: str = Field(..., max_length=12)
    starts_on: dt.date = Field(..., ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))
    ends_on: dt.date = Field(..., ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))
    reason: str = Field(..., max_length=300)


@router.post("/governance/council/unavailability", response=responses(dict[str, Any], 201))
@api_requires(authenticated)  # the ministry itself or DFD (checked by the service)
def declare_unavailability(request: HttpRequest, payload: UnavailableIn) -> Status:
    ministry = Organisation.objects.customers().filter(abbreviation=payload.ministry).first()
    if ministry is None:
        raise ServiceError("Ukjent departement.", {"ministry": ["Ukjent departement."]})
    item = services.declare_unavailability(
        actor=Actor.from_request(request),
        ministry=ministry,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        reason=payload.reason,
    )
    return Status(201, {"ministry": ministry.abbreviation, "id": str(item.uuid)})
