"""API: delivery agreements — list, read, draft, services, send, accept, end."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from felles.agreements import rules, selectors, services
from felles.agreements.models import Agreement
from felles.agreements.schemas import AcceptIn, AgreementIn, AgreementOut, EndIn, LineIn
from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.core.api import responses
from felles.core.permissions import api_requires, get_visible_or_404
from felles.core.services import ServiceError
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person

router = Router(tags=["leveranseavtaler"])


def _name(person: Any) -> str | None:
    return person.full_name if person is not None else None


def agreement_out(agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.uuid,
        "provider": agreement.provider.abbreviation,
        "ministry": agreement.ministry.abbreviation,
        "version": agreement.version,
        "status": agreement.status,
        "valid_from": agreement.valid_from,
        "valid_to": agreement.valid_to,
        "supersedes_id": agreement.supersedes.uuid if agreement.supersedes else None,
        "min_compliance": agreement.min_compliance,
        "provider_contact": _name(agreement.provider_contact),
        "ministry_contact": _name(agreement.ministry_contact),
        "notes": agreement.notes,
        "ministry_accepted_by": _name(agreement.ministry_accepted_by),
        "ministry_accepted_at": agreement.ministry_accepted_at,
        "provider_accepted_by": _name(agreement.provider_accepted_by),
        "provider_accepted_at": agreement.provider_accepted_at,
        "lines": [
            {
                "service_id": line.service.uuid,
                "service_code": line.service.code,
                "service": line.service.name_nb,
                "volume": line.volume,
                "note": line.note,
                "targets": [
                    {
                        "priority": t.priority,
                        "response_hours": t.response_hours,
                        "resolution_hours": t.resolution_hours,
                    }
                    for t in line.targets.all()
                ],
            }
            for line in agreement.lines.all()
        ],
    }


def _visible(request: HttpRequest) -> Any:
    return selectors.with_lines(selectors.agreements_for(request.user))


def _agreement(request: HttpRequest, agreement_id: UUID) -> Agreement:
    return get_visible_or_404(_visible(request), uuid=agreement_id)


def _fresh(request: HttpRequest, agreement: Agreement) -> dict[str, Any]:
    return agreement_out(_visible(request).get(pk=agreement.pk))


@router.get("/agreements", response=responses(list[AgreementOut]))
@api_requires(selectors.may_see_agreements)
def list_agreements(request: HttpRequest) -> object:
    return [agreement_out(a) for a in _visible(request)]


@router.get("/agreements/{agreement_id}", response=responses(AgreementOut))
@api_requires(selectors.may_see_agreements)
def get_agreement(request: HttpRequest, agreement_id: UUID) -> object:
    return agreement_out(_agreement(request, agreement_id))


def _organisation(abbreviation: str, field: str) -> Organisation:
    found = Organisation.objects.filter(abbreviation__iexact=abbreviation).first()
    if found is None:
        raise ServiceError(
            f"Ukjent organisasjon «{abbreviation[:12]}».", {field: ["Ukjent forkortelse."]}
        )
    return found


def _person(request: HttpRequest, person_id: UUID | None, field: str) -> Person | None:
    if person_id is None:
        return None
    found = org_selectors.people_for(request.user).filter(uuid=person_id).first()
    if found is None:
        raise ServiceError("Ukjent person.", {field: ["Ukjent person."]})
    return found


@router.post("/agreements", response=responses(AgreementOut, 201))
@api_requires(selectors.may_draft)
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Status:
    supersedes = (
        get_visible_or_404(selectors.agreements_for(request.user), uuid=payload.supersedes_id)
        if payload.supersedes_id
        else None
    )
    agreement = services.create_draft(
        actor=Actor.from_request(request),
        provider=_organisation(payload.provider, "provider"),
        ministry=_organisation(payload.ministry, "ministry"),
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        supersedes=supersedes,
        notes=payload.notes,
        min_compliance=payload.min_compliance,
        provider_contact=_person(request, payload.provider_contact_id, "provider_contact_id"),
        ministry_contact=_person(request, payload.ministry_contact_id, "ministry_contact_id"),
    )
    return Status(201, _fresh(request, agreement))


@router.put("/agreements/{agreement_id}/services", response=responses(AgreementOut))
@api_requires(selectors.may_see_agreements)
def save_line(request: HttpRequest, agreement_id: UUID, payload: LineIn) -> object:
    agreement = _agreement(request, agreement_id)
    service = Service.objects.filter(uuid=payload.service_id).first()
    if service is None:
        raise ServiceError("Ukjent tjeneste.", {"service_id": ["Ukjent tjeneste."]})
    priorities = [t.priority for t in payload.targets]
    if len(set(priorities)) != len(priorities):
        raise ServiceError("Hver prioritet kan bare stå én gang.", {"targets": ["Dobbel."]})
    services.save_line(
        actor=Actor.from_request(request),
        agreement=agreement,
        service=service,
        volume=payload.volume,
        note=payload.note,
        targets={
            t.priority: rules.Targets(t.response_hours, t.resolution_hours) for t in payload.targets
        },
    )
    return _fresh(request, agreement)


@router.post("/agreements/{agreement_id}/send", response=responses(AgreementOut))
@api_requires(selectors.may_see_agreements)
def send_agreement(request: HttpRequest, agreement_id: UUID) -> object:
    agreement = _agreement(request, agreement_id)
    services.send(actor=Actor.from_request(request), agreement=agreement)
    return _fresh(request, agreement)


@router.post("/agreements/{agreement_id}/accept", response=responses(AgreementOut))
@api_requires(selectors.may_see_agreements)
def accept_agreement(request: HttpRequest, agreement_id: UUID, payload: AcceptIn) -> object:
    agreement = _agreement(request, agreement_id)
    person = org_selectors.person_for(request.user)
    if person is None:
        raise ServiceError("Du må være registrert som person i Felles.")
    side = payload.side or selectors.acceptance_side(request.user, agreement) or "ministry"
    services.accept(
        actor=Actor.from_request(request), agreement=agreement, person=person, side=side
    )
    return _fresh(request, agreement)


@router.post("/agreements/{agreement_id}/end", response=responses(AgreementOut))
@api_requires(selectors.may_see_agreements)
def end_agreement(request: HttpRequest, agreement_id: UUID, payload: EndIn) -> object:
    agreement = _agreement(request, agreement_id)
    services.end(actor=Actor.from_request(request), agreement=agreement, last_day=payload.last_day)
    return _fresh(request, agreement)
