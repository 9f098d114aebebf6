"""The rooms API's shapes."""

import datetime as dt
from typing import Literal
from uuid import UUID

from pydantic import Field, field_validator

from felles.core.schemas import Schema

Catering = Literal["Kaffe og te", "Frukt", "Lunsj"]


class RoomOut(Schema):
    id: UUID
    code: str
    name: str
    building: str
    floor: str
    capacity: int
    equipment: list[str]
    accessible: bool
    policy: str
    graded: bool


class BookingIn(Schema):
    room_id: UUID
    title: str = Field(..., min_length=1, max_length=200)
    start: dt.datetime
    end: dt.datetime
    participants: int = Field(1, ge=1, le=2000)
    catering: list[Catering] = Field(default_factory=list, max_length=3)
    technical_help: bool = False

    @field_validator("start", "end")
    @classmethod
    def aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("Oppgi tidspunktet med tidssone, f.eks. 2026-12-01T10:00:00+01:00.")
        return value


class BookingOut(Schema):
    id: UUID
    uid: str
    room_id: UUID
    room: str
    title: str
    start: dt.datetime
    end: dt.datetime
    participants: int
    status: str
    sequence: int
    series_id: UUID | None
    catering_order: str | None
    technical_order: str | None


class BookingChangeIn(Schema):
    """What to change (left out: unchanged)."""

    title: str | None = Field(None, min_length=1, max_length=200)
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    room_id: UUID | None = None
    participants: int | None = Field(None, ge=1, le=2000)

    @field_validator("start", "end")
    @classmethod
    def aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("Oppgi tidspunktet med tidssone, f.eks. 2026-12-01T10:00:00+01:00.")
        return value
