"""Recruitment reads: the recruitments a user may see (through their orders' visibility)
and the time to hire per ministry in working days (core.calendar), from the order to the
accepted offer. No applicant data: Jobbnorge holds the candidates."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from felles.core.calendar import working_days_between
from felles.core.types import AnyUser
from felles.hr.models import Recruitment
from felles.hr.selectors import ministry_scope
from felles.orders.models import Order
from felles.orders.selectors import orders_for
from felles.organisations.models import Organisation

SERVICES = ("hr-rekruttering", "hr-toppleder")


def recruitment_orders(user: AnyUser) -> QuerySet[Order]:
    """Orders for recruitment the user sees, newest first."""
    return (
        orders_for(user)
        .filter(service__code__in=SERVICES)
        .select_related("service", "ministry")
        .order_by("-submitted_at")
    )


def records_for(orders: list[Order]) -> dict[int, Recruitment]:
    return {r.order_id: r for r in Recruitment.objects.filter(order__in=orders)}


def days_to_hire(record: Recruitment) -> int | None:
    if record.accepted_on is None:
        return None
    start = timezone.localdate(record.order.submitted_at)
    return working_days_between(start, record.accepted_on)


@dataclass(frozen=True)
class HireTime:
    ministry: Organisation
    hired: int
    median: float | None
    mean: float | None
    open: int


def time_to_hire(user: AnyUser) -> list[HireTime]:
    """Per ministry the user sees (its HR figures' scope): recruitments finished with an
    accepted offer, the median and mean working days from order to acceptance, and how
    many are still open."""
    scope = ministry_scope(user)
    records = Recruitment.objects.select_related("order", "order__ministry")
    if scope is not None:
        records = records.filter(order__ministry_id__in=scope)
    by_ministry: dict[int, tuple[Organisation, list[int], int]] = {}
    for record in records:
        ministry = record.order.ministry
        days, open_count = by_ministry.get(ministry.pk, (ministry, [], 0))[1:]
        taken = days_to_hire(record)
        if taken is None:
            open_count += 1
        else:
            days = [*days, taken]
        by_ministry[ministry.pk] = (ministry, days, open_count)
    return [
        HireTime(
            ministry=m,
            hired=len(days),
            median=statistics.median(days) if days else None,
            mean=round(statistics.fmean(days), 1) if days else None,
            open=open_count,
        )
        for m, days, open_count in sorted(by_ministry.values(), key=lambda t: t[0].abbreviation)
    ]
