"""«Avtalt / levert»: each service of the delivery agreements in force, with what was
delivered under it — finished orders that reached the provider within the agreement's
period, how many were resolved within their target (which already is the stricter of the
standard and the agreement, `services.targets_for`) and the median resolution time. The
agreed side and the deviations come from `agreements.selectors`."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from felles.agreements import selectors as agreement_selectors
from felles.core.types import AnyUser
from felles.organisations.models import Organisation
from felles.sla import selectors
from felles.sla.models import OrderSla


def agreed_vs_delivered(
    user: AnyUser,
    slas: QuerySet[OrderSla],
    day: dt.date | None = None,
    ministry_id: int | None = None,
) -> list[agreement_selectors.AgreedLine]:
    """The agreed lines `user` may see (of the agreements in force on `day`, for one
    ministry or all) with their delivered figures (from `slas`, already scoped to the
    user). Two queries whatever the number of agreements."""
    day = day or timezone.localdate()
    lines = agreement_selectors.in_force(user, day, ministry_id)
    if not lines:
        return []
    found: dict[tuple[int, int], list[tuple[dt.date, bool, float]]] = defaultdict(list)
    for ministry, service, started, minutes, target in slas.filter(
        finished=True,
        started_at__isnull=False,
        resolution_target__isnull=False,
        order__ministry_id__in={line.agreement.ministry_id for line in lines},
        order__service_id__in={line.line.service_id for line in lines},
    ).values_list(
        "order__ministry_id",
        "order__service_id",
        "started_at",
        "resolution_minutes",
        "resolution_target",
    ):
        found[(ministry, service)].append(
            (timezone.localtime(started).date(), minutes <= target, minutes)
        )
    delivered = {}
    for line in lines:
        agreement = line.agreement
        within = [
            (ok, minutes)
            for started, ok, minutes in found.get(line.key, [])
            if agreement.valid_from <= started
            and (agreement.valid_to is None or started <= agreement.valid_to)
        ]
        delivered[line.key] = agreement_selectors.Delivered(
            orders=len(within),
            met=sum(1 for ok, _ in within if ok),
            median_hours=round(statistics.median(m / 60 for _, m in within), 1) if within else None,
        )
    return agreement_selectors.compare(lines, delivered)


def organisation_section(*, user: AnyUser, organisation: Organisation) -> list[str]:
    """A ministry's page: its agreements in force, agreed against delivered, for those who
    follow the SLA (`organisations.events.organisation_sections`)."""
    if organisation.kind != Organisation.Kind.MINISTRY or not selectors.may_see_reports(user):
        return []
    lines = agreed_vs_delivered(user, selectors.slas_for(user), ministry_id=organisation.pk)
    return [render_to_string("sla/_agreed.html", {"lines": lines})]
