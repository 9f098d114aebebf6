"""API: personellsikkerhet. The register's rows for the same audience as the pages (the
ministry's security coordinators and leader, the provider's personnel-security team); a
ministry or row outside the reader's reach is a 404. Every read is logged."""

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.responses import Status
from pydantic import Field

from felles.core.actor import Actor
from felles.core.api import responses
from felles.core.errors import ServiceError
from felles.core.permissions import api_requires, get_visible_or_404
from felles.core.schemas import Schema
from felles.organisations.models import Person
from felles.security import selectors, services
from felles.security.models import RegisterRead

router = Router(tags=["sikkerhet"])


class RowOut(Schema):
    id: UUID
    kind: Literal["authorisation", "clearance", "declaration"]
    ministry: str
    person: UUID
    person_name: str
    level: str | None
    starts_on: dt.date
    expires_on: dt.date | None
    ended_on: dt.date | None
    next_conversation_due: dt.date | None


class RegisterQuery(Schema):
    kind: Literal["", "authorisation", "clearance", "declaration"] = ""
    include_ended: bool = False
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class AuthorisationIn(Schema):
    person: UUID
    level: str = Field(max_length=40)
    granted_on: dt.date
    authorised_by: str = Field(max_length=400)
    conversation_on: dt.date | None = None


class ConversationIn(Schema):
    held_on: dt.date


def _out(row: Any, kind: str, ministry: str) -> dict[str, Any]:
    return {
        "id": row.uuid,
        "kind": kind,
        "ministry": ministry,
        "person": row.person.uuid,
        "person_name": row.person.full_name,
        "level": getattr(row, "level", None),
        "starts_on": getattr(row, "granted_on", None)
        or getattr(row, "decided_on", None)
        or row.signed_on,
        "expires_on": getattr(row, "expires_on", None),
        "ended_on": row.ended_on,
        "next_conversation_due": getattr(row, "next_conversation_due", None),
    }


def _sources(user: Any) -> dict[str, Any]:
    return {
        "authorisation": selectors.authorisations_for(user),
        "clearance": selectors.clearances_for(user),
        "declaration": selectors.declarations_for(user),
    }


def _ministry(request: HttpRequest, ministry: str) -> Any:
    found = (
        selectors.ministries_for(request.user).filter(abbreviation__iexact=ministry[:20]).first()
    )
    if found is None:
        raise Http404
    return found


@router.get("/security/{ministry}/register", response=responses(list[RowOut]))
@api_requires(selectors.has_person)
def list_register(request: HttpRequest, ministry: str, filters: Query[RegisterQuery]) -> object:
    """The ministry's register rows (open ones unless `include_ended`), by kind."""
    found = _ministry(request, ministry)
    rows: list[tuple[Any, str]] = []
    for kind, source in _sources(request.user).items():
        if filters.kind and filters.kind != kind:
            continue
        items = source.filter(ministry=found).order_by("pk")
        if not filters.include_ended:
            items = items.filter(ended_on__isnull=True)
        rows += [(r, kind) for r in items[filters.offset : filters.offset + filters.limit]]
    services.record_reads(
        actor=Actor.from_request(request), rows=[r for r, _k in rows], route=RegisterRead.Route.API
    )
    return [_out(r, kind, found.abbreviation) for r, kind in rows]


@router.get("/security/rows/{row_id}", response=responses(RowOut))
@api_requires(selectors.has_person)
def get_row(request: HttpRequest, row_id: UUID) -> object:
    """One register row by its id."""
    for kind, source in _sources(request.user).items():
        row = source.select_related("ministry").filter(uuid=row_id).first()
        if row is not None:
            services.record_reads(
                actor=Actor.from_request(request), rows=[row], route=RegisterRead.Route.API
            )
            return _out(row, kind, row.ministry.abbreviation)
    raise Http404


@router.post("/security/rows/{row_id}/conversation", response=responses(RowOut))
@api_requires(selectors.has_person)
def record_conversation(request: HttpRequest, row_id: UUID, payload: ConversationIn) -> object:
    """Record that the authorisation conversation was held on `held_on` (VF § 68): the
    row with its next conversation due, recomputed by the rules."""
    row = get_visible_or_404(
        selectors.authorisations_for(request.user).select_related("ministry"), uuid=row_id
    )
    actor = Actor.from_request(request)
    row = services.record_conversation(actor=actor, row=row, held_on=payload.held_on)
    services.record_reads(actor=actor, rows=[row], route=RegisterRead.Route.API)
    return _out(row, "authorisation", row.ministry.abbreviation)


@router.post("/security/{ministry}/authorisations", response=responses(RowOut, 201))
@api_requires(selectors.has_person)
def add_authorisation(request: HttpRequest, ministry: str, payload: AuthorisationIn) -> object:
    """Register an authorisation, by the same rules as the form: KONFIDENSIELT or higher
    rests on a valid clearance at that level (sikkerhetsloven §§ 8-1, 8-2); one at a time
    per person (a higher level granted later ends the lower one). A refusal is a 409/422
    in bokmål and nothing is saved."""
    found = _ministry(request, ministry)
    person = Person.objects.filter(organisation=found, uuid=payload.person).first()
    if person is None:
        message = "Personen hører ikke til departementet."
        raise ServiceError(message, {"person": [message]})
    actor = Actor.from_request(request)
    row = services.add_authorisation(
        actor=actor,
        ministry=found,
        person=person,
        level=payload.level,
        granted_on=payload.granted_on,
        authorised_by=payload.authorised_by,
        conversation_on=payload.conversation_on,
    )
    services.record_reads(actor=actor, rows=[row], route=RegisterRead.Route.API)
    return Status(201, _out(row, "authorisation", found.abbreviation))
