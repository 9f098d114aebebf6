"""API: the customer dialogue — series, meetings, action items and the meeting pack."""

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
from felles.core.services import ServiceError
from felles.core.validators import DATE_RANGE_MESSAGE, date_in_range
from felles.governance import forms, rules, selectors, services
from felles.governance.api.common import LevelName
from felles.governance.models import ActionItem, MeetingSeries
from felles.organisations.models import Organisation, Person

router = Router(tags=["styring"])


class PeriodOut(Schema):
    first: dt.date
    last: dt.date
    held: int
    status: str


class SeriesOut(Schema):
    id: UUID
    ministry: str | None  # None for an arena
    name: str  # an arena's name; "" for a dialogue
    members: list[str]
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
    rows = selectors.dialogue_compliance(
        selectors.series_for(request.user).prefetch_related("members")
    )
    return [
        {
            "id": r.series.uuid,
            "ministry": r.series.ministry.abbreviation if r.series.ministry else None,
            "name": str(r.series) if r.series.is_arena else "",
            "members": [m.abbreviation for m in r.series.members.all()],
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
