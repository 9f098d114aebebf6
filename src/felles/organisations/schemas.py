"""API schemas for organisations, units, people and absences."""

import datetime as dt
from uuid import UUID

from pydantic import Field

from felles.core.schemas import Schema


class OrganisationRef(Schema):
    id: UUID = Field(alias="uuid")
    abbreviation: str
    name_nb: str


class OrganisationOut(Schema):
    id: UUID = Field(alias="uuid")
    abbreviation: str
    name_nb: str
    name_en: str
    org_number: str
    org_number_is_test: bool
    kind: str
    is_governing: bool
    in_government_quarter: bool


class UnitOut(Schema):
    id: UUID = Field(alias="uuid")
    organisation: OrganisationRef
    code: str
    name: str
    kind: str
    parent_id: UUID | None
    active: bool

    @staticmethod
    def resolve_parent_id(obj: object) -> UUID | None:
        parent = getattr(obj, "parent", None)
        return parent.uuid if parent else None


class PersonRef(Schema):
    id: UUID = Field(alias="uuid")
    name: str = Field(alias="full_name")


class RoleOut(Schema):
    role: str
    organisation: str


class PersonOut(Schema):
    id: UUID = Field(alias="uuid")
    first_name: str
    last_name: str
    email: str
    employee_number: str
    title: str
    organisation: OrganisationRef
    unit_id: UUID | None
    line_manager: PersonRef | None
    active: bool

    @staticmethod
    def resolve_unit_id(obj: object) -> UUID | None:
        unit = getattr(obj, "unit", None)
        return unit.uuid if unit else None


class MeOut(Schema):
    username: str
    person: PersonOut | None
    roles: list[RoleOut]


class AbsenceOut(Schema):
    id: UUID = Field(alias="uuid")
    person: PersonRef
    starts_on: dt.date
    ends_on: dt.date
    substitute: PersonRef | None
    note: str


class AbsenceIn(Schema):
    person_id: UUID
    starts_on: dt.date
    ends_on: dt.date
    substitute_id: UUID | None = None
    note: str = Field("", max_length=200)
