"""SLA reads: compliance and lead-time figures, scoped to what the user may follow."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from felles.core.types import AnyUser
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Role
from felles.sla.models import OrderSla

may_see_reports = org_selectors.role_rule(
    Role.PROVIDER_MANAGER,
    Role.GOVERNANCE,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
    Role.ORDERING_COORDINATOR,
    Role.CUSTOMER_CONTACT,
)


def slas_for(user: AnyUser) -> QuerySet[OrderSla]:
    """Provider managers and customer contacts see their provider's orders, coordinators
    their ministry's; governance, administrators and auditors see all."""
    access = org_selectors.access_for(user)
    base = OrderSla.objects.select_related(
        "order", "order__service", "order__service__provider", "order__ministry"
    )
    if getattr(user, "is_superuser", False) or access.cross_ministry:
        return base
    coordinator_of = [o for r, o in access.roles if r == Role.ORDERING_COORDINATOR]
    scope = Q(order__ministry_id__in=coordinator_of) | org_selectors.provider_scope(
        user,
        roles=(Role.PROVIDER_MANAGER, Role.CUSTOMER_CONTACT),
        provider="order__service__provider_id",
        ministry="order__ministry_id",
    )
    return base.filter(scope)


@dataclass
class Row:
    group: str
    month: str
    finished: int
    met: int
    breached: int
    median_hours: float | None
    p90_hours: float | None

    @property
    def compliance(self) -> float | None:
        return round(100 * self.met / self.finished, 1) if self.finished else None


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


GROUPS = {
    "provider": ("order__service__provider__abbreviation", gettext_lazy("Leverandør")),
    "service": ("order__service__name_nb", gettext_lazy("Tjeneste")),
    "ministry": ("order__ministry__abbreviation", gettext_lazy("Departement")),
}


def compliance(slas: QuerySet[OrderSla], group: str) -> list[Row]:
    """Met/breached, median and 90th percentile resolution time (business hours) per group
    and month of resolution, for finished orders."""
    field = GROUPS[group][0]
    buckets: dict[tuple[str, str], list[tuple[bool, float]]] = defaultdict(list)
    rows = slas.filter(
        finished=True, started_at__isnull=False, resolution_target__isnull=False
    ).values_list(field, "order__resolved_at", "resolution_minutes", "resolution_target")
    for name, resolved_at, minutes, target in rows:
        month = f"{timezone.localtime(resolved_at):%Y-%m}" if resolved_at else "–"
        buckets[(name, month)].append((minutes <= target, minutes))
    result = []
    for (name, month), items in sorted(buckets.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        hours = sorted(m / 60 for _, m in items)
        met = sum(1 for ok, _ in items if ok)
        result.append(
            Row(
                name,
                month,
                len(items),
                met,
                len(items) - met,
                round(statistics.median(hours), 1),
                round(_percentile(hours, 0.9) or 0, 1),
            )
        )
    return result


def approval_lead_times(slas: QuerySet[OrderSla]) -> list[dict[str, Any]]:
    """How long the ministries' own approvals take (business hours), per ministry."""
    per_ministry: dict[str, list[float]] = defaultdict(list)
    for ministry, minutes in slas.filter(
        started_at__isnull=False, approval_minutes__gt=0
    ).values_list("order__ministry__abbreviation", "approval_minutes"):
        per_ministry[ministry].append(minutes / 60)
    return [
        {
            "ministry": m,
            "orders": len(v),
            "median_hours": round(statistics.median(v), 1),
            "p90_hours": round(_percentile(sorted(v), 0.9) or 0, 1),
        }
        for m, v in sorted(per_ministry.items())
    ]
