"""API router: /me, organisations, units, people, absences."""

from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from felles.core.actor import Actor
from felles.core.api import Pagination, responses
from felles.core.permissions import api_requires, authenticated, get_visible_or_404
from felles.core.schemas import Schema
from felles.organisations import selectors, services
from felles.organisations.models import Role, RoleAssignment
from felles.organisations.schemas import (
    AbsenceIn,
    AbsenceOut,
    MeOut,
    OrganisationOut,
    PersonOut,
    UnitOut,
)

router = Router(tags=["organisasjoner"])


class PeopleFilter(Schema):
    organisation: str | None = None
    unit: str | None = None
    role: Role | None = None
    q: str | None = None


@router.get("/me", response=responses(MeOut), summary="Hvem er jeg")
@api_requires(authenticated)
def me(request: HttpRequest) -> dict:
    person = selectors.person_for(request.user)
    roles = (
        RoleAssignment.objects.filter(person=person).select_related("organisation")
        if person
        else []
    )
    return {
        "username": request.user.get_username(),
        "person": person,
        "roles": [{"role": r.role, "organisation": r.organisation.abbreviation} for r in roles],
    }


@router.get("/organisations", response=responses(list[OrganisationOut]))
@api_requires(authenticated)
def list_organisations(request: HttpRequest) -> object:
    return selectors.organisations_for(request.user)


@router.get("/organisations/{organisation_id}", response=responses(OrganisationOut))
@api_requires(authenticated)
def get_organisation(request: HttpRequest, organisation_id: UUID) -> object:
    return get_visible_or_404(selectors.organisations_for(request.user), uuid=organisation_id)


@router.get("/units", response=responses(list[UnitOut]))
@api_requires(authenticated)
@paginate(Pagination)
def list_units(request: HttpRequest, organisation: str | None = None) -> object:
    units = selectors.units_for(request.user)
    if organisation:
        units = units.filter(organisation__abbreviation__iexact=organisation)
    return units


@router.get("/units/{unit_id}", response=responses(UnitOut))
@api_requires(authenticated)
def get_unit(request: HttpRequest, unit_id: UUID) -> object:
    return get_visible_or_404(selectors.units_for(request.user), uuid=unit_id)


@router.get("/people", response=responses(list[PersonOut]))
@api_requires(authenticated)
@paginate(Pagination)
def list_people(request: HttpRequest, filters: Query[PeopleFilter]) -> object:
    return selectors.filter_people(selectors.people_for(request.user), **filters.model_dump())


@router.get("/people/{person_id}", response=responses(PersonOut))
@api_requires(authenticated)
def get_person(request: HttpRequest, person_id: UUID) -> object:
    return get_visible_or_404(selectors.people_for(request.user), uuid=person_id)


@router.get("/absences", response=responses(list[AbsenceOut]))
@api_requires(authenticated)
@paginate(Pagination)
def list_absences(request: HttpRequest, person: UUID | None = None) -> object:
    absences = selectors.absences_for(request.user)
    return absences.filter(person__uuid=person) if person else absences


@router.post("/absences", response=responses(AbsenceOut, 201))
@api_requires(authenticated)
def create_absence(request: HttpRequest, payload: AbsenceIn) -> Status:
    people = selectors.people_for(request.user)
    person = get_visible_or_404(people, uuid=payload.person_id)
    substitute = (
        get_visible_or_404(people, uuid=payload.substitute_id) if payload.substitute_id else None
    )
    absence = services.register_absence(
        actor=Actor.from_request(request),
        person=person,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        substitute=substitute,
        note=payload.note,
    )
    return Status(201, absence)


@router.delete("/absences/{absence_id}", response=responses(None, 204))
@api_requires(authenticated)
def delete_absence(request: HttpRequest, absence_id: UUID) -> Status:
    absence = get_visible_or_404(selectors.absences_for(request.user), uuid=absence_id)
    services.cancel_absence(actor=Actor.from_request(request), absence=absence)
    return Status(204, None)
