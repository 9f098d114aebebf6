"""The FOI API's shapes."""

import datetime as dt
from typing import Literal
from uuid import UUID

from pydantic import Field

from felles.core.schemas import Schema

OutcomeName = Literal[
    "full", "partial", "refused", "not_case_document", "does_not_exist", "forwarded"
]


class ImportIn(Schema):
    xml: str = Field(..., max_length=1024 * 1024)
    ministry: str | None = Field(None, max_length=12)
    received_on: dt.date | None = None
    # The ministry's case owner; required when the ministry has no information-management
    # coordinator.
    case_owner_id: UUID | None = None


class DecisionIo(Schema):
    outcome: OutcomeName
    section: int | None = Field(None, ge=1, le=32)
    subsection: int | None = Field(None, ge=1, le=9)
    letter: str = Field("", max_length=10)
    other_basis: str = Field("", max_length=200)
    withheld: str = Field("", max_length=5000)
    forwarded_to: str = Field("", max_length=200)
    meirinnsyn: bool | None = None
    meirinnsyn_reason: str = Field("", max_length=5000)
    assessment: str = Field("", max_length=10000)


class ItemOut(Schema):
    id: UUID
    case_number: str
    document_number: str
    journal_number: str
    case_officer: str
    title: str
    proposed: DecisionIo | None
    final: DecisionIo | None
    legal_basis: str


AppealResult = Literal["upheld", "partly", "granted", "withdrawn"]


class AppealOut(Schema):
    id: UUID
    received_on: dt.date
    body: Literal["ministry", "king"]
    result: str
    decided_on: dt.date | None
    note: str


class AppealIn(Schema):
    received_on: dt.date


class AppealOutcomeIn(Schema):
    result: AppealResult
    decided_on: dt.date
    note: str = Field("", max_length=5000)


class FullerReasonsIn(Schema):
    asked_on: dt.date
    sent_on: dt.date | None = None


class RequestOut(Schema):
    id: UUID
    order_number: str
    ministry: str
    source: str
    einnsyn_id: str | None
    received_on: dt.date
    requester_email: str
    requester_name: str
    case_owner_id: UUID | None
    target: dt.date
    deemed_refusal: dt.date
    deadline_state: str
    answered_on: dt.date | None
    working_days: int | None
    appeal_deadline: dt.date | None
    fuller_reasons_asked_on: dt.date | None
    fuller_reasons_due: dt.date | None
    fuller_reasons_sent_on: dt.date | None
    items: list[ItemOut]
    appeals: list[AppealOut]


class CaseOwnerIn(Schema):
    person_id: UUID


class FiguresOut(Schema):
    ministry: str | None
    requests: int
    items: int
    answered: int
    median_working_days: float | None
    p90_working_days: int | None
    # Of the requests whose N-working-day window is over (answered or not: window_over_N),
    # the share answered within N working days (answered_within_N / window_over_N).
    share_within_1: float | None
    share_within_3: float | None
    share_within_5: float | None
    answered_within_1: int
    answered_within_3: int
    answered_within_5: int
    window_over_1: int
    window_over_3: int
    window_over_5: int


class CountOut(Schema):
    key: str
    basis: str = ""
    count: int


class StatisticsOut(Schema):
    start: dt.date
    end: dt.date
    total: FiguresOut
    ministries: list[FiguresOut]
    outcomes: list[CountOut]
    bases: list[CountOut]
    appeals: list[CountOut]
