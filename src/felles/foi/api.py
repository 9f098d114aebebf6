"""API: innsyn — import an eInnsyn order file, read requests, the case owner, DIO's
proposal and the ministry's decision per item, fuller reasons (offl. § 31), appeals and
their outcomes, and the statistics."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from felles.core.actor import Actor
from felles.core.api import responses
from felles.core.permissions import api_requires, authenticated, get_visible_or_404
from felles.core.services import ServiceError
from felles.foi import rules, selectors, services
from felles.foi.models import Appeal, Decision, Item, Request
from felles.foi.schemas import (
    AppealIn,
    AppealOutcomeIn,
    CaseOwnerIn,
    DecisionIo,
    FullerReasonsIn,
    ImportIn,
    RequestOut,
    StatisticsOut,
)
from felles.foi.statistics import Figures, compute
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person

router = Router(tags=["innsyn"])


def _decision(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    names = DecisionIo.model_fields
    return {name: getattr(decision, name) for name in names}


def request_out(foi: Request) -> dict[str, Any]:
    deadlines = selectors.deadlines_of(foi)
    items = []
    for item in foi.items.prefetch_related("decisions"):
        by_stage = {d.stage: d for d in item.decisions.all()}
        final = by_stage.get(Decision.Stage.FINAL)
        items.append(
            {
                "id": item.uuid,
                "case_number": item.case_number,
                "document_number": item.document_number,
                "journal_number": item.journal_number,
                "case_officer": item.case_officer,
                "title": item.title,
                "proposed": _decision(by_stage.get(Decision.Stage.PROPOSED)),
                "final": _decision(final),
                "legal_basis": final.legal_basis() if final else "",
            }
        )
    return {
        "id": foi.uuid,
        "order_number": foi.order.number,
        "ministry": foi.ministry.abbreviation,
        "source": foi.source,
        "einnsyn_id": foi.einnsyn_id,
        "received_on": foi.received_on,
        "requester_email": foi.requester_email,
        "requester_name": foi.requester_name,
        "case_owner_id": foi.case_owner.uuid if foi.case_owner else None,
        "target": deadlines.target,
        "deemed_refusal": deadlines.deemed_refusal,
        "deadline_state": deadlines.state,
        "answered_on": foi.answered_on,
        "working_days": foi.working_days,
        "appeal_deadline": foi.appeal_deadline,
        "fuller_reasons_asked_on": foi.fuller_reasons_asked_on,
        "fuller_reasons_due": (
            rules.fuller_reasons_due(foi.fuller_reasons_asked_on)
            if foi.fuller_reasons_asked_on
            else None
        ),
        "fuller_reasons_sent_on": foi.fuller_reasons_sent_on,
        "items": items,
        "appeals": [
            {
                "id": a.uuid,
                "received_on": a.received_on,
                "body": a.body,
                "result": a.result,
                "decided_on": a.decided_on,
                "note": a.note,
            }
            for a in foi.appeals.all()
        ],
    }


def _request(request: HttpRequest, request_id: UUID) -> Request:
    return get_visible_or_404(selectors.requests_for(request.user), uuid=request_id)


def _fresh(request: HttpRequest, foi: Request) -> dict[str, Any]:
    return request_out(selectors.requests_for(request.user).get(pk=foi.pk))


def _ministry(abbreviation: str | None) -> Organisation | None:
    if not abbreviation:
        return None
    found = Organisation.objects.customers().filter(abbreviation__iexact=abbreviation).first()
    if found is None:
        message = _("Ukjent departement «%(a)s».") % {"a": abbreviation[:12]}
        raise ServiceError(message, {"ministry": [_("Ukjent forkortelse.")]})
    return found


def _person(request: HttpRequest, person_id: UUID | None, field: str) -> Person | None:
    if person_id is None:
        return None
    person = org_selectors.people_for(request.user).filter(uuid=person_id).first()
    if person is None:
        raise ServiceError(_("Ukjent person."), {field: [_("Ukjent person.")]})
    return person


@router.post("/foi/einnsyn", response={**responses(RequestOut, 201), 200: RequestOut})
@api_requires(selectors.is_team)
def import_einnsyn(request: HttpRequest, payload: ImportIn) -> Status:
    """One request per eInnsyn order file (the XML as text); the same order again: 200 with
    the request already made, nothing new."""
    result = services.import_order_file(
        actor=Actor.from_request(request),
        content=payload.xml.encode("utf-8"),
        ministry=_ministry(payload.ministry),
        received_on=payload.received_on,
        case_owner=_person(request, payload.case_owner_id, "case_owner_id"),
    )
    return Status(201 if result.created else 200, _fresh(request, result.request))


@router.get("/foi/requests", response=responses(list[RequestOut]))
@api_requires(selectors.may_work)
def list_requests(request: HttpRequest) -> object:
    return [request_out(r) for r in selectors.requests_for(request.user)[:500]]


@router.get("/foi/requests/{request_id}", response=responses(RequestOut))
@api_requires(authenticated)
def get_request(request: HttpRequest, request_id: UUID) -> object:
    return request_out(_request(request, request_id))


@router.put("/foi/requests/{request_id}/case-owner", response=responses(RequestOut))
@api_requires(authenticated)
def set_case_owner(request: HttpRequest, request_id: UUID, payload: CaseOwnerIn) -> object:
    foi = _request(request, request_id)
    person = org_selectors.people_for(request.user).filter(uuid=payload.person_id).first()
    if person is None:
        raise ServiceError(_("Ukjent person."), {"person_id": [_("Ukjent person.")]})
    services.assign_case_owner(actor=Actor.from_request(request), request=foi, person=person)
    return _fresh(request, foi)


def _item(request: HttpRequest, request_id: UUID, item_id: UUID) -> Item:
    foi = _request(request, request_id)
    return get_visible_or_404(
        Item.objects.filter(request=foi).select_related("request"), uuid=item_id
    )


@router.put("/foi/requests/{request_id}/items/{item_id}/proposal", response=responses(RequestOut))
@api_requires(authenticated)
def propose(request: HttpRequest, request_id: UUID, item_id: UUID, payload: DecisionIo) -> object:
    item = _item(request, request_id, item_id)
    services.prepare_item(actor=Actor.from_request(request), item=item, values=payload.dict())
    return _fresh(request, item.request)


@router.put("/foi/requests/{request_id}/items/{item_id}/decision", response=responses(RequestOut))
@api_requires(authenticated)
def decide(request: HttpRequest, request_id: UUID, item_id: UUID, payload: DecisionIo) -> object:
    item = _item(request, request_id, item_id)
    services.decide_item(actor=Actor.from_request(request), item=item, values=payload.dict())
    return _fresh(request, item.request)


@router.put("/foi/requests/{request_id}/fuller-reasons", response=responses(RequestOut))
@api_requires(authenticated)
def fuller_reasons(request: HttpRequest, request_id: UUID, payload: FullerReasonsIn) -> object:
    """A request for fuller reasons after a refusal (offl. § 31 andre ledd: owed within 10
    working days) and, later, the day they were sent."""
    foi = _request(request, request_id)
    services.record_fuller_reasons(
        actor=Actor.from_request(request),
        request=foi,
        asked_on=payload.asked_on,
        sent_on=payload.sent_on,
    )
    return _fresh(request, foi)


@router.post("/foi/requests/{request_id}/appeals", response=responses(RequestOut, 201))
@api_requires(authenticated)
def register_appeal(request: HttpRequest, request_id: UUID, payload: AppealIn) -> Status:
    """An appeal; it goes first to the ministry (after the answer, or once a request never
    answered counts as refused: offl. § 32)."""
    foi = _request(request, request_id)
    services.register_appeal(
        actor=Actor.from_request(request), request=foi, received_on=payload.received_on
    )
    return Status(201, _fresh(request, foi))


@router.put(
    "/foi/requests/{request_id}/appeals/{appeal_id}/outcome", response=responses(RequestOut)
)
@api_requires(authenticated)
def decide_appeal(
    request: HttpRequest, request_id: UUID, appeal_id: UUID, payload: AppealOutcomeIn
) -> object:
    """The outcome where the appeal is; a ministry upholding its refusal sends the appeal on
    to the King in Council (a new appeal in the list)."""
    foi = _request(request, request_id)
    appeal = get_visible_or_404(Appeal.objects.filter(request=foi), uuid=appeal_id)
    services.decide_appeal(
        actor=Actor.from_request(request),
        appeal=appeal,
        result=payload.result,
        decided_on=payload.decided_on,
        note=payload.note,
    )
    return _fresh(request, foi)


def _figures(name: str | None, f: Figures) -> dict[str, Any]:
    within: dict[str, Any] = {}
    for w in f.within():
        within[f"share_within_{w.days}"] = float(w.share) if w.share is not None else None
        within[f"answered_within_{w.days}"] = w.answered
        within[f"window_over_{w.days}"] = w.due
    return {
        "ministry": name,
        "requests": f.requests,
        "items": f.items,
        "answered": f.answered,
        "median_working_days": float(f.median) if f.median is not None else None,
        "p90_working_days": f.p90,
        **within,
    }


@router.get("/foi/statistics", response=responses(StatisticsOut))
@api_requires(selectors.may_see_statistics)
def statistics(
    request: HttpRequest,
    start: dt.date | None = None,
    end: dt.date | None = None,
    ministry: str | None = None,
) -> object:
    """Requests received in the period (default: this year); exact figures (docs/foi.md)."""
    today = timezone.localdate()
    start = start or dt.date(today.year, 1, 1)
    end = end or dt.date(today.year, 12, 31)
    scope = selectors.statistics_scope(request.user)
    chosen = _ministry((ministry or "")[:12])
    if chosen is not None:
        if scope is not None and chosen.pk not in scope:
            raise ServiceError(_("Du ser ikke statistikken for dette departementet."), {})
        scope = frozenset({chosen.pk})
    stats = compute(scope, start, end)
    return {
        "start": start,
        "end": end,
        "total": _figures(None, stats.total),
        "ministries": [_figures(m.abbreviation, f) for m, f in stats.ministries],
        "outcomes": [{"key": o, "count": n} for o, n in stats.outcomes],
        "bases": [{"key": o, "basis": b, "count": n} for o, b, n in stats.bases],
        "appeals": [{"key": f"{b}:{r}", "count": n} for b, r, n in stats.appeals],
    }
