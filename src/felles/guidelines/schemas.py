"""API schemas: guidelines, their versions, the ministries' answers and the matrix."""

import datetime as dt
from typing import Literal
from uuid import UUID

from pydantic import Field

from felles.core.schemas import Schema


class VersionOut(Schema):
    id: UUID
    number: int
    status: str
    effective_from: dt.date
    respond_by: dt.date
    case: str | None
    changes: str
    text: str
    adopted_at: dt.datetime | None


class GuidelineOut(Schema):
    code: str
    title: str
    kind: str
    area: str
    owner: str
    status: str
    current_version: int | None


class GuidelineDetailOut(GuidelineOut):
    versions: list[VersionOut]


class AdoptionIn(Schema):
    status: Literal["adopted", "local", "exception"]
    addition: str = Field("", max_length=5000)
    reason: str = Field("", max_length=5000)
    ends_on: dt.date | None = None


class AdoptionOut(Schema):
    guideline: str
    version: int
    ministry: str
    status: str
    addition: str
    reason: str
    ends_on: dt.date | None


class CellOut(Schema):
    ministry: str
    status: str | None
    ends_on: dt.date | None
    overdue: bool


class MatrixRowOut(Schema):
    guideline: str
    version: int
    respond_by: dt.date
    cells: list[CellOut]
