"""API shapes for archive work."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from felles.core.schemas import Schema


class RetentionOut(Schema):
    material: str
    decision: str
    retention_years: int | None
    disposal_on: dt.date | None
    basis: str


class JobOut(Schema):
    id: UUID
    ministry: str
    order_id: UUID
    order_number: str
    order_status: str
    service_code: str
    kind: str
    title: str
    period: str | None
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    shelf_metres: Decimal | None
    record_count: int | None
    report_name: str | None
    report_sha256: str | None
    approved_by: str | None
    approved_at: dt.datetime | None
    completed_at: dt.datetime | None
    retention: list[RetentionOut]


class PlanItemOut(Schema):
    kind: str
    due_on: dt.date
    overdue: bool
    period_id: UUID
    period: str
    job_ids: list[UUID]


class PlanOut(Schema):
    ministry: str
    year: int
    due: list[PlanItemOut]
    job_ids: list[UUID]
