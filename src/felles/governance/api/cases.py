"""API: the case register and the published decision log."""

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from felles.catalog.models import Service, ServiceArea
from felles.core.actor import Actor
from felles.core.api import Pagination, responses
from felles.core.permissions import api_requires, authenticated, get_visible_or_404
from felles.core.schemas import Schema
from felles.core.services import ServiceError
from felles.costing.selectors import price_lists_for
from felles.governance import selectors, services
from felles.governance.api.common import LevelName
from felles.governance.models import Case, DecisionRight, Hearing
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation
from felles.portfolio.selectors import projects

router = Router(tags=["styring"])


class HearingOut(Schema):
    id: UUID
    party: str
    deadline: dt.date
    input: str
    answered_at: dt.datetime | None


class EventOut(Schema):
    kind: str
    from_level: str
    to_level: str
    text: str
    actor: str
    at: dt.datetime


class CaseOut(Schema):
    id: UUID
    number: str
    title: str
    topic: str
    provider: str
    raised_by: str
    level: str
    decider: str
    status: str
    escalations: int
    reopenings: int
    created_at: dt.datetime
    decision: str
    reasons: str
    effective_from: dt.date | None
    decided_at: dt.datetime | None
    decided_level: str


class CaseDetailOut(CaseOut):
    description: str
    services: list[str]
    price_lists: list[UUID]
    projects: list[str]
    hearings: list[HearingOut]
    events: list[EventOut]


class CaseIn(Schema):
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=10000)
    topic: str = Field(..., max_length=40, description="Kode i fullmaktstabellen, f.eks. «priser».")
    provider: str = Field(..., max_length=12, description="Leverandørens forkortelse (DSS, DIO).")
    level: LevelName | None = None
    area: str = Field("", max_length=40)
    services: list[str] = Field([], max_length=50, description="Tjenestekoder.")


class CaseActionIn(Schema):
    action: Literal["escalate", "decide", "reopen", "answer"]
    text: str = Field(
        "",
        max_length=10000,
        description="Begrunnelse (escalate), nytt grunnlag (reopen), innspill (answer) "
        "eller vedtak (decide).",
    )
    reasons: str = Field("", max_length=10000, description="Vedtakets begrunnelse (decide).")
    effective_from: dt.date | None = None
    hearing_id: UUID | None = None
    price_list_ids: list[UUID] = Field([], max_length=20)
    project_codes: list[str] = Field([], max_length=20, description="Prosjekter vedtaket berører.")


def _case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.uuid,
        "number": case.number,
        "title": case.title,
        "topic": case.right.code,
        "provider": case.provider.abbreviation,
        "raised_by": case.raised_by_organisation.abbreviation,
        "level": case.level,
        "decider": case.decider_label,
        "status": case.status,
        "escalations": case.escalations,
        "reopenings": case.reopenings,
        "created_at": case.created_at,
        "decision": case.decision,
        "reasons": case.reasons,
        "effective_from": case.effective_from,
        "decided_at": case.decided_at,
        "decided_level": case.decided_level,
    }


def _case_detail(case: Case) -> dict[str, Any]:
    return {
        **_case_out(case),
        "description": case.description,
        "services": [s.code for s in case.services.all()],
        "price_lists": [p.uuid for p in case.price_lists.all()],
        "projects": [p.code for p in case.projects.all()],
        "hearings": [
            {
                "id": h.uuid,
                "party": h.party,
                "deadline": h.deadline,
                "input": h.input,
                "answered_at": h.answered_at,
            }
            for h in case.hearings.select_related("organisation")
        ],
        "events": [
            {
                "kind": e.kind,
                "from_level": e.from_level,
                "to_level": e.to_level,
                "text": e.text,
                "actor": e.actor_label,
                "at": e.created_at,
            }
            for e in case.events.all()
        ],
    }


