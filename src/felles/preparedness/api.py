"""API: sikkerhet og beredskap — incidents (report, list), DFD's aggregate statistics, ROS
analyses (list, the leader's sign-off)."""

import datetime as dt
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
from felles.organisations import selectors as org_selectors
from felles.preparedness import selectors, services

router = Router(tags=["beredskap"])

KindName = Literal["access", "loss", "handling", "physical", "digital", "threat", "other"]


class IncidentIn(Schema):
    kind: KindName
    occurred_at: dt.datetime
    severity: int = Field(..., ge=1, le=4)
    summary: str = Field(..., min_length=1, max_length=2000)
    report_nsm: bool = False
    report_police: bool = False


class IncidentOut(Schema):
    id: UUID
    ministry: str
    kind: str
    occurred_at: dt.datetime
    severity: int
    report_nsm: bool
    report_police: bool
    status: str
    reported_by_me: bool


def _incident(incident: Any, me: Any) -> dict[str, Any]:
    return {
        "id": incident.uuid,
        "ministry": incident.ministry.abbreviation,
        "kind": incident.kind,
        "occurred_at": incident.occurred_at,
        "severity": incident.severity,
        "report_nsm": incident.report_nsm,
        "report_police": incident.report_police,
        "status": incident.status,
        "reported_by_me": me is not None and incident.reported_by_id == me.pk,
    }


@router.get("/preparedness/incidents", response=responses(list[IncidentOut]))
@api_requires(authenticated)
def list_incidents(request: HttpRequest) -> object:
    """Incidents the caller may see: her own, and the ministry's for its security
    coordinators and DSS's security team."""
    me = org_selectors.person_for(request.user)
    return [_incident(i, me) for i in selectors.incidents_for(request.user)[:500]]


@router.post("/preparedness/incidents", response=responses(IncidentOut, 201))
@api_requires(selectors.has_person)
def report_incident(request: HttpRequest, payload: IncidentIn) -> Status:
    """Report an incident in the caller's own ministry (metadata only: no graded
    information in the summary)."""
    me = org_selectors.person_for(request.user)
    incident = services.report_incident(
        actor=Actor.from_request(request), reporter=me, **payload.dict()
    )
    return Status(201, _incident(incident, me))


class StatisticsOut(Schema):
    since: dt.date
    quarters: list[str]
    rows: list[dict[str, Any]]
    totals: list[int | None]
    suppressed_below: int


@router.get("/preparedness/statistics", response=responses(StatisticsOut))
@api_requires(selectors.may_see_overview)
def incident_statistics(request: HttpRequest) -> object:
    """Incidents per quarter and ministry since 1 January last year: aggregates only; a
    count below `suppressed_below` is null."""
    today = timezone.localdate()
    since = dt.date(today.year - 1, 1, 1)
    stats = selectors.incident_statistics(since)
    return {
        "since": since,
        "quarters": stats["quarters"],
        "rows": stats["rows"],
        "totals": stats["totals"],
        "suppressed_below": stats["small"],
    }


class AnalysisOut(Schema):
    id: UUID
    title: str
    ministries: list[str]
    status: str
    signed_on: dt.date | None
    next_review_on: dt.date | None
    order: str | None
    signed_by_ministries: list[str]


def _analysis(a: Any) -> dict[str, Any]:
    return {
        "id": a.uuid,
        "title": a.title,
        "ministries": sorted(m.abbreviation for m in a.ministries.all()),
        "status": a.status,
        "signed_on": a.signed_on,
        "next_review_on": a.next_review_on,
        "order": a.order.number if a.order_id else None,
        "signed_by_ministries": sorted(
            s.ministry.abbreviation for s in a.signatures.select_related("ministry")
        ),
    }


@router.get("/preparedness/analyses", response=responses(list[AnalysisOut]))
@api_requires(authenticated)
def list_analyses(request: HttpRequest) -> object:
    return [_analysis(a) for a in selectors.analyses_for(request.user).select_related("order")]


@router.post("/preparedness/analyses/{analysis_id}/sign", response=responses(AnalysisOut))
@api_requires(authenticated)
def sign_analysis(request: HttpRequest, analysis_id: UUID) -> object:
    """The leader of a covered ministry signs the analysis (nobody else: 403)."""
    analysis = get_visible_or_404(selectors.analyses_for(request.user), uuid=analysis_id)
    return _analysis(services.sign_analysis(actor=Actor.from_request(request), analysis=analysis))
