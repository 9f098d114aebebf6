"""API router: governance — decision rights, cases and decisions, customer dialogue and
the advisory council. The same services and visibility rules as the pages."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from felles.catalog.models import Service, ServiceArea
from felles.core.actor import Actor
from felles.core.api import Pagination, responses
from felles.core.permissions import api_requires, authenticated, get_visible_or_404
from felles.core.schemas import Schema
from felles.core.services import Forbidden, ServiceError
from felles.core.validators import DATE_RANGE_MESSAGE, date_in_range
from felles.governance import forms, selectors, services
from felles.governance.models import ActionItem, Case, DecisionRight, Hearing, MeetingSeries
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person

router = Router(tags=["styring"])

LevelName = Literal["operative", "tactical", "strategic"]


class RightOut(Schema):
    code: str
    topic: str
    description: str
    decider: str
    level: str
    hear_ministries: bool
    hear_council: bool
    hear_forum: str
    hearing_days: int


class RightIn(Schema):
    topic: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    decider: Literal["provider", "dfd"]
    level: LevelName
    hear_ministries: bool = False
    hear_council: bool = False
    hear_forum: str = Field("", max_length=200)
    hearing_days: int = Field(10, ge=0, le=60)


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


@router.get("/governance/rights", response=responses(list[RightOut]))
@api_requires(authenticated)
def list_rights(request: HttpRequest) -> object:
    return selectors.rights()


class NewRightIn(RightIn):
    code: str = Field(..., pattern=r"^[a-z0-9-]{1,40}$")


@router.post("/governance/rights", response=responses(RightOut, 201))
@api_requires(selectors.is_governance)
def create_right(request: HttpRequest, payload: NewRightIn) -> Status:
    values = payload.model_dump()
    code = values.pop("code")
    return Status(
        201,
        services.save_decision_right(actor=Actor.from_request(request), code=code, values=values),
    )


@router.put("/governance/rights/{code}", response=responses(RightOut))
@api_requires(authenticated)  # DFD only: the service refuses others with 403
def put_right(request: HttpRequest, code: str, payload: RightIn) -> object:
    right = get_visible_or_404(DecisionRight.objects.all(), code=code)
    return services.save_decision_right(
        actor=Actor.from_request(request), code=code, values=payload.model_dump(), right=right
    )


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
    person = org_selectors.person_for(request.user)
    if person is None:
        raise Forbidden("Du er ikke registrert som person i Felles.")
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
        from felles.costing.selectors import price_lists_for

        lists = list(
            price_lists_for(request.user).filter(
                uuid__in=payload.price_list_ids, provider=case.provider
            )
        )
        if len(lists) != len(set(payload.price_list_ids)):
            raise ServiceError(
                "Ukjent prisliste for leverandøren.", {"price_list_ids": ["Ukjent prisliste."]}
            )
        from felles.portfolio.selectors import projects

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


# --- customer dialogue ----------------------------------------------------------------------


class PeriodOut(Schema):
    first: dt.date
    last: dt.date
    held: int
    status: str


class SeriesOut(Schema):
    id: UUID
    ministry: str
    provider: str
    level: str
    customer_contact: str | None
    target: str
    compliance_percent: float | None
    overdue_actions: int
    periods: list[PeriodOut]


class ActionItemIn(Schema):
    text: str = Field(..., min_length=1, max_length=300)
    owner_id: UUID
    due_on: dt.date


class MeetingIn(Schema):
    held_on: dt.date
    agenda: str = Field("", max_length=10000)
    minutes: str = Field("", max_length=50000)
    participant_ids: list[UUID] = Field([], max_length=100)
    actions: list[ActionItemIn] = Field([], max_length=50)


class MeetingOut(Schema):
    id: UUID
    held_on: dt.date
    held: bool
    agenda: str
    minutes: str
    participants: list[str]
    actions: list[dict[str, Any]]


class PackSectionOut(Schema):
    title: str
    columns: list[str]
    rows: list[list[Any]]
    empty: str
    note: str


@router.get("/governance/dialogue", response=responses(list[SeriesOut]))
@api_requires(authenticated)
def list_dialogue(request: HttpRequest) -> object:
    rows = selectors.dialogue_compliance(selectors.series_for(request.user))
    return [
        {
            "id": r.series.uuid,
            "ministry": r.series.ministry.abbreviation,
            "provider": r.series.provider.abbreviation,
            "level": r.series.level,
            "customer_contact": r.series.customer_contact.full_name
            if r.series.customer_contact
            else None,
            "target": r.series.target.label,
            "compliance_percent": r.share,
            "overdue_actions": r.overdue_actions,
            "periods": [
                {"first": p.first, "last": p.last, "held": p.held, "status": p.status}
                for p in r.periods
            ],
        }
        for r in rows
    ]


def _series(request: HttpRequest, series_id: UUID) -> MeetingSeries:
    return get_visible_or_404(selectors.series_for(request.user), uuid=series_id)


@router.post("/governance/dialogue/{series_id}/meetings", response=responses(MeetingOut, 201))
@api_requires(authenticated)
def create_meeting(request: HttpRequest, series_id: UUID, payload: MeetingIn) -> Status:
    series = _series(request, series_id)
    people = {
        p.uuid: p
        for p in Person.objects.visible_to(request.user).filter(
            uuid__in=[*payload.participant_ids, *(a.owner_id for a in payload.actions)]
        )
    }
    unknown = {*payload.participant_ids, *(a.owner_id for a in payload.actions)} - set(people)
    if unknown:
        raise ServiceError("Ukjente personer.", {"participant_ids": [str(u) for u in unknown]})
    meeting = services.record_meeting(
        actor=Actor.from_request(request),
        series=series,
        held_on=payload.held_on,
        agenda=payload.agenda,
        minutes=payload.minutes,
        participants=[people[u] for u in payload.participant_ids],
        actions=[(a.text, people[a.owner_id], a.due_on) for a in payload.actions],
    )
    return Status(
        201,
        {
            "id": meeting.uuid,
            "held_on": meeting.held_on,
            "held": meeting.held,
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "participants": [p.full_name for p in meeting.participants.all()],
            "actions": [
                {"id": str(a.uuid), "text": a.text, "owner": a.owner.full_name, "due_on": a.due_on}
                for a in meeting.actions.select_related("owner")
            ],
        },
    )


@router.post("/governance/actions/{action_id}/done", response=responses(dict[str, Any]))
@api_requires(authenticated)
def complete_action(request: HttpRequest, action_id: UUID) -> object:
    item = get_visible_or_404(
        ActionItem.objects.filter(meeting__series__in=selectors.series_for(request.user)),
        uuid=action_id,
    )
    item = services.complete_action(actor=Actor.from_request(request), item=item)
    return {"id": str(item.uuid), "done_on": item.done_on.isoformat() if item.done_on else None}


@router.get("/governance/dialogue/{series_id}/pack", response=responses(list[PackSectionOut]))
@api_requires(authenticated)
def get_pack(
    request: HttpRequest, series_id: UUID, start: dt.date | None = None, end: dt.date | None = None
) -> object:
    series = _series(request, series_id)
    default_start, default_end = forms.default_pack_period(timezone.localdate())
    start, end = start or default_start, end or default_end
    if not (date_in_range(start) and date_in_range(end)):
        raise ServiceError(DATE_RANGE_MESSAGE, {"start": [DATE_RANGE_MESSAGE]})
    if end < start or (end - start).days > 731:
        raise ServiceError(
            "Velg en periode på høyst to år, med start før slutt.", {"end": ["Ugyldig."]}
        )
    return [
        {"title": s.title, "columns": s.columns, "rows": s.rows, "empty": s.empty, "note": s.note}
        for s in selectors.meeting_pack(series, start, end, request.user)
    ]


# --- advisory council -----------------------------------------------------------------------


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


class SeriesIn(Schema):
    provider: Literal["DSS", "DIO"]
    ministry: str = Field(..., max_length=12)
    level: LevelName
    customer_contact_id: UUID | None = None
    target_min: int | None = Field(None, ge=1, le=20)
    target_max: int | None = Field(None, ge=1, le=20)


@router.post("/governance/dialogue", response=responses(dict[str, Any], 201))
@api_requires(selectors.may_plan_dialogue)
def create_series(request: HttpRequest, payload: SeriesIn) -> Status:
    """Set up (or change) a dialogue; targets default to the review's for the level."""
    from felles.governance import rules

    provider = Organisation.objects.get(abbreviation=payload.provider)
    ministry = Organisation.objects.customers().filter(abbreviation=payload.ministry).first()
    if ministry is None:
        raise ServiceError("Ukjent departement.", {"ministry": ["Ukjent departement."]})
    contact = (
        get_visible_or_404(
            Person.objects.filter(organisation=provider), uuid=payload.customer_contact_id
        )
        if payload.customer_contact_id
        else None
    )
    if (payload.target_min is None) != (payload.target_max is None):
        raise ServiceError(
            "Oppgi både minst og høyst, eller ingen av dem.", {"target_min": ["Mangler."]}
        )
    target = (
        rules.Target(
            payload.target_min, payload.target_max, rules.DEFAULT_TARGETS[payload.level].months
        )
        if payload.target_min is not None and payload.target_max is not None
        else None
    )
    series = services.save_series(
        actor=Actor.from_request(request),
        provider=provider,
        ministry=ministry,
        level=payload.level,
        customer_contact=contact,
        target=target,
    )
    return Status(201, {"id": str(series.uuid), "target": series.target.label})


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
