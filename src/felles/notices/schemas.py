"""API schemas: notices, publishing one, receipts."""

import datetime as dt
from typing import Literal
from uuid import UUID

from pydantic import Field

from felles.core.schemas import Schema

KindName = Literal["service", "price", "outage", "guideline", "decision", "other"]


class NoticeOut(Schema):
    id: UUID
    kind: str
    title: str
    body: str
    area: str | None
    audience: list[str]
    author: str
    published_at: dt.datetime
    requires_confirmation: bool


class ReceiptOut(Schema):
    ministry: str
    fetched_at: dt.datetime | None
    fetches: int
    confirmed_at: dt.datetime | None
    confirmed_by: str | None


class NoticeDetailOut(NoticeOut):
    receipts: list[ReceiptOut] | None


class NoticeIn(Schema):
    kind: KindName
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=20000)
    area: str = Field("", max_length=40)
    audience: list[str] = Field(
        [], max_length=40, description="Departementenes forkortelser; tom: alle."
    )
    requires_confirmation: bool = False
    case: str = Field(
        "", max_length=20, description="Saksnummer i vedtaksloggen, f.eks. S-2026-0004."
    )