@router.get("/governance/cases", response=responses(list[CaseOut]))
@api_requires(authenticated)
@paginate(Pagination)
def list_cases(
    request: HttpRequest, status: Literal["", "open", "decided"] = "", level: str = ""
) -> object:
    cases = selectors.cases_for(request.user)
    if status:
        cases = cases.filter(status=status)
    if level:
        cases = cases.filter(level=level)
    return [_case_out(c) for c in cases]


@router.post("/governance/cases", response=responses(CaseDetailOut, 201))
@api_requires(selectors.may_raise)
def create_case(request: HttpRequest, payload: CaseIn) -> Status:
    person = org_selectors.person_for(request.user)  # None: the service refuses
    right = DecisionRight.objects.filter(code=payload.topic).first()
    provider = Organisation.objects.providers().filter(abbreviation=payload.provider).first()
    errors: dict[str, list[str]] = {}
    if right is None:
        errors["topic"] = ["Ukjent tema i fullmaktstabellen."]
    if provider is None:
        errors["provider"] = ["Ukjent leverandør."]
    area = ServiceArea.objects.filter(code=payload.area).first() if payload.area else None
    if payload.area and area is None:
        errors["area"] = ["Ukjent tjenesteområde."]
    found = list(Service.objects.filter(code__in=payload.services))
    missing = sorted(set(payload.services) - {s.code for s in found})
    if missing:
        errors["services"] = ["Ukjente tjenester: " + ", ".join(missing)]
    if errors or right is None or provider is None:
        raise ServiceError("Saken har ugyldige felt.", errors)
    case = services.raise_case(
        actor=Actor.from_request(request),
        raised_by=person,
        right=right,
        provider=provider,
        title=payload.title,
        description=payload.description,
        level=payload.level,
        area=area,
        services=found,
    )
    return Status(201, _case_detail(case))


@router.get("/governance/cases/{case_id}", response=responses(CaseDetailOut))
@api_requires(authenticated)
def get_case(request: HttpRequest, case_id: UUID) -> object:
    return _case_detail(get_visible_or_404(selectors.cases_for(request.user), uuid=case_id))


@router.post("/governance/cases/{case_id}/actions", response=responses(CaseDetailOut))
@api_requires(authenticated)
def case_action(request: HttpRequest, case_id: UUID, payload: CaseActionIn) -> object:
    case = get_visible_or_404(selectors.cases_for(request.user), uuid=case_id)
    actor = Actor.from_request(request)
    if payload.action == "escalate":
        case = services.escalate_case(actor=actor, case=case, reason=payload.text)
    elif payload.action == "decide":
        lists = list(
            price_lists_for(request.user).filter(
                uuid__in=payload.price_list_ids, provider=case.provider
            )
        )
        if len(lists) != len(set(payload.price_list_ids)):
            raise ServiceError(
                "Ukjent prisliste for leverandøren.", {"price_list_ids": ["Ukjent prisliste."]}
            )
        affected = list(projects().filter(code__in=payload.project_codes))
        if len(affected) != len(set(payload.project_codes)):
            raise ServiceError("Ukjent prosjekt.", {"project_codes": ["Ukjent prosjektkode."]})
        case = services.decide_case(
            actor=actor,
            case=case,
            decision=payload.text,
            reasons=payload.reasons,
            effective_from=payload.effective_from,
            price_lists=lists,
            projects=affected,
        )
    elif payload.action == "reopen":
        case = services.reopen_case(actor=actor, case=case, ground=payload.text)
    else:
        hearing = get_visible_or_404(Hearing.objects.filter(case=case), uuid=payload.hearing_id)
        services.answer_hearing(actor=actor, hearing=hearing, text=payload.text)
    case.refresh_from_db()
    return _case_detail(case)


@router.get("/governance/decisions", response=responses(list[CaseOut]))
@api_requires(authenticated)
@paginate(Pagination)
def list_decisions(request: HttpRequest) -> object:
    return [_case_out(c) for c in selectors.decision_log()]
