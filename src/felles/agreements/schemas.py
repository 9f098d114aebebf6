"""The agreements API's shapes."""

import datetime as dt
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import Field

from felles.core.schemas import Schema

PriorityName = Literal["low", "normal", "high", "critical"]


class TargetIo(Schema):
    priority: PriorityName
    response_hours: Decimal = Field(..., gt=0, le=2000, max_digits=6, decimal_places=2)
    resolution_hours: Decimal = Field(..., gt=0, le=2000, max_digits=6, decimal_places=2)


class LineOut(Schema):
    service_id: UUID
    service_code: str
    service: str
    volume: int | None
    note: str
    targets: list[TargetIo]


class AgreementOut(Schema):
    id: UUID
    provider: str
    ministry: str
    version: int
    status: str
    valid_from: dt.date
    valid_to: dt.date | None
    supersedes_id: UUID | None
    min_compliance: int
    provider_contact: str | None
    ministry_contact: str | None
    notes: str
    ministry_accepted_by: str | None
    ministry_accepted_at: dt.datetime | None
    provider_accepted_by: str | None
    provider_accepted_at: dt.datetime | None
    lines: list[LineOut]


class AgreementIn(Schema):
    provider: str = Field(..., min_length=1, max_length=12, description="Forkortelse, f.eks. DSS")
    ministry: str = Field(..., min_length=1, max_length=12, description="Forkortelse, f.eks. KUD")
    valid_from: dt.date
    valid_to: dt.date | None = None
    supersedes_id: UUID | None = None
    min_compliance: int = Field(90, ge=1, le=100)
    provider_contact_id: UUID | None = None
    ministry_contact_id: UUID | None = None
    notes: str = Field("", max_length=10000)


class LineIn(Schema):
    service_id: UUID
    volume: int | None = Field(None, ge=0, le=10_000_000)
    note: str = Field("", max_length=300)
    targets: list[TargetIo] = Field([], max_length=4)


class AcceptIn(Schema):
    side: Literal["ministry", "provider"] | None = Field(
        None, description="Tom: den siden brukeren kan godta for."
    )


class EndIn(Schema):
    last_day: dt.date
